/**
 * TA003's analysis: can ANYONE assume the role? For each Allow statement whose principal is `"*"`,
 * `{"AWS": "*"}` (or a NotPrincipal, which admits everyone it does not list), a caller from a stranger's
 * account (not the owner, not a trusted account, not named in the policy) is tried with every external
 * ID the policy accepts, with and without MFA, outside any organization and in a made-up one. External
 * IDs and MFA are granted to the stranger on purpose: an ID is not a secret AWS protects and anyone can
 * have an MFA device, so neither narrows who may call. The whole policy is evaluated, Deny included.
 *
 * Web identity: a `*` that admits sts:AssumeRoleWithWebIdentity is tried with a token from the stranger's
 * own Cognito identity pool (a built-in provider that needs no registration in your account).
 * sts:AssumeRoleWithSAML is not public: STS only accepts assertions from a SAML provider registered in the
 * role's own account (TA004 judges those statements).
 */

import {
  appliesCompiled,
  type CompiledPolicy,
  compilePolicy,
  decideCompiled,
  evaluateCompiled,
} from '../eval/evaluate.js';
import type { Request } from '../eval/types.js';
import type { ExampleRequest, FindingPrincipal } from '../findings/types.js';
import type { PolicyValue, Principal, Role, Statement } from '../model/types.js';
import { DEPLOYING_ACCOUNT } from '../model/types.js';
import {
  accountPattern,
  admittedCount,
  describeCount,
  HUGE_ACCOUNT_SET,
  witnessAccounts,
} from './account-patterns.js';
import { ASSUME_ROLE } from './assume-action.js';
import { callersInAccount, chooseProbeAccount, policyFacts } from './callers.js';
import {
  admitsAction,
  conditionsUnknown,
  exampleOf,
  explainTrace,
  firstAllowed,
  type Probe,
  policyKeys,
} from './probe.js';
import { renderValue } from './render.js';
import {
  buildVariants,
  exampleRequest,
  type Gates,
  gatedKeysUsed,
  openGates,
  type Scenario,
  scenarioContext,
  scenarioEnv,
} from './scenarios.js';
import { openTimeWindow } from './unusable-trust.js';
import { ownerOf, type ZoneOfTrust } from './zone.js';

export const WEB_IDENTITY = 'sts:AssumeRoleWithWebIdentity';
const PROBE_POOL = 'us-east-1:00000000-0000-0000-0000-trustaudit000';

export interface PublicAccess {
  statementIndex: number;
  sid?: string;
  /** The wildcard principal as written (`*`), or `NotPrincipal`. */
  principalValues: string[];
  principals: FindingPrincipal[];
  /** `any`: every AWS account; `organization`: only accounts of organizations you have not declared as yours. */
  reach: 'any' | 'organization';
  /** Organizations that let the stranger in (reach `organization`). */
  organizations: string[];
  /** The stranger got in through an account pattern (`2*`): the pattern and how many accounts it admits. */
  accountPattern?: { pattern: string; size: string };
  /** Which action the proof uses. */
  action: string;
  request: ExampleRequest;
  /** The external ID / MFA the stranger presented, to say that they do not narrow anything. */
  presentedExternalId: boolean;
  presentedMfa: boolean;
  details: string[];
  ownerKnown: boolean;
}

function isWildcard(p: Principal): boolean {
  return (p.type === '*' || p.type === 'AWS') && typeof p.value === 'string' && p.value.trim() === '*';
}

function wildcardValues(st: Statement): string[] | undefined {
  if (!st.principals) return st.notPrincipals ? ['NotPrincipal'] : undefined;
  if (!st.principals.some(isWildcard)) return undefined; // the common case, without allocating
  // What classifyPrincipal calls a wildcard: the trimmed value "*" (checked without parsing every ARN).
  const out = st.principals
    .filter(
      (p) => (p.type === '*' || p.type === 'AWS') && typeof p.value === 'string' && p.value.trim() === '*',
    )
    .map((p) => renderValue(p.value));
  return out.length > 0 ? [...new Set(out)] : undefined;
}

interface AssumeHit {
  scenario: Scenario;
  request: Request;
}

