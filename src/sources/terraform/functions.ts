/**
 * Terraform's built-in functions: the call (arguments evaluated through the `Evaluator`, unknown
 * arguments making the result symbolic, the result held to the budgets) and the collection, string,
 * number and encoding functions. Format, regular-expression and file functions have their own modules.
 */
import path from 'node:path';
import type { ScanError } from '../../model/types.js';
import { append } from '../../util/append.js';
import { FILE_FUNCTIONS } from './file-functions.js';
import { FORMAT_FUNCTIONS, hasUnknown } from './format-function.js';
import { type Ast, locOf, textOf } from './hcl.js';
import { decodePolicyValue } from './json-text.js';
import { compileRe2, REGEX_FUNCTIONS, re2Replace } from './regex-functions.js';
import { type CallCtx, type Evaluator, type Fn, locPlace, type Scope } from './scope.js';
import { assembleTemplate } from './templates.js';
import { DECIMAL } from './type-constraint.js';
import { boundedJsonText, checkSize, checkText, jsonLength } from './value-length.js';
import {
  displayText,
  errSym,
  hasSym,
  NULL,
  scalarText,
  str,
  sym,
  symDescriptions,
  type TplPart,
  type Val,
  wrap,
} from './values.js';

/**
 * Calls a Terraform function. Arguments that are not known make the result symbolic (except where the
 * function can still answer, e.g. `coalesce` with a known first value, `concat` of known and unknown lists).
 */
export function callFunction(
  ev: Evaluator,
  name: string,
  argNodes: Ast[],
  expandLast: boolean,
  node: Ast,
  scope: Scope,
): Val {
  const loc = locOf(node);
  const text = textOf(node).trim();
  const unknown = (because?: Val): Val => {
    const d = because ? symDescriptions(because) : [];
    return sym(d.length ? `${name}(...) of ${d.join(', ')}` : `${name}(...)`, wrap(text), loc);
  };
  // Own names only: a call named like an inherited property (`toString`, `constructor`) is no function.
  const fn = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (!fn) {
    const w: ScanError = {
      source: 'terraform',
      code: 'function-not-evaluated',
      message: `${name}() is not a function this scan evaluates; the call's value is unknown`,
      file: loc.file,
    };
    if (loc.line !== undefined) w.line = loc.line;
    if (loc.column !== undefined) w.column = loc.column;
    ev.warn(w);
    return sym(`${name}(...) (function not evaluated)`, wrap(text), loc);
  }
  let args = argNodes.map((a) => ev.eval(a, scope));
  if (expandLast && args.length > 0) {
    const last = args[args.length - 1] as Val;
    if (last.t === 'list') args = [...args.slice(0, -1), ...last.v];
    else if (last.t === 'sym') return unknown(last);
  }
  // A document holding unknowns has `${...}` placeholders in its text: a function that reads the text
  // would compute on them as if they were policy text. Its result is unknown instead.
  if (READS_TEXT.has(name)) {
    const partial = args.find((a) => a.t === 'str' && a.json !== undefined && hasSym(a.json));
    if (partial) return unknown(partial);
  }
  const out = fn(args, { ev, meter: ev.meter, node, loc, unknown });
  // Whatever a function built (file contents, a template, a decoded document) is held to the limits too.
  if (out.t === 'str') ev.meter.length(out.v.length, locPlace(loc));
  else if (out.t === 'list') ev.meter.size(out.v.length, locPlace(loc));
  else if (out.t === 'obj') ev.meter.size(out.v.size, locPlace(loc));
  return out.loc ? out : { ...out, loc };
}

/** Functions that compute on the text of a string argument (see `callFunction`). */
const READS_TEXT: ReadonlySet<string> = new Set([
  'split',
  'replace',
  'regex',
  'regexall',
  'lower',
  'upper',
  'trimprefix',
  'trimsuffix',
  'startswith',
  'endswith',
  'substr',
  'length',
  'tonumber',
  'tobool',
  'basename',
  'dirname',
  'abspath',
  'lookup',
  'compact',
  'sort',
]);

const firstSym = (args: Val[]): Val | undefined => args.find((a) => a.t === 'sym');

function dedupe(items: Val[], c: CallCtx): Val[] {
  const seen = new Set<string>();
  const out: Val[] = [];
  for (const x of items) {
    const k = x.t === 'sym' ? `sym:${x.text}` : boundedJsonText(x, c.meter, c.loc);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(x);
  }
  return out;
}

