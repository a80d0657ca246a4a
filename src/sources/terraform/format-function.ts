/**
 * Terraform's `format` and `formatlist`: the format string is read verb by verb (each verb written by
 * format-verbs.ts); an unknown argument stays a symbolic part of a partial template.
 */
import type { ScanError } from '../../model/types.js';
import { renderVerb, type VerbSpec } from './format-verbs.js';
import type { CallCtx, Fn } from './scope.js';
import { assembleTemplate } from './templates.js';
import { boundedJsonText, checkSize, checkText, jsonLength } from './value-length.js';
import { hasSym, NULL, scalarText, str, type TplPart, type Val } from './values.js';

const firstSym = (args: Val[]): Val | undefined => args.find((a) => a.t === 'sym');

export const FORMAT_FUNCTIONS: Record<string, Fn> = {
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
};

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
export function hasUnknown(v: Val): boolean {
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
  c.ev.warn(w);
  return c.unknown();
}
