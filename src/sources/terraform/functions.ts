import path from 'node:path';
import { type Matcher, RE2JS } from 're2js';
import type { ScanError, SourceLocation } from '../../model/types.js';
import type { BudgetMeter } from '../../scan/budgets.js';
import { append } from '../../util/append.js';
import {
  assembleTemplate,
  boundedJsonText,
  jsonLength,
  locPlace,
  type ModuleInstance,
  type Scope,
} from './evaluate.js';
import { FILE_FUNCTIONS } from './file-functions.js';
import { renderVerb, type VerbSpec } from './format-verbs.js';
import { type Ast, locOf, textOf } from './hcl.js';
import { decodePolicyValue } from './json-text.js';
import { DECIMAL } from './type-constraint.js';
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

export type Fn = (args: Val[], c: CallCtx) => Val;

export interface CallCtx {
  inst: ModuleInstance;
  /** The root module's budgets and counts (`inst.meter`). */
  meter: BudgetMeter;
  node: Ast;
  loc: SourceLocation;
  /** Symbolic result naming the call. */
  unknown(because?: Val): Val;
}

/**
 * Calls a Terraform function. Arguments that are not known make the result symbolic (except where the
 * function can still answer, e.g. `coalesce` with a known first value, `concat` of known and unknown lists).
 */
export function callFunction(
  inst: ModuleInstance,
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
  const fn = FUNCTIONS[name];
  if (!fn) return sym(`${name}(...) (function not evaluated)`, wrap(text), loc);
  let args = argNodes.map((a) => inst.eval(a, scope));
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
  const out = fn(args, { inst, meter: inst.meter, node, loc, unknown });
  // Whatever a function built (file contents, a template, a decoded document) is held to the limits too.
  if (out.t === 'str') inst.meter.length(out.v.length, locPlace(loc));
  else if (out.t === 'list') inst.meter.size(out.v.length, locPlace(loc));
  else if (out.t === 'obj') inst.meter.size(out.v.size, locPlace(loc));
  return out.loc ? out : { ...out, loc };
}

