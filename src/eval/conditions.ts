/**
 * Evaluation of Condition blocks: one condition (operator + key + values) against a request context.
 *
 * Semantics (AWS "IAM JSON policy elements: Condition operators"):
 * - several values of one condition are ORed; a negated operator (`StringNotEquals`, `NotIpAddress`,
 *   `ArnNotLike`...) is met when the key matches none of them;
 * - key absent: positive operators are not met, negated operators and `...IfExists` are met;
 *   `ForAnyValue:` is not met (unless it ends in IfExists), `ForAllValues:` is met; `Null` tests
 *   presence (`true` = absent);
 * - a key with several values needs `ForAnyValue:`/`ForAllValues:`; a plain operator is not met;
 * - values that do not parse (numbers, dates, IPs, booleans, ARNs) and unresolvable policy variables
 *   never match, for negated operators too;
 * - policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'default'}`, and the `${*}`, `${?}`,
 *   `${$}` escapes) are substituted in String*, Arn* and Bool values;
 * - a symbolic policy value matches only the identical symbolic request value; a symbolic request value
 *   matches no concrete policy value except a StringLike pattern made only of `*`;
 * - a `free` key (or a policy variable naming one) is decided in the caller's favour: an Allow's
 *   condition is met, a Deny's is not, and the trace is marked `assumed`.
 *
 * No module-level caches: a `CompiledCondition` is a value its holder keeps (a compiled policy holds one
 * per condition; its values are compiled on first use). The one-off functions compile afresh.
 */
import { type Condition, type Effect, isSymbolic, type PolicyValue } from '../model/types.js';
import {
  type Matcher,
  type OperatorModule,
  operatorModule,
  type ParsedOperator,
  parseOperator,
  type Seg,
} from './operators/index.js';
import { nullGoal } from './operators/Null.js';
import { compileGlob } from './operators/shared.js';
import type { ConditionTrace, RequestContext } from './types.js';

// ------------------------------------------------------------------------------------ compiled form

type Part = { kind: 'seg'; seg: Seg } | { kind: 'var'; key: string; dflt?: string };

interface CompiledValue {
  raw: PolicyValue;
  /** Concrete value without variables: its matcher (undefined = malformed). */
  matcher?: Matcher;
  malformed?: boolean;
  /** Symbolic policy value: its description. */
  symbolic?: string;
  /** Value with policy variables, resolved per request. */
  parts?: Part[];
  /** A StringLike pattern made only of `*`. */
  matchesAll?: boolean;
  /** For values without variables: the resolution, computed once. */
  resolved?: Resolved;
}

export interface CompiledCondition {
  /** The key lower-cased once (contexts look keys up case-insensitively). */
  keyLower: string;
  parsed?: ParsedOperator;
  mod?: OperatorModule;
  /** Compiled on first use: a condition whose key is absent or free never needs its values compiled. */
  values?: CompiledValue[];
  /** The list `values` was compiled from (to notice in-place edits). */
  valuesOf?: readonly PolicyValue[];
  /** When no value has a policy variable: the resolved values, shared by every request. */
  staticResolved?: Resolved[];
}

/** Split a policy value into literal/wildcard segments and `${...}` variables. */
function parseTemplate(text: string): Part[] {
  const parts: Part[] = [];
  let buf = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '$' && text[i + 1] === '{') {
      const end = text.indexOf('}', i + 2);
      if (end < 0) break;
      const inner = text.slice(i + 2, end);
      if (inner === '*' || inner === '?' || inner === '$') {
        if (buf) parts.push({ kind: 'seg', seg: { text: buf, wild: true } });
        buf = '';
        parts.push({ kind: 'seg', seg: { text: inner, wild: false } });
      } else {
        if (buf) parts.push({ kind: 'seg', seg: { text: buf, wild: true } });
        buf = '';
        const m = /^\s*([^,\s]+)\s*(?:,\s*'([^']*)'\s*)?$/.exec(inner);
        if (m) {
          const v: Part = { kind: 'var', key: m[1]! };
          if (m[2] !== undefined) v.dflt = m[2];
          parts.push(v);
        } else {
          parts.push({ kind: 'seg', seg: { text: `\${${inner}}`, wild: true } });
        }
      }
      i = end + 1;
      continue;
    }
    buf += text[i];
    i++;
  }
  buf += text.slice(i);
  if (buf) parts.push({ kind: 'seg', seg: { text: buf, wild: true } });
  return parts;
}

