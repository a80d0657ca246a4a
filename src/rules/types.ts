import type { ZoneOfTrust } from '../analysis/zone.js';
import type { FindingDraft, Severity } from '../findings/types.js';
import type { Role } from '../model/types.js';
import type { RuleOptions } from './options.js';

export interface RuleMeta {
  /** `TA001` */
  id: string;
  /** kebab-case slug, e.g. `cross-account-trust-without-external-id-or-mfa` */
  name: string;
  title: string;
  /** What the rule checks, in a paragraph. */
  description: string;
  /** Why it matters. */
  risk: string;
  severity: Severity;
  /** How to fix it, in a paragraph (each finding adds its own concrete steps). */
  remediation: string;
  references: string[];
  /** Enabled unless the config turns it off. */
  enabledByDefault: boolean;
}

export interface RuleContext<O> {
  zone: ZoneOfTrust;
  options: O;
  /** Every role of the scan, for rules that compare roles (e.g. a shared external id). */
  allRoles: readonly Role[];
  /**
   * A content key for the role's trust policy and the role facts an analysis may depend on (account,
   * path, partition, ARN). Roles with the same key get the same analysis: real accounts repeat trust
   * policies a lot (every Lambda role trusts the same document).
   */
  policyKey(role: Role): number;
  /** This rule's memo for this run (cleared between runs; never shared between rules). */
  memo: Map<string | number, unknown>;
}

/**
 * The analysis of `role`'s trust policy, computed once per content key (`ctx.policyKey`) within a run
 * (an empty result is not kept: the engine does not ask a perPolicy rule about that policy again).
 * `compute` is a module-level function (no closure per call: this runs for every role and rule) and
 * may read only what the key covers: the trust policy and the role's account, path, partition and
 * whether it is service-linked; never its name or location.
 */
export function memoised<T, O>(
  ctx: RuleContext<O>,
  role: Role,
  compute: (role: Role, ctx: RuleContext<O>) => T,
): T {
  const key = ctx.policyKey(role);
  const hit = ctx.memo.get(key);
  if (hit !== undefined || ctx.memo.has(key)) return hit as T;
  const value = compute(role, ctx);
  if (!(Array.isArray(value) && value.length === 0)) ctx.memo.set(key, value);
  return value;
}

/** What `check` returns for a role it has nothing to say about (one shared, frozen list). */
export const NO_FINDINGS: readonly FindingDraft[] = Object.freeze([]);

export interface Rule<O = Record<string, unknown>> {
  meta: RuleMeta;
  /** The rule's options: their defaults, and their schema for options a config gives. */
  options: RuleOptions<O>;
  /** Judge one role. Pure: no I/O, no globals. */
  check(role: Role, ctx: RuleContext<O>): readonly FindingDraft[];
  /**
   * Whether a role gets findings or not depends only on what `ctx.policyKey` covers (the trust policy,
   * the role's account, path, partition and whether it is service-linked); its name and location only
   * shape the text. The engine then skips the roles whose policy already gave no finding.
   */
  perPolicy?: boolean;
  /**
   * Called once per run before any role, for rules that look at the whole scan (TA005 builds its index
   * here, into `ctx.memo`). Returning false says no role can get a finding from this rule in this run:
   * the engine then does not call `check` at all.
   */
  prepare?(ctx: RuleContext<O>): boolean;
}

/** Erased form stored in the registry. */
// biome-ignore lint/suspicious/noExplicitAny: the registry stores rules of different option types; each rule validates its own options with its zod schema before check() sees them.
export type AnyRule = Rule<any>;
