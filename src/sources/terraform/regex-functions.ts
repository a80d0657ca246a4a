/**
 * Regular expressions with RE2 semantics, as Terraform's (Go's `regexp`): `regex`, `regexall` and the
 * `/pattern/` form of `replace`. Matching is linear in the input whatever the pattern; a pattern RE2
 * rejects is never run by another engine.
 */
import { createRequire } from 'node:module';
import type { Matcher, RE2JS } from 're2js';
import type { ScanError } from '../../model/types.js';
import { textOf } from './hcl.js';
import { type CallCtx, type Fn, locPlace } from './scope.js';
import { errSym, NULL, str, sym, type Val, wrap } from './values.js';

/**
 * The RE2 engine (re2js) is large and most configurations call no regex function: it is loaded when
 * the first pattern is compiled, not with the evaluator. Evaluation is synchronous, so it is loaded
 * with `require` (its CommonJS build), which Node caches after the first call; the bundle leaves it
 * to Node for the same reason (a `require` of its own is opaque to esbuild).
 */
const requireHere = createRequire(import.meta.url);

function re2Engine(): typeof RE2JS {
  const re2js: typeof import('re2js') = requireHere('re2js');
  return re2js.RE2JS;
}

export const REGEX_FUNCTIONS: Record<string, Fn> = {
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
};

type Compiled = { ok: true; re: RE2JS } | { ok: false; unknown: Val };

/**
 * Compiles a template's pattern with RE2 semantics, as Terraform does (Go's `regexp`): matching is
 * linear in the input, whatever the pattern. A pattern RE2 rejects (backreferences, lookaround) is
 * never run by another engine: the call is unknown, with a warning naming the expression.
 */
export function compileRe2(pattern: string, c: CallCtx): Compiled {
  const engine = re2Engine();
  try {
    return { ok: true, re: engine.compile(pattern) };
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
    c.ev.warn(w);
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
export function re2Replace(re: RE2JS, input: string, repl: string, c: CallCtx): string {
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