/** Functions that compute on the text of a string argument (see `callFunction`). */
const READS_TEXT = new Set([
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

/** Pre-checks a list of `n` elements (`collection-size`) and counts the work. */
function checkSize(n: number, c: CallCtx): void {
  c.meter.elements(n, locPlace(c.loc));
}

/** Pre-checks a string of `n` characters (`string-length`) and counts the work. */
function checkText(n: number, c: CallCtx): void {
  c.meter.text(n, locPlace(c.loc));
}

/**
 * One `%` verb of a format string: `%[n]`, flags, width (not starting with 0, which is a flag),
 * precision, verb. Unambiguous, so a failed match never backtracks. A new RegExp per call: a sticky
 * one keeps its position in `lastIndex`.
 */
const VERB_SOURCE = String.raw`%(\[\d+\])?([-+# 0]*)([1-9]\d*)?(?:\.(\d*))?([a-zA-Z%])`;

/**
 * `format`: known arguments are written as Terraform writes them (format-verbs.ts); an unknown argument
 * (or a document holding unknowns) stays a symbolic part of a partial template, never its `${...}` text.
 */
function format(fmt: string, args: Val[], c: CallCtx): Val {
  const parts: TplPart[] = [];
  let text = '';
  let total = 0;
  let ai = 0;
  const limit = c.meter.budgets['string-length'];
  const verbRe = new RegExp(VERB_SOURCE, 'y');
  const flush = (): void => {
    if (text) parts.push({ lit: text });
    text = '';
  };
  for (let i = 0; i < fmt.length; i++) {
    if (total + text.length > limit) checkText(total + text.length, c);
    const ch = fmt[i];
    if (ch !== '%') {
      const next = fmt.indexOf('%', i);
      const stop = next === -1 ? fmt.length : next;
      text += fmt.slice(i, stop);
      i = stop - 1;
      continue;
    }
    verbRe.lastIndex = i;
    const m = verbRe.exec(fmt);
    if (!m) return c.unknown();
    i += m[0].length - 1;
    const verb = m[5] as string;
    if (verb === '%') {
      text += '%';
      continue;
    }
    if (m[1]) ai = Number(m[1].slice(1, -1)) - 1;
    const a = args[ai++];
    if (!a) return c.unknown();
    if (hasUnknown(a)) {
      // Only a plain `%s` / `%v` keeps the value's own text; anything else depends on the value.
      if ((verb !== 's' && verb !== 'v') || m[2] || m[3] || m[4] !== undefined) return c.unknown(a);
      flush();
      parts.push({ val: a });
      total += partTextLength(a, c);
      continue;
    }
    const spec: VerbSpec = { flags: m[2] ?? '', verb };
    if (m[3]) spec.width = Number(m[3]);
    if (m[4] !== undefined) spec.precision = m[4] === '' ? 0 : Number(m[4]);
    if (spec.width !== undefined && spec.width > limit) checkText(spec.width, c);
    if (a.t === 'list' || a.t === 'obj') jsonLength(a, c.meter, c.loc);
    const s = renderVerb(spec, a, (v) => boundedJsonText(v, c.meter, c.loc));
    if (s === undefined) return unrendered(c, m[0]);
    if (total + text.length + s.length > limit) checkText(total + text.length + s.length, c);
    text += s;
  }
  flush();
  for (const p of parts) if ('lit' in p) total += p.lit.length;
  checkText(total, c);
  if (parts.length === 0) return str('', c.loc);
  return assembleTemplate(parts, c.loc, c.meter);
}

/** Does a value hold an unknown anywhere, including inside a document that `jsonencode` or a policy document built? */
function hasUnknown(v: Val): boolean {
  return hasSym(v);
}

function partTextLength(v: Val, c: CallCtx): number {
  if (v.t === 'sym') return v.text.length;
  if (v.t === 'list' || v.t === 'obj') return jsonLength(v, c.meter, c.loc);
  return (scalarText(v) ?? '').length;
}

/** A verb this reader does not write exactly as Terraform does: the call is unknown, with a warning. */
function unrendered(c: CallCtx, verb: string): Val {
  const w: ScanError = {
    source: 'terraform',
    code: 'function-not-evaluated',
    message: `format verb ${JSON.stringify(verb)} is not evaluated for this value; the call's value is unknown`,
    file: c.loc.file,
  };
  if (c.loc.line !== undefined) w.line = c.loc.line;
  if (c.loc.column !== undefined) w.column = c.loc.column;
  c.inst.env.warn(w);
  return c.unknown();
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
  format: ([f, ...rest], c) => {
    if (f?.t !== 'str') return c.unknown(f);
    return format(f.v, rest, c);
  },
  formatlist: ([f, ...rest], c) => {
    if (f?.t !== 'str') return c.unknown(f);
    const s = firstSym(rest);
    if (s) return c.unknown(s);
    let n = 0;
    for (const r of rest) if (r.t === 'list') n = Math.max(n, r.v.length);
    checkSize(n, c);
    const out: Val[] = [];
    for (let i = 0; i < n; i++)
      out.push(
        format(
          f.v,
          rest.map((r) => (r.t === 'list' ? (r.v[i] ?? NULL) : r)),
          c,
        ),
      );
    return { t: 'list', v: out };
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
  regex: ([p, s], c) => {
    if (p?.t !== 'str' || s?.t !== 'str') return c.unknown(p?.t === 'str' ? s : p);
    const re = compileRe2(p.v, c);
    if (!re.ok) return re.unknown;
    const m = re.re.matcher(s.v);
    if (!m.find())
      return errSym(`regex(...): the pattern does not match`, wrap(textOf(c.node).trim()), c.loc);
    return captures(re.re, m);
  },
  regexall: ([p, s], c) => {
    if (p?.t !== 'str' || s?.t !== 'str') return c.unknown(p?.t === 'str' ? s : p);
    const re = compileRe2(p.v, c);
    if (!re.ok) return re.unknown;
    const m = re.re.matcher(s.v);
    const out: Val[] = [];
    while (m.find()) {
      c.meter.grow(out.length + 1, locPlace(c.loc));
      out.push(captures(re.re, m));
    }
    return { t: 'list', v: out };
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
  abspath: ([p], c) => (p?.t === 'str' ? str(path.resolve(c.inst.rootDir, p.v)) : c.unknown(p)),
  // Paths go through the scan root: file-functions.ts.
  ...FILE_FUNCTIONS,
};

// ---------------------------------------------------------------- regular expressions (RE2)

type Compiled = { ok: true; re: RE2JS } | { ok: false; unknown: Val };

/**
 * Compiles a template's pattern with RE2 semantics, as Terraform does (Go's `regexp`): matching is
 * linear in the input, whatever the pattern. A pattern RE2 rejects (backreferences, lookaround) is
 * never run by another engine: the call is unknown, with a warning naming the expression.
 */
function compileRe2(pattern: string, c: CallCtx): Compiled {
  try {
    return { ok: true, re: RE2JS.compile(pattern) };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const w: ScanError = {
      source: 'terraform',
      code: 'regex-unsupported',
      message: `the regular expression ${JSON.stringify(pattern.slice(0, 80))} is not valid RE2 syntax, which Terraform uses (${why}); the call's value is unknown`,
      file: c.loc.file,
    };
    if (c.loc.line !== undefined) w.line = c.loc.line;
    if (c.loc.column !== undefined) w.column = c.loc.column;
    c.inst.env.warn(w);
    const name = textOf(c.node).trim();
    return {
      ok: false,
      unknown: sym(`${name.slice(0, name.indexOf('(') + 1)}...) (pattern is not RE2)`, wrap(name), c.loc),
    };
  }
}

/** The value `regex` gives for one match: the match, the list of groups, or the map of named groups. */
function captures(re: RE2JS, m: Matcher): Val {
  const count = m.groupCount();
  if (count === 0) return str(m.group() ?? '');
  const named = re.namedGroups();
  const names = Object.keys(named);
  const groupVal = (g: string | null): Val => (g === null ? NULL : str(g));
  if (names.length > 0) {
    const out = new Map<string, Val>();
    for (const n of names) out.set(n, groupVal(m.group(named[n] as number)));
    return { t: 'obj', v: out };
  }
  const out: Val[] = [];
  for (let i = 1; i <= count; i++) out.push(groupVal(m.group(i)));
  return { t: 'list', v: out };
}

/**
 * `replace` with a `/pattern/`: every match replaced by `repl`, where `$1`, `${1}`, `$name` and
 * `${name}` stand for groups and `$$` for a dollar sign (Go's `Regexp.Expand`). The result is checked
 * against `string-length` as it grows.
 */
function re2Replace(re: RE2JS, input: string, repl: string, c: CallCtx): string {
  const limit = c.meter.budgets['string-length'];
  const named = re.namedGroups();
  const m = re.matcher(input);
  let out = '';
  let last = 0;
  let lastMatchEnd = -1;
  while (m.find()) {
    const start = m.start();
    const end = m.end();
    c.meter.step(1, locPlace(c.loc));
    // Go does not replace an empty match right after the previous match.
    if (start === end && start === lastMatchEnd) continue;
    out += input.slice(last, start) + expandGo(repl, m, named);
    if (out.length > limit) c.meter.text(out.length, locPlace(c.loc));
    last = end;
    lastMatchEnd = end;
  }
  out += input.slice(last);
  c.meter.text(out.length, locPlace(c.loc));
  return out;
}

function expandGo(repl: string, m: Matcher, named: Record<string, number>): string {
  if (!repl.includes('$')) return repl;
  let out = '';
  for (let i = 0; i < repl.length; i++) {
    const ch = repl[i] as string;
    if (ch !== '$' || i + 1 >= repl.length) {
      out += ch;
      continue;
    }
    if (repl[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string | undefined;
    let next = i;
    if (repl[i + 1] === '{') {
      const close = repl.indexOf('}', i + 2);
      const inner = close === -1 ? '' : repl.slice(i + 2, close);
      if (/^\w+$/.test(inner)) {
        name = inner;
        next = close;
      }
    } else {
      const word = /^\w+/.exec(repl.slice(i + 1, i + 1 + 256))?.[0];
      if (word) {
        name = word;
        next = i + word.length;
      }
    }
    if (name === undefined) {
      out += '$';
      continue;
    }
    i = next;
    const index = /^\d+$/.test(name) ? Number(name) : named[name];
    if (index !== undefined && index <= m.groupCount()) out += m.group(index) ?? '';
  }
  return out;
}
