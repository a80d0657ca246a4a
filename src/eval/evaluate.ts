/**
 * AWS's evaluation of a resource-based (trust) policy for one request.
 *
 * A statement applies when its principal element covers the caller, its Action (or NotAction) element
 * covers the action and all its conditions are met. An applicable Deny wins; else an applicable Allow
 * allows; else the request is implicitly denied. A statement without Principal/NotPrincipal applies to
 * nobody and one without Action/NotAction to nothing. `free` context keys are decided in the caller's
 * favour (an Allow's condition on them can be met, a Deny's can be avoided).
 *
 * `decide`/`statementApplies` are the allocation-free fast path; `evaluatePolicy`/`evaluateStatement`
 * produce traces with human reasons.
 */
import type { Statement } from '../model/types.js';
import { actionMatches } from './actions.js';
import { conditionsMet, evaluateConditions } from './conditions.js';
import { principalMatches } from './principals.js';
import type { Decision, PolicyEvaluation, Request, StatementTrace } from './types.js';

function actionCovered(st: Statement, action: string): boolean {
  if (st.actions) return actionMatches(st.actions, action);
  if (st.notActions) return !actionMatches(st.notActions, action);
  return false;
}

/** Fast path: whether the statement applies to the request. */
export function statementApplies(st: Statement, req: Request): boolean {
  return (
    principalMatches(st, req.principal) &&
    actionCovered(st, req.action) &&
    conditionsMet(st.conditions, req.context, st.effect)
  );
}

/** Fast path: the decision only, no traces. */
export function decide(statements: readonly Statement[], req: Request): Decision {
  let allowed = false;
  for (const st of statements) {
    if (st.effect === 'Deny') {
      if (statementApplies(st, req)) return 'explicit-deny';
    } else if (!allowed && statementApplies(st, req)) {
      allowed = true;
    }
  }
  return allowed ? 'allow' : 'implicit-deny';
}

export function evaluateStatement(st: Statement, req: Request): StatementTrace {
  const principal = principalMatches(st, req.principal);
  const action = actionCovered(st, req.action);
  const { met, traces } = evaluateConditions(st.conditions, req.context, st.effect);
  return {
    index: st.index,
    effect: st.effect,
    principalMatches: principal,
    actionMatches: action,
    conditionsMatch: met,
    conditions: traces,
    applies: principal && action && met,
  };
}

export function evaluatePolicy(statements: readonly Statement[], req: Request): PolicyEvaluation {
  const traces = statements.map((st) => evaluateStatement(st, req));
  let decision: Decision = 'implicit-deny';
  if (traces.some((t) => t.applies && t.effect === 'Deny')) decision = 'explicit-deny';
  else if (traces.some((t) => t.applies && t.effect === 'Allow')) decision = 'allow';
  return { decision, statements: traces };
}
