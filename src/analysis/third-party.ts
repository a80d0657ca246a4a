/**
 * The heart of TA001: can some caller from a third-party account be allowed `sts:AssumeRole` on this
 * role without a valid external id and without MFA?
 *
 * For every Allow statement that admits sts:AssumeRole, each AWS principal whose account is (or may be)
 * outside the zone of trust yields representative callers (callers.ts). For each caller the analysis
 * enumerates concrete requests (scenarios.ts: no external id, a made-up one, one matching each wildcard
 * pattern; no MFA key, MFA false; no organization, an unknown one...) and evaluates the WHOLE policy
 * with the evaluator, so Deny statements count. Keys it does not fix are `free` (assumed in the caller's
 * favour). The first allowed request in which the statement applies is the proof.
 */
import {
  appliesCompiled,
  type CompiledPolicy,
  compilePolicy,
  decideCompiled,
  evaluateCompiled,
} from '../eval/evaluate.js';
import type { PolicyEvaluation, Request } from '../eval/types.js';
import type { ExampleRequest, FindingPrincipal } from '../findings/types.js';
import {
  DEPLOYING_ACCOUNT,
  type PolicyValue,
  type Principal,
  type Role,
  type Statement,
} from '../model/types.js';
import { ASSUME_ROLE, admitsAssumeRole } from './assume-action.js';
import {
  type CallerSetting,
  type Candidate,
  candidatesOf,
  chooseProbeAccount,
  policyFacts,
} from './callers.js';
import { explainAllow, explainDenies } from './explain.js';
import { externalIdSuffices, missingIn, type Protection, type RequireMode } from './protection.js';
import { statementLabel } from './render.js';
import {
  buildVariants,
  exampleRequest,
  type Gates,
  gatedKeysUsed,
  openGates,
  pruneVariants,
  requiresFixedExternalId,
  type Scenario,
  type ScenarioEnv,
  scenarioContext,
  scenarioEnv,
  sentExternalId,
  type Variants,
} from './scenarios.js';
import { openTimeWindow } from './unusable-trust.js';
import { ownerOf, type ZoneOfTrust } from './zone.js';

/** One Allow statement that lets third parties in without the required protection. */
export interface ThirdPartyAccess {
  statementIndex: number;
  sid?: string;
  /** The third-party principals that get in (one entry per account for a wildcard). */
  principals: FindingPrincipal[];
  /** Those principals as written in the statement, deduplicated (what a fix acts on). */
  principalValues: string[];
  /** Their accounts: 12-digit ids, `*` for "any account", or the principal as written when the account is unknown. */
  accounts: string[];
  /** What the mode requires and some allowed request lacked. */
  missing: Protection[];
  /** The first request found that the policy allows. */
  request: ExampleRequest;
  /** Every reason, one sentence each. */
  details: string[];
  ownerKnown: boolean;
  /**
   * The external id the allowed request sends although it is no secret (made up to match a wildcard,
   * or built from policy variables the caller knows): the finding must not say "without an external ID".
   */
  sentExternalId?: string;
}

/** The guessable external id a scenario sends, if any. */
function sentId(s: Scenario): { sentExternalId?: string } {
  if (s.externalId.known) return {};
  const v = sentExternalId(s);
  return typeof v === 'string' ? { sentExternalId: v } : {};
}

interface Hit {
  candidate: Candidate;
  scenario: Scenario;
  missing: Protection[];
  /** The policy as evaluated (after any substitution) and the allowed request, to trace it again for the evidence. */
  statements: readonly Statement[];
  policy: CompiledPolicy;
  request: Request;
}

const NO_TRACE: PolicyEvaluation = { decision: 'allow', statements: [] };

/** Traces of the allowed request, with reasons; skipped when there is nothing to explain (no conditions, no Deny). */
function traceOf(hit: Hit, explain: boolean): PolicyEvaluation {
  return explain ? evaluateCompiled(hit.policy, hit.request) : NO_TRACE;
}

function hasCallerPrincipal(st: Statement): boolean {
  if (st.principals) return st.principals.some((p) => p.type === 'AWS' || p.type === '*');
  return st.notPrincipals !== undefined;
}

