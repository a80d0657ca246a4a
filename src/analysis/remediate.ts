import { isSymbolic, type JsonLike } from '../model/types.js';
import { renderValue } from './render.js';

/** What to change in one statement of a trust policy. */
export interface TrustFix {
  /** 0-based index in the document's Statement list (a single Statement object is index 0). */
  statementIndex: number;
  /**
   * The third-party principals of that statement, as written (symbolic values as `${description}`,
   * the bare wildcard as `*`). They get the new condition; the statement's other principals keep theirs.
   */
  principals: string[];
  /** Require `sts:ExternalId` to equal this value (`StringEquals`). */
  externalId?: string;
  /** Require `aws:MultiFactorAuthPresent` = "true" (`Bool`, no IfExists). */
  requireMfa?: boolean;
}

/** What findings put where the agreed external id goes. */
export const EXTERNAL_ID_PLACEHOLDER = '<EXTERNAL-ID>';

type JsonObject = { [key: string]: JsonLike };

function isObject(v: JsonLike | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isSymbolic(v);
}

/** Deep copy of a JSON-like tree (symbolic values are plain objects and are copied too). */
function clone<T extends JsonLike>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map((x) => clone(x)) as T;
  const out: { [key: string]: JsonLike } = {};
  for (const k of Object.keys(v)) out[k] = clone((v as { [key: string]: JsonLike })[k] as JsonLike);
  return out as T;
}

/**
 * The trust document with each fix applied and everything else (other statements, principals,
 * conditions, Sid, key order) kept. Pure: `doc` is not modified. Fixes naming the same statement are
 * merged; a fix whose statement is not an object is ignored.
 *
 * - `externalId`: every condition on `sts:ExternalId` in the statement (wildcard `StringLike`,
 *   `...IfExists`, `Null`...) is replaced by `StringEquals sts:ExternalId <value>`.
 * - `requireMfa`: every condition on `aws:MultiFactorAuthPresent` (e.g. `BoolIfExists`, `Bool false`)
 *   and every `IfExists` condition on `aws:MultiFactorAuthAge` is replaced by
 *   `Bool aws:MultiFactorAuthPresent "true"`.
 * - When the statement also names principals that are not in `principals` (own account, trusted
 *   accounts, services...), it is split: those keep the original statement unchanged and a copy
 *   right after it carries only the third-party principals and the new condition.
 */
export function correctTrustPolicy(doc: JsonLike, fixes: readonly TrustFix[]): JsonLike {
  return editStatements(doc, mergeFixes(fixes), (st, fix) => {
    const separated = separatePrincipals(st, new Set(fix.principals));
    const target = separated ? splitOff(st, separated, 'ThirdParty') : st;
    addConditions(target, fix);
    return target === st ? undefined : target;
  });
}

/**
 * A copy of `doc` with `edit` applied to each statement named by `fixes` (taken in the order given:
 * highest index first, so a split never shifts a statement still to edit). `edit` may return a
 * statement split off from the one it was given, which is placed right after it. A single statement
 * object stays a single object unless a split made it two.
 */
function editStatements<F extends { statementIndex: number }>(
  doc: JsonLike,
  fixes: readonly F[],
  edit: (st: JsonObject, fix: F) => JsonObject | undefined,
): JsonLike {
  const out = clone(doc);
  if (!isObject(out)) return out;
  const rawStatements = out.Statement;
  const single = isObject(rawStatements);
  if (!single && !Array.isArray(rawStatements)) return out;
  const statements: JsonLike[] = single ? [rawStatements] : [...(rawStatements as JsonLike[])];
  let split = false;
  for (const fix of fixes) {
    const st = statements[fix.statementIndex];
    if (!isObject(st)) continue;
    const added = edit(st, fix);
    if (added) {
      statements.splice(fix.statementIndex + 1, 0, added);
      split = true;
    }
  }
  out.Statement = single && !split ? (statements[0] as JsonLike) : statements;
  return out;
}

/**
 * Split `st` in two: `st` keeps the principals in `separated.kept`, and the returned copy (everything
 * else cloned, its Sid suffixed) gets `separated.moved`.
 */
function splitOff(
  st: JsonObject,
  separated: { kept: JsonLike; moved: JsonLike },
  sidSuffix: string,
): JsonObject {
  const copy: JsonObject = {};
  for (const [k, v] of Object.entries(st)) {
    if (k === 'Principal') copy[k] = separated.moved;
    else if (k === 'Sid' && typeof v === 'string') copy[k] = `${v}${sidSuffix}`;
    else copy[k] = clone(v);
  }
  st.Principal = separated.kept;
  return copy;
}

/** One fix per statement, highest index first (so splitting never shifts a statement still to fix). */
function mergeFixes(fixes: readonly TrustFix[]): TrustFix[] {
  const byIndex = new Map<number, TrustFix>();
  for (const f of fixes) {
    const prev = byIndex.get(f.statementIndex);
    if (!prev) {
      byIndex.set(f.statementIndex, { ...f, principals: [...f.principals] });
      continue;
    }
    for (const p of f.principals) if (!prev.principals.includes(p)) prev.principals.push(p);
    if (prev.externalId === undefined && f.externalId !== undefined) prev.externalId = f.externalId;
    if (f.requireMfa) prev.requireMfa = true;
  }
  return [...byIndex.values()].sort((a, b) => b.statementIndex - a.statementIndex);
}

/**
 * Split the statement's `Principal` into the third-party AWS principals (`moved`) and the rest (`kept`).
 * Undefined when nothing needs splitting (every principal is a third party, none is, or there is no
 * `Principal` element, e.g. `NotPrincipal`).
 */
