import { describeOperator } from '../eval/operators/index.js';
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
  /**
   * The `"*"` among `principals` is narrowed to this organization (`StringEquals aws:PrincipalOrgID`)
   * instead of getting the external id or MFA: anyone can present an id or an MFA device of their own,
   * so neither makes a wildcard safe. The same fix TA003 gives the statement.
   */
  wildcardOrg?: string;
  /**
   * Principals of the statement (as written) that can never be used (TA006: unique ids of deleted
   * principals, other partitions): dropped, as TA006's corrected policy does, so both rules change the
   * statement the same way. Never all of its principals (the third parties above stay).
   */
  drop?: string[];
}

/** What findings put where the organization id goes when the configuration names none (or several). */
export const ORG_PLACEHOLDER = '<YOUR-ORGANIZATION-ID>';

/**
 * What findings put where the agreed external id goes. In a corrected policy it is refined per account
 * (`externalIdPlaceholder`): every third party gets its own id, so the fix never makes two of them share one.
 */
export const EXTERNAL_ID_PLACEHOLDER = '<EXTERNAL-ID>';

/** The account a principal as written belongs to (12 digits or an IAM ARN), if it says. */
function accountOf(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  return /^arn:[\w-]+:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
}

/** The placeholder for the external id of `principal`'s account: `<EXTERNAL-ID-FOR-111122223333>`. */
export function externalIdPlaceholder(principal: string): string {
  const account = accountOf(principal);
  return account === undefined ? EXTERNAL_ID_PLACEHOLDER : `<EXTERNAL-ID-FOR-${account}>`;
}

/** An external id value STS accepts (2 to 1,224 characters of `[\w+=,.@:/-]`, AssumeRole API reference). */
const VALID_EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/**
 * The value an `...IfExists` condition on `sts:ExternalId` already pins (a positive, set-free string
 * operator naming one valid id without wildcards): the fix keeps it and drops only `IfExists`.
 */
function keptExternalId(cond: JsonObject): string | undefined {
  for (const [op, block] of Object.entries(cond)) {
    const d = describeOperator(op);
    if (!d?.ifExists || d.negated || d.setOperator || d.family !== 'string' || !isObject(block)) continue;
    for (const [k, v] of Object.entries(block)) {
      if (k.toLowerCase() !== 'sts:externalid') continue;
      const value = Array.isArray(v) && v.length === 1 ? v[0] : v;
      if (typeof value !== 'string' || !VALID_EXTERNAL_ID.test(value)) continue;
      if (d.wildcards && /[*?]/.test(value)) continue;
      return value;
    }
  }
  return undefined;
}

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
  const merged = mergeFixes(fixes);
  const shared = sharedKeptIds(doc, merged);
  return editStatements(doc, merged, (st, fix) => {
    if (fix.drop !== undefined && fix.drop.length > 0) dropPrincipals(st, new Set(fix.drop));
    const wildcard = fix.wildcardOrg !== undefined && fix.principals.includes('*');
    if (wildcard && isWholeWildcard(st.Principal)) {
      narrowToOrg(st, fix.wildcardOrg as string);
      return undefined;
    }
    const narrowed: JsonObject[] = [];
    let rest = fix;
    if (wildcard) {
      const starOut = separatePrincipals(st, new Set(['*']));
      if (starOut) {
        const copy = splitOff(st, starOut, 'Restricted');
        narrowToOrg(copy, fix.wildcardOrg as string);
        narrowed.push(copy);
      }
      rest = { ...fix, principals: fix.principals.filter((p) => p !== '*') };
      if (rest.principals.length === 0) return narrowed;
    }
    const separated = separatePrincipals(st, new Set(rest.principals));
    const target = separated ? splitOff(st, separated, 'ThirdParty') : st;
    const perAccount = fix.externalId === EXTERNAL_ID_PLACEHOLDER ? splitByAccount(target, shared) : [target];
    for (const part of perAccount) addConditions(part, fix, shared);
    const added = [...perAccount.filter((x) => x !== st), ...narrowed];
    return added.length > 0 ? added : undefined;
  });
}