function compileValue(mod: OperatorModule, raw: PolicyValue, variables: boolean): CompiledValue {
  if (isSymbolic(raw))
    return { raw, symbolic: raw.description, resolved: { t: 'symbolic', d: raw.description } };
  if (variables && mod.variables && raw.includes('${')) {
    const parts = parseTemplate(raw);
    if (parts.some((p) => p.kind === 'var')) return { raw, parts };
    const segs = parts.map((p) => (p as { seg: Seg }).seg);
    return finishValue(mod, raw, segs);
  }
  return finishValue(mod, raw, [{ text: raw, wild: true }]);
}

function finishValue(mod: OperatorModule, raw: PolicyValue, segs: Seg[]): CompiledValue {
  const matcher = mod.compile(segs);
  const cv: CompiledValue = matcher ? { raw, matcher } : { raw, malformed: true };
  if (mod.name === 'StringLike' || mod.name === 'StringNotLike') {
    if (compileGlob(segs, true).matchesAll) cv.matchesAll = true;
  }
  cv.resolved = matcher ? { t: 'matcher', m: matcher, matchesAll: cv.matchesAll } : { t: 'malformed' };
  return cv;
}

/** Compile one condition (its values are compiled on first use, into the returned value). */
export function compileCondition(cond: Condition): CompiledCondition {
  const parsed = parseOperator(cond.operator);
  const mod = parsed ? operatorModule(parsed.base) : undefined;
  const keyLower = cond.key.toLowerCase();
  return parsed && mod ? { keyLower, parsed, mod } : { keyLower };
}

/** Compiled form of a statement's conditions. */
export function compileList(conds: readonly Condition[]): CompiledCondition[] {
  return conds.map(compileCondition);
}

function compiledValues(cond: Condition, cc: CompiledCondition, mod: OperatorModule): CompiledValue[] {
  if (!cc.values || cc.valuesOf !== cond.values || cc.values.length !== cond.values.length) {
    const variables = cond.literalText !== true;
    const values = cond.values.map((v) => compileValue(mod, v, variables));
    cc.values = values;
    cc.valuesOf = cond.values;
    cc.staticResolved = undefined;
    if (values.every((v) => v.resolved)) cc.staticResolved = values.map((v) => v.resolved!);
  }
  return cc.values;
}

// ---------------------------------------------------------------------------------- evaluation core

/** Tri-state: no, yes, unknown (rests on a free value). */
const NO = 0;
const YES = 1;
const UNKNOWN = 2;
type Tri = 0 | 1 | 2;

/** Comparison of one policy value with one request value: no / yes / unknown / invalid. */
const INVALID = 3;
type Cmp = 0 | 1 | 2 | 3;

type Resolved =
  | { t: 'matcher'; m: Matcher; matchesAll?: boolean }
  | { t: 'malformed' }
  | { t: 'symbolic'; d: string }
  | { t: 'unresolved'; v: string }
  | { t: 'unknown'; v: string };

function resolve(mod: OperatorModule, cv: CompiledValue, ctx: RequestContext): Resolved {
  if (cv.resolved) return cv.resolved;
  if (!cv.parts) return { t: 'malformed' };
  const segs: Seg[] = [];
  for (const p of cv.parts) {
    if (p.kind === 'seg') {
      segs.push(p.seg);
      continue;
    }
    const c = ctx.variable ? ctx.variable(p.key) : ctx.get(p.key);
    if (c.kind === 'free') return { t: 'unknown', v: p.key };
    let text: string | undefined;
    if (c.kind === 'present' && c.values.length === 1) {
      const only = c.values[0]!;
      if (isSymbolic(only)) {
        if (cv.parts.length === 1) return { t: 'symbolic', d: only.description };
        return { t: 'unresolved', v: p.key };
      }
      text = only;
    }
    if (text === undefined) text = p.dflt;
    if (text === undefined) return { t: 'unresolved', v: p.key };
    segs.push({ text, wild: false });
  }
  const m = mod.compile(segs);
  if (!m) return { t: 'malformed' };
  return { t: 'matcher', m };
}