function separatePrincipals(
  st: JsonObject,
  thirdParty: ReadonlySet<string>,
): { moved: JsonLike; kept: JsonLike } | undefined {
  const principal = st.Principal;
  if (!isObject(principal)) return undefined; // "*" or absent: the whole statement is affected
  const moved: JsonLike[] = [];
  const kept: JsonObject = {};
  for (const [type, value] of Object.entries(principal)) {
    if (type !== 'AWS') {
      kept[type] = clone(value);
      continue;
    }
    const values = Array.isArray(value) ? value : [value];
    const stay: JsonLike[] = [];
    for (const v of values) (thirdParty.has(renderValue(v)) ? moved : stay).push(clone(v));
    if (stay.length > 0) kept[type] = Array.isArray(value) ? stay : (stay[0] as JsonLike);
  }
  if (moved.length === 0 || Object.keys(kept).length === 0) return undefined;
  return { moved: { AWS: moved.length === 1 ? (moved[0] as JsonLike) : moved }, kept };
}

function addConditions(st: JsonObject, fix: TrustFix): void {
  if (fix.externalId === undefined && !fix.requireMfa) return;
  const existing = st.Condition;
  const cond: JsonObject = isObject(existing) ? existing : {};
  if (fix.externalId !== undefined) {
    removeKey(cond, 'sts:externalid', () => true);
    addCondition(cond, 'StringEquals', 'sts:ExternalId', fix.externalId);
  }
  if (fix.requireMfa) {
    removeKey(cond, 'aws:multifactorauthpresent', () => true);
    removeKey(cond, 'aws:multifactorauthage', (op) => op.endsWith('IfExists'));
    addCondition(cond, 'Bool', 'aws:MultiFactorAuthPresent', 'true');
  }
  st.Condition = cond;
}

/** Delete `key` (case-insensitive) from every operator block whose name passes `which`; drop emptied blocks. */
function removeKey(cond: JsonObject, key: string, which: (operator: string) => boolean): void {
  for (const [op, block] of Object.entries(cond)) {
    if (!isObject(block) || !which(op)) continue;
    for (const k of Object.keys(block)) if (k.toLowerCase() === key) delete block[k];
    if (Object.keys(block).length === 0) delete cond[op];
  }
}

function addCondition(cond: JsonObject, operator: string, key: string, value: string): void {
  const block = cond[operator];
  if (isObject(block)) block[key] = value;
  else cond[operator] = { [key]: value };
}

/** One condition to require: `"<operator>": {"<key>": values}`. */
export interface RequiredCondition {
  operator: string;
  key: string;
  values: string[];
}

/**
 * A fix that adds conditions to one statement (used by the service, public and federation rules).
 * `principals` names the principals (of one type, as written) that need the conditions; when the
 * statement also names others, it is split like `correctTrustPolicy` does, so the others keep the
 * statement unchanged. Without `principals` the whole statement gets the conditions.
 */
export interface ConditionFix {
  statementIndex: number;
  principals?: { type: string; values: string[] };
  add: RequiredCondition[];
  /** Lower-cased keys whose existing conditions in the statement are dropped first (they are replaced). */
  replaceKeys?: string[];
}

/**
 * The trust document with each condition fix applied and everything else kept. Pure. Fixes naming the
 * same statement are applied highest index first, so a split never shifts a statement still to fix.
 */
export function addStatementConditions(doc: JsonLike, fixes: readonly ConditionFix[]): JsonLike {
  const ordered = [...fixes].sort((a, b) => b.statementIndex - a.statementIndex);
  return editStatements(doc, ordered, (st, fix) => {
    const separated = fix.principals
      ? separateByType(st, fix.principals.type, new Set(fix.principals.values))
      : undefined;
    const target = separated ? splitOff(st, separated, 'Restricted') : st;
    const existing = target.Condition;
    const cond: JsonObject = isObject(existing) ? existing : {};
    for (const key of fix.replaceKeys ?? []) removeKey(cond, key, () => true);
    for (const c of fix.add) {
      removeKey(cond, c.key.toLowerCase(), (op) => op === c.operator);
      const block = cond[c.operator];
      const value: JsonLike = c.values.length === 1 ? (c.values[0] as string) : [...c.values];
      if (isObject(block)) block[c.key] = value;
      else cond[c.operator] = { [c.key]: value };
    }
    target.Condition = cond;
    return target === st ? undefined : target;
  });
}

/** Like `separatePrincipals`, for principals of any type (`Service`, `Federated`, `AWS`). */
function separateByType(
  st: JsonObject,
  type: string,
  values: ReadonlySet<string>,
): { moved: JsonLike; kept: JsonLike } | undefined {
  const principal = st.Principal;
  if (!isObject(principal)) return undefined;
  const moved: JsonLike[] = [];
  const kept: JsonObject = {};
  for (const [t, value] of Object.entries(principal)) {
    if (t !== type) {
      kept[t] = clone(value);
      continue;
    }
    const list = Array.isArray(value) ? value : [value];
    const stay: JsonLike[] = [];
    for (const v of list) (values.has(renderValue(v)) ? moved : stay).push(clone(v));
    if (stay.length > 0) kept[t] = Array.isArray(value) ? stay : (stay[0] as JsonLike);
  }
  if (moved.length === 0 || Object.keys(kept).length === 0) return undefined;
  return { moved: { [type]: moved.length === 1 ? (moved[0] as JsonLike) : moved }, kept };
}
