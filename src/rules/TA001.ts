import { type Protection, REQUIRE_MODES, type RequireMode } from '../analysis/protection.js';
import {
  correctTrustPolicy,
  EXTERNAL_ID_PLACEHOLDER,
  ORG_PLACEHOLDER,
  type TrustFix,
} from '../analysis/remediate.js';
import { listText, statementLabel } from '../analysis/render.js';
import { findThirdPartyAccess, type ThirdPartyAccess } from '../analysis/third-party.js';
import { findUnusableParts } from '../analysis/unusable-trust.js';
import { scanTime, type ZoneOfTrust } from '../analysis/zone.js';
import type { FindingDraft, FindingPrincipal, Remediation } from '../findings/types.js';
import { isIacSource, isSymbolic, type JsonLike, type Role } from '../model/types.js';
import { updateTrustPolicyCommand } from '../util/shell-quote.js';
import type { RuleOptions } from './options.js';
import { draftsFor, type PolicyFindingParts, sharedCorrection } from './policy-findings.js';
import { memoised, type Rule, type RuleContext } from './types.js';

export interface TA001Options {
  /** What a third party must present: the default accepts either protection. */
  require: RequireMode;
}

const options: RuleOptions<TA001Options> = {
  defaults: Object.freeze({ require: 'external-id-or-mfa' }),
  schema: (z) => z.object({ require: z.enum(REQUIRE_MODES).default('external-id-or-mfa') }).strict(),
};

const REQUIREMENT: Record<RequireMode, string> = {
  'external-id-or-mfa': 'an external ID or MFA',
  'external-id': 'an external ID',
  mfa: 'MFA',
  'external-id-and-mfa': 'both an external ID and MFA',
};

const MISSING_TEXT: Record<Protection, string> = { 'external-id': 'an external ID', mfa: 'MFA' };
const CONDITION_TEXT: Record<Protection, string> = { 'external-id': 'external ID', mfa: 'MFA' };
const SUMMARY_TEXT: Record<RequireMode, string> = {
  'external-id-or-mfa': 'external ID or MFA',
  'external-id': 'external ID',
  mfa: 'MFA',
  'external-id-and-mfa': 'external ID and MFA',
};

function principalText(p: FindingPrincipal): string {
  const acct = p.account ? (p.accountName ? `${p.accountName} (${p.account})` : p.account) : undefined;
  switch (p.kind) {
    case 'wildcard':
      if (acct) return `account ${acct} (through Principal "${p.value}")`;
      return `${p.note?.startsWith('any account in organization') ? p.note : 'any AWS account'} (Principal "${p.value}")`;
    case 'account':
      return `account ${acct ?? p.value}`;
    case 'unique-id':
      return `unique id ${p.value} (account unknown)`;
    case 'symbolic':
      return `${p.value} (an account known only at deploy time)`;
    default:
      return `${p.kind} ${p.value}${acct ? ` of account ${acct}` : ''}`;
  }
}

/**
 * "without an external ID or MFA"; when the allowed request does send an external id (one anybody can
 * make up or derive), the headline says the id it accepts is no secret instead.
 */
function withoutText(a: ThirdPartyAccess, mode: RequireMode): string {
  const lacking =
    mode === 'external-id-and-mfa' ? listText(a.missing.map((m) => MISSING_TEXT[m])) : REQUIREMENT[mode];
  if (a.sentExternalId === undefined || !a.missing.includes('external-id')) return `without ${lacking}`;
  const rest = lacking.replace(/^(an|both an) external ID( (or|and) )?/, '');
  const id = `with only an external ID anyone can supply ("${a.sentExternalId}")`;
  return rest.length > 0 ? `${id} and without ${rest}` : id;
}

/** Which protection the corrected policy adds. Either-mode: the one the statement already tried, else the external id. */
function chosenFix(a: ThirdPartyAccess, mode: RequireMode, role: Role): Protection[] {
  if (mode === 'external-id') return ['external-id'];
  if (mode === 'mfa') return ['mfa'];
  if (mode === 'external-id-and-mfa') return a.missing;
  const st = role.trustPolicy.statements[a.statementIndex];
  const keys = new Set(st?.conditions.map((c) => c.key.toLowerCase()) ?? []);
  const triedMfa = keys.has('aws:multifactorauthpresent') || keys.has('aws:multifactorauthage');
  return triedMfa && !keys.has('sts:externalid') ? ['mfa'] : ['external-id'];
}

const NO_UNUSABLE: ReadonlyMap<number, string[]> = new Map();

