/**
 * Shared table harness for the evaluator tests, in the spirit of ESLint's RuleTester: each table lists
 * named `valid` cases (the condition / statement / policy is expected to hold) and `invalid` ones.
 * Every case also checks that the fast boolean path agrees with the traced path.
 */
import { describe, expect, it } from 'vitest';
import { conditionMet, evaluateCondition } from '../../src/eval/conditions.js';
import { type ContextEntry, makeContext } from '../../src/eval/context.js';
import {
  compilePolicy,
  decide,
  decideCompiled,
  evaluateCompiled,
  evaluatePolicy,
} from '../../src/eval/evaluate.js';
import type { Decision, Request, RequestPrincipal } from '../../src/eval/types.js';
import type {
  Condition,
  Effect,
  PolicyValue,
  Principal,
  Statement,
  Symbolic,
} from '../../src/model/types.js';

export const ABSENT = Symbol('absent');
export const FREE = Symbol('free');

export function sym(description: string): Symbolic {
  return { symbolic: true, description };
}

export function cond(operator: string, key: string, values: PolicyValue | PolicyValue[]): Condition {
  return { operator, key, values: Array.isArray(values) ? values : [values] };
}

export interface ConditionCase {
  name: string;
  /** Policy values of the condition. */
  values: PolicyValue | PolicyValue[];
  /** The request value(s) of the condition key, or ABSENT / FREE. */
  request: PolicyValue | PolicyValue[] | typeof ABSENT | typeof FREE;
  /** Overrides the table's operator / key. */
  op?: string;
  key?: string;
  effect?: Effect;
  /** Other request keys (for policy variables). */
  context?: Record<string, ContextEntry>;
  /** The reason must match. */
  reason?: RegExp;
  assumed?: boolean;
}

export interface Table<T> {
  valid: T[];
  invalid: T[];
}

function contextFor(c: ConditionCase, key: string) {
  const entries: Record<string, ContextEntry> = { ...(c.context ?? {}) };
  if (c.request === FREE) entries[key] = { kind: 'free' };
  else if (c.request !== ABSENT) entries[key] = c.request as PolicyValue | PolicyValue[];
  return makeContext(entries);
}

/** A table of conditions for one operator: `valid` cases are met, `invalid` ones are not. */
export function conditionTable(operator: string, key: string, table: Table<ConditionCase>): void {
  describe(`${operator} on ${key}`, () => {
    for (const [expected, cases] of [
      [true, table.valid],
      [false, table.invalid],
    ] as const) {
      for (const c of cases) {
        it(`${expected ? 'met' : 'not met'}: ${c.name}`, () => {
          const k = c.key ?? key;
          const cd = cond(c.op ?? operator, k, c.values);
          const ctx = contextFor(c, k);
          const effect = c.effect ?? 'Allow';
          const t = evaluateCondition(cd, ctx, effect);
          expect(t.result, t.reason).toBe(expected);
          expect(conditionMet(cd, ctx, effect)).toBe(expected);
          expect(t.reason.length).toBeGreaterThan(0);
          if (c.reason) expect(t.reason).toMatch(c.reason);
          if (c.assumed !== undefined) expect(t.assumed ?? false).toBe(c.assumed);
        });
      }
    }
  });
}

// ------------------------------------------------------------------------------- statements/policies

export const ACCOUNT_A = '111122223333';
export const ACCOUNT_B = '444455556666';

export function aws(id: PolicyValue, account?: PolicyValue): RequestPrincipal {
  return account === undefined ? { type: 'aws', id } : { type: 'aws', id, account };
}

export function principal(type: Principal['type'], value: PolicyValue): Principal {
  return { type, value };
}

export interface StatementSpec {
  effect?: Effect;
  principals?: Principal[];
  notPrincipals?: Principal[];
  actions?: PolicyValue[];
  notActions?: PolicyValue[];
  conditions?: Condition[];
}

export function statements(...specs: StatementSpec[]): Statement[] {
  return specs.map((s, index) => {
    const st: Statement = { index, effect: s.effect ?? 'Allow', conditions: s.conditions ?? [] };
    if (s.principals) st.principals = s.principals;
    if (s.notPrincipals) st.notPrincipals = s.notPrincipals;
    if (s.actions) st.actions = s.actions;
    if (s.notActions) st.notActions = s.notActions;
    return st;
  });
}

export function request(
  principal: RequestPrincipal,
  context: Record<string, ContextEntry> = {},
  action = 'sts:AssumeRole',
): Request {
  return { principal, action, context: makeContext(context) };
}

export interface PolicyCase {
  name: string;
  policy: Statement[];
  request: Request;
  decision: Decision;
  /** Statement indexes expected to apply. */
  applies?: number[];
}

/** A table of whole policies with the decision each must reach (fast and traced paths). */
export function policyTable(title: string, cases: PolicyCase[]): void {
  describe(title, () => {
    for (const c of cases) {
      it(`${c.decision}: ${c.name}`, () => {
        const ev = evaluatePolicy(c.policy, c.request);
        expect(ev.decision, JSON.stringify(ev.statements, null, 1)).toBe(c.decision);
        expect(decide(c.policy, c.request)).toBe(c.decision);
        const compiled = compilePolicy(c.policy);
        expect(decideCompiled(compiled, c.request)).toBe(c.decision);
        expect(evaluateCompiled(compiled, c.request)).toEqual(ev);
        expect(ev.statements).toHaveLength(c.policy.length);
        if (c.applies) {
          expect(ev.statements.filter((s) => s.applies).map((s) => s.index)).toEqual(c.applies);
        }
      });
    }
  });
}