function compareOne(mod: OperatorModule, rv: Resolved, r: PolicyValue): Cmp {
  switch (rv.t) {
    case 'unknown':
      return UNKNOWN;
    case 'unresolved':
    case 'malformed':
      return INVALID;
    case 'symbolic':
      return isSymbolic(r) && r.description === rv.d ? (mod.reflexive ? YES : NO) : NO;
    case 'matcher': {
      if (isSymbolic(r)) return rv.matchesAll ? YES : NO;
      const m = rv.m(r);
      return m === undefined ? INVALID : m ? YES : NO;
    }
  }
}

/** Detail recorded for the human reason (traced path only). */
interface Detail {
  /** The request value that decided the outcome. */
  r?: PolicyValue;
  /** Index of the policy value that decided it (a match, or the invalid one). */
  p?: number;
  /** What went wrong with that comparison. */
  problem?: 'invalid-request' | 'malformed' | 'unresolved' | 'unknown';
  variable?: string;
}

/** Whether request value `r` satisfies the (possibly negated) operator over all policy values. */
function satisfies(mod: OperatorModule, vals: Resolved[], r: PolicyValue, d?: Detail): Tri {
  let unk = false;
  let unkAt = -1;
  if (!mod.negated) {
    let invalidAt = -1;
    for (let i = 0; i < vals.length; i++) {
      const c = compareOne(mod, vals[i]!, r);
      if (c === YES) {
        if (d) {
          d.r = r;
          d.p = i;
        }
        return YES;
      }
      if (c === UNKNOWN && !unk) {
        unk = true;
        unkAt = i;
      }
      if (c === INVALID && invalidAt < 0) invalidAt = i;
    }
    if (d) {
      d.r = r;
      if (unk) setProblem(d, vals, unkAt, r);
      else if (invalidAt >= 0 && vals.length === 1) setProblem(d, vals, invalidAt, r);
    }
    return unk ? UNKNOWN : NO;
  }
  for (let i = 0; i < vals.length; i++) {
    const c = compareOne(mod, vals[i]!, r);
    if (c === YES || c === INVALID) {
      if (d) {
        d.r = r;
        d.p = i;
        if (c === INVALID) setProblem(d, vals, i, r);
      }
      return NO;
    }
    if (c === UNKNOWN && !unk) {
      unk = true;
      unkAt = i;
    }
  }
  if (d) {
    d.r = r;
    if (unk) setProblem(d, vals, unkAt, r);
  }
  return unk ? UNKNOWN : YES;
}

function setProblem(d: Detail, vals: Resolved[], i: number, r: PolicyValue): void {
  const v = vals[i]!;
  d.p = i;
  if (v.t === 'unknown') {
    d.problem = 'unknown';
    d.variable = v.v;
  } else if (v.t === 'unresolved') {
    d.problem = 'unresolved';
    d.variable = v.v;
  } else if (v.t === 'malformed') d.problem = 'malformed';
  else if (v.t === 'matcher' && !isSymbolic(r)) d.problem = 'invalid-request';
}

/** How a condition came out; drives both the boolean and the reason. */
type Why = 'unknown-operator' | 'free' | 'null' | 'absent' | 'multi' | 'compared' | 'unknown-value';

interface Outcome {
  result: boolean;
  assumed: boolean;
  why: Why;
  tri?: Tri;
  present?: readonly PolicyValue[];
  detail?: Detail;
}

function nullMet(values: readonly PolicyValue[], absent: boolean): boolean {
  for (const v of values) if (!isSymbolic(v) && nullGoal(v) === absent) return true;
  return false;
}

/**
 * An absent key: `...IfExists` is met whatever else the operator says (AWS: "if the key is not present,
 * evaluate the condition element as true", which the guide states for every operator but Null, so it
 * also covers `ForAnyValue:...IfExists`); then ForAllValues is met, ForAnyValue is not, negated
 * operators are met and positive ones are not.
 */
