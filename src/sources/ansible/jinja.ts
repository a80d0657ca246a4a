/**
 * The small part of Jinja that trust documents use, read without evaluating anything: a string is cut
 * into literal text and `{{ … }}` expressions, and an expression into a base (a variable path, a quoted
 * string, a `lookup('file'|'template', …)`) and its filters. Everything else is left to the caller to
 * keep as an unknown named by its text.
 */

export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'expr'; expr: string; raw: string }
  /** `{% … %}` or `{# … #}`: control flow or a comment, never evaluated. */
  | { kind: 'stmt'; raw: string };

/** Does the string hold any Jinja markup? */
export function hasJinja(s: string): boolean {
  return s.includes('{{') || s.includes('{%') || s.includes('{#');
}

/** Cut a string into text and Jinja parts. An unterminated `{{` is kept as text, as Jinja would fail. */
export function splitTemplate(s: string): TemplatePart[] {
  const out: TemplatePart[] = [];
  let i = 0;
  let text = '';
  while (i < s.length) {
    const open = s.slice(i, i + 2);
    if (open === '{{' || open === '{%' || open === '{#') {
      const closeMark = open === '{{' ? '}}' : open === '{%' ? '%}' : '#}';
      const close = findClose(s, i + 2, closeMark);
      if (close < 0) {
        text += s.slice(i);
        break;
      }
      if (text !== '') out.push({ kind: 'text', text });
      text = '';
      const raw = s.slice(i, close + 2);
      if (open === '{{') out.push({ kind: 'expr', expr: s.slice(i + 2, close).trim(), raw });
      else out.push({ kind: 'stmt', raw });
      i = close + 2;
      continue;
    }
    text += s[i];
    i++;
  }
  if (text !== '') out.push({ kind: 'text', text });
  return out;
}

/** The end marker of an expression, skipping quoted strings (`{{ '}}' }}`). */
function findClose(s: string, from: number, mark: string): number {
  let quote: string | undefined;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (s.startsWith(mark, i)) return i;
  }
  return -1;
}

/** Split at a separator that is outside quotes and brackets. */
export function splitTopLevel(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && c === sep) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(s.slice(start).trim());
  return out;
}

export type Base =
  | { kind: 'var'; name: string; path: (string | number)[] }
  | { kind: 'string'; value: string }
  | { kind: 'lookup'; plugin: string; args: string[] }
  | { kind: 'other' };

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;
const QUOTED = /^(?:'([^'\\]*)'|"([^"\\]*)")$/;

/** A quoted string literal without escapes, else undefined. */
export function stringLiteral(s: string): string | undefined {
  const m = QUOTED.exec(s.trim());
  if (!m) return undefined;
  return m[1] ?? m[2] ?? '';
}

/** `a.b['c'][0]` -> name `a`, path `['b', 'c', 0]`; anything else is not a variable path. */
function varPath(s: string): Base | undefined {
  const m = IDENT.exec(s);
  if (!m) return undefined;
  const name = m[0];
  if (name === 'true' || name === 'false' || name === 'none' || name === 'True' || name === 'False')
    return undefined;
  const path: (string | number)[] = [];
  let rest = s.slice(name.length);
  while (rest !== '') {
    const dot = /^\.\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
    if (dot) {
      path.push(dot[1] as string);
      rest = rest.slice(dot[0].length);
      continue;
    }
    const idx = /^\[\s*(?:(\d+)|'([^'\\]*)'|"([^"\\]*)")\s*\]/.exec(rest);
    if (idx) {
      path.push(idx[1] !== undefined ? Number(idx[1]) : (idx[2] ?? idx[3] ?? ''));
      rest = rest.slice(idx[0].length);
      continue;
    }
    return undefined;
  }
  return { kind: 'var', name, path };
}

/** The base of an expression (before its first filter). */
export function parseBase(s: string): Base {
  const t = s.trim();
  const lit = stringLiteral(t);
  if (lit !== undefined) return { kind: 'string', value: lit };
  const call = /^(lookup|query|q)\s*\(([\s\S]*)\)$/.exec(t);
  if (call) {
    const args = splitTopLevel(call[2] as string, ',');
    const plugin = stringLiteral(args[0] ?? '');
    if (plugin !== undefined) return { kind: 'lookup', plugin, args: args.slice(1) };
    return { kind: 'other' };
  }
  return varPath(t) ?? { kind: 'other' };
}

/** A filter as written: `to_json`, `to_nice_json(indent=2)`, `default('x')`. */
export function filterName(f: string): string {
  return IDENT.exec(f.trim())?.[0] ?? f.trim();
}

/** Text to put inside `${…}` for an unknown: no braces, so readers of `${…}` placeholders stop at its end. */
export function placeholder(expr: string): string {
  return `\${${expr.replace(/[{}]/g, (c) => (c === '{' ? '(' : ')')).trim()}}`;
}
