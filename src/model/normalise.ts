/**
 * Trust documents -> the normalised `TrustPolicy`, with a `PolicyIssue` for everything IAM would reject.
 *
 * Decisions (documented in docs/rules/TA000.md):
 * - A missing `Version` is accepted (IAM treats it as 2008-10-17) and is not an issue.
 * - A statement is built even when it is invalid, so its grant is still judged: a missing or unknown
 *   `Effect` is read as Allow (`allow`/`deny` in another case are accepted, as IAM does), a key that differs from a
 *   known element only by case is used as that element (and reported), `NotPrincipal` is kept in
 *   `notPrincipals`.
 * - `statements[i].index === i` always: an entry that is not an object becomes an empty statement that
 *   matches nothing.
 * - A document nesting deeper than 64 levels is `unparsable` with no statements (so no later stage has to
 *   walk or clone it).
 * - Symbolic values (IaC) are never validated; a symbolic structure (a whole condition block, statement
 *   list...) yields a `symbolic-structure` issue, which is not a defect.
 */

import { decodePolicyText } from './decode.js';
import { ISSUE_ADVICE, type IssueCode } from './issue-codes.js';
import { isKnownOperator } from './operator-check.js';
import {
  checkAction,
  checkAwsPrincipal,
  checkCanonicalUser,
  checkFederatedPrincipal,
  checkServicePrincipal,
  type FormatProblem,
} from './principal-format.js';
import {
  type Condition,
  type Effect,
  isSymbolic,
  type JsonLike,
  type PolicyIssue,
  type PolicyValue,
  type Principal,
  type PrincipalType,
  type SourceLocation,
  type Statement,
  type Symbolic,
  type TrustPolicy,
} from './types.js';

export type JsonPath = (string | number)[];

export interface ParseTrustOptions {
  /** The file the document came from (used when neither `locate` nor `base` gives a location). */
  file: string;
  /**
   * Position of an element, by its path from the document root, e.g. `['Statement', 0, 'Principal', 'AWS', 1]`
   * or `['Statement', 2, 'Condition', 'StringEquals', 'sts:ExternalId']`. When `Statement` is a single
   * object (not a list) its path is `['Statement']`. Undefined falls back to `base`.
   */
  locate?: (path: JsonPath) => SourceLocation | undefined;
  /** Location of the whole document; every element gets it when `locate` is absent. */
  base?: SourceLocation;
  /**
   * Neither the policy nor its elements get a location (`locate` and `base` are ignored): for a parse
   * shared by several roles with the same document. Readers fall back to the role's location.
   */
  positionless?: boolean;
}

const VALID_VERSIONS = new Set(['2012-10-17', '2008-10-17']);
const POLICY_KEYS = ['Version', 'Id', 'Statement'] as const;
const STATEMENT_KEYS = [
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
] as const;
type StatementKey = (typeof STATEMENT_KEYS)[number];
const STATEMENT_KEY_SET = new Set<string>(STATEMENT_KEYS);
const STATEMENT_KEYS_LOWER = new Map<string, StatementKey>(STATEMENT_KEYS.map((k) => [k.toLowerCase(), k]));
const POLICY_KEYS_LOWER = new Map<string, string>(POLICY_KEYS.map((k) => [k.toLowerCase(), k]));
const PRINCIPAL_TYPE_SET = new Set<string>([
  'AWS',
  'Service',
  'Federated',
  'CanonicalUser',
] satisfies PrincipalType[]);
const SID = /^[A-Za-z0-9]*$/;

type Obj = { [key: string]: JsonLike };

const NO_PATH: JsonPath = [];

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isSymbolic(v);
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (isSymbolic(v)) return 'a computed value';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

