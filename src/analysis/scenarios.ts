/**
 * The request scenarios the analysis tries for one caller: the values of the keys that protect a role
 * (external id, MFA) and of the keys the caller cannot choose (who they are, their organization).
 * Every other key is `free`. Only keys the policy uses get more than one value.
 */
import { conditionMet } from '../eval/conditions.js';
import type { ContextEntry } from '../eval/context.js';
import { makeContext } from '../eval/context.js';
import type { ContextValue, RequestContext } from '../eval/types.js';
import type { ExampleRequest } from '../findings/types.js';
import { type Condition, type Effect, isSymbolic, type PolicyValue, type Statement } from '../model/types.js';
import type { Caller, PolicyFacts } from './callers.js';
import { fillWildcards } from './callers.js';
import { renderValue } from './render.js';
import type { ZoneOfTrust } from './zone.js';

export const REQUIRE_MODES = ['external-id-or-mfa', 'external-id', 'mfa', 'external-id-and-mfa'] as const;
export type RequireMode = (typeof REQUIRE_MODES)[number];
export type Protection = 'external-id' | 'mfa';

export const KEY_EXTERNAL_ID = 'sts:externalid';
export const KEY_MFA_PRESENT = 'aws:multifactorauthpresent';
export const KEY_MFA_AGE = 'aws:multifactorauthage';

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

export const PROBE_EXTERNAL_ID = 'trustaudit-probe-external-id';
const PROBE_ORG = 'o-trustauditprobe';

/** Whether a condition key is `sts:ExternalId` (keys are case-insensitive; most differ in length). */
export function isExternalIdKey(key: string): boolean {
  return (
    key.length === KEY_EXTERNAL_ID.length &&
    (key === 'sts:ExternalId' || key.toLowerCase() === KEY_EXTERNAL_ID)
  );
}

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
      if (
        typeof v !== 'string' ||
        v === '' ||
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

/** Whether `mode` is met by an external id alone (so a statement that requires one lets no violation through). */
export function externalIdSuffices(mode: RequireMode): boolean {
  return mode === 'external-id-or-mfa' || mode === 'external-id';
}

/** Which protections a scenario lacks that the mode requires (empty: not a violation). */
export function missingIn(ext: ExternalIdVariant, mfa: MfaVariant, mode: RequireMode): Protection[] {
  switch (mode) {
    case 'external-id-or-mfa':
      return !ext.known && !mfa.mfa ? ['external-id', 'mfa'] : [];
    case 'external-id':
      return ext.known ? [] : ['external-id'];
    case 'mfa':
      return mfa.mfa ? [] : ['mfa'];
    case 'external-id-and-mfa': {
      const out: Protection[] = [];
      if (!ext.known) out.push('external-id');
      if (!mfa.mfa) out.push('mfa');
      return out;
    }
  }
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
          if (v === '') {
            if (!seen.has(v)) externalIds.push({ value: v, known: false });
            seen.add(v);
            continue;
          }
          if (v.includes('${')) {
            if (!seen.has(`template|${v}`)) externalIds.push({ known: false, template: v });
            seen.add(`template|${v}`);
            continue;
          }
          if (hasWildcard(v)) {
            const filled = fillWildcards(v);
            if (!seen.has(filled)) externalIds.push({ value: filled, known: false });
            seen.add(filled);
          }
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
  const conds: { c: Condition; effect: Effect; own: boolean }[] = [];
  for (const s of [st, ...denies]) {
    for (const c of s.conditions) {
      if (!keys.includes(c.key.toLowerCase())) continue;
      if (c.values.some((x) => typeof x === 'string' && x.includes('${'))) return variants;
      conds.push({ c, effect: s.effect, own: s === st });
    }
  }
  const seen = new Set<string>();
  const out: T[] = [];
  for (const v of variants) {
    const ctx = makeContext(contextOf(v), 'free');
    let key = flag(v);
    let possible = true;
    for (const x of conds) {
      const met = conditionMet(x.c, ctx, x.effect);
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

/** One concrete request: who calls and what they send. */
export interface Scenario {
  caller: Caller;
  externalId: ExternalIdVariant;
  mfa: MfaVariant;
  org: OrgVariant;
}

const ABSENT: ContextValue = { kind: 'absent' };
const FREE: ContextValue = { kind: 'free' };
const NOT_A_SERVICE: ContextValue = { kind: 'present', values: ['false'] };

function present(v: PolicyValue): ContextValue {
  return { kind: 'present', values: [v] };
}

function presentOrAbsent(v: PolicyValue | undefined): ContextValue {
  return v !== undefined ? present(v) : ABSENT;
}

/** The value a policy-variable template takes for this caller; undefined when it cannot be known. */
export function resolveTemplate(template: string, caller: Caller): string | undefined {
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
            : PROBE_EXTERNAL_ID;
    if (typeof v !== 'string') unknown = true;
    return typeof v === 'string' ? v : '';
  });
  return unknown ? undefined : out;
}

/**
 * The request context of a scenario: the keys the analysis fixes, everything else `free`. A small
 * switch instead of a map, because the scanner builds one per scenario (see makeContext for the general form).
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

  constructor(s: Scenario) {
    this.account = s.caller.account !== undefined ? present(s.caller.account) : FREE;
    this.arn = s.caller.principalArn !== undefined ? present(s.caller.principalArn) : FREE;
    this.type = present(s.caller.principalType);
    this.externalId = presentOrAbsent(
      s.externalId.template !== undefined
        ? resolveTemplate(s.externalId.template, s.caller)
        : s.externalId.value,
    );
    this.mfaPresent = presentOrAbsent(s.mfa.present);
    this.mfaAge = presentOrAbsent(s.mfa.age);
    this.orgId = presentOrAbsent(s.org.orgId);
    this.orgPaths = presentOrAbsent(s.org.orgPaths);
  }

  get(key: string): ContextValue {
    switch (key.toLowerCase()) {
      case 'aws:principalaccount':
        return this.account;
      case 'aws:principalarn':
        return this.arn;
      case 'aws:principaltype':
        return this.type;
      case 'aws:principalisawsservice':
        return NOT_A_SERVICE;
      case 'aws:sourceaccount':
      case 'aws:sourcearn':
      case 'aws:sourceorgid':
      case 'aws:sourceorgpaths':
        return ABSENT; // a direct call, not a service acting for someone
      case KEY_EXTERNAL_ID:
        return this.externalId;
      case KEY_MFA_PRESENT:
        return this.mfaPresent;
      case KEY_MFA_AGE:
        return this.mfaAge;
      case 'aws:principalorgid':
        return this.orgId;
      case 'aws:principalorgpaths':
        return this.orgPaths;
      default:
        return FREE;
    }
  }
}

/** The request context of a scenario; keys it does not fix are `free`. */
export function scenarioContext(s: Scenario): RequestContext {
  return new ScenarioContext(s);
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

/** The scenario as evidence: keys sent (those the policy looks at, plus who calls) and keys deliberately not sent. */
export function exampleRequest(s: Scenario, keys: ReadonlySet<string>): ExampleRequest {
  const ctx = scenarioContext(s);
  const context: Record<string, string | string[]> = {};
  const absentKeys: string[] = [];
  for (const [lower, display] of DISPLAY_KEYS) {
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
  return { action: 'sts:AssumeRole', principal: renderValue(s.caller.principal.id), context, absentKeys };
}
