import path from 'node:path';
import type { SourceLocation } from '../../model/types.js';
import { append } from '../../util/append.js';
import { type ModuleInstance, moduleDisplayPath, type Scope } from './evaluate.js';
import { type Ast, locOf, type SrcFile, textOf } from './hcl.js';
import { decodePolicyValue } from './json-text.js';
import {
  displayText,
  errSym,
  hasSym,
  jsonText,
  NULL,
  scalarText,
  str,
  sym,
  symDescriptions,
  type Val,
  wrap,
} from './values.js';

type Fn = (args: Val[], c: CallCtx) => Val;

interface CallCtx {
  inst: ModuleInstance;
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
  const out = fn(args, { inst, node, loc, unknown });
  return out.loc ? out : { ...out, loc };
}

const firstSym = (args: Val[]): Val | undefined => args.find((a) => a.t === 'sym');

function dedupe(items: Val[]): Val[] {
  const seen = new Set<string>();
  const out: Val[] = [];
  for (const x of items) {
    const k = x.t === 'sym' ? `sym:${x.text}` : jsonText(x);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(x);
  }
  return out;
}

function flatten(v: Val[]): Val[] {
  const out: Val[] = [];
  for (const x of v) {
    if (x.t === 'list') append(out, flatten(x.v));
    else out.push(x);
  }
  return out;
}

function format(fmt: string, args: Val[], c: CallCtx): Val {
  let text = '';
  let symbolic = false;
  const descs: string[] = [];
  let ai = 0;
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i];
    if (ch !== '%') {
      text += ch;
      continue;
    }
    const m = /^%(\[\d+\])?[-+# 0]*\d*(\.\d+)?([a-zA-Z%])/.exec(fmt.slice(i));
    if (!m) {
      text += ch;
      continue;
    }
    i += m[0].length - 1;
    const verb = m[3];
    if (verb === '%') {
      text += '%';
      continue;
    }
    if (m[1]) ai = Number(m[1].slice(1, -1)) - 1;
    const a = args[ai++];
    if (!a) return c.unknown();
    if (a.t === 'sym') {
      symbolic = true;
      text += a.text;
      for (const d of symDescriptions(a)) if (!descs.includes(d)) descs.push(d);
      continue;
    }
    const s = verb === 'q' ? JSON.stringify(displayText(a)) : displayText(a);
    text += s;
  }
  if (symbolic) return sym(descs.join(', '), text, c.loc);
  return str(text, c.loc);
}

function readRelative(c: CallCtx, p: Val): { file?: SrcFile; why?: string } {
  const rel = scalarText(p);
  if (rel === undefined) return { why: p.t === 'sym' ? p.description : 'path is not a string' };
  const abs = path.isAbsolute(rel) ? rel : path.resolve(c.inst.rootDir, rel);
  const file = c.inst.env.readFile(abs, moduleDisplayPath(c.inst.mod, abs));
  return file ? { file } : { why: `${rel} cannot be read` };
}

