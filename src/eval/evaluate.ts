/**
 * AWS's evaluation of a resource-based (trust) policy for one request.
 *
 * A statement applies when its principal element covers the caller, its Action (or NotAction) element
 * covers the action and all its conditions are met. An applicable Deny wins; else an applicable Allow
 * allows; else the request is implicitly denied. A statement without Principal/NotPrincipal applies to
 * nobody and one without Action/NotAction to nothing. `free` context keys are decided in the caller's
 * favour (an Allow's condition on them can be met, a Deny's can be avoided).
 *
 * There are no module-level caches: a policy judged for many requests is compiled once with
 * `compilePolicy` and the caller holds the value (principals classified, operators parsed, condition
 * values compiled on first use, the last caller's classification). `decide`, `statementApplies` and
 * `evaluatePolicy` compile afresh on every call, for one-off questions. One loop (`run`) decides, with
 * an optional trace that gives every statement and condition a human reason.
 */
import type { ClassifiedPrincipal } from '../model/arn.js';
import type { Condition, Principal, Statement } from '../model/types.js';
import { actionMatches } from './actions.js';
import {
  type CompiledCondition,
  compileCondition,
  compiledConditionsMet,
  traceCompiled,
} from './conditions.js';
import { type CallerInfo, type CallerMemo, callerInfo, classifiedList, listNames } from './principals.js';
import type { Decision, PolicyEvaluation, Request, StatementTrace } from './types.js';

export interface CompiledStatement {
  st: Statement;
  /** Principal (false) or NotPrincipal (true) list; undefined when the statement has neither. */
  list?: readonly Principal[];
  not: boolean;
  classes: ClassifiedPrincipal[];
  conds: CompiledCondition[];
}

/**
 * A policy prepared for many decisions. It is a value: whoever judges many requests against one policy
 * holds it (the analysis, per role). It keeps the last caller it classified, since the requests of one
 * caller come in a row.
 */
export interface CompiledPolicy {
  readonly statements: readonly CompiledStatement[];
  /** The source statements, for `appliesCompiled` lookups by identity. */
  readonly source: readonly Statement[];
  readonly callers: CallerMemo;
}

function compileStatement(st: Statement): CompiledStatement {
  const list = st.principals ?? st.notPrincipals;
  const cs: CompiledStatement = {
    st,
    not: !st.principals && !!st.notPrincipals,
    classes: list ? classifiedList(list) : [],
    conds: st.conditions.map((c: Condition) => compileCondition(c)),
  };
  if (list) cs.list = list;
  return cs;
}

export function compilePolicy(statements: readonly Statement[]): CompiledPolicy {
  return { statements: statements.map(compileStatement), source: statements, callers: {} };
}

function actionCovered(st: Statement, action: string): boolean {
  if (st.actions) return actionMatches(st.actions, action);
  if (st.notActions) return !actionMatches(st.notActions, action);
  return false;
}

function compiledApplies(cs: CompiledStatement, ci: CallerInfo, req: Request): boolean {
  if (!cs.list || listNames(cs.list, cs.classes, ci) === cs.not) return false;
  return (
    actionCovered(cs.st, req.action) &&
    compiledConditionsMet(cs.st.conditions, cs.conds, req.context, cs.st.effect)
  );
}

function traceStatement(cs: CompiledStatement, ci: CallerInfo, req: Request): StatementTrace {
  const st = cs.st;
  const principal = cs.list !== undefined && listNames(cs.list, cs.classes, ci) !== cs.not;
  const action = actionCovered(st, req.action);
  const conditions = st.conditions.map((c, i) => traceCompiled(c, cs.conds[i]!, req.context, st.effect));
  const met = conditions.every((t) => t.result);
  return {
    index: st.index,
    effect: st.effect,
    principalMatches: principal,
    actionMatches: action,
    conditionsMatch: met,
    conditions,
    applies: principal && action && met,
  };
}

/**
 * The one evaluation loop. Without `traces` it stops at the first applicable Deny and skips Allow
 * statements once one applies; with `traces` it judges every statement and records why.
 */
function run(cp: CompiledPolicy, req: Request, traces?: StatementTrace[]): Decision {
  const ci = callerInfo(req.principal, cp.callers);
  let allowed = false;
  let denied = false;
  for (const cs of cp.statements) {
    if (traces) {
      const t = traceStatement(cs, ci, req);
      traces.push(t);
      if (t.applies) {
        if (cs.st.effect === 'Deny') denied = true;
        else allowed = true;
      }
    } else if (cs.st.effect === 'Deny') {
      if (compiledApplies(cs, ci, req)) return 'explicit-deny';
    } else if (!allowed && compiledApplies(cs, ci, req)) {
      allowed = true;
    }
  }
  if (denied) return 'explicit-deny';
  return allowed ? 'allow' : 'implicit-deny';
}

/** The decision on a compiled policy, no traces. */
export function decideCompiled(policy: CompiledPolicy, req: Request): Decision {
  return run(policy, req);
}

/** Every statement traced, with the decision, on a compiled policy. */
export function evaluateCompiled(policy: CompiledPolicy, req: Request): PolicyEvaluation {
  const statements: StatementTrace[] = [];
  const decision = run(policy, req, statements);
  return { decision, statements };
}

/** Whether statement `st` of a compiled policy applies to the request (any other statement: compiled afresh). */
export function appliesCompiled(policy: CompiledPolicy, st: Statement, req: Request): boolean {
  // A statement's index is its position in the policy, so the lookup is direct; anything else is
  // found by identity, or compiled afresh when it is not part of the policy.
  let cs = policy.statements[st.index];
  if (cs?.st !== st) {
    const i = policy.source.indexOf(st);
    cs = i >= 0 ? policy.statements[i]! : compileStatement(st);
  }
  return compiledApplies(cs, callerInfo(req.principal, policy.callers), req);
}

/** Whether the statement applies to the request (compiled afresh). */
export function statementApplies(st: Statement, req: Request): boolean {
  return compiledApplies(compileStatement(st), callerInfo(req.principal), req);
}

/** The decision only (compiled afresh; hold a `compilePolicy` value to judge many requests). */
export function decide(statements: readonly Statement[], req: Request): Decision {
  return run(compilePolicy(statements), req);
}

export function evaluateStatement(st: Statement, req: Request): StatementTrace {
  return traceStatement(compileStatement(st), callerInfo(req.principal), req);
}

/** Every statement traced, with the decision (compiled afresh). */
export function evaluatePolicy(statements: readonly Statement[], req: Request): PolicyEvaluation {
  return evaluateCompiled(compilePolicy(statements), req);
}
