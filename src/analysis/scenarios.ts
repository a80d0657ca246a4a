/**
 * The request scenarios the analysis tries for one caller: the values of the keys that protect a role
 * (external id, MFA) and of the keys the caller cannot choose (who they are, their organization).
 * Every other key is `free`. Only keys the policy uses get more than one value.
 */
import { keyInfoLower } from '../eval/condition-keys.js';
import { type CompiledCondition, compileCondition, compiledConditionMet } from '../eval/conditions.js';
import type { ContextEntry } from '../eval/context.js';
import { makeContext } from '../eval/context.js';
import { type CompiledPolicy, decideCompiled } from '../eval/evaluate.js';
import { describeOperator } from '../eval/operators/index.js';
import type { ContextValue, RequestContext } from '../eval/types.js';
import type { ExampleRequest } from '../findings/types.js';
import {
  type Condition,
  DEPLOYING_ACCOUNT,
  type Effect,
  isSymbolic,
  type PolicyValue,
  type Role,
  type Statement,
  type Symbolic,
} from '../model/types.js';
import type { Caller, PolicyFacts } from './callers.js';
import { fillWildcards, PROBE_NAME } from './callers.js';
import {
  acceptableFill,
  isAcceptableExternalId,
  isExternalIdKey,
  KEY_EXTERNAL_ID,
  KEY_MFA_AGE,
  KEY_MFA_PRESENT,
  PROBE_EXTERNAL_ID,
  type RequireMode,
} from './protection.js';

import { renderValue } from './render.js';
import type { ZoneOfTrust } from './zone.js';

/** An external id a caller may send. `known`: a fixed value from the policy (the third party was given it). */
export interface ExternalIdVariant {
  value?: PolicyValue;
  known: boolean;
  /**
   * A policy value built from policy variables (`${aws:PrincipalAccount}`): the caller sends the value the
   * variables take for it, which it knows without being told any secret.
   */
  template?: string;
}

export interface MfaVariant {
  present?: string;
  age?: string;
  mfa: boolean;
}

export interface OrgVariant {
  orgId?: string;
  orgPaths?: string;
  /** The organization is one the policy names but the zone does not trust. */
  named?: boolean;
}

export interface Variants {
  externalIds: ExternalIdVariant[];
  mfa: MfaVariant[];
  orgs: OrgVariant[];
}

const PROBE_ORG = 'o-trustauditprobe';

/** Operators under which a literal value must be sent as is (no wildcards; the key must be present). */
const EXACT_STRING = new Set(['StringEquals', 'StringEqualsIgnoreCase']);

/**
 * Whether statement `st` applies only to requests that send one of the fixed external ids it names: a
 * plain `StringEquals` (or `…IgnoreCase`) on `sts:ExternalId` whose values are literal, non-empty and
 * free of policy variables. A missing key fails such a condition (no `IfExists`), and so does any
 * value a third party could make up. Under a mode that accepts an external id as the protection, no
 * request lacking it can then get in through `st`: the analysis skips it without building scenarios.
 * The values must not be ones the scenarios send as made-up ids (the probe value, or a wildcard
 * pattern's filling), so the skip never decides a case the full search would decide otherwise.
 */
export function requiresFixedExternalId(st: Statement): boolean {
  for (const c of st.conditions) {
    if (!isExternalIdKey(c.key) || !EXACT_STRING.has(c.operator) || c.values.length === 0) continue;
    let fixed = true;
    for (const v of c.values) {
      // A value STS never accepts admits nobody: the other values decide (all such: nobody gets in).
      if (typeof v === 'string' && !v.includes('${') && !hasWildcard(v) && !isAcceptableExternalId(v))
        continue;
      if (
        typeof v !== 'string' ||
        v.includes('${') ||
        hasWildcard(v) ||
        v.toLowerCase() === PROBE_EXTERNAL_ID
      ) {
        fixed = false;
        break;
      }
    }
    if (fixed) return true;
  }
  return false;
}

function hasWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?');
}