/** The policy with one principal value replaced (see Candidate.substitute). */
function substituted(statements: readonly Statement[], from: PolicyValue, to: string): Statement[] {
  const swap = (ps: Principal[] | undefined): Principal[] | undefined =>
    ps?.map((p) => (p.value === from ? { ...p, value: to } : p));
  return statements.map((st) =>
    st.principals?.some((p) => p.value === from) || st.notPrincipals?.some((p) => p.value === from)
      ? { ...st, principals: swap(st.principals), notPrincipals: swap(st.notPrincipals) }
      : st,
  );
}

/**
 * The first allowed request of this candidate in which statement `st` applies, if any. Scenarios are
 * decided on the evaluator's fast path; only the proof is evaluated again with traces.
 */
function search(
  st: Statement,
  policy: CompiledPolicy,
  candidate: Candidate,
  variants: Variants,
  mode: RequireMode,
  env: ScenarioEnv,
  gated: Gates,
): Hit | undefined {
  const statements = candidate.substitute
    ? substituted(policy.source, candidate.substitute.from, candidate.substitute.to)
    : policy.source;
  const compiled = candidate.substitute ? compilePolicy(statements) : policy;
  const target = statements[st.index] ?? st;
  const hasDeny = statements.some((x) => x.effect === 'Deny');
  for (const caller of candidate.callers) {
    for (const externalId of variants.externalIds) {
      for (const mfa of variants.mfa) {
        const missing = missingIn(externalId, mfa, mode);
        if (missing.length === 0) continue;
        for (const org of variants.orgs) {
          const scenario: Scenario = { caller, externalId, mfa, org, env };
          const gates = openGates(compiled, scenario, gated);
          if (gates) scenario.gates = gates;
          const request: Request = {
            principal: caller.principal,
            action: ASSUME_ROLE,
            context: scenarioContext(scenario),
          };
          // The statement must apply; then only an applicable Deny could still refuse the request.
          if (!appliesCompiled(compiled, target, request)) continue;
          if (hasDeny && decideCompiled(compiled, request) !== 'allow') continue;
          return { candidate, scenario, missing, statements, policy: compiled, request };
        }
      }
    }
  }
  return undefined;
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

/**
 * Every Allow statement of the role that lets a third party assume it without what `mode` requires.
 * Pure and deterministic.
 */
export function findThirdPartyAccess(
  role: Role,
  zone: ZoneOfTrust,
  mode: RequireMode,
  opts: { exhaustive?: boolean; now?: number } = {},
): ThirdPartyAccess[] {
  const statements = role.trustPolicy.statements;
  // A statement that demands a fixed external id lets nobody in without it: when that is all the mode
  // asks for, it is skipped at once (most vendor roles). `exhaustive` searches it anyway (tests check
  // that both ways agree).
  const skipProtected = externalIdSuffices(mode) && opts.exhaustive !== true;
  const allows = statements.filter(
    (st) =>
      st.effect === 'Allow' &&
      hasCallerPrincipal(st) &&
      admitsAssumeRole(st) &&
      !(skipProtected && requiresFixedExternalId(st)),
  );
  if (allows.length === 0) return [];

  // A template's "deploying account" is the --account owner when one was given.
  const declared = ownerOf(role, zone);
  const owner = declared === DEPLOYING_ACCOUNT ? (zone.defaultOwner ?? declared) : declared;
  const ownerKnown = owner !== undefined && owner !== DEPLOYING_ACCOUNT;
  const allFacts = policyFacts(statements);
  const probeAccount = chooseProbeAccount(owner, zone, allFacts);
  const denies = statements.filter((st) => st.effect === 'Deny');
  const env = scenarioEnv(role, ownerKnown ? owner : undefined, opts.now);

  const out: ThirdPartyAccess[] = [];
  // Compiled once per role, when a statement has candidates: the scenarios of every candidate use it.
  let compiled: CompiledPolicy | undefined;
  for (const st of allows) {
    // Whether `st` lets a caller in depends only on `st` itself and the Deny statements: other Allow
    // statements cannot stop it. So the values worth trying come from those statements alone.
    const relevant = denies.length > 0 ? [st, ...denies] : [st];
    const facts = relevant.length === statements.length ? allFacts : policyFacts(relevant);
    const setting: CallerSetting = { role, zone, owner, facts, probeAccount };
    const candidates = candidatesOf(st, setting);
    if (candidates.length === 0) continue;
    const variants = pruneVariants(buildVariants(relevant, facts, mode, zone), st, denies);
    const hits: Hit[] = [];
    const gated = gatedKeysUsed(facts.keys);
    compiled ??= compilePolicy(statements);
    for (const c of candidates) {
      const hit = search(st, compiled, c, variants, mode, env, gated);
      if (hit) hits.push(hit);
    }
    const first = hits[0];
    if (!first) continue;
    out.push(describe(role, st, hits, first, facts.keys, ownerKnown, opts.now));
  }
  return out;
}

function describe(
  role: Role,
  st: Statement,
  hits: readonly Hit[],
  first: Hit,
  keys: ReadonlySet<string>,
  ownerKnown: boolean,
  now: number | undefined,
): ThirdPartyAccess {
  const statements = role.trustPolicy.statements;
  const missing = unique(hits.flatMap((h) => h.missing)).sort() as Protection[];
  const details: string[] = [];
  const explain = st.conditions.length > 0 || statements.some((x) => x.effect === 'Deny');
  const evaluation = traceOf(first, explain);
  details.push(...explainAllow(st, evaluation, first.missing));
  details.push(...explainDenies(statements, evaluation));
  for (const h of hits) {
    if (h.scenario.org.named && h.scenario.org.orgId) {
      details.push(
        `aws:PrincipalOrgID admits organization ${h.scenario.org.orgId}, which is not one of your trusted organizations (add it to trustedOrganizations in the config if it is yours).`,
      );
    }
  }
  for (const h of hits) details.push(...h.candidate.notes);
  if (now !== undefined) details.push(...openTimeWindow(st, now));
  const gates = first.scenario.gates;
  if (gates?.sourceIdentity)
    details.push(
      `${statementLabel(st.index, st.sid)} lets the caller set a source identity (the policy allows sts:SetSourceIdentity), so conditions on it are the caller's choice.`,
    );
  if (gates?.tags)
    details.push(
      `${statementLabel(st.index, st.sid)} lets the caller pass session tags (the policy allows sts:TagSession), so conditions on them are the caller's choice.`,
    );
  if (!ownerKnown) {
    details.push(
      'The account that owns this role is not known, so every account principal is treated as a possible third party (give the owner with --account or "account" in the config).',
    );
  }
  for (const issue of role.trustPolicy.issues) {
    if (issue.code === 'symbolic-structure') continue;
    if (issue.statementIndex !== undefined && issue.statementIndex !== st.index) continue;
    details.push(
      `AWS would reject this trust policy (${issue.message}); what it would grant is judged as written.`,
    );
  }
  const accounts = unique(
    hits.map((h) => {
      const f = h.candidate.finding;
      if (f.account) return f.account;
      return f.kind === 'wildcard' ? '*' : f.value;
    }),
  );
  const sid = st.sid;
  return {
    statementIndex: st.index,
    ...(sid !== undefined ? { sid } : {}),
    principals: hits.map((h) => {
      const f = h.candidate.finding;
      const org = h.scenario.org;
      return f.kind === 'wildcard' && !f.account && org.named && org.orgId
        ? { ...f, note: `any account in organization ${org.orgId}` }
        : f;
    }),
    principalValues: unique(hits.map((h) => h.candidate.writtenAs)),
    accounts,
    missing,
    request: exampleRequest(first.scenario, keys, first.statements[st.index] ?? st, statements),
    ...sentId(first.scenario),
    details: unique(details),
    ownerKnown,
  };
}

/** "statement 0 (Sid "Vendor")" for messages. */
export function accessLabel(a: ThirdPartyAccess): string {
  return statementLabel(a.statementIndex, a.sid);
}