const FUNCTIONS: Record<string, Fn> = {
  jsonencode: ([v], c) => {
    if (!v) return c.unknown();
    if (v.t === 'sym') return v;
    return { t: 'str', v: jsonText(v), json: v, loc: c.loc };
  },
  jsondecode: ([v], c) => {
    if (!v) return c.unknown();
    const d = decodePolicyValue(v, c.loc);
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
    const n = Math.max(0, ...rest.map((r) => (r.t === 'list' ? r.v.length : 0)));
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
    if (items.some((x) => x.t === 'sym')) {
      const descs = items.flatMap((x) => symDescriptions(x));
      return sym([...new Set(descs)].join(', '), items.map(displayText).join(sep.v), c.loc);
    }
    return str(items.map((x) => scalarText(x) ?? '').join(sep.v));
  },
  concat: (lists, c) => {
    const out: Val[] = [];
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
  distinct: ([l], c) => (l?.t === 'list' ? { t: 'list', v: dedupe(l.v) } : c.unknown(l)),
  flatten: ([l], c) => (l?.t === 'list' ? { t: 'list', v: flatten(l.v) } : c.unknown(l)),
  tolist: ([l], c) => (l?.t === 'list' ? l : c.unknown(l)),
  toset: ([l], c) => (l?.t === 'list' ? { t: 'list', v: dedupe(l.v) } : c.unknown(l)),
  tomap: ([m], c) => (m?.t === 'obj' ? m : c.unknown(m)),
  tostring: ([v], c) =>
    v && scalarText(v) !== undefined ? str(scalarText(v) as string) : v?.t === 'null' ? v : c.unknown(v),
  tonumber: ([v], c) =>
    v?.t === 'num'
      ? v
      : v?.t === 'str' && v.v.trim() !== '' && !Number.isNaN(Number(v.v))
        ? { t: 'num', v: Number(v.v) }
        : c.unknown(v),
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
    return l.v[((i.v % l.v.length) + l.v.length) % l.v.length] as Val;
  },
  contains: ([l, v], c) => {
    if (l?.t !== 'list' || !v || hasSym(v) || l.v.some((x) => x.t === 'sym')) return c.unknown(l);
    return { t: 'bool', v: l.v.some((x) => jsonText(x) === jsonText(v)) };
  },
  one: ([l], c) => {
    if (l?.t !== 'list') return c.unknown(l);
    if (l.v.length === 0) return NULL;
    return l.v.length === 1 ? (l.v[0] as Val) : c.unknown();
  },
  split: ([sep, s], c) => {
    if (sep?.t !== 'str' || s?.t !== 'str') return c.unknown(s?.t === 'sym' ? s : sep);
    return { t: 'list', v: s.v.split(sep.v).map((x) => str(x)) };
  },
  replace: ([s, a, b], c) => {
    if (s?.t !== 'str' || a?.t !== 'str' || b?.t !== 'str') return c.unknown(s);
    if (a.v.length > 1 && a.v.startsWith('/') && a.v.endsWith('/')) {
      try {
        return str(s.v.replace(new RegExp(a.v.slice(1, -1), 'g'), b.v.replace(/\$\{(\d+)\}/g, '$$$1')));
      } catch {
        return c.unknown();
      }
    }
    return str(s.v.split(a.v).join(b.v));
  },
  lower: ([s], c) => (s?.t === 'str' ? str(s.v.toLowerCase()) : c.unknown(s)),
  upper: ([s], c) => (s?.t === 'str' ? str(s.v.toUpperCase()) : c.unknown(s)),
  trimspace: ([s], c) => (s?.t === 'str' ? str(s.v.trim()) : c.unknown(s)),
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
    return { t: 'obj', v: new Map(k.v.map((x, i) => [scalarText(x) as string, v.v[i] ?? NULL])) };
  },
  setunion: (lists, c) =>
    lists.every((l) => l.t === 'list')
      ? { t: 'list', v: dedupe(lists.flatMap((l) => (l.t === 'list' ? l.v : []))) }
      : c.unknown(firstSym(lists)),
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
    ns.every((n) => n.t === 'num')
      ? { t: 'num', v: ns.reduce((m, n) => Math.max(m, n.t === 'num' ? n.v : 0), -Infinity) }
      : c.unknown(firstSym(ns)),
  min: (ns, c) =>
    ns.every((n) => n.t === 'num')
      ? { t: 'num', v: ns.reduce((m, n) => Math.min(m, n.t === 'num' ? n.v : 0), Infinity) }
      : c.unknown(firstSym(ns)),
  range: (ns, c) => {
    if (!ns.every((n) => n.t === 'num')) return c.unknown(firstSym(ns));
    const nums = ns.map((n) => (n.t === 'num' ? n.v : 0));
    const [start, end, step] =
      nums.length === 1 ? [0, nums[0] as number, 1] : [nums[0] as number, nums[1] as number, nums[2] ?? 1];
    const out: Val[] = [];
    for (let i = start; step > 0 ? i < end : i > end; i += step) {
      out.push({ t: 'num', v: i });
      if (out.length > 1000) break;
    }
    return { t: 'list', v: out };
  },
  basename: ([p], c) => (p?.t === 'str' ? str(path.basename(p.v)) : c.unknown(p)),
  dirname: ([p], c) => (p?.t === 'str' ? str(path.dirname(p.v)) : c.unknown(p)),
  abspath: ([p], c) => (p?.t === 'str' ? str(path.resolve(c.inst.rootDir, p.v)) : c.unknown(p)),
  file: ([p], c) => {
    if (!p) return c.unknown();
    const { file, why } = readRelative(c, p);
    if (!file) return errSym(`file(...): ${why}`, wrap(textOf(c.node).trim()), c.loc);
    return fileString(file);
  },
  templatefile: ([p, vars], c) => {
    if (!p) return c.unknown();
    const { file, why } = readRelative(c, p);
    if (!file) return errSym(`templatefile(...): ${why}`, wrap(textOf(c.node).trim()), c.loc);
    const names = new Map<string, Val>();
    if (vars?.t === 'obj') for (const [k, v] of vars.v) names.set(k, v);
    else if (vars && vars.t !== 'null') return c.unknown(vars);
    return c.inst.renderTemplateFile(file, names);
  },
};

/** The content of a file as a string whose offsets map to the file's lines and columns. */
function fileString(file: SrcFile): Val {
  const segs: { out: number; line: number; col: number }[] = [{ out: 0, line: 1, col: 1 }];
  let line = 1;
  for (let i = file.text.indexOf('\n'); i !== -1; i = file.text.indexOf('\n', i + 1)) {
    line++;
    segs.push({ out: i + 1, line, col: 1 });
  }
  return {
    t: 'str',
    v: file.text,
    loc: { file: file.path, line: 1, column: 1 },
    map: { file: file.path, segs },
  };
}