/** Values for the protecting keys, derived from what the policy says about them. */
export function buildVariants(
  statements: readonly Statement[],
  facts: PolicyFacts,
  mode: RequireMode,
  zone: ZoneOfTrust,
): Variants {
  const mayKnowId = mode === 'mfa' || mode === 'external-id-and-mfa';
  const mayHaveMfa = mode === 'external-id' || mode === 'external-id-and-mfa';
  const externalIds: ExternalIdVariant[] = [{ known: false }];
  const mfa: MfaVariant[] = [{ mfa: false }];
  const orgs: OrgVariant[] = [{}];

  if (facts.keys.has(KEY_EXTERNAL_ID)) {
    const seen = new Set<string>([PROBE_EXTERNAL_ID]);
    externalIds.push({ value: PROBE_EXTERNAL_ID, known: false });
    for (const st of statements) {
      for (const c of st.conditions) {
        if (!isExternalIdKey(c.key)) continue;
        for (const v of c.values) {
          if (isSymbolic(v)) {
            // An IaC parameter: a fixed value the third party is given, never guessable.
            if (mayKnowId && !seen.has(renderValue(v))) {
              seen.add(renderValue(v));
              externalIds.push({ value: v, known: true });
            }
            continue;
          }
          if (v.includes('${')) {
            if (!seen.has(`template|${v}`)) externalIds.push({ known: false, template: v });
            seen.add(`template|${v}`);
            continue;
          }
          // Only values STS accepts can be sent: an empty or one-character id, or one with spaces, is
          // refused before the policy is read.
          if (hasWildcard(v)) {
            const filled = acceptableFill(v, PROBE_NAME);
            if (filled !== undefined && !seen.has(filled)) externalIds.push({ value: filled, known: false });
            if (filled !== undefined) seen.add(filled);
          }
          if (!isAcceptableExternalId(v)) continue;
          if (mayKnowId && !seen.has(v)) {
            seen.add(v);
            externalIds.push({ value: v, known: true });
          }
        }
      }
    }
  }
  if (facts.keys.has(KEY_MFA_PRESENT) || facts.keys.has(KEY_MFA_AGE)) {
    mfa.push({ present: 'false', mfa: false });
    if (mayHaveMfa) mfa.push({ present: 'true', age: '0', mfa: true });
  }
  const orgIdKey = facts.keys.has('aws:principalorgid');
  const orgPathsKey = facts.keys.has('aws:principalorgpaths');
  if (orgIdKey || orgPathsKey) {
    orgs.push({ orgId: PROBE_ORG, orgPaths: `${PROBE_ORG}/r-prob/ou-prob-probe/` });
    const seen = new Set<string>([PROBE_ORG]);
    for (const st of statements) {
      for (const c of st.conditions) {
        const key = c.key.toLowerCase();
        if (key !== 'aws:principalorgid' && key !== 'aws:principalorgpaths') continue;
        for (const v of c.values) {
          if (typeof v !== 'string') continue;
          const filled = hasWildcard(v) ? fillWildcards(v, 'probe') : v;
          const orgId = key === 'aws:principalorgid' ? filled : (filled.split('/')[0] ?? filled);
          if (!orgId || zone.trustedOrgIds.has(orgId) || seen.has(`${key}|${filled}`)) continue;
          seen.add(`${key}|${filled}`);
          orgs.push(
            key === 'aws:principalorgid'
              ? { orgId, orgPaths: `${orgId}/r-prob/ou-prob-probe/`, named: true }
              : { orgId, orgPaths: filled, named: true },
          );
        }
      }
    }
  }
  return { externalIds, mfa, orgs };
}

const ABSENT_ENTRY: ContextValue = { kind: 'absent' };

function entry(v: PolicyValue | undefined): ContextEntry {
  return v === undefined ? ABSENT_ENTRY : v;
}

/**
 * Drop the values that cannot matter for statement `st`, one dimension (external id, MFA, organization)
 * at a time: a value that fails one of `st`'s own conditions on that dimension can never let `st` apply,
 * and two values that every condition of `st` and of the Deny statements on that dimension judges alike
 * (and that count the same for the `require` mode) are interchangeable, so the first is kept. This keeps
 * the product of scenarios small for large policies. Conditions whose values hold policy variables may
 * depend on other keys, so such a dimension is not pruned.
 */