/** By statement, the principals TA006 removes (deleted principals' unique ids, other partitions). */
function unusablePrincipals(role: Role, now: number): ReadonlyMap<number, string[]> {
  const out = new Map<number, string[]>();
  for (const u of findUnusableParts(role, now)) {
    if (u.kind !== 'stale-principal' && u.kind !== 'other-partition') continue;
    out.set(u.statementIndex, [...(out.get(u.statementIndex) ?? []), ...u.values]);
  }
  return out;
}

/** The organization a wildcard is narrowed to: the configured one, or a placeholder when there are none or several. */
function orgFor(zone: ZoneOfTrust): string {
  const orgs = [...zone.trustedOrgIds];
  return orgs.length === 1 ? (orgs[0] as string) : ORG_PLACEHOLDER;
}

function isPolicyObject(raw: JsonLike): boolean {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) && !isSymbolic(raw);
}

interface Prepared extends PolicyFindingParts {
  /** Steps before and after the one that names the role (the console step). */
  before: string[];
  after: string[];
  /** The change to this statement; `analyse` applies the fixes of every statement at once. */
  fix?: TrustFix;
}

function prepare(
  role: Role,
  a: ThirdPartyAccess,
  mode: RequireMode,
  zone: ZoneOfTrust,
  unusable: ReadonlyMap<number, string[]>,
): Prepared {
  const label = statementLabel(a.statementIndex, a.sid);
  const fix = chosenFix(a, mode, role);
  const addsId = fix.includes('external-id');
  const addsMfa = fix.includes('mfa');
  const what = [
    addsId ? `"StringEquals": {"sts:ExternalId": "${EXTERNAL_ID_PLACEHOLDER}"}` : undefined,
    addsMfa ? '"Bool": {"aws:MultiFactorAuthPresent": "true"}' : undefined,
  ].filter((x): x is string => x !== undefined);
  const before: string[] = [];
  if (addsId) {
    before.push(
      `Agree on an external ID with the third party (a vendor usually generates one for your account) and make sure they have it before you change the policy; requests without it will be refused from then on.`,
    );
  }
  if (addsMfa) {
    before.push(
      "Make sure the third party's people assume the role with MFA-backed temporary credentials: calls made with long-term access keys carry no MFA information and will be refused.",
    );
  }
  const accounts = listText(a.accounts.map((x) => (x === '*' ? 'any account' : x)));
  const p: Prepared = {
    tail: `can be assumed by ${listText(a.principals.map(principalText))} ${withoutText(a, mode)} through ${label}.`,
    statement: a.sid !== undefined ? { index: a.statementIndex, sid: a.sid } : { index: a.statementIndex },
    principals: a.principals,
    evidence: {
      summary: `No effective ${mode === 'external-id-and-mfa' ? listText(a.missing.map((m) => CONDITION_TEXT[m])) : SUMMARY_TEXT[mode]} condition applies to ${accounts} in ${label}.`,
      details: a.details,
      request: a.request,
      ownerKnown: a.ownerKnown,
      data: {
        statementIndex: a.statementIndex,
        thirdPartyPrincipals: a.principalValues,
        accounts: a.accounts,
        require: mode,
        missing: a.missing,
      },
    },
    summary: `Require ${listText(fix.map((f) => MISSING_TEXT[f]))} in ${label} for ${accounts}.`,
    before,
    after: [
      `In ${label}, add ${listText(what)} for ${listText(
        (a.principalValues.some((v) => v !== '*')
          ? a.principalValues.filter((v) => v !== '*')
          : a.principalValues
        ).map((v) => `"${v}"`),
      )}${
        a.details.some((d) => d.includes('does not protect'))
          ? ', replacing the ineffective condition on the same key'
          : ''
      } (the corrected policy below keeps everything else), then choose Update policy.`,
      `For a new role the console does the same: Create role, choose AWS account, then "Another AWS account", enter the account ID and select${
        addsId ? ' "Require external ID" (enter the agreed ID)' : ''
      }${addsId && addsMfa ? ' and' : ''}${addsMfa ? ' "Require MFA"' : ''}; consider a permissions boundary to cap what the role can do.`,
      'Important: the administrator of this account must set the external ID when creating a role for a third party that also works in other AWS accounts; the ID is how the third party tells its customers apart.',
      "Important: a vendor that assumes roles for many customers must give each customer a unique external ID and have them put it in their own role's trust policy; an ID shared between customers protects none of them.",
    ],
  };
  const raw = role.trustPolicy.raw;
  if (isPolicyObject(raw)) {
    const tf: TrustFix = { statementIndex: a.statementIndex, principals: a.principalValues };
    if (addsId) tf.externalId = EXTERNAL_ID_PLACEHOLDER;
    if (addsMfa) tf.requireMfa = true;
    // "*" is narrowed to your organization, as TA003 does: an id or MFA alone does not make it safe.
    if (a.principalValues.includes('*')) tf.wildcardOrg = orgFor(zone);
    const drop = unusable.get(a.statementIndex);
    if (drop !== undefined) tf.drop = drop;
    p.fix = tf;
  }
  if (a.principalValues.includes('*')) narrowWildcardText(p, a, label, orgFor(zone));
  return p;
}