/** Remove the AWS principals in `drop` from `st` (the type is removed when it empties, the Principal never). */
function dropPrincipals(st: JsonObject, drop: ReadonlySet<string>): void {
  const principal = st.Principal;
  if (!isObject(principal) || principal.AWS === undefined) return;
  const listed = principal.AWS;
  const values = Array.isArray(listed) ? listed : [listed];
  const stay = values.filter((v) => !drop.has(renderValue(v)));
  if (stay.length === values.length) return;
  // One value left is written as a string, as TA006's corrected policy writes it.
  if (stay.length > 0) principal.AWS = stay.length === 1 ? (stay[0] as JsonLike) : stay;
  else if (Object.keys(principal).length > 1) delete principal.AWS;
}

/** `"*"` or `{"AWS": "*"}` (one value): the whole statement is the wildcard. */
function isWholeWildcard(principal: JsonLike | undefined): boolean {
  if (principal === '*') return true;
  if (!isObject(principal) || Object.keys(principal).length !== 1) return false;
  const aws = principal.AWS;
  return aws === '*' || (Array.isArray(aws) && aws.length > 0 && aws.every((v) => v === '*'));
}

/** Require `aws:PrincipalOrgID` = `org` in `st`, replacing any condition on that key. */
function narrowToOrg(st: JsonObject, org: string): void {
  const existing = st.Condition;
  const cond: JsonObject = isObject(existing) ? existing : {};
  removeKey(cond, 'aws:principalorgid', () => true);
  addCondition(cond, 'StringEquals', 'aws:PrincipalOrgID', org);
  st.Condition = cond;
}

/**
 * The ids an `IfExists` condition pins that the fixes would keep for more than one account (in one
 * statement or several): those are not kept, each account gets its own placeholder instead, so the
 * fix does not make third parties share an id.
 */
function sharedKeptIds(doc: JsonLike, fixes: readonly TrustFix[]): Set<string> {
  const raw = isObject(doc) ? doc.Statement : undefined;
  const statements: JsonLike[] = isObject(raw) ? [raw] : Array.isArray(raw) ? raw : [];
  const kept = new Set<string>();
  for (const f of fixes) {
    const st = statements[f.statementIndex];
    if (f.externalId !== EXTERNAL_ID_PLACEHOLDER || !isObject(st) || !isObject(st.Condition)) continue;
    const id = keptExternalId(st.Condition);
    if (id !== undefined) kept.add(id);
  }
  if (kept.size === 0) return kept;
  // Every account any statement pins one of those ids for (with or without IfExists).
  const accounts = new Map<string, Set<string>>();
  for (const st of statements) {
    if (!isObject(st) || !isObject(st.Condition) || !isObject(st.Principal)) continue;
    const listed = st.Principal.AWS;
    if (listed === undefined) continue;
    const keys = (Array.isArray(listed) ? listed : [listed]).map((v) =>
      externalIdPlaceholder(renderValue(v)),
    );
    for (const id of pinnedIds(st.Condition)) {
      if (!kept.has(id)) continue;
      const set = accounts.get(id) ?? new Set<string>();
      for (const k of keys) set.add(k);
      accounts.set(id, set);
    }
  }
  return new Set([...accounts].filter(([, set]) => set.size > 1).map(([id]) => id));
}

/** The external ids a positive, set-free string condition on `sts:ExternalId` names (wildcard-free). */
function pinnedIds(cond: JsonObject): string[] {
  const out: string[] = [];
  for (const [op, block] of Object.entries(cond)) {
    const d = describeOperator(op);
    if (!d || d.negated || d.setOperator || d.family !== 'string' || !isObject(block)) continue;
    for (const [k, v] of Object.entries(block)) {
      if (k.toLowerCase() !== 'sts:externalid') continue;
      for (const x of Array.isArray(v) ? v : [v])
        if (typeof x === 'string' && !(d.wildcards && /[*?]/.test(x))) out.push(x);
    }
  }
  return out;
}

