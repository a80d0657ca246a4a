import type { Evidence, FindingDraft, FindingPrincipal, Remediation } from '../findings/types.js';
import { isDefect } from '../model/issue-codes.js';
import type { JsonLike, PolicyIssue, Role } from '../model/types.js';
import { NO_FINDINGS } from './types.js';

/**
 * The parts of a finding that follow from the policy alone: a rule builds them once per policy (in its
 * memoised analysis) and every role with that policy shares them.
 */
export interface PolicyFindingParts {
  /** The message after the role's name. */
  tail: string;
  statement: { index: number; sid?: string };
  principals: FindingPrincipal[];
  evidence: Evidence;
  /** The remediation summary. */
  summary: string;
  correctedPolicy?: JsonLike;
}

/** One role's drafts from its policy's shared parts: the message, location and remediation are the role's. */
export function draftsFor<P extends PolicyFindingParts>(
  role: Role,
  parts: readonly P[],
  remediation: (role: Role, p: P) => Remediation,
): readonly FindingDraft[] {
  if (parts.length === 0) return NO_FINDINGS;
  const out: FindingDraft[] = [];
  for (const p of parts) {
    out.push({
      message: `Role ${role.name} ${p.tail}`,
      // Undefined for a document shared by several roles: the engine then uses the role's location.
      location: role.trustPolicy.statements[p.statement.index]?.location,
      statement: p.statement,
      principals: p.principals,
      evidence: p.evidence,
      remediation: remediation(role, p),
    });
  }
  return out;
}

const NO_ISSUES: readonly PolicyIssue[] = [];

/**
 * One corrected policy for all of a rule's findings on one trust document: `doc` with every fix applied
 * at once (undefined when there is none). Its findings share this one object instead of each holding a
 * copy of the whole document with only its own statement fixed: a policy of N statements then costs one
 * copy, not N (reports write it once, see `src/findings/corrected-policies.ts`), and applying it fixes
 * every statement the rule reported, where applying one finding's copy after another's would undo the first.
 */
export function sharedCorrection<F>(
  doc: JsonLike,
  fixes: readonly (F | undefined)[],
  apply: (doc: JsonLike, fixes: readonly F[]) => JsonLike,
  issues: readonly PolicyIssue[] = NO_ISSUES,
): JsonLike | undefined {
  const given = fixes.filter((f): f is F => f !== undefined);
  if (given.length === 0) return undefined;
  // A document IAM would reject (TA000 reports it, and that finding blocks the others) stays rejected
  // with a condition added: no corrected policy rather than one `update-assume-role-policy` refuses.
  if (issues.some((i) => isDefect(i.code))) return undefined;
  const corrected = apply(doc, given);
  // A document this large could never be applied (IAM refuses trust policies over 4,096 characters):
  // reports leave it out rather than carry megabytes of the input (a 19 MB Sid) for nothing.
  return (JSON.stringify(corrected)?.length ?? 0) > MAX_CORRECTED_POLICY_CHARS ? undefined : corrected;
}

/**
 * The largest corrected policy findings carry: 256 times IAM's largest role trust policy (4,096
 * characters after a quota increase, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
 */
export const MAX_CORRECTED_POLICY_CHARS = 256 * 4096;