/**
 * The steps for a statement whose principals include `"*"`: that one is narrowed to the organization
 * (what the corrected policy does, as TA003's), the others get the external id or MFA.
 */
function narrowWildcardText(p: Prepared, a: ThirdPartyAccess, label: string, org: string): void {
  const narrow = `For Principal "*", add "StringEquals": {"aws:PrincipalOrgID": "${org}"} (or replace "*" with the accounts that need the role): anyone can present an external ID or MFA of their own, so neither makes "*" safe.`;
  const named = a.principalValues.filter((v) => v !== '*');
  if (named.length > 0) {
    p.after.splice(1, 0, narrow);
    return;
  }
  p.summary = `Narrow Principal "*" in ${label} to your organization (aws:PrincipalOrgID) or to the accounts that need the role.`;
  p.before = [];
  p.after = [
    `In ${label}: ${narrow} The corrected policy below keeps everything else; then choose Update policy.`,
  ];
}

function remediation(role: Role, p: Prepared): Remediation {
  const steps = [
    ...p.before,
    `In the IAM console, open Roles, choose ${role.name}, open the Trust relationships tab and choose Edit trust policy.`,
    ...p.after,
  ];
  if (isIacSource(role.source.kind)) {
    steps.push(`Make the same change in ${role.source.location.file} so the next deployment keeps it.`);
  }
  const out: Remediation = {
    summary: p.summary,
    steps,
    command: updateTrustPolicyCommand(role.name),
  };
  if (p.correctedPolicy !== undefined) out.correctedPolicy = p.correctedPolicy;
  return out;
}

function analyse(role: Role, ctx: RuleContext<TA001Options>): Prepared[] {
  const mode = ctx.options.require;
  const now = scanTime(ctx.zone);
  const accesses = findThirdPartyAccess(role, ctx.zone, mode, { now });
  const unusable = accesses.length > 0 ? unusablePrincipals(role, now) : NO_UNUSABLE;
  const parts = accesses.map((a) => prepare(role, a, mode, ctx.zone, unusable));
  // One corrected document with every statement fixed, shared by the findings (and by the roles with
  // this document: reporters only read it).
  const corrected = sharedCorrection(
    role.trustPolicy.raw,
    parts.map((p) => p.fix),
    correctTrustPolicy,
    role.trustPolicy.issues,
  );
  if (corrected !== undefined) for (const p of parts) if (p.fix !== undefined) p.correctedPolicy = corrected;
  return parts;
}

/** `TA001`: a third-party account can assume the role without an external ID or MFA (confused deputy). */
export const TA001: Rule<TA001Options> = {
  meta: {
    id: 'TA001',
    name: 'cross-account-trust-without-external-id-or-mfa',
    title: 'Third-party account can assume the role without an external ID or MFA',
    description:
      'Evaluates each role trust policy the way AWS does (every statement, Deny included, operators, IfExists, ' +
      'wildcards, case rules) for callers from accounts outside your zone of trust, and reports each Allow statement ' +
      'that would let such a caller perform sts:AssumeRole without presenting a fixed external ID and without MFA. ' +
      "Accounts you own (the role's account and the trusted accounts in your configuration) are never third parties.",
    risk:
      'A third party that works for several customers can be tricked into using its access to your role on behalf of ' +
      'someone else (the confused deputy problem): whoever convinces it to use your role ARN reaches your resources. ' +
      'A secret external ID agreed with the third party, or MFA for human callers, makes sure the request really was ' +
      'meant for your account. Without either, anyone who controls principals in the trusted account, or who learns ' +
      'the role ARN and can make the vendor act on it, can act in your account.',
    severity: 'medium',
    remediation:
      'Add a condition that requires sts:ExternalId to equal the ID agreed with the third party (StringEquals, no ' +
      'IfExists, no wildcards), or that requires aws:MultiFactorAuthPresent to be true (Bool, no IfExists) for human ' +
      'callers, to each statement that trusts a third-party account; give the third party the ID before the change. ' +
      'Each finding gives the console steps, the update-assume-role-policy command and a corrected trust policy.',
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html',
    ],
    enabledByDefault: true,
  },
  options,
  perPolicy: true,
  check(role, ctx): readonly FindingDraft[] {
    // Same trust policy and role facts, same analysis; the message, location and the steps that name
    // the role come from this role.
    return draftsFor(role, memoised(ctx, role, analyse), remediation);
  },
};
