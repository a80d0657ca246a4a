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
import { type ClassifiedPrincipal, classifyPrincipal } from '../model/arn.js';
import type { Condition, Principal, Statement } from '../model/types.js';
import { actionMatches } from './actions.js';
import {
  type CompiledCondition,
  compileCondition,
  compiledConditionsMet,
  traceCompiled,
} from './conditions.js';
import { type CallerInfo, callerInfo, listNames } from './principals.js';
import type { Decision, PolicyEvaluation, Request, StatementTrace } from './types.js';

export interface CompiledStatement {
  st: Statement;
  /** Principal (false) or NotPrincipal (true) list; undefined when the statement has neither. */
  list?: readonly Principal[];
  not: boolean;
  classes: ClassifiedPrincipal[];
  /** The conditions list compiled (to notice in-place edits). */
  condsOf: readonly Condition[];
  conds: CompiledCondition[];
}

/**
 * A policy prepared for many decisions (principals classified, operators parsed, values compiled on
 * first use). Callers judging several requests against one policy can hold it and use `decideCompiled`;
 * `decide` does the same through a per-policy memo.
 */
export interface CompiledPolicy {
  readonly statements: readonly CompiledStatement[];
}

export function compilePolicy(statements: readonly Statement[]): CompiledPolicy {
  return { statements: compileStatements(statements) };
}

/**
 * The most recently compiled policy (a one-entry memo of a pure function of an immutable input). The
 * scanner judges several scenarios of one role in a row, so this catches nearly every repeat, without
 * the garbage-collection cost a WeakMap entry per role has (measured: about 3x slower on fresh roles).
 * Callers that alternate between policies should hold a `compilePolicy` result instead.
 */
const last: { statements?: readonly Statement[]; compiled?: CompiledStatement[] } = {};

/** Cheap identity check so that a statement edited in place after an evaluation is recompiled. */
function statementValid(cs: CompiledStatement, st: Statement): boolean {
  if (cs.st !== st || cs.condsOf !== st.conditions || cs.conds.length !== st.conditions.length) return false;
  const list = st.principals ?? st.notPrincipals;
  return cs.list === list && (list === undefined || cs.classes.length === list.length);
}

function stillValid(cp: readonly CompiledStatement[], statements: readonly Statement[]): boolean {
  if (cp.length !== statements.length) return false;
  for (let i = 0; i < cp.length; i++) if (!statementValid(cp[i]!, statements[i]!)) return false;
  return true;
}

function cachedStatements(statements: readonly Statement[]): CompiledStatement[] {
  if (last.statements !== statements || !last.compiled || !stillValid(last.compiled, statements)) {
    last.compiled = compileStatements(statements);
    last.statements = statements;
  }
  return last.compiled;
}

function compileStatements(statements: readonly Statement[]): CompiledStatement[] {
  return statements.map((st) => {
    const list = st.principals ?? st.notPrincipals;
    const cs: CompiledStatement = {
      st,
      not: !st.principals && !!st.notPrincipals,
      classes: list ? list.map((p) => classifyPrincipal(p.type, p.value)) : [],
      condsOf: st.conditions,
      conds: st.conditions.map(compileCondition),
    };
    if (list) cs.list = list;
    return cs;
  });
}

function compiledApplies(cs: CompiledStatement, ci: CallerInfo, req: Request): boolean {
  if (!cs.list || listNames(cs.list, cs.classes, ci) === cs.not) return false;
  return (
    actionCovered(cs.st, req.action) &&
    compiledConditionsMet(cs.st.conditions, cs.conds, req.context, cs.st.effect)
  );
}

function actionCovered(st: Statement, action: string): boolean {
  if (st.actions) return actionMatches(st.actions, action);
  if (st.notActions) return !actionMatches(st.notActions, action);
  return false;
}

/**
 * Statements judged on their own (statementApplies): the last few compiled, looked up by identity. A
 * scan judges one role's statements many times in a row, so a small ring catches the repeats without a
 * WeakMap entry (and its garbage-collection cost) per statement.
 */
const RING = 16;
const ring: (CompiledStatement | undefined)[] = new Array(RING);
const ringPos = { next: 0 };

function compiledStatement(st: Statement): CompiledStatement {
  for (let i = 0; i < RING; i++) {
    const cs = ring[i];
    if (cs !== undefined && cs.st === st && statementValid(cs, st)) return cs;
  }
  const cp = last.compiled;
  let cs = cp?.find((c) => c.st === st && statementValid(c, st));
  if (!cs) cs = compileStatements([st])[0]!;
  ring[ringPos.next] = cs;
  ringPos.next = (ringPos.next + 1) % RING;
  return cs;
}

/** Fast path: whether the statement applies to the request. */
export function statementApplies(st: Statement, req: Request): boolean {
  return compiledApplies(compiledStatement(st), callerInfo(req.principal), req);
}

/** Fast path: the decision only, no traces. */
export function decide(statements: readonly Statement[], req: Request): Decision {
  return decideStatements(cachedStatements(statements), req);
}

/** Fast path on a policy compiled with `compilePolicy`. */
export function decideCompiled(policy: CompiledPolicy, req: Request): Decision {
  return decideStatements(policy.statements, req);
}

function decideStatements(cp: readonly CompiledStatement[], req: Request): Decision {
  const ci = callerInfo(req.principal);
  let allowed = false;
  for (const cs of cp) {
    if (cs.st.effect === 'Deny') {
      if (compiledApplies(cs, ci, req)) return 'explicit-deny';
    } else if (!allowed && compiledApplies(cs, ci, req)) {
      allowed = true;
    }
  }
  return allowed ? 'allow' : 'implicit-deny';
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

export function evaluateStatement(st: Statement, req: Request): StatementTrace {
  const [cs] = compileStatements([st]);
  return traceStatement(cs!, callerInfo(req.principal), req);
}

function traceAll(cp: readonly CompiledStatement[], req: Request): PolicyEvaluation {
  const ci = callerInfo(req.principal);
  const traces = cp.map((cs) => traceStatement(cs, ci, req));
  let decision: Decision = 'implicit-deny';
  if (traces.some((t) => t.applies && t.effect === 'Deny')) decision = 'explicit-deny';
  else if (traces.some((t) => t.applies && t.effect === 'Allow')) decision = 'allow';
  return { decision, statements: traces };
}

/** Every statement traced, with the decision. */
export function evaluatePolicy(statements: readonly Statement[], req: Request): PolicyEvaluation {
  return traceAll(cachedStatements(statements), req);
}

/** Traced evaluation on a policy compiled with `compilePolicy`. */
export function evaluateCompiled(policy: CompiledPolicy, req: Request): PolicyEvaluation {
  return traceAll(policy.statements, req);
}