export function pruneVariants(v: Variants, st: Statement, denies: readonly Statement[]): Variants {
  return {
    externalIds: v.externalIds.some((x) => x.template !== undefined)
      ? v.externalIds
      : prune(
          v.externalIds,
          [KEY_EXTERNAL_ID],
          st,
          denies,
          (x) => ({ [KEY_EXTERNAL_ID]: entry(x.value) }),
          (x) => String(x.known),
        ),
    mfa: prune(
      v.mfa,
      [KEY_MFA_PRESENT, KEY_MFA_AGE],
      st,
      denies,
      (x) => ({ [KEY_MFA_PRESENT]: entry(x.present), [KEY_MFA_AGE]: entry(x.age) }),
      (x) => String(x.mfa),
    ),
    orgs: prune(
      v.orgs,
      ['aws:principalorgid', 'aws:principalorgpaths'],
      st,
      denies,
      (x) => ({ 'aws:principalorgid': entry(x.orgId), 'aws:principalorgpaths': entry(x.orgPaths) }),
      () => '',
    ),
  };
}

function prune<T>(
  variants: T[],
  keys: readonly string[],
  st: Statement,
  denies: readonly Statement[],
  contextOf: (v: T) => Record<string, ContextEntry>,
  flag: (v: T) => string,
): T[] {
  if (variants.length <= 1) return variants;
  const conds: { c: Condition; cc: CompiledCondition; effect: Effect; own: boolean }[] = [];
  for (const s of [st, ...denies]) {
    for (const c of s.conditions) {
      if (!keys.includes(c.key.toLowerCase())) continue;
      if (c.values.some((x) => typeof x === 'string' && x.includes('${'))) return variants;
      conds.push({ c, cc: compileCondition(c), effect: s.effect, own: s === st });
    }
  }
  const seen = new Set<string>();
  const out: T[] = [];
  for (const v of variants) {
    const ctx = makeContext(contextOf(v), 'free');
    let key = flag(v);
    let possible = true;
    for (const x of conds) {
      const met = compiledConditionMet(x.c, x.cc, ctx, x.effect);
      if (x.own && !met) {
        possible = false;
        break;
      }
      key += met ? '1' : '0';
    }
    if (!possible || seen.has(key)) continue;
    seen.add(key);
    out.push(v);
  }
  return out;
}

/**
 * Facts of the role and the scan that fix some keys (condition-keys.ts, knowledge `role` and `scan-time`).
 * Without them those keys are `free`.
 */
export interface ScenarioEnv {
  /** The scan time in milliseconds since the epoch: the value of aws:CurrentTime and aws:EpochTime. */
  now?: number;
  /** The role's own account (aws:ResourceAccount), when known. */
  resourceAccount?: string;
  /** The role's tags (aws:ResourceTag/...), when the input lists them. */
  resourceTags?: Readonly<Record<string, string>>;
}

/** The scenario facts of a role: its account (when known), its tags (from IAM itself), and the scan time. */
export function scenarioEnv(role: Role, owner: string | undefined, now: number | undefined): ScenarioEnv {
  const env: ScenarioEnv = {};
  if (now !== undefined) env.now = now;
  if (owner !== undefined && owner !== DEPLOYING_ACCOUNT) env.resourceAccount = owner;
  if (role.tags && COMPLETE_TAGS.has(role.source.kind)) env.resourceTags = role.tags;
  return env;
}

/**
 * Sources whose tags are the role's tags as IAM holds them. A template's are not: stack-level tags and
 * Terraform's provider `default_tags` are added at deploy time, and values only known then are left out.
 */
const COMPLETE_TAGS: ReadonlySet<string> = new Set(['account-authorization-details', 'get-role', 'aws']);

/** Whether the trust policy lets this request also set a source identity / session tags (see `openGates`). */
export interface Gates {
  sourceIdentity: boolean;
  tags: boolean;
}