function absentMet(parsed: ParsedOperator, mod: OperatorModule): boolean {
  if (parsed.ifExists) return true;
  if (parsed.setOperator === 'ForAllValues') return true;
  if (parsed.setOperator === 'ForAnyValue') return false;
  return mod.negated;
}

/** Compare the present request values with the policy values (plain, ForAnyValue or ForAllValues). */
function compareAll(
  cond: Condition,
  cc: CompiledCondition,
  mod: OperatorModule,
  parsed: ParsedOperator,
  present: readonly PolicyValue[],
  ctx: RequestContext,
  d: Detail | undefined,
): Tri {
  let vals =
    cc.valuesOf === cond.values && cc.values?.length === cond.values.length ? cc.staticResolved : undefined;
  if (!vals) {
    const cvs = compiledValues(cond, cc, mod);
    vals = cc.staticResolved;
    if (!vals) {
      vals = new Array(cvs.length);
      for (let i = 0; i < cvs.length; i++) vals[i] = resolve(mod, cvs[i]!, ctx);
    }
  }
  if (!parsed.setOperator) return satisfies(mod, vals, present[0]!, d);
  if (parsed.setOperator === 'ForAnyValue') {
    let tri: Tri = NO;
    for (const r of present) {
      const t = satisfies(mod, vals, r, d && tri === NO ? d : undefined);
      if (t === YES) {
        if (d) satisfies(mod, vals, r, d);
        return YES;
      }
      if (t === UNKNOWN) tri = UNKNOWN;
    }
    return tri;
  }
  let tri: Tri = YES;
  for (const r of present) {
    const t = satisfies(mod, vals, r, undefined);
    if (t === NO) {
      if (d) satisfies(mod, vals, r, d);
      return NO;
    }
    if (t === UNKNOWN && tri === YES) {
      tri = UNKNOWN;
      if (d) satisfies(mod, vals, r, d);
    }
  }
  return tri;
}

/**
 * The one judgement of a condition. Without `o` it only answers (no allocation once the condition is
 * compiled); with `o` it also records how the answer came about, for the reason.
 */
function judge(
  cond: Condition,
  cc: CompiledCondition,
  ctx: RequestContext,
  effect: Effect,
  o?: Outcome,
): boolean {
  const mod = cc.mod;
  const parsed = cc.parsed;
  if (!mod || !parsed) return record(o, false, 'unknown-operator');
  const cv = ctx.get(cc.keyLower);
  if (cv.kind === 'free') return record(o, effect === 'Allow', 'free', true);
  const present = cv.kind === 'present' && cv.values.length > 0 ? cv.values : undefined;
  if (o && present) o.present = present;
  if (mod.family === 'null') return record(o, nullMet(cond.values, present === undefined), 'null');
  if (!present) return record(o, absentMet(parsed, mod), 'absent');
  if (!parsed.setOperator && present.length > 1) return record(o, false, 'multi');
  const detail: Detail | undefined = o ? {} : undefined;
  const tri = compareAll(cond, cc, mod, parsed, present, ctx, detail);
  if (o) {
    o.tri = tri;
    if (detail) o.detail = detail;
  }
  if (tri === UNKNOWN) return record(o, effect === 'Allow', 'unknown-value', true);
  return record(o, tri === YES, 'compared');
}

function record(o: Outcome | undefined, result: boolean, why: Why, assumed = false): boolean {
  if (o) {
    o.result = result;
    o.why = why;
    o.assumed = assumed;
  }
  return result;
}

function fastMet(cond: Condition, cc: CompiledCondition, ctx: RequestContext, effect: Effect): boolean {
  return judge(cond, cc, ctx, effect);
}

function evaluateCore(cond: Condition, cc: CompiledCondition, ctx: RequestContext, effect: Effect): Outcome {
  const o: Outcome = { result: false, assumed: false, why: 'unknown-operator' };
  judge(cond, cc, ctx, effect, o);
  return o;
}

// ------------------------------------------------------------------------------------------ reasons

function q(v: PolicyValue): string {
  return isSymbolic(v) ? `<${v.description}>` : `'${v}'`;
}

