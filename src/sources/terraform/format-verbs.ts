/**
 * One verb of Terraform's `format()` (https://developer.hashicorp.com/terraform/language/functions/format),
 * applied to a known value: flags (`-`, `+`, ` `, `0`, `#`), width and precision as Go's fmt writes them.
 * A verb or value this does not render exactly as Terraform does is `undefined`: the caller then makes
 * the call unknown instead of giving a different string.
 */
import { DECIMAL } from './type-constraint.js';
import { scalarText, type Val } from './values.js';

export interface VerbSpec {
  flags: string;
  width?: number;
  precision?: number;
  verb: string;
}

/** Text of `v` for `spec`; `json` writes a collection for `%v`. Undefined: not rendered exactly. */
export function renderVerb(spec: VerbSpec, v: Val, json: (v: Val) => string): string | undefined {
  const body = renderBody(spec, v, json);
  if (body === undefined) return undefined;
  return pad(body, spec);
}

function renderBody(spec: VerbSpec, v: Val, json: (v: Val) => string): string | undefined {
  const { verb, precision } = spec;
  switch (verb) {
    case 'v':
      if (spec.flags.includes('#')) return json(v);
      if (v.t === 'list' || v.t === 'obj') return json(v);
      return scalarText(v);
    case 's': {
      const s = v.t === 'list' || v.t === 'obj' ? undefined : scalarText(v);
      if (s === undefined) return undefined;
      return precision === undefined ? s : [...s].slice(0, precision).join('');
    }
    case 'q': {
      const s = v.t === 'list' || v.t === 'obj' ? undefined : scalarText(v);
      return s === undefined ? undefined : JSON.stringify(s);
    }
    case 't':
      if (v.t === 'bool') return v.v ? 'true' : 'false';
      if (v.t === 'str' && (v.v === 'true' || v.v === 'false')) return v.v;
      return undefined;
    case 'd':
    case 'b':
    case 'o':
    case 'x':
    case 'X': {
      const n = numberOf(v);
      if (n === undefined || !Number.isSafeInteger(n)) return undefined;
      const radix = verb === 'd' ? 10 : verb === 'b' ? 2 : verb === 'o' ? 8 : 16;
      let digits = Math.abs(n).toString(radix);
      if (verb === 'X') digits = digits.toUpperCase();
      if (precision !== undefined) digits = digits.padStart(precision, '0');
      if (spec.flags.includes('#') && verb !== 'd') {
        digits = (verb === 'b' ? '0b' : verb === 'o' ? '0' : verb === 'x' ? '0x' : '0X') + digits;
      }
      return sign(n < 0, spec.flags) + digits;
    }
    case 'f':
    case 'e':
    case 'E': {
      const n = numberOf(v);
      if (n === undefined || !Number.isFinite(n)) return undefined;
      const p = precision ?? 6;
      let s = verb === 'f' ? Math.abs(n).toFixed(p) : goExponent(Math.abs(n).toExponential(p));
      if (verb === 'E') s = s.toUpperCase();
      return sign(n < 0, spec.flags) + s;
    }
    default:
      // %g/%G (shortest form with Go's exponent rules) and anything else: not rendered here.
      return undefined;
  }
}

/** A number as `format` takes it: a number, or a string Terraform would convert. */
function numberOf(v: Val): number | undefined {
  if (v.t === 'num') return v.v;
  if (v.t === 'str' && DECIMAL.test(v.v)) return Number(v.v);
  return undefined;
}

function sign(negative: boolean, flags: string): string {
  if (negative) return '-';
  if (flags.includes('+')) return '+';
  if (flags.includes(' ')) return ' ';
  return '';
}

/** JavaScript writes `1e+5`, Go `1e+05`: at least two exponent digits. */
function goExponent(s: string): string {
  return s.replace(/e([-+])(\d)$/, 'e$10$2');
}

/** Width: `-` pads on the right with spaces; `0` pads numbers with zeros after the sign; else spaces on the left. */
function pad(body: string, spec: VerbSpec): string {
  const width = spec.width ?? 0;
  const len = [...body].length;
  if (len >= width) return body;
  const fill = width - len;
  if (spec.flags.includes('-')) return body + ' '.repeat(fill);
  const numeric = 'dboxXfeE'.includes(spec.verb);
  if (spec.flags.includes('0') && numeric && !(spec.precision !== undefined && 'dboxX'.includes(spec.verb))) {
    const m = /^([-+ ]?(?:0[bxX])?)(.*)$/s.exec(body);
    const head = m?.[1] ?? '';
    return head + '0'.repeat(fill) + (m?.[2] ?? body);
  }
  return ' '.repeat(fill) + body;
}