/**
 * When `fix` adds a placeholder external id (no existing id to keep) for principals of several accounts
 * in `st`, one statement per account: `st` keeps the first account's principals and a copy after it
 * (Sid suffixed with the account) gets each other account's, so each can carry its own id.
 */
function splitByAccount(st: JsonObject, shared: ReadonlySet<string>): JsonObject[] {
  const principal = st.Principal;
  if (!isObject(principal) || Object.keys(principal).length !== 1 || !Object.hasOwn(principal, 'AWS'))
    return [st];
  const existing = st.Condition;
  const kept = isObject(existing) ? keptExternalId(existing) : undefined;
  if (kept !== undefined && !shared.has(kept)) return [st];
  const listed = principal.AWS;
  const values = Array.isArray(listed) ? listed : [listed];
  const groups = new Map<string, JsonLike[]>();
  for (const v of values) {
    const key = externalIdPlaceholder(renderValue(v as JsonLike));
    groups.set(key, [...(groups.get(key) ?? []), v as JsonLike]);
  }
  if (groups.size < 2) return [st];
  const parts = [...groups.entries()];
  const out: JsonObject[] = [];
  parts.forEach(([key, group], i) => {
    const aws: JsonLike = group.length === 1 ? (group[0] as JsonLike) : group;
    if (i === 0) {
      out.push(st);
      return;
    }
    const suffix = key.replace(/^<EXTERNAL-ID-FOR-|^<EXTERNAL-ID|>$/g, '') || 'Other';
    out.push(splitOff(st, { kept: st.Principal as JsonLike, moved: { AWS: aws } }, suffix));
  });
  const first = parts[0]?.[1] ?? [];
  st.Principal = { AWS: first.length === 1 ? (first[0] as JsonLike) : first };
  return out;
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
  edit: (st: JsonObject, fix: F) => JsonObject | JsonObject[] | undefined,
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
    const list = added === undefined ? [] : Array.isArray(added) ? added : [added];
    if (list.length > 0) {
      statements.splice(fix.statementIndex + 1, 0, ...list);
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
    if (prev.wildcardOrg === undefined && f.wildcardOrg !== undefined) prev.wildcardOrg = f.wildcardOrg;
    if (f.drop !== undefined) prev.drop = [...new Set([...(prev.drop ?? []), ...f.drop])];
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

function addConditions(st: JsonObject, fix: TrustFix, shared: ReadonlySet<string>): void {
  if (fix.externalId === undefined && !fix.requireMfa) return;
  const existing = st.Condition;
  const cond: JsonObject = isObject(existing) ? existing : {};
  if (fix.externalId !== undefined) {
    // A placeholder gives way to the id an IfExists condition already pins, else names the account.
    const value =
      fix.externalId === EXTERNAL_ID_PLACEHOLDER
        ? (unshared(keptExternalId(cond), shared) ?? placeholderFor(st))
        : fix.externalId;
    removeKey(cond, 'sts:externalid', () => true);
    addCondition(cond, 'StringEquals', 'sts:ExternalId', value);
  }
  if (fix.requireMfa) {
    removeKey(cond, 'aws:multifactorauthpresent', () => true);
    removeKey(cond, 'aws:multifactorauthage', (op) => describeOperator(op)?.ifExists === true);
    addCondition(cond, 'Bool', 'aws:MultiFactorAuthPresent', 'true');
  }
  st.Condition = cond;
}

function unshared(id: string | undefined, shared: ReadonlySet<string>): string | undefined {
  return id !== undefined && !shared.has(id) ? id : undefined;
}

/** The external-id placeholder of the one account `st`'s AWS principals belong to (the generic one otherwise). */
function placeholderFor(st: JsonObject): string {
  const principal = st.Principal;
  if (!isObject(principal) || Object.keys(principal).length !== 1) return EXTERNAL_ID_PLACEHOLDER;
  const listed = principal.AWS;
  const values = (Array.isArray(listed) ? listed : [listed]).map((v) => renderValue(v as JsonLike));
  const keys = new Set(values.map(externalIdPlaceholder));
  return keys.size === 1 ? ([...keys][0] as string) : EXTERNAL_ID_PLACEHOLDER;
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