function list(vals: readonly PolicyValue[]): string {
  if (vals.length === 1) return q(vals[0]!);
  const shown = vals.slice(0, 5).map(q).join(', ');
  return vals.length > 5 ? `${shown} (and ${vals.length - 5} more)` : shown;
}

const FAMILY_NOUN: Record<string, string> = {
  numeric: 'number',
  date: 'date',
  ip: 'IP address',
  arn: 'ARN',
  bool: 'boolean',
};

function reasonFor(cond: Condition, cc: CompiledCondition, o: Outcome, effect: Effect): string {
  const op = cond.operator;
  const key = cond.key;
  const mod = cc.mod;
  const parsed = cc.parsed;
  switch (o.why) {
    case 'unknown-operator':
      return `${op} is not an AWS condition operator, so the condition is never met`;
    case 'free':
      return effect === 'Allow'
        ? `${key} is not known in advance (the caller may choose it), so ${op} is assumed to be met`
        : `${key} is not known in advance (the caller may choose it), so the caller is assumed to avoid this Deny's ${op}`;
    case 'null': {
      const absent = o.present === undefined;
      return `Null ${list(cond.values)} is ${o.result ? 'met' : 'not met'} because ${key} is ${absent ? 'absent' : 'present'}`;
    }
    case 'absent':
      if (parsed?.ifExists) return `${op} is met when ${key} is absent`;
      if (parsed?.setOperator === 'ForAllValues')
        return `${op} is met when ${key} is absent (no value to check)`;
      if (parsed?.setOperator === 'ForAnyValue') return `${op} is not met when ${key} is absent`;
      if (o.result) return `${op} is met when ${key} is absent`;
      return `${key} is absent, so ${op} is not met`;
    case 'multi':
      return `${key} has several values (${list(o.present ?? [])}); ${op} without ForAnyValue/ForAllValues is not met`;
    case 'unknown-value': {
      const v = o.detail?.variable ?? 'a policy variable';
      return effect === 'Allow'
        ? `${op} depends on \${${v}}, which is not known in advance, so it is assumed to be met`
        : `${op} depends on \${${v}}, which is not known in advance, so the caller is assumed to avoid this Deny`;
    }
    case 'compared':
      return comparedReason(cond, cc, o, mod!, parsed!);
  }
}

/** "does not equal", "is not less than", "does not match"... */
function notVerb(verb: string): string {
  if (verb === 'is') return 'is not';
  if (verb.startsWith('is ')) return `is not ${verb.slice(3)}`;
  if (verb.startsWith('equals')) return `does not equal${verb.slice(6)}`;
  if (verb.startsWith('matches')) return `does not match${verb.slice(7)}`;
  return `fails '${verb}' for`;
}

/** "'a'" or "any of 'a', 'b'". */
function anyOf(vals: readonly PolicyValue[]): string {
  if (vals.length === 0) return 'any value (the condition lists none)';
  return vals.length === 1 ? q(vals[0]!) : `any of ${list(vals)}`;
}

