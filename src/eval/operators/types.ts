/**
 * The shape every base condition operator module implements.
 *
 * A policy value is handed to `compile` as segments: `wild` segments come from the policy text and may
 * carry `*`/`?` wildcards (for operators that support them); literal segments come from policy
 * variables and the `${*}`, `${?}`, `${$}` escapes and never act as wildcards.
 */
export interface Seg {
  text: string;
  wild: boolean;
}

/**
 * Compares one request value with one (compiled) policy value.
 * `true`/`false`: the base comparison holds or not; `undefined`: the request value is not comparable
 * (not a number, not a date, not an IP...), which never satisfies the operator, negated or not.
 */
export type Matcher = (requestValue: string) => boolean | undefined;

export type OperatorFamily = 'string' | 'numeric' | 'date' | 'bool' | 'binary' | 'ip' | 'arn' | 'null';

export interface OperatorModule {
  /** Canonical base name, e.g. `StringNotLike`. */
  name: string;
  family: OperatorFamily;
  /**
   * Negated operators (`StringNotEquals`, `NotIpAddress`, `ArnNotLike`...) use the matcher of their
   * positive form: a request value satisfies them when it is comparable and matches none of the values.
   */
  negated: boolean;
  /** Policy variables (`${aws:username}`) are substituted in this operator's values. */
  variables: boolean;
  /** `*` and `?` in policy values are wildcards. */
  wildcards: boolean;
  /** Whether the base comparison holds between a value and itself (used for identical symbolic values). */
  reflexive: boolean;
  /** Short phrase for reasons: "equals", "matches", "is less than"... (of the positive form). */
  verb: string;
  /** Prepare one policy value; undefined when it is malformed for this operator (it then matches nothing). */
  compile(value: readonly Seg[]): Matcher | undefined;
}
