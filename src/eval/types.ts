import type { Condition, Effect, PolicyValue } from '../model/types.js';

/**
 * What a request carries for one condition key.
 * - `absent`: the key is not in the request context.
 * - `present`: the key has these values (single-valued keys have one).
 * - `free`: the caller controls the key or the tool cannot know it (source IP, tags, user agent...).
 *   The analysis assumes the worst case: in an Allow the condition can be met, in a Deny it can be avoided.
 */
export type ContextValue = { kind: 'absent' } | { kind: 'present'; values: PolicyValue[] } | { kind: 'free' };

export interface RequestContext {
  /** Look up a key; implementations compare keys case-insensitively. */
  get(key: string): ContextValue;
  /**
   * The value a policy variable `${key}` takes, when it differs from what a condition on the key sees
   * (a fixed fact of the role that the scan does not know: equal to itself, never to a caller's value).
   * Defaults to `get`.
   */
  variable?(key: string): ContextValue;
}

/** The caller of a request, as AWS identifies it. */
export interface RequestPrincipal {
  /**
   * `aws` (an IAM user, role session or account root), `service` (an AWS service principal),
   * `federated` (web identity / SAML provider), `anonymous`.
   */
  type: 'aws' | 'service' | 'federated' | 'anonymous';
  /** For `aws`: the caller's ARN (`arn:aws:iam::A:user/u`, `arn:aws:sts::A:assumed-role/R/s`, `arn:aws:iam::A:root`); service name; provider ARN/name. */
  id: PolicyValue;
  /** For `aws`: the caller's 12-digit account (or a symbolic account). */
  account?: PolicyValue;
}

export interface Request {
  principal: RequestPrincipal;
  /** e.g. `sts:AssumeRole` */
  action: string;
  context: RequestContext;
}

/** How one condition (operator + key + values) evaluated, with a human reason. */
export interface ConditionTrace {
  condition: Condition;
  result: boolean;
  /** e.g. "BoolIfExists passes when aws:MultiFactorAuthPresent is absent". */
  reason: string;
  /** True when the outcome rests on a `free` key (assumed in the caller's favour). */
  assumed?: boolean;
}

export interface StatementTrace {
  index: number;
  effect: Effect;
  principalMatches: boolean;
  actionMatches: boolean;
  conditionsMatch: boolean;
  conditions: ConditionTrace[];
  /** The statement applies to the request (principal, action and every condition match). */
  applies: boolean;
}

export type Decision = 'allow' | 'implicit-deny' | 'explicit-deny';

export interface PolicyEvaluation {
  decision: Decision;
  statements: StatementTrace[];
}