function comparedReason(
  cond: Condition,
  cc: CompiledCondition,
  o: Outcome,
  mod: OperatorModule,
  parsed: ParsedOperator,
): string {
  const op = cond.operator;
  const key = cond.key;
  const d = o.detail ?? {};
  const met = o.result ? 'is met' : 'is not met';
  const r = d.r;
  const p = d.p !== undefined ? cond.values[d.p] : undefined;
  if (d.problem === 'malformed' && p !== undefined) {
    return `${op} ${met}: ${q(p)} is not a valid ${FAMILY_NOUN[mod.family] ?? 'value'} for ${mod.name}, so it matches nothing`;
  }
  if (d.problem === 'unresolved') {
    return `${op} ${met}: policy variable \${${d.variable}} has no value in the request, so ${p !== undefined ? q(p) : 'the value'} matches nothing`;
  }
  if (d.problem === 'invalid-request' && r !== undefined) {
    return `${op} ${met}: ${key} ${q(r)} is not a valid ${FAMILY_NOUN[mod.family] ?? 'value'}`;
  }
  const anyPattern = cond.values.length === 1 && compiledValues(cond, cc, mod)[0]?.matchesAll;
  const hit = (v: PolicyValue) =>
    `${key} value ${q(v)} ${mod.verb} ${p !== undefined ? q(p) : list(cond.values)}`;
  const miss = (v: PolicyValue) => `${key} value ${q(v)} ${notVerb(mod.verb)} ${anyOf(cond.values)}`;
  if (parsed.setOperator) {
    const all = o.present ?? [];
    if (parsed.setOperator === 'ForAnyValue') {
      if (o.result)
        return r !== undefined ? `${op} is met: ${mod.negated ? miss(r) : hit(r)}` : `${op} is met`;
      return `${op} is not met: no value of ${key} (${list(all)}) ${mod.negated ? `avoids ${list(cond.values)}` : `${mod.verb} ${anyOf(cond.values)}`}`;
    }
    if (o.result) return `${op} is met: every value of ${key} (${list(all)}) satisfies it`;
    return r !== undefined ? `${op} is not met: ${mod.negated ? hit(r) : miss(r)}` : `${op} is not met`;
  }
  if (r === undefined) return `${op} ${met}`;
  if (anyPattern && !mod.negated) return `${op} pattern ${list(cond.values)} matches any ${key}`;
  if (anyPattern && mod.negated)
    return `${op} pattern ${list(cond.values)} matches any ${key}, so it is never met`;
  const positiveHit = o.result !== mod.negated; // the base comparison held for some value
  if (positiveHit)
    return `${op} ${met}: ${key} ${q(r)} ${mod.verb} ${p !== undefined ? q(p) : list(cond.values)}`;
  return `${op} ${met}: ${key} ${q(r)} ${notVerb(mod.verb)} ${anyOf(cond.values)}`;
}

// ----------------------------------------------------------------------------------------- public API

/** Fast path: whether one condition is met (free keys decided in the caller's favour for `effect`). */
export function conditionMet(cond: Condition, ctx: RequestContext, effect: Effect): boolean {
  return fastMet(cond, compileCondition(cond), ctx, effect);
}

/** `conditionMet` on a condition compiled with `compileCondition` (held by the caller). */
export function compiledConditionMet(
  cond: Condition,
  cc: CompiledCondition,
  ctx: RequestContext,
  effect: Effect,
): boolean {
  return fastMet(cond, cc, ctx, effect);
}

/** Fast path: whether all conditions are met (ANDed; none means met). */
export function conditionsMet(conds: readonly Condition[], ctx: RequestContext, effect: Effect): boolean {
  if (conds.length === 0) return true;
  const ccs = compileList(conds);
  for (let i = 0; i < conds.length; i++) {
    if (!fastMet(conds[i]!, ccs[i]!, ctx, effect)) return false;
  }
  return true;
}

/** Fast path over conditions compiled with `compileList`. */
export function compiledConditionsMet(
  conds: readonly Condition[],
  ccs: readonly CompiledCondition[],
  ctx: RequestContext,
  effect: Effect,
): boolean {
  for (let i = 0; i < conds.length; i++) {
    if (!fastMet(conds[i]!, ccs[i]!, ctx, effect)) return false;
  }
  return true;
}

/** One condition with its outcome and a human reason. */
export function evaluateCondition(cond: Condition, ctx: RequestContext, effect: Effect): ConditionTrace {
  return traceCompiled(cond, compileCondition(cond), ctx, effect);
}

/** Traced evaluation of a condition compiled with `compileCondition`. */
export function traceCompiled(
  cond: Condition,
  cc: CompiledCondition,
  ctx: RequestContext,
  effect: Effect,
): ConditionTrace {
  const o = evaluateCore(cond, cc, ctx, effect);
  const t: ConditionTrace = { condition: cond, result: o.result, reason: reasonFor(cond, cc, o, effect) };
  if (o.assumed) t.assumed = true;
  return t;
}

/** Every condition of a statement (all are evaluated for the trace); `met` is their AND. */
export function evaluateConditions(
  conds: readonly Condition[],
  ctx: RequestContext,
  effect: Effect,
): { met: boolean; traces: ConditionTrace[] } {
  const traces = conds.map((c) => evaluateCondition(c, ctx, effect));
  return { met: traces.every((t) => t.result), traces };
}
