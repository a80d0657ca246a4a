import type { OperatorModule } from './types.js';

/**
 * Presence test: value `true` is met when the key is absent, `false` when it is present (letter case of
 * the value is ignored; other values never match). Evaluated specially by the condition evaluator; the
 * matcher below is never used for request values.
 */
export const Null: OperatorModule = {
  name: 'Null',
  family: 'null',
  negated: false,
  variables: false,
  wildcards: false,
  reflexive: true,
  verb: 'is',
  compile: () => undefined,
};

/** `true`/`false` from a Null condition value, or undefined when it is neither. */
export function nullGoal(value: string): boolean | undefined {
  const t = value.trim().toLowerCase();
  return t === 'true' ? true : t === 'false' ? false : undefined;
}
