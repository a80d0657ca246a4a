/**
 * Scenario search for callers that are not AWS accounts (services, identity providers) and for the
 * public-trust question: each probe is one concrete request (who calls, which action, which context keys
 * it carries); the WHOLE policy is evaluated for it, so Deny statements count. Keys a probe does not fix
 * are `free` (decided in the caller's favour).
 */
import { actionMatches } from '../eval/actions.js';
import { appliesCompiled, compilePolicy, decideCompiled, evaluateCompiled } from '../eval/evaluate.js';
import type {
  ContextValue,
  PolicyEvaluation,
  Request,
  RequestContext,
  RequestPrincipal,
} from '../eval/types.js';
import type { ExampleRequest } from '../findings/types.js';
import type { PolicyValue, Role, Statement } from '../model/types.js';
import { conditionText, explainDenies } from './explain.js';
import { renderValue, statementLabel } from './render.js';

const FREE: ContextValue = { kind: 'free' };
const ABSENT: ContextValue = { kind: 'absent' };

export interface Probe {
  principal: RequestPrincipal;
  action: string;
  /** Keys the probe fixes, as they should be displayed (`aws:SourceAccount`); undefined value = absent. */
  keys: ReadonlyMap<string, PolicyValue[] | undefined>;
  /** A few words on who this caller is, for the evidence. */
  label: string;
}

class ProbeContext implements RequestContext {
  /** Lower-cased keys, built on the first lookup (a statement without conditions never looks). */
  private map: Map<string, ContextValue> | undefined;
  constructor(private readonly probe: Probe) {}
  get(key: string): ContextValue {
    if (!this.map) {
      this.map = new Map();
      for (const [k, v] of this.probe.keys) map(this.map, k, v);
    }
    const lower = key.toLowerCase();
    const hit = this.map.get(lower);
    return hit ?? FREE;
  }
}

function map(m: Map<string, ContextValue>, k: string, v: PolicyValue[] | undefined): void {
  m.set(k.toLowerCase(), v === undefined ? ABSENT : { kind: 'present', values: v });
}

export function probeRequest(p: Probe): Request {
  return { principal: p.principal, action: p.action, context: new ProbeContext(p) };
}

export interface ProbeHit {
  probe: Probe;
  request: Request;
  /** The whole policy evaluated for the request, with reasons. */
  evaluation: PolicyEvaluation;
}

/** The first probe the policy allows in which statement `st` applies. */
export function firstAllowed(
  statements: readonly Statement[],
  st: Statement,
  probes: Iterable<Probe>,
): ProbeHit | undefined {
  const hasDeny = statements.some((x) => x.effect === 'Deny');
  const policy = compilePolicy(statements);
  for (const probe of probes) {
    const request = probeRequest(probe);
    if (!appliesCompiled(policy, st, request)) continue;
    if (hasDeny && decideCompiled(policy, request) !== 'allow') continue;
    // Traces are only worth their cost when there is something to explain (conditions, Deny statements).
    const explain = hasDeny || st.conditions.length > 0;
    return { probe, request, evaluation: explain ? evaluateCompiled(policy, request) : NO_TRACE };
  }
  return undefined;
}

const NO_TRACE: PolicyEvaluation = { decision: 'allow', statements: [] };

/**
 * The probe as evidence: keys it sends and keys it deliberately leaves out. Absent keys are listed when
 * they are in `shown` (display names) or tested by the policy (`policyKeys`, lower-cased); without
 * `policyKeys` every absent key is listed.
 */
export function exampleOf(
  p: Probe,
  shown: readonly string[] = [],
  policyKeys?: ReadonlySet<string>,
): ExampleRequest {
  const context: Record<string, string | string[]> = {};
  const absentKeys: string[] = [];
  for (const [k, v] of p.keys) {
    if (v === undefined) {
      if (!policyKeys || shown.includes(k) || policyKeys.has(k.toLowerCase())) absentKeys.push(k);
    } else {
      const vals = v.map(renderValue);
      context[k] = vals.length === 1 ? (vals[0] as string) : vals;
    }
  }
  return { action: p.action, principal: renderValue(p.principal.id), context, absentKeys };
}

/** The lower-cased condition keys of a whole policy. */
export function policyKeys(statements: readonly Statement[]): Set<string> {
  const out = new Set<string>();
  for (const st of statements) for (const c of st.conditions) out.add(c.key.toLowerCase());
  return out;
}

/**
 * Sentences on why the statement let the probe in: each of its conditions on `keys` (or every condition
 * when `keys` is undefined) with the evaluator's reason, then the Deny statements that do not stop it.
 */
export function explainHit(
  statements: readonly Statement[],
  st: Statement,
  hit: ProbeHit,
  keys?: ReadonlySet<string>,
): string[] {
  return explainTrace(statements, st, hit.evaluation, hit.probe.label, keys);
}

/** `explainHit` for any evaluation: `who` names the caller ("a caller from account 999999999999"). */
export function explainTrace(
  statements: readonly Statement[],
  st: Statement,
  evaluation: PolicyEvaluation,
  who: string,
  keys?: ReadonlySet<string>,
): string[] {
  const out: string[] = [];
  const label = statementLabel(st.index, st.sid);
  const trace = evaluation.statements.find((t) => t.index === st.index);
  for (const ct of trace?.conditions ?? []) {
    const key = ct.condition.key.toLowerCase();
    if (keys && !keys.has(key) && !ct.assumed) continue;
    out.push(
      ct.assumed
        ? `${label}: ${conditionText(ct.condition)} is no protection (${ct.reason}).`
        : `${label}: ${conditionText(ct.condition)} still admits ${who} (${ct.reason}).`,
    );
  }
  out.push(...explainDenies(statements, evaluation));
  return out;
}

/** The condition keys (lower-cased) that a statement tests. */
export function statementKeys(st: Statement): Set<string> {
  return new Set(st.conditions.map((c) => c.key.toLowerCase()));
}

/** Whether the statement's Action/NotAction admits `action` (case-insensitive, wildcards). */
export function admitsAction(st: Statement, action: string): boolean {
  if (st.actions) return actionMatches(st.actions, action);
  if (st.notActions) return !actionMatches(st.notActions, action);
  return false;
}

/**
 * Whether part of the statement's Condition element is only known at deploy time (an IaC condition block
 * or operator block computed from variables). Such a statement may well narrow its principals, so the
 * rules built on probes do not judge it.
 */
export function conditionsUnknown(role: Role, st: Statement): boolean {
  return role.trustPolicy.issues.some(
    (i) =>
      i.code === 'symbolic-structure' &&
      i.statementIndex === st.index &&
      /condition|keys of/i.test(i.message),
  );
}