/** One concrete request: who calls and what they send. */
export interface Scenario {
  caller: Caller;
  externalId: ExternalIdVariant;
  mfa: MfaVariant;
  org: OrgVariant;
  env?: ScenarioEnv;
  /** Unset: no gated key is sent. */
  gates?: Gates;
}

const ABSENT: ContextValue = { kind: 'absent' };
const FREE: ContextValue = { kind: 'free' };

function present(v: PolicyValue): ContextValue {
  return { kind: 'present', values: [v] };
}

function presentOrAbsent(v: PolicyValue | undefined): ContextValue {
  return v !== undefined ? present(v) : ABSENT;
}

/** The value a policy-variable template takes for this caller; undefined when it cannot be known. */
export function resolveTemplate(template: string, caller: Caller, env?: ScenarioEnv): string | undefined {
  let unknown = false;
  const out = template.replace(/\$\{([^}]*)\}/g, (_m, inner: string) => {
    const key = inner.split(',')[0]?.trim().toLowerCase();
    if (inner === '*' || inner === '?' || inner === '$') return inner;
    const v =
      key === 'aws:principalaccount'
        ? caller.account
        : key === 'aws:principalarn'
          ? caller.principalArn
          : key === 'aws:principaltype'
            ? caller.principalType
            : key === 'aws:resourceaccount'
              ? env?.resourceAccount
              : PROBE_EXTERNAL_ID;
    if (typeof v !== 'string') unknown = true;
    return typeof v === 'string' ? v : '';
  });
  return unknown ? undefined : out;
}

/**
 * The external id the scenario's request carries: the variant's value, or the value its template takes
 * for this caller; none when that is not one STS accepts (the caller could not send it).
 */
export function sentExternalId(s: Scenario): PolicyValue | undefined {
  const v =
    s.externalId.template !== undefined
      ? resolveTemplate(s.externalId.template, s.caller, s.env)
      : s.externalId.value;
  return typeof v === 'string' && !isAcceptableExternalId(v) ? undefined : v;
}

const ROLE_ACCOUNT: Symbolic = { symbolic: true, description: "the role's own account" };
const ROLE_ORG: Symbolic = { symbolic: true, description: "the role's own organization" };
const ROLE_ORG_PATH: Symbolic = { symbolic: true, description: "the role's own organization path" };

function tagValue(tags: Readonly<Record<string, string>>, name: string): ContextValue {
  const hit = Object.hasOwn(tags, name) ? tags[name] : undefined;
  if (hit !== undefined) return present(hit);
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(tags)) if (k.toLowerCase() === lower) return present(v);
  return ABSENT;
}

/**
 * The request context of a scenario. Every key is looked up in the condition-key table
 * (condition-keys.ts): who calls, the protecting keys and the organization come from the scenario; the
 * time from the scan time; the role's account and tags from the role; keys a direct call never carries
 * are absent; keys gated by another action are free only when the policy allows that action; the rest
 * are free.
 */
class ScenarioContext implements RequestContext {
  private readonly account: ContextValue;
  private readonly arn: ContextValue;
  private readonly type: ContextValue;
  private readonly externalId: ContextValue;
  private readonly mfaPresent: ContextValue;
  private readonly mfaAge: ContextValue;
  private readonly orgId: ContextValue;
  private readonly orgPaths: ContextValue;
  private readonly env: ScenarioEnv | undefined;
  private readonly gates: Gates | undefined;
  private readonly isUser: boolean;

  constructor(s: Scenario) {
    this.account = s.caller.account !== undefined ? present(s.caller.account) : FREE;
    this.arn = s.caller.principalArn !== undefined ? present(s.caller.principalArn) : FREE;
    this.type = present(s.caller.principalType);
    this.externalId = presentOrAbsent(sentExternalId(s));
    this.mfaPresent = presentOrAbsent(s.mfa.present);
    this.mfaAge = presentOrAbsent(s.mfa.age);
    this.orgId = presentOrAbsent(s.org.orgId);
    this.orgPaths = presentOrAbsent(s.org.orgPaths);
    this.env = s.env;
    this.gates = s.gates;
    this.isUser = s.caller.principalType === 'User';
  }

