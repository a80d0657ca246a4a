/**
 * TA006's analysis: parts of a trust policy that can never be used. Each is harmless on its own but is
 * a sign the policy no longer says what its author meant:
 * - `stale-principal`: a unique id (`AROA…`, `AIDA…`) that AWS wrote in place of a deleted principal;
 *   no principal created later matches it, not even one with the same name;
 * - `other-partition`: a principal ARN in another partition than the role (partitions do not trust
 *   each other);
 * - `impossible-external-id`: an external id STS refuses (2 to 1,224 characters of `[\w+=,.@:/-]`),
 *   so the branch that requires it admits nobody;
 * - `expired`: a statement whose aws:CurrentTime/aws:EpochTime window is closed at the scan time.
 */
import { conditionMet } from '../eval/conditions.js';
import { makeContext } from '../eval/context.js';
import { describeOperator } from '../eval/operators/index.js';
import { classifyPrincipal } from '../model/arn.js';
import { type Condition, isSymbolic, type JsonLike, type Role, type Statement } from '../model/types.js';
import { acceptableFill, EXTERNAL_ID_RULE, externalIdProblem, isExternalIdKey } from './protection.js';

export type UnusableKind = 'stale-principal' | 'other-partition' | 'impossible-external-id' | 'expired';

export interface UnusablePart {
  kind: UnusableKind;
  statementIndex: number;
  sid?: string;
  /** The principals or condition values concerned, as written. */
  values: string[];
  details: string[];
}

const TIME_KEYS = new Set(['aws:currenttime', 'aws:epochtime']);

/** The request context of the scan time: only the time keys are fixed. */
export function timeContext(now: number) {
  return makeContext(
    { 'aws:currenttime': new Date(now).toISOString(), 'aws:epochtime': String(Math.floor(now / 1000)) },
    'free',
  );
}

/** The conditions of `st` on the time keys that are not met at `now` (the rest of the request left free). */
export function closedTimeConditions(st: Statement, now: number): readonly Condition[] {
  if (!st.conditions.some((c) => TIME_KEYS.has(c.key.toLowerCase()))) return NO_CONDITIONS;
  const ctx = timeContext(now);
  return st.conditions.filter((c) => TIME_KEYS.has(c.key.toLowerCase()) && !conditionMet(c, ctx, 'Allow'));
}

const NO_CONDITIONS: readonly Condition[] = Object.freeze([]);

/** Sentences on the time window of a statement that is open at `now` (for TA001/TA003 evidence). */
export function openTimeWindow(st: Statement, now: number): string[] {
  const out: string[] = [];
  for (const c of st.conditions) {
    if (!TIME_KEYS.has(c.key.toLowerCase())) continue;
    const op = describeOperator(c.operator);
    if (!op || !/LessThan/.test(op.base) || op.negated) continue;
    const values = c.values.filter((v): v is string => typeof v === 'string');
    if (values.length === 0) continue;
    out.push(
      `${c.key} is judged against the scan time (${new Date(now).toISOString()}): this access is time-boxed by ${c.operator} ${values.join(', ')} and ends then.`,
    );
  }
  return out;
}

function stringValues(c: Condition): string[] {
  return c.values.filter((v): v is string => typeof v === 'string' && !isSymbolic(v));
}

/** External id values of a positive condition that no request STS accepts can meet. */
function impossibleIds(c: Condition): { value: string; why: string }[] {
  const op = describeOperator(c.operator);
  if (!op || op.negated || op.family !== 'string' || !isExternalIdKey(c.key)) return [];
  const out: { value: string; why: string }[] = [];
  for (const v of stringValues(c)) {
    if (v.includes('${') && c.literalText !== true) continue;
    if (op.wildcards && /[*?]/.test(v)) {
      if (acceptableFill(v, 'xx') === undefined)
        out.push({ value: v, why: 'no value STS accepts matches the pattern' });
      continue;
    }
    const why = externalIdProblem(v);
    if (why) out.push({ value: v, why });
  }
  return out;
}

