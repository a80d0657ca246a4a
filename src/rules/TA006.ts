import { listText, statementLabel } from '../analysis/render.js';
import {
  findUnusableParts,
  type UnusableKind,
  type UnusablePart,
  withoutPrincipals,
} from '../analysis/unusable-trust.js';
import { scanTime } from '../analysis/zone.js';
import type { FindingDraft, FindingPrincipal, Remediation } from '../findings/types.js';
import { isDefect } from '../model/issue-codes.js';
import type { JsonLike, Role } from '../model/types.js';
import { updateTrustPolicyCommand } from '../util/shell-quote.js';
import { NO_OPTIONS, type NoOptions } from './options.js';
import { MAX_CORRECTED_POLICY_CHARS } from './policy-findings.js';
import { memoised, NO_FINDINGS, type Rule, type RuleContext } from './types.js';

export type TA006Options = NoOptions;

const HEADLINE: Record<UnusableKind, (values: string) => string> = {
  'stale-principal': (v) => `names ${v}, the unique id of a deleted principal that nobody can match`,
  'other-partition': (v) => `names ${v}, a principal in another partition that cannot assume the role`,
  'impossible-external-id': (v) =>
    `requires the external ID ${v}, which STS never accepts, so that condition admits nobody`,
  expired: (v) => `has a time window (${v}) that is closed at the scan time, so it admits nobody`,
};

const FIX: Record<UnusableKind, string> = {
  'stale-principal':
    'Remove the unique id from Principal; if the principal was re-created and still needs access, name it again by its ARN.',
  'other-partition':
    'Remove the principal, or name one in the same partition as the role (aws, aws-cn, aws-us-gov...).',
  'impossible-external-id':
    'Replace the value with the external ID agreed with the third party (2 to 1,224 characters of letters, digits and _+=,.@:/-); check for a template parameter left at an empty default.',
  expired: 'Remove the statement if the time-boxed access is over, or move its dates if it is still needed.',
};

function principalsOf(p: UnusablePart): FindingPrincipal[] {
  if (p.kind === 'stale-principal') return p.values.map((value) => ({ value, kind: 'unique-id' as const }));
  if (p.kind === 'other-partition') return p.values.map((value) => ({ value, kind: 'other' as const }));
  return [];
}

function remediation(role: Role, p: UnusablePart, corrected: JsonLike | undefined): Remediation {
  const out: Remediation = {
    summary: `${FIX[p.kind]} (${statementLabel(p.statementIndex, p.sid)})`,
    steps: [
      `In the IAM console, open Roles, choose ${role.name}, open the Trust relationships tab and choose Edit trust policy.`,
      `In ${statementLabel(p.statementIndex, p.sid)}: ${FIX[p.kind]}`,
    ],
    command: updateTrustPolicyCommand(role.name),
  };
  if ((p.kind === 'stale-principal' || p.kind === 'other-partition') && corrected !== undefined)
    out.correctedPolicy = corrected;
  return out;
}

/**
 * One corrected document for the role, built once (not once per finding): every stale and
 * other-partition principal of every statement dropped.
 */
function correctionFor(role: Role, parts: readonly UnusablePart[]): JsonLike | undefined {
  const remove = new Map<number, string[]>();
  for (const q of parts) {
    if (q.kind !== 'stale-principal' && q.kind !== 'other-partition') continue;
    remove.set(q.statementIndex, [...(remove.get(q.statementIndex) ?? []), ...q.values]);
  }
  if (remove.size === 0) return undefined;
  // A document IAM would reject (TA000) stays rejected without these principals: no corrected policy.
  if (role.trustPolicy.issues.some((i) => isDefect(i.code))) return undefined;
  // undefined when nothing would remain; a document IAM could never take is left out as for the other rules.
  const corrected = withoutPrincipals(role.trustPolicy.raw, remove);
  return corrected !== undefined && JSON.stringify(corrected).length <= MAX_CORRECTED_POLICY_CHARS
    ? corrected
    : undefined;
}

const analyse = (role: Role, ctx: RuleContext<TA006Options>): UnusablePart[] =>
  findUnusableParts(role, scanTime(ctx.zone));

/** `TA006`: parts of a trust policy that can never be used (stale principals, impossible values, closed windows). */
export const TA006: Rule<TA006Options> = {
  meta: {
    id: 'TA006',
    name: 'unusable-trust-entries',
    title: 'Trust policy names principals or values that can never be used',
    description:
      'Reports the parts of a trust policy that admit nobody: unique ids (AROA…, AIDA…) that AWS shows in place of ' +
      'deleted principals, principal ARNs in another partition than the role, external IDs that STS never accepts ' +
      '(empty, one character, spaces or other characters outside [\\w+=,.@:/-], more than 1,224 characters), and ' +
      'statements whose aws:CurrentTime or aws:EpochTime window is closed at the scan time.',
    risk:
      'None of these grants access, so they are not a confused-deputy risk in themselves. They show that the policy no ' +
      'longer says what its author meant: a vendor that was deleted and re-created has silently lost (or, if someone ' +
      'adds it back carelessly, regained) its access, a template default left empty blocks the integration it was ' +
      'meant to protect, and a time-boxed grant that is over is still there to be extended by mistake.',
    severity: 'low',
    remediation:
      'Remove stale and other-partition principals (name re-created principals again by ARN), replace impossible ' +
      'external IDs with the agreed value, and delete statements whose time window is over.',
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids',
      'https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-currenttime',
    ],
    enabledByDefault: true,
  },
  options: NO_OPTIONS,
  perPolicy: true,
  check(role, ctx): readonly FindingDraft[] {
    const parts = memoised(ctx, role, analyse);
    if (parts.length === 0) return NO_FINDINGS;
    const corrected = correctionFor(role, parts);
    return parts.map((p): FindingDraft => {
      const st = role.trustPolicy.statements[p.statementIndex];
      const values = listText(p.values.map((v) => JSON.stringify(v)));
      return {
        message: `Role ${role.name} ${HEADLINE[p.kind](values)} in ${statementLabel(p.statementIndex, p.sid)}.`,
        ...(st?.location ? { location: st.location } : {}),
        statement:
          p.sid !== undefined ? { index: p.statementIndex, sid: p.sid } : { index: p.statementIndex },
        principals: principalsOf(p),
        evidence: {
          summary: `${statementLabel(p.statementIndex, p.sid)} ${p.kind === 'expired' ? 'is out of its time window' : 'holds a value that matches nothing'}.`,
          details: p.details,
          data: { statementIndex: p.statementIndex, kind: p.kind, values: p.values },
        },
        remediation: remediation(role, p, corrected),
        fingerprintExtra: p.kind,
      };
    });
  },
};