  get(key: string): ContextValue {
    const lower = key.toLowerCase();
    const info = keyInfoLower(lower);
    if (!info) return FREE;
    switch (info.scan) {
      case 'caller':
        if (lower === 'aws:principalaccount') return this.account;
        if (lower === 'aws:principalarn') return this.arn;
        if (lower === 'aws:principaltype') return this.type;
        // aws:username: only IAM users have one; its value is the caller's administrator's choice.
        return this.isUser ? FREE : ABSENT;
      case 'protection':
        if (lower === KEY_EXTERNAL_ID) return this.externalId;
        return lower === KEY_MFA_PRESENT ? this.mfaPresent : this.mfaAge;
      case 'organization':
        return lower === 'aws:principalorgid' ? this.orgId : this.orgPaths;
      case 'scan-time': {
        const now = this.env?.now;
        if (now === undefined) return FREE;
        return present(
          lower === 'aws:epochtime' ? String(Math.floor(now / 1000)) : new Date(now).toISOString(),
        );
      }
      case 'role': {
        if (lower === 'aws:resourceaccount') {
          const a = this.env?.resourceAccount;
          return a !== undefined ? present(a) : FREE;
        }
        const tags = this.env?.resourceTags;
        if (info.prefix && tags) return tagValue(tags, key.slice(info.key.length));
        return FREE; // the role's organization is not in the inputs
      }
      case 'constant':
        return info.value !== undefined ? present(info.value) : FREE;
      case 'absent':
        return ABSENT;
      case 'gated': {
        const open = info.gatedBy === 'sts:SetSourceIdentity' ? this.gates?.sourceIdentity : this.gates?.tags;
        return open ? FREE : ABSENT;
      }
      case 'free':
        return FREE;
    }
  }

  /**
   * A policy variable naming the role's own account or organization: when the scan does not know the
   * value, it is still a fixed value that is not any third party's, so it compares as a placeholder
   * (equal only to itself) rather than as something the caller chooses.
   */
  variable(key: string): ContextValue {
    const lower = key.toLowerCase();
    if (lower === 'aws:resourceaccount' && this.env?.resourceAccount === undefined)
      return present(ROLE_ACCOUNT);
    if (lower === 'aws:resourceorgid') return present(ROLE_ORG);
    if (lower === 'aws:resourceorgpaths') return present(ROLE_ORG_PATH);
    return this.get(key);
  }
}

/** The request context of a scenario; keys it does not fix are `free`. */
export function scenarioContext(s: Scenario): RequestContext {
  return new ScenarioContext(s);
}

/** Which gated keys (condition-keys.ts) a policy tests. */
export function gatedKeysUsed(keys: ReadonlySet<string>): Gates {
  const out: Gates = { sourceIdentity: false, tags: false };
  for (const k of keys) {
    const info = keyInfoLower(k);
    if (info?.scan !== 'gated') continue;
    if (info.gatedBy === 'sts:SetSourceIdentity') out.sourceIdentity = true;
    else out.tags = true;
  }
  return out;
}

/**
 * Which gated keys this scenario may send: AWS refuses an AssumeRole that sets a source identity
 * unless the trust policy also allows sts:SetSourceIdentity for the same request, and one that passes
 * session tags unless it allows sts:TagSession. `used` says which the policy tests at all.
 */
export function openGates(policy: CompiledPolicy, s: Scenario, used: Gates): Gates | undefined {
  if (!used.sourceIdentity && !used.tags) return undefined;
  const context = scenarioContext({ ...s, gates: { sourceIdentity: true, tags: true } });
  const allowed = (action: string) =>
    decideCompiled(policy, { principal: s.caller.principal, action, context }) === 'allow';
  return {
    sourceIdentity: used.sourceIdentity && allowed('sts:SetSourceIdentity'),
    tags: used.tags && allowed('sts:TagSession'),
  };
}

