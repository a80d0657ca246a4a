import type { z } from 'zod';
import type { ZoneOfTrust } from '../analysis/zone.js';
import type { FindingDraft, Severity } from '../findings/types.js';
import type { Role } from '../model/types.js';

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
}

export interface Rule<O = Record<string, unknown>> {
  meta: RuleMeta;
  /** Validates and defaults the rule's options (from config). */
  options: z.ZodType<O>;
  /** Judge one role. Pure: no I/O, no globals. */
  check(role: Role, ctx: RuleContext<O>): FindingDraft[];
}

/** Erased form stored in the registry. */
// biome-ignore lint/suspicious/noExplicitAny: the registry stores rules of different option types; each rule validates its own options with its zod schema before check() sees them.
export type AnyRule = Rule<any>;