function searchAssumeRole(
  policy: CompiledPolicy,
  st: Statement,
  scenarios: Iterable<Scenario>,
  gated: Gates,
): AssumeHit | undefined {
  const hasDeny = policy.source.some((x) => x.effect === 'Deny');
  for (const scenario of scenarios) {
    const gates = openGates(policy, scenario, gated);
    if (gates) scenario.gates = gates;
    const request: Request = {
      principal: scenario.caller.principal,
      action: ASSUME_ROLE,
      context: scenarioContext(scenario),
    };
    if (!appliesCompiled(policy, st, request)) continue;
    if (hasDeny && decideCompiled(policy, request) !== 'allow') continue;
    return { scenario, request };
  }
  return undefined;
}

function webIdentityProbe(statements: readonly Statement[]): Probe {
  const keys = new Map<string, PolicyValue[] | undefined>([
    ['cognito-identity.amazonaws.com:aud', [PROBE_POOL]],
    ['cognito-identity.amazonaws.com:amr', ['authenticated', 'cognito-identity.amazonaws.com']],
  ]);
  // Claims of other providers are not in a Cognito token.
  for (const st of statements) {
    for (const c of st.conditions) {
      const key = c.key;
      const prefix = key.slice(0, key.indexOf(':')).toLowerCase();
      if (prefix.includes('.') && prefix !== 'cognito-identity.amazonaws.com') keys.set(key, undefined);
    }
  }
  for (const k of ['aws:PrincipalAccount', 'aws:PrincipalArn', 'aws:PrincipalOrgID', 'sts:ExternalId'])
    keys.set(k, undefined);
  return {
    principal: { type: 'federated', id: 'cognito-identity.amazonaws.com' },
    action: WEB_IDENTITY,
    keys,
    label: "a user of a stranger's Cognito identity pool",
  };
}