function show(v: unknown): string {
  if (isSymbolic(v)) return `\${${v.description}}`;
  let s: string | undefined;
  try {
    s = typeof v === 'string' ? v : JSON.stringify(v);
  } catch {
    s = undefined; // too deep to print
  }
  if (s === undefined) return kindOf(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

type StatementKeys = Record<StatementKey, string | undefined>;

/** Same shape every time (fast property access, no dictionary-mode objects). */
function emptyKeys(): StatementKeys {
  return {
    Sid: undefined,
    Effect: undefined,
    Principal: undefined,
    NotPrincipal: undefined,
    Action: undefined,
    NotAction: undefined,
    Resource: undefined,
    NotResource: undefined,
    Condition: undefined,
  };
}

function allStrings(list: readonly unknown[]): boolean {
  for (let i = 0; i < list.length; i++) if (typeof list[i] !== 'string') return false;
  return true;
}

function hasOwn(o: object, k: string): boolean {
  return Object.hasOwn(o, k);
}

/** One parse: holds the options and the issues found so far. */
class Parser {
  readonly issues: PolicyIssue[] = [];
  private readonly base: SourceLocation | undefined;
  private readonly locate: ((path: JsonPath) => SourceLocation | undefined) | undefined;
  private readonly track: boolean;
  sawSymbolic = false;

  constructor(opts: ParseTrustOptions) {
    this.base = opts.positionless ? undefined : (opts.base ?? { file: opts.file });
    this.locate = opts.positionless ? undefined : opts.locate;
    this.track = this.locate !== undefined;
  }

  loc(path: JsonPath): SourceLocation | undefined {
    return this.locate?.(path) ?? this.base;
  }

  /** Whether a value is symbolic; remembers having seen one (symbolic objects are not depth-checked). */
  isSym(v: unknown): v is Symbolic {
    if (!isSymbolic(v)) return false;
    this.sawSymbolic = true;
    return true;
  }

  /** A child path; without `locate` nobody reads paths, so none are built. */
  at(path: JsonPath, a: string | number, b?: string | number): JsonPath {
    if (!this.track) return NO_PATH;
    return b === undefined ? [...path, a] : [...path, a, b];
  }

  issue(code: IssueCode, message: string, path: JsonPath, statementIndex?: number): void {
    const i: PolicyIssue = { code, message, location: this.loc(path) };
    if (statementIndex !== undefined) i.statementIndex = statementIndex;
    this.issues.push(i);
  }

  document(doc: unknown): { version?: string; id?: string; statements: Statement[] } {
    if (this.isSym(doc)) {
      this.issue('symbolic-structure', `the whole document is computed at deploy time (${show(doc)})`, []);
      return { statements: [] };
    }
    if (!isObj(doc)) {
      this.issue('unparsable', `the document is ${kindOf(doc)}, not a JSON object`, []);
      return { statements: [] };
    }
    const out: { version?: string; id?: string; statements: Statement[] } = { statements: [] };
    let versionKey: string | undefined = hasOwn(doc, 'Version') ? 'Version' : undefined;
    let statementKey: string | undefined = hasOwn(doc, 'Statement') ? 'Statement' : undefined;
    let idKey: string | undefined = hasOwn(doc, 'Id') ? 'Id' : undefined;
    for (const k of Object.keys(doc)) {
      if (k === 'Version' || k === 'Statement' || k === 'Id') continue;
      const known = POLICY_KEYS_LOWER.get(k.toLowerCase());
      this.issue(
        'unknown-policy-key',
        known
          ? `unknown top-level key "${k}" (element names are case-sensitive: "${known}")`
          : `unknown top-level key "${k}"`,
        [k],
      );
      if (known === 'Version' && versionKey === undefined) versionKey = k;
      else if (known === 'Statement' && statementKey === undefined) statementKey = k;
      else if (known === 'Id' && idKey === undefined) idKey = k;
    }
    if (versionKey !== undefined) {
      const v = doc[versionKey];
      if (typeof v === 'string' && VALID_VERSIONS.has(v)) out.version = v;
      else if (!this.isSym(v)) {
        this.issue(
          'unsupported-version',
          `"Version" is ${show(v)}; only "2012-10-17" and "2008-10-17" are accepted`,
          [versionKey],
        );
        if (typeof v === 'string') out.version = v;
      }
    }
    if (idKey !== undefined) {
      const id = doc[idKey];
      if (typeof id === 'string') out.id = id;
      else if (!this.isSym(id)) this.issue('invalid-id', `"Id" is ${kindOf(id)}, not a string`, [idKey]);
    }
    if (statementKey === undefined) {
      this.issue('no-statement', 'the document has no "Statement"', []);
      return out;
    }
    const st = doc[statementKey] as JsonLike;
    if (this.isSym(st)) {
      this.issue('symbolic-structure', `"Statement" is computed at deploy time (${show(st)})`, [
        statementKey,
      ]);
      return out;
    }
    if (Array.isArray(st)) {
      if (st.length === 0) this.issue('empty-statement', '"Statement" is an empty list', [statementKey]);
      let sids: Map<string, number> | undefined;
      for (let i = 0; i < st.length; i++) {
        const s = this.statement(st[i], this.at(NO_PATH, statementKey, i), i);
        out.statements.push(s);
        if (s.sid !== undefined) {
          sids ??= new Map();
          const prev = sids.get(s.sid);
          if (prev !== undefined) {
            this.issue(
              'duplicate-sid',
              `statement ${i} repeats the Sid "${s.sid}" of statement ${prev}`,
              [statementKey, i, 'Sid'],
              i,
            );
          } else sids.set(s.sid, i);
        }
      }
    } else {
      out.statements.push(this.statement(st, this.at(NO_PATH, statementKey), 0));
    }
    return out;
  }

  statement(raw: JsonLike | undefined, path: JsonPath, index: number): Statement {
    const location = this.loc(path);
    if (this.isSym(raw)) {
      this.issue(
        'symbolic-structure',
        `statement ${index} is computed at deploy time (${show(raw)})`,
        path,
        index,
      );
      return { index, effect: 'Allow', principals: [], actions: [], conditions: [], location };
    }
    if (!isObj(raw)) {
      this.issue('invalid-statement', `statement ${index} is ${kindOf(raw)}, not an object`, path, index);
      return { index, effect: 'Allow', principals: [], actions: [], conditions: [], location };
    }
    // Resolve each element's key: the exact spelling, else a case variant (reported, but still used).
    const keys = emptyKeys();
    for (const k in raw) {
      if (STATEMENT_KEY_SET.has(k)) {
        keys[k as StatementKey] = k;
        continue;
      }
      const known = STATEMENT_KEYS_LOWER.get(k.toLowerCase());
      if (known) {
        this.issue(
          'unknown-key',
          `statement ${index} has the key "${k}"; element names are case-sensitive ("${known}")`,
          this.at(path, k),
          index,
        );
        if (!hasOwn(raw, known) && keys[known] === undefined) keys[known] = k;
      } else {
        this.issue('unknown-key', `statement ${index} has the unknown key "${k}"`, this.at(path, k), index);
      }
    }
    const st: Statement = {
      index,
      effect: this.effect(raw, keys.Effect, path, index),
      conditions: [],
      location,
    };

    if (keys.Sid !== undefined) {
      const sid = raw[keys.Sid];
      if (typeof sid === 'string') {
        if (!SID.test(sid)) {
          this.issue(
            'invalid-sid',
            `statement ${index} has the Sid ${show(sid)}; a Sid may hold only letters and digits`,
            this.at(path, keys.Sid),
            index,
          );
        }
        if (sid !== '') st.sid = sid;
      } else if (!this.isSym(sid)) {
        this.issue(
          'invalid-sid',
          `statement ${index} has a Sid that is ${kindOf(sid)}, not a string`,
          this.at(path, keys.Sid),
          index,
        );
      }
    }

    if (keys.NotPrincipal !== undefined) {
      this.issue(
        'not-principal',
        `statement ${index} uses "NotPrincipal", which a role trust policy does not allow`,
        this.at(path, keys.NotPrincipal),
        index,
      );
      st.notPrincipals = this.principals(raw[keys.NotPrincipal], this.at(path, keys.NotPrincipal), index);
    }
    if (keys.Principal !== undefined) {
      st.principals = this.principals(raw[keys.Principal], this.at(path, keys.Principal), index);
    } else if (keys.NotPrincipal === undefined) {
      this.issue('no-principal', `statement ${index} has no "Principal"`, path, index);
    }

    for (const k of ['Resource', 'NotResource'] as const) {
      const key = keys[k];
      if (key !== undefined) {
        this.issue(
          'resource-in-trust-policy',
          `statement ${index} has "${k}", which a role trust policy does not allow`,
          this.at(path, key),
          index,
        );
      }
    }

    if (keys.Action !== undefined)
      st.actions = this.actions(raw[keys.Action], this.at(path, keys.Action), index);
    if (keys.NotAction !== undefined)
      st.notActions = this.actions(raw[keys.NotAction], this.at(path, keys.NotAction), index);
    if (keys.Action !== undefined && keys.NotAction !== undefined) {
      this.issue(
        'action-and-not-action',
        `statement ${index} has both "Action" and "NotAction"`,
        path,
        index,
      );
    } else if (keys.Action === undefined && keys.NotAction === undefined) {
      this.issue('no-action', `statement ${index} has no "Action"`, path, index);
    }

    if (keys.Condition !== undefined)
      st.conditions = this.conditions(raw[keys.Condition], this.at(path, keys.Condition), index);
    return st;
  }

  effect(raw: Obj, key: string | undefined, path: JsonPath, index: number): Effect {
    if (key === undefined) {
      this.issue('missing-effect', `statement ${index} has no "Effect" (judged as Allow)`, path, index);
      return 'Allow';
    }
    const v = raw[key];
    if (v === 'Allow' || v === 'Deny') return v;
    if (this.isSym(v)) {
      this.issue(
        'symbolic-structure',
        `statement ${index} has an "Effect" computed at deploy time (judged as Allow)`,
        this.at(path, key),
        index,
      );
      return 'Allow';
    }
    // IAM accepts the value in any case (AWS's own Account Factory for Terraform ships "allow").
    const lower = typeof v === 'string' ? v.toLowerCase() : '';
    if (lower === 'allow') return 'Allow';
    if (lower === 'deny') return 'Deny';
    this.issue(
      'invalid-effect',
      `statement ${index} has "Effect": ${show(v)}; it must be "Allow" or "Deny" (judged as Allow)`,
      this.at(path, key),
      index,
    );
    return 'Allow';
  }

  principals(v: JsonLike | undefined, path: JsonPath, index: number): Principal[] {
    if (v === '*') return [{ type: '*', value: '*', location: this.loc(path) }];
    if (this.isSym(v)) {
      // The whole principal element is computed: its type is unknown; judge it as an AWS principal.
      return [{ type: 'AWS', value: v, location: this.loc(path) }];
    }
    if (!isObj(v)) {
      this.issue(
        'invalid-principal',
        `statement ${index} has a principal element that is ${show(v)}; it must be "*" or an object`,
        path,
        index,
      );
      // Still judged: a lone string is read as an AWS principal.
      if (typeof v === 'string') return [{ type: 'AWS', value: v, location: this.loc(path) }];
      return [];
    }
    const out: Principal[] = [];
    let n = 0;
    for (const k in v) {
      n++;
      if (!PRINCIPAL_TYPE_SET.has(k)) {
        this.issue(
          'unknown-principal-type',
          `statement ${index} has the unknown principal type "${k}"`,
          this.at(path, k),
          index,
        );
        continue;
      }
      const type = k as PrincipalType;
      const vals = v[k] as JsonLike;
      if (!Array.isArray(vals)) {
        const p = this.at(path, k);
        const value = this.principalValue(vals, type, p, index);
        if (value !== undefined) out.push({ type, value, location: this.loc(p) });
        continue;
      }
      if (vals.length === 0) {
        this.issue(
          'empty-principal',
          `statement ${index} lists no ${type} principal`,
          this.at(path, k),
          index,
        );
      }
      for (let j = 0; j < vals.length; j++) {
        const p = this.at(path, k, j);
        const value = this.principalValue(vals[j] as JsonLike, type, p, index);
        if (value !== undefined) out.push({ type, value, location: this.loc(p) });
      }
    }
    if (n === 0)
      this.issue('empty-principal', `statement ${index} has an empty principal object`, path, index);
    return out;
  }

  principalValue(
    item: JsonLike,
    type: PrincipalType,
    path: JsonPath,
    index: number,
  ): PolicyValue | undefined {
    if (this.isSym(item)) return item;
    let s: string;
    if (typeof item === 'string') s = item;
    else if (typeof item === 'number') s = String(item);
    else {
      this.issue(
        'malformed-principal',
        `statement ${index} has a ${type} principal that is ${kindOf(item)}, not a string`,
        path,
        index,
      );
      return undefined;
    }
    let problem: FormatProblem | undefined;
    if (type === 'AWS') problem = checkAwsPrincipal(s);
    else if (type === 'Service') problem = checkServicePrincipal(s);
    else if (type === 'Federated') problem = checkFederatedPrincipal(s);
    else problem = checkCanonicalUser(s);
    if (problem)
      this.issue(
        problem.code,
        `statement ${index}: ${type} principal ${show(s)}: ${problem.reason}`,
        path,
        index,
      );
    return s;
  }

  actions(v: JsonLike | undefined, path: JsonPath, index: number): PolicyValue[] {
    if (this.isSym(v)) return [v];
    if (typeof v === 'string') {
      const problem = checkAction(v);
      if (problem)
        this.issue(problem.code, `statement ${index}: action ${show(v)}: ${problem.reason}`, path, index);
      return [v];
    }
    const multi = Array.isArray(v);
    const list = multi ? (v as JsonLike[]) : [v as JsonLike];
    if (list.length === 0) this.issue('empty-action', `statement ${index} lists no action`, path, index);
    if (multi && allStrings(list)) {
      // The common case: no copy, the parsed list is the normalised one.
      for (let j = 0; j < list.length; j++) {
        const problem = checkAction(list[j] as string);
        if (problem)
          this.issue(
            problem.code,
            `statement ${index}: action ${show(list[j])}: ${problem.reason}`,
            this.at(path, j),
            index,
          );
      }
      return list as string[];
    }
    const out: PolicyValue[] = [];
    for (let j = 0; j < list.length; j++) {
      const a = list[j];
      const p = multi ? this.at(path, j) : path;
      if (this.isSym(a)) out.push(a);
      else if (typeof a === 'string') {
        const problem = checkAction(a);
        if (problem)
          this.issue(problem.code, `statement ${index}: action ${show(a)}: ${problem.reason}`, p, index);
        out.push(a);
      } else {
        this.issue(
          'invalid-action',
          `statement ${index} has an action that is ${kindOf(a)}, not a string`,
          p,
          index,
        );
      }
    }
    return out;
  }

  conditions(v: JsonLike | undefined, path: JsonPath, index: number): Condition[] {
    if (this.isSym(v)) {
      this.issue(
        'symbolic-structure',
        `statement ${index} has a condition block computed at deploy time (not judged)`,
        path,
        index,
      );
      return [];
    }
    if (!isObj(v)) {
      this.issue(
        'invalid-condition',
        `statement ${index} has a "Condition" that is ${kindOf(v)}, not an object`,
        path,
        index,
      );
      return [];
    }
    const out: Condition[] = [];
    for (const op in v) {
      const block = v[op];
      const opPath = this.at(path, op);
      if (!isKnownOperator(op)) {
        this.issue(
          'unknown-operator',
          `statement ${index} uses the unknown condition operator "${op}"`,
          opPath,
          index,
        );
      }
      if (this.isSym(block)) {
        this.issue(
          'symbolic-structure',
          `statement ${index}: the keys of "${op}" are computed at deploy time (not judged)`,
          opPath,
          index,
        );
        continue;
      }
      if (!isObj(block)) {
        this.issue(
          'invalid-condition',
          `statement ${index}: "${op}" holds ${kindOf(block)}; it must map condition keys to values`,
          opPath,
          index,
        );
        continue;
      }
      for (const key in block) {
        const keyPath = this.at(opPath, key);
        const values = this.conditionValues(block[key] as JsonLike, keyPath, index, op, key);
        out.push({ operator: op, key, values, location: this.loc(keyPath) });
      }
    }
    return out;
  }

  conditionValues(v: JsonLike, path: JsonPath, index: number, op: string, key: string): PolicyValue[] {
    if (typeof v === 'string') return [v];
    const multi = Array.isArray(v);
    const list = multi ? (v as JsonLike[]) : [v];
    if (list.length === 0) {
      this.issue(
        'empty-condition-values',
        `statement ${index}: ${op} on "${key}" has no values`,
        path,
        index,
      );
    }
    if (multi && allStrings(list)) return list as string[];
    const out: PolicyValue[] = [];
    for (let j = 0; j < list.length; j++) {
      const x = list[j] as JsonLike;
      if (typeof x === 'string') out.push(x);
      else if (typeof x === 'boolean' || typeof x === 'number') out.push(String(x));
      else if (this.isSym(x)) out.push(x);
      else {
        this.issue(
          'invalid-condition-value',
          `statement ${index}: ${op} on "${key}" has a value that is ${kindOf(x)}, not a string`,
          multi ? this.at(path, j) : path,
          index,
        );
      }
    }
    return out;
  }
}

/** A valid trust policy nests about 7 levels (document, Statement, statement, Condition, operator, key, values). */
const MAX_DEPTH = 64;

/** Whether `v` nests deeper than `limit` (recursion bounded by `limit`). */
function deeperThan(v: unknown, limit: number): boolean {
  if (typeof v !== 'object' || v === null) return false;
  if (limit === 0) return true;
  if (Array.isArray(v)) {
    for (const x of v) if (typeof x === 'object' && x !== null && deeperThan(x, limit - 1)) return true;
    return false;
  }
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    if (typeof x === 'object' && x !== null && deeperThan(x, limit - 1)) return true;
  }
  return false;
}

/**
 * Parse and validate a role trust policy. `input` is the document (object, possibly with symbolic values),
 * its JSON text, or its URL-encoded JSON text (as the IAM API returns it). Never throws.
 */
export function parseTrustDocument(input: JsonLike | string, opts: ParseTrustOptions): TrustPolicy {
  const parser = new Parser(opts);
  let raw: JsonLike = input;
  if (typeof input === 'string') {
    const d = decodePolicyText(input);
    if (!d.ok) {
      parser.issue('unparsable', `the trust policy cannot be read: ${d.reason}`, []);
      return { statements: [], issues: parser.issues, raw: input, location: parser.loc([]) };
    }
    raw = d.value as JsonLike;
  }
  let doc: { version?: string; id?: string; statements: Statement[] };
  try {
    doc = parser.document(raw);
    // Deep nesting can only sit where the parser found something out of place (a well-formed policy
    // nests about 7 levels) or inside a symbolic value, so only those documents get the depth walk.
    if ((parser.issues.length > 0 || parser.sawSymbolic) && deeperThan(raw, MAX_DEPTH)) {
      const tooDeep = new Parser(opts);
      tooDeep.issue(
        'unparsable',
        `the trust policy nests more than ${MAX_DEPTH} levels deep; no valid policy does`,
        [],
      );
      return { statements: [], issues: tooDeep.issues, raw, location: parser.loc([]) };
    }
  } catch (e) {
    // Defensive: hostile input (getters, cycles from a library caller) must not crash a scan.
    parser.issue('unparsable', `the trust policy cannot be read: ${(e as Error).message}`, []);
    doc = { statements: [] };
  }
  const tp: TrustPolicy = {
    statements: doc.statements,
    issues: parser.issues,
    raw,
    location: parser.loc([]),
  };
  if (doc.version !== undefined) tp.version = doc.version;
  if (doc.id !== undefined) tp.id = doc.id;
  if (doc.version !== '2012-10-17') markLiteralText(doc.statements);
  return tp;
}

/**
 * Under Version 2008-10-17 (or none) IAM does not substitute policy variables: `${aws:username}` is
 * those characters. Conditions whose values hold `${` are marked so the evaluator reads them as text.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
function markLiteralText(statements: readonly Statement[]): void {
  for (const st of statements) {
    for (const c of st.conditions) {
      if (c.values.some((v) => typeof v === 'string' && v.includes('${'))) c.literalText = true;
    }
  }
}

/** The change that fixes an issue, for remediation text. */
export function adviceFor(code: string): string {
  return (
    (ISSUE_ADVICE as Record<string, string>)[code] ?? 'Correct the element so that IAM accepts the document.'
  );
}