/** `flatten`, without recursion (the nesting of the input is the input's), counting every element. */
function flatten(v: Val[], c: CallCtx): Val[] {
  const out: Val[] = [];
  const stack: { items: Val[]; i: number }[] = [{ items: v, i: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as { items: Val[]; i: number };
    if (top.i >= top.items.length) {
      stack.pop();
      continue;
    }
    const x = top.items[top.i++] as Val;
    if (x.t === 'list') stack.push({ items: x.v, i: 0 });
    else {
      c.meter.grow(out.length + 1, locPlace(c.loc));
      out.push(x);
    }
  }
  return out;
}

/**
 * `join`: known items are joined; unknown items (or documents holding unknowns) stay symbolic parts of
 * a partial template. A null item is an error in Terraform.
 */
function joinParts(sep: string, items: Val[], c: CallCtx): Val {
  const parts: TplPart[] = [];
  let text = '';
  for (let i = 0; i < items.length; i++) {
    const x = items[i] as Val;
    if (i > 0) text += sep;
    if (x.t === 'null') return errSym(`join(...): element ${i} is null`, wrap(textOf(c.node).trim()), c.loc);
    if (x.t === 'list' || x.t === 'obj') return c.unknown(x);
    if (hasUnknown(x)) {
      if (text) parts.push({ lit: text });
      text = '';
      parts.push({ val: x });
    } else text += scalarText(x) ?? '';
  }
  if (text) parts.push({ lit: text });
  if (parts.length === 0) return str('', c.loc);
  return assembleTemplate(parts, c.loc, c.meter);
}

const FUNCTIONS: Record<string, Fn> = {
  // Sensitivity only hides a value in Terraform's output; the value is the same.
  sensitive: ([v], c) => v ?? c.unknown(),
  nonsensitive: ([v], c) => v ?? c.unknown(),
  jsonencode: ([v], c) => {
    if (!v) return c.unknown();
    if (v.t === 'sym') return v;
    return { t: 'str', v: boundedJsonText(v, c.meter, c.loc), json: v, loc: c.loc };
  },
  jsondecode: ([v], c) => {
    if (!v) return c.unknown();
    const d = decodePolicyValue(v, c.loc, c.meter.budgets['nesting-depth']);
    return d.ok ? d.val : c.unknown(v);
  },
  join: ([sep, ...lists], c) => {
    if (sep?.t !== 'str') return c.unknown(sep);
    const items: Val[] = [];
    for (const l of lists) {
      if (l.t !== 'list') return c.unknown(l);
      append(items, l.v);
    }
    let total = Math.max(0, items.length - 1) * sep.v.length;
    for (const x of items)
      total += x.t === 'list' || x.t === 'obj' ? jsonLength(x, c.meter) : displayText(x).length;
    checkText(total, c);
    return joinParts(sep.v, items, c);
  },
  concat: (lists, c) => {
    const out: Val[] = [];
    checkSize(
      lists.reduce((n, l) => n + (l.t === 'list' ? l.v.length : 1), 0),
      c,
    );
    for (const l of lists) {
      if (l.t === 'list') append(out, l.v);
      else if (l.t === 'sym') out.push(l);
      else return c.unknown(l);
    }
    return { t: 'list', v: out };
  },
  compact: ([l], c) => {
    if (l?.t !== 'list') return c.unknown(l);
    return { t: 'list', v: l.v.filter((x) => x.t !== 'null' && !(x.t === 'str' && x.v === '')) };
  },
  distinct: ([l], c) => (l?.t === 'list' ? { t: 'list', v: dedupe(l.v, c) } : c.unknown(l)),
  flatten: ([l], c) => (l?.t === 'list' ? { t: 'list', v: flatten(l.v, c) } : c.unknown(l)),
  tolist: ([l], c) => (l?.t === 'list' ? l : c.unknown(l)),
  // A set of strings is iterated in lexical order (what `for_each` instance keys follow).
  toset: ([l], c) => {
    if (l?.t !== 'list') return c.unknown(l);
    const items = dedupe(l.v, c);
    if (items.every((x) => x.t === 'str'))
      items.sort((a, b) => ((a as { v: string }).v < (b as { v: string }).v ? -1 : 1));
    return { t: 'list', v: items };
  },
  tomap: ([m], c) => (m?.t === 'obj' ? m : c.unknown(m)),
  tostring: ([v], c) =>
    v?.t === 'str'
      ? v
      : v && scalarText(v) !== undefined
        ? str(scalarText(v) as string)
        : v?.t === 'null'
          ? v
          : c.unknown(v),
  tonumber: ([v], c) =>
    v?.t === 'num' ? v : v?.t === 'str' && DECIMAL.test(v.v) ? { t: 'num', v: Number(v.v) } : c.unknown(v),
  tobool: ([v], c) =>
    v?.t === 'bool'
      ? v
      : v?.t === 'str' && (v.v === 'true' || v.v === 'false')
        ? { t: 'bool', v: v.v === 'true' }
        : c.unknown(v),
  lookup: ([m, k, d], c) => {
    if (!m || !k) return c.unknown();
    if (m.t !== 'obj') return c.unknown(m);
    const key = scalarText(k);
    if (key === undefined) return c.unknown(k);
    return m.v.get(key) ?? d ?? c.unknown();
  },
  merge: (maps, c) => {
    const out = new Map<string, Val>();
    for (const m of maps) {
      if (m.t === 'null') continue;
      if (m.t !== 'obj') return c.unknown(m);
      checkSize(out.size + m.v.size, c);
      for (const [k, v] of m.v) out.set(k, v);
    }
    return { t: 'obj', v: out };
  },
  coalesce: (args, c) => {
    for (const a of args) {
      if (a.t === 'sym') return c.unknown(a);
      if (a.t !== 'null' && !(a.t === 'str' && a.v === '')) return a;
    }
    return c.unknown();
  },
  coalescelist: (args, c) => {
    for (const a of args) {
      if (a.t === 'sym') return c.unknown(a);
      if (a.t === 'list' && a.v.length > 0) return a;
    }
    return { t: 'list', v: [] };
  },
  length: ([v], c) => {
    if (v?.t === 'list') return { t: 'num', v: v.v.length };
    if (v?.t === 'obj') return { t: 'num', v: v.v.size };
    if (v?.t === 'str') return { t: 'num', v: [...v.v].length };
    return c.unknown(v);
  },
  keys: ([m], c) =>
    m?.t === 'obj' ? { t: 'list', v: [...m.v.keys()].sort().map((k) => str(k)) } : c.unknown(m),
  values: ([m], c) =>
    m?.t === 'obj'
      ? { t: 'list', v: [...m.v.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v) }
      : c.unknown(m),
  element: ([l, i], c) => {
    if (l?.t !== 'list' || i?.t !== 'num' || l.v.length === 0) return c.unknown(l?.t === 'sym' ? l : i);
    // Terraform rejects a negative index (it wraps only past the end).
    if (i.v < 0 || !Number.isInteger(i.v))
      return errSym('element(...): the index is negative or not whole', wrap(textOf(c.node).trim()), c.loc);
    return l.v[((i.v % l.v.length) + l.v.length) % l.v.length] as Val;
  },
  contains: ([l, v], c) => {
    if (l?.t !== 'list' || !v || hasSym(v) || l.v.some((x) => x.t === 'sym')) return c.unknown(l);
    const want = boundedJsonText(v, c.meter, c.loc);
    return { t: 'bool', v: l.v.some((x) => boundedJsonText(x, c.meter, c.loc) === want) };
  },
  one: ([l], c) => {
    if (l?.t !== 'list') return c.unknown(l);
    if (l.v.length === 0) return NULL;
    return l.v.length === 1 ? (l.v[0] as Val) : c.unknown();
  },
  split: ([sep, s], c) => {
    if (sep?.t !== 'str' || s?.t !== 'str') return c.unknown(s?.t === 'sym' ? s : sep);
    const limit = c.meter.budgets['collection-size'];
    const parts = s.v.split(sep.v, limit + 1);
    checkSize(parts.length, c);
    return { t: 'list', v: parts.map((x) => str(x)) };
  },
  replace: ([s, a, b], c) => {
    if (s?.t !== 'str' || a?.t !== 'str' || b?.t !== 'str') return c.unknown(s);
    if (a.v.length > 1 && a.v.startsWith('/') && a.v.endsWith('/')) {
      const re = compileRe2(a.v.slice(1, -1), c);
      return re.ok ? str(re2Replace(re.re, s.v, b.v, c)) : re.unknown;
    }
    if (a.v === '') return str(s.v);
    let count = 0;
    for (let i = s.v.indexOf(a.v); i !== -1; i = s.v.indexOf(a.v, i + a.v.length)) count++;
    checkText(s.v.length + count * (b.v.length - a.v.length), c);
    return str(s.v.split(a.v).join(b.v));
  },
  lower: ([s], c) => (s?.t === 'str' ? str(s.v.toLowerCase()) : c.unknown(s)),
  upper: ([s], c) => (s?.t === 'str' ? str(s.v.toUpperCase()) : c.unknown(s)),
  // The text of a document (jsonencode, a policy document) never starts or ends with a space.
  trimspace: ([s], c) => (s?.t === 'str' ? (s.json ? s : str(s.v.replace(/^\s+|\s+$/gu, ''))) : c.unknown(s)),
  trimprefix: ([s, p], c) =>
    s?.t === 'str' && p?.t === 'str' ? str(s.v.startsWith(p.v) ? s.v.slice(p.v.length) : s.v) : c.unknown(s),
  trimsuffix: ([s, p], c) =>
    s?.t === 'str' && p?.t === 'str'
      ? str(s.v.endsWith(p.v) ? s.v.slice(0, s.v.length - p.v.length) : s.v)
      : c.unknown(s),
  startswith: ([s, p], c) =>
    s?.t === 'str' && p?.t === 'str' ? { t: 'bool', v: s.v.startsWith(p.v) } : c.unknown(s),
  endswith: ([s, p], c) =>
    s?.t === 'str' && p?.t === 'str' ? { t: 'bool', v: s.v.endsWith(p.v) } : c.unknown(s),
  substr: ([s, o, l], c) =>
    s?.t === 'str' && o?.t === 'num' && l?.t === 'num'
      ? str(s.v.substr(o.v, l.v < 0 ? undefined : l.v))
      : c.unknown(s),
  sort: ([l], c) =>
    l?.t === 'list' && l.v.every((x) => scalarText(x) !== undefined)
      ? {
          t: 'list',
          v: [...l.v].sort((a, b) => ((scalarText(a) as string) < (scalarText(b) as string) ? -1 : 1)),
        }
      : c.unknown(l),
  zipmap: ([k, v], c) => {
    if (k?.t !== 'list' || v?.t !== 'list' || k.v.some((x) => scalarText(x) === undefined))
      return c.unknown(k);
    if (k.v.length !== v.v.length)
      return errSym('zipmap(...): the lists differ in length', wrap(textOf(c.node).trim()), c.loc);
    return { t: 'obj', v: new Map(k.v.map((x, i) => [scalarText(x) as string, v.v[i] ?? NULL])) };
  },
  setunion: (lists, c) => {
    if (!lists.every((l) => l.t === 'list')) return c.unknown(firstSym(lists));
    checkSize(
      lists.reduce((n, l) => n + (l.t === 'list' ? l.v.length : 0), 0),
      c,
    );
    return {
      t: 'list',
      v: dedupe(
        lists.flatMap((l) => (l.t === 'list' ? l.v : [])),
        c,
      ),
    };
  },
  // Unknown values are not errors: try() returns the first argument Terraform would not reject.
  try: (args, c) => args.find((a) => !(a.t === 'sym' && a.err)) ?? c.unknown(args[0]),
  can: ([v], c) =>
    v?.t === 'sym' && v.err
      ? { t: 'bool', v: false }
      : v && !hasSym(v)
        ? { t: 'bool', v: true }
        : c.unknown(v),
  abs: ([n], c) => (n?.t === 'num' ? { t: 'num', v: Math.abs(n.v) } : c.unknown(n)),
  max: (ns, c) =>
    ns.length > 0 && ns.every((n) => n.t === 'num')
      ? { t: 'num', v: ns.reduce((m, n) => Math.max(m, n.t === 'num' ? n.v : 0), -Infinity) }
      : c.unknown(firstSym(ns)),
  min: (ns, c) =>
    ns.length > 0 && ns.every((n) => n.t === 'num')
      ? { t: 'num', v: ns.reduce((m, n) => Math.min(m, n.t === 'num' ? n.v : 0), Infinity) }
      : c.unknown(firstSym(ns)),
  range: (ns, c) => {
    if (ns.length === 0 || ns.length > 3 || !ns.every((n) => n.t === 'num')) return c.unknown(firstSym(ns));
    const nums = ns.map((n) => (n.t === 'num' ? n.v : 0));
    const [start, end, step] =
      nums.length === 1
        ? [0, nums[0] as number, 1]
        : [
            nums[0] as number,
            nums[1] as number,
            nums[2] ?? ((nums[1] as number) < (nums[0] as number) ? -1 : 1),
          ];
    if (![start, end, step].every(Number.isFinite) || step === 0)
      return errSym('range(...): the bounds or the step are not valid', wrap(textOf(c.node).trim()), c.loc);
    const count = Math.max(0, Math.ceil((end - start) / step));
    checkSize(count, c);
    const out: Val[] = [];
    for (let k = 0; k < count; k++) out.push({ t: 'num', v: start + k * step });
    return { t: 'list', v: out };
  },
  basename: ([p], c) => (p?.t === 'str' ? str(path.basename(p.v)) : c.unknown(p)),
  dirname: ([p], c) => (p?.t === 'str' ? str(path.dirname(p.v)) : c.unknown(p)),
  abspath: ([p], c) => (p?.t === 'str' ? str(path.resolve(c.ev.rootDir, p.v)) : c.unknown(p)),
  // Paths go through the scan root: file-functions.ts.
  ...FILE_FUNCTIONS,
  ...FORMAT_FUNCTIONS,
  ...REGEX_FUNCTIONS,
};