/** Every Allow statement that lets a stranger assume the role. Pure and deterministic. */
export function findPublicAccess(role: Role, zone: ZoneOfTrust, opts: { now?: number } = {}): PublicAccess[] {
  const statements = role.trustPolicy.statements;
  const out: PublicAccess[] = [];
  const declared = ownerOf(role, zone);
  const owner = declared === DEPLOYING_ACCOUNT ? (zone.defaultOwner ?? declared) : declared;
  const ownerKnown = owner !== undefined && owner !== DEPLOYING_ACCOUNT;
  const env = scenarioEnv(role, ownerKnown ? owner : undefined, opts.now);
  let compiled: CompiledPolicy | undefined;
  for (const st of statements) {
    if (st.effect !== 'Allow') continue;
    const written = wildcardValues(st);
    if (!written) continue;
    const assume = admitsAction(st, ASSUME_ROLE);
    const web = admitsAction(st, WEB_IDENTITY);
    if (!assume && !web) continue;
    if (conditionsUnknown(role, st)) continue;
    const facts = policyFacts(statements);
    const probeAccount = chooseProbeAccount(owner, zone, facts);
    const label = st.sid ? `statement ${st.index} (Sid "${st.sid}")` : `statement ${st.index}`;
    const base = {
      statementIndex: st.index,
      ...(st.sid !== undefined ? { sid: st.sid } : {}),
      principalValues: written,
      ownerKnown,
    };
    if (assume) {
      compiled ??= compilePolicy(statements);
      const partition = role.partition || 'aws';
      const callers = [...callersInAccount(probeAccount, partition, facts, zone)];
      // Patterns such as `2*` in aws:PrincipalAccount/aws:PrincipalArn admit so many accounts that the
      // role is as good as public: a witness of each is tried (smaller sets are TA001's business).
      const witnessOf = new Map<string, { pattern: string; size: string }>();
      for (const pattern of facts.accountPatterns) {
        const p = accountPattern(pattern);
        if (!p || admittedCount(p) < HUGE_ACCOUNT_SET) continue;
        const [w] = witnessAccounts(
          p,
          (a) =>
            a === probeAccount ||
            a === owner ||
            zone.trusted.has(a) ||
            facts.namedAccounts.includes(a) ||
            witnessOf.has(a),
        );
        if (w === undefined) continue;
        witnessOf.set(w, { pattern, size: describeCount(p) });
        callers.push(...callersInAccount(w, partition, facts));
      }
      const variants = buildVariants(statements, facts, 'external-id-and-mfa', zone);
      // Fewest assumptions first: no external id, no MFA, no organization; then what the policy asks for.
      const all = function* (named: boolean): Generator<Scenario> {
        for (const org of variants.orgs) {
          if (Boolean(org.named) !== named) continue;
          for (const caller of callers)
            for (const mfa of variants.mfa)
              for (const externalId of variants.externalIds) yield { caller, externalId, mfa, org, env };
        }
      };
      const gated = gatedKeysUsed(facts.keys);
      const hit =
        searchAssumeRole(compiled, st, all(false), gated) ?? searchAssumeRole(compiled, st, all(true), gated);
      if (hit) {
        const s = hit.scenario;
        const reach = s.org.named ? 'organization' : 'any';
        const callerAccount = typeof s.caller.account === 'string' ? s.caller.account : probeAccount;
        const viaPattern = witnessOf.get(callerAccount);
        const who = `a caller from account ${callerAccount}`;
        const details: string[] = [];
        details.push(
          written.includes('NotPrincipal')
            ? `${label} uses NotPrincipal in an Allow statement, which admits every principal it does not list (AWS rejects NotPrincipal in trust policies; judged as written).`
            : `${label} trusts Principal "*": every AWS account, including ones you have never heard of, may call sts:AssumeRole.`,
        );
        const ev = evaluateCompiled(compiled, hit.request);
        details.push(...explainTrace(statements, st, ev, who));
        if (s.externalId.known) {
          details.push(
            `The external ID condition does not make the role private: the ID ${JSON.stringify(renderValue(s.externalId.value ?? ''))} is not a secret AWS protects, and anyone who learns or guesses it can assume the role.`,
          );
        }
        if (s.mfa.mfa) {
          details.push(
            'The MFA condition does not make the role private: it only proves the caller signed in with MFA in their own account, and anyone can create an account with an MFA device.',
          );
        }
        if (reach === 'organization' && s.org.orgId) {
          details.push(
            `aws:PrincipalOrgID/aws:PrincipalOrgPaths admit organization ${s.org.orgId}, which is not in trustedOrganizations: if it is yours, declare it in the config; otherwise every account in it may assume the role.`,
          );
        }
        if (opts.now !== undefined) details.push(...openTimeWindow(st, opts.now));
        if (viaPattern) {
          details.push(
            `The pattern "${viaPattern.pattern}" admits ${viaPattern.size} (for example ${callerAccount}): as good as any account.`,
          );
        }
        if (!ownerKnown) {
          details.push('The account that owns this role is not known (give it with --account).');
        }
        out.push({
          ...base,
          principals: written.map((w) => ({
            value: w,
            kind: 'wildcard',
            note: reach === 'organization' ? `any account in organization ${s.org.orgId}` : 'any AWS account',
          })),
          reach,
          organizations: reach === 'organization' && s.org.orgId ? [s.org.orgId] : [],
          ...(viaPattern ? { accountPattern: viaPattern } : {}),
          action: ASSUME_ROLE,
          request: exampleRequest(s, facts.keys, st, statements),
          presentedExternalId: s.externalId.known,
          presentedMfa: s.mfa.mfa,
          details: [...new Set(details)],
        });
        continue;
      }
    }
    if (web) {
      const probe = webIdentityProbe(statements);
      const hit = firstAllowed(statements, st, [probe]);
      if (!hit) continue;
      const details = [
        `${label} trusts Principal "*" for sts:AssumeRoleWithWebIdentity: a token from any identity provider AWS accepts without registration (Cognito identity pools, Google, Facebook, Login with Amazon) can be exchanged for this role.`,
        ...explainTrace(statements, st, hit.evaluation, probe.label),
      ];
      out.push({
        ...base,
        principals: written.map((w) => ({ value: w, kind: 'wildcard', note: 'any web identity' })),
        reach: 'any',
        organizations: [],
        action: WEB_IDENTITY,
        request: exampleOf(probe, [], policyKeys(statements)),
        presentedExternalId: false,
        presentedMfa: false,
        details: [...new Set(details)],
      });
    }
  }
  return out;
}