function label(st: Statement): string {
  return st.sid !== undefined ? `statement ${st.index} (Sid "${st.sid}")` : `statement ${st.index}`;
}

/** Every unusable part of the role's trust policy, judged at `now`. Pure. */
export function findUnusableParts(role: Role, now: number): UnusablePart[] {
  const out: UnusablePart[] = [];
  const partition = role.partition || 'aws';
  for (const st of role.trustPolicy.statements) {
    const base = { statementIndex: st.index, ...(st.sid !== undefined ? { sid: st.sid } : {}) };
    const stale: string[] = [];
    const foreign: string[] = [];
    for (const p of st.principals ?? []) {
      if (p.type !== 'AWS' || typeof p.value !== 'string') continue;
      const c = classifyPrincipal(p.type, p.value);
      if (c.kind === 'unique-id') stale.push(p.value);
      else if (c.partition !== undefined && c.partition !== partition && c.kind !== 'invalid')
        foreign.push(p.value);
    }
    if (stale.length > 0) {
      out.push({
        ...base,
        kind: 'stale-principal',
        values: stale,
        details: stale.map(
          (v) =>
            `${label(st)}: ${v} is the unique id AWS shows for a principal that was deleted; no principal can match it any more, even one re-created with the same name.`,
        ),
      });
    }
    if (foreign.length > 0) {
      out.push({
        ...base,
        kind: 'other-partition',
        values: foreign,
        details: foreign.map(
          (v) =>
            `${label(st)}: ${v} is in another partition than the role (${partition}); a principal there cannot assume it.`,
        ),
      });
    }
    if (st.effect !== 'Allow') continue;
    const bad: string[] = [];
    const badDetails: string[] = [];
    for (const c of st.conditions) {
      for (const { value, why } of impossibleIds(c)) {
        bad.push(value);
        badDetails.push(
          `${label(st)}: ${c.operator} ${c.key} ${JSON.stringify(value)} can never be met: ${why}, and ${EXTERNAL_ID_RULE}.`,
        );
      }
    }
    if (bad.length > 0)
      out.push({ ...base, kind: 'impossible-external-id', values: bad, details: badDetails });
    const closed = closedTimeConditions(st, now);
    if (closed.length > 0) {
      out.push({
        ...base,
        kind: 'expired',
        values: closed.flatMap(stringValues),
        details: closed.map(
          (c) =>
            `${label(st)}: ${c.operator} ${c.key} ${stringValues(c).join(', ')} is not met at the scan time (${new Date(now).toISOString()}), so the statement admits nobody now.`,
        ),
      });
    }
  }
  return out;
}

function isObject(v: JsonLike | undefined): v is { [k: string]: JsonLike } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isSymbolic(v);
}

/**
 * The trust document without the given principal values in the given statements (stale and
 * other-partition principals). A statement left with no principal is dropped; undefined when the
 * document cannot be corrected this way (not an object, or no statement would remain).
 */
export function withoutPrincipals(
  raw: JsonLike,
  remove: ReadonlyMap<number, readonly string[]>,
): JsonLike | undefined {
  if (!isObject(raw)) return undefined;
  const doc = structuredClone(raw) as { [k: string]: JsonLike };
  const list = doc.Statement;
  const statements: JsonLike[] = Array.isArray(list) ? list : list !== undefined ? [list] : [];
  const kept: JsonLike[] = [];
  statements.forEach((st, i) => {
    const values = remove.get(i);
    if (!values || !isObject(st) || !isObject(st.Principal)) {
      kept.push(st);
      return;
    }
    const principal = st.Principal;
    const aws = principal.AWS;
    const left = (Array.isArray(aws) ? aws : aws === undefined ? [] : [aws]).filter(
      (v) => !(typeof v === 'string' && values.includes(v)),
    );
    if (left.length === 0) delete principal.AWS;
    else principal.AWS = left.length === 1 ? (left[0] as JsonLike) : left;
    if (Object.keys(principal).length > 0) kept.push(st);
  });
  if (kept.length === 0) return undefined;
  doc.Statement = Array.isArray(list) ? kept : (kept[0] as JsonLike);
  return doc;
}
