import type { z } from 'zod';

/** The zod namespace, handed to a rule's schema when options must be checked (see `RuleOptions`). */
export type Zod = typeof z;

/**
 * A rule's options. Most scans give a rule none, so the rule's module does not load zod: `defaults` is
 * what a rule gets then, and `schema` builds the validator only when a config or a flag gives options
 * (the engine is passed zod for that). `schema(z).parse({})` equals `defaults` (test/rules/meta.test.ts).
 */
export interface RuleOptions<O> {
  defaults: Readonly<O>;
  schema(zod: Zod): z.ZodType<O>;
}

/** Thrown when a rule's options do not validate; names the rule and the problem. */
export class RuleOptionsError extends Error {}

/** Options that say nothing: absent, or an empty object. They need no validation. */
export function givesNoOptions(raw: unknown): boolean {
  return (
    raw === undefined ||
    (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && Object.keys(raw).length === 0)
  );
}

/**
 * The options a rule runs with: its defaults when `raw` says nothing, else `raw` checked by its schema.
 * `zod` is needed only in the second case; without it the call fails rather than skip the check.
 */
export function ruleOptions<O>(id: string, options: RuleOptions<O>, raw: unknown, zod: Zod | undefined): O {
  if (givesNoOptions(raw)) return options.defaults as O;
  if (!zod) throw new Error(`rule ${id} was given options but the engine was not given zod to check them`);
  const parsed = options.schema(zod).safeParse(raw);
  if (!parsed.success) {
    throw new RuleOptionsError(
      `invalid options for rule ${id}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

/** The options of a rule that takes none: any option given is a mistake worth hearing about. */
export type NoOptions = Record<string, never>;
export const NO_OPTIONS: RuleOptions<NoOptions> = {
  defaults: Object.freeze({}),
  schema: (zod) => zod.object({}).strict() as unknown as z.ZodType<NoOptions>,
};