const DISPLAY_KEYS: readonly [string, string][] = [
  ['aws:principalaccount', 'aws:PrincipalAccount'],
  ['aws:principalarn', 'aws:PrincipalArn'],
  ['aws:principaltype', 'aws:PrincipalType'],
  ['aws:principalorgid', 'aws:PrincipalOrgID'],
  ['aws:principalorgpaths', 'aws:PrincipalOrgPaths'],
  [KEY_EXTERNAL_ID, 'sts:ExternalId'],
  [KEY_MFA_PRESENT, 'aws:MultiFactorAuthPresent'],
  [KEY_MFA_AGE, 'aws:MultiFactorAuthAge'],
  ['aws:sourceaccount', 'aws:SourceAccount'],
  ['aws:sourcearn', 'aws:SourceArn'],
  ['aws:sourceorgid', 'aws:SourceOrgID'],
  ['aws:sourceorgpaths', 'aws:SourceOrgPaths'],
];

/** Always named as absent: they are what the finding is about. */
const ALWAYS_SHOWN = new Set([KEY_EXTERNAL_ID, KEY_MFA_PRESENT, KEY_MFA_AGE]);

/** What the table says is worth showing in evidence: a key the scan fixed, or one gated by another action. */
const SHOWN_KNOWLEDGE = new Set(['scan-time', 'role', 'constant', 'absent', 'gated']);

/** A value the caller may send for a gated key that the statement's own conditions on it accept. */
function gatedValue(key: string, st: Statement | undefined): string | string[] {
  for (const c of st?.conditions ?? []) {
    if (c.key.toLowerCase() !== key) continue;
    const op = describeOperator(c.operator);
    if (!op || op.negated || op.family === 'null') continue;
    const v = c.values.find((x): x is string => typeof x === 'string' && !x.includes('${'));
    if (v === undefined) continue;
    const filled = op.wildcards ? fillWildcards(v) : v;
    return key === 'aws:tagkeys' ? [filled] : filled;
  }
  return key === 'aws:tagkeys' ? [PROBE_NAME] : PROBE_NAME;
}

/**
 * The scenario as evidence: keys sent (those the policy looks at, plus who calls) and keys deliberately
 * not sent. Other keys the policy tests are shown when the scan fixed them (the time, the role's
 * account, keys a direct call never carries) or when the request sets them through an action the
 * policy allows (a source identity, session tags), with a value `st`'s conditions accept: a request STS
 * would take as it stands.
 */
export function exampleRequest(
  s: Scenario,
  keys: ReadonlySet<string>,
  st?: Statement,
  written?: readonly Statement[],
): ExampleRequest {
  const ctx = scenarioContext(s);
  const context: Record<string, string | string[]> = {};
  const absentKeys: string[] = [];
  const done = new Set<string>();
  for (const [lower, display] of DISPLAY_KEYS) {
    done.add(lower);
    const v = ctx.get(lower);
    const relevant =
      keys.has(lower) ||
      ALWAYS_SHOWN.has(lower) ||
      lower === 'aws:principalaccount' ||
      lower === 'aws:principalarn';
    if (!relevant) continue;
    if (v.kind === 'present') {
      const vals = v.values.map(renderValue);
      context[display] = vals.length === 1 ? (vals[0] as string) : vals;
    } else if (v.kind === 'absent') {
      absentKeys.push(display);
    }
  }
  const shownAs = new Map<string, string>();
  for (const x of written ?? (st ? [st] : []))
    for (const c of x.conditions) shownAs.set(c.key.toLowerCase(), c.key);
  for (const lower of [...keys].sort()) {
    if (done.has(lower)) continue;
    const info = keyInfoLower(lower);
    if (!info || !SHOWN_KNOWLEDGE.has(info.scan)) continue;
    const display =
      shownAs.get(lower) ?? (info.prefix ? `${info.key}${lower.slice(info.key.length)}` : info.key);
    const v = ctx.get(lower);
    if (v.kind === 'present') {
      const vals = v.values.map(renderValue);
      context[display] = vals.length === 1 ? (vals[0] as string) : vals;
    } else if (v.kind === 'absent') absentKeys.push(display);
    else if (info.scan === 'gated') context[display] = gatedValue(lower, st);
  }
  return { action: 'sts:AssumeRole', principal: renderValue(s.caller.principal.id), context, absentKeys };
}
