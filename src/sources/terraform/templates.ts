/**
 * Templates: quoted strings and heredocs with `${}` interpolations and `%{}` directives (each literal
 * stretch mapped back to its file, line and column), template files (`templatefile()`, the
 * `template_file` data source's text) and the joining of template parts into one value.
 */

import { LineIndex } from '../../model/line-index.js';
import type { SourceLocation } from '../../model/types.js';
import type { BudgetMeter } from '../../scan/budgets.js';
import { decide } from './branches.js';
import {
  type Ast,
  bodyAttrs,
  type HclParser,
  locOf,
  mapPos,
  type SrcFile,
  textOf,
  unescapeQuoted,
} from './hcl.js';
import { childScope, locPlace, type ModuleEvaluator, placeOf, type Scope } from './scope.js';
import { partLength } from './value-length.js';
import {
  displayText,
  errSym,
  hasSym,
  MappedText,
  NULL,
  type SrcMap,
  scalarText,
  str,
  sym,
  symDescriptions,
  type TplPart,
  type Val,
  wrap,
} from './values.js';

/** Quoted strings and heredocs, with `${}` interpolations and `%{}` directives. */
export function evalTemplate(ev: ModuleEvaluator, n: Ast, scope: Scope): Val {
  const loc = locOf(n);
  const parts = templateParts(ev, n, scope);
  return assembleTemplate(parts, loc, ev.meter);
}

function templateParts(ev: ModuleEvaluator, n: Ast, scope: Scope): TplPart[] {
  const src = n.f.text;
  if (n.type === 'heredoc_template') {
    const ids = n.kids.filter((k) => k.type === 'heredoc_identifier');
    const open = ids[0];
    const close = ids.length > 1 ? ids[ids.length - 1] : undefined;
    const flush = n.kids.find((k) => k.type === 'heredoc_start')?.op === '<<-';
    if (!open || !close) return [];
    const nl = src.indexOf('\n', open.ei);
    const start = nl === -1 ? open.ei : nl + 1;
    const end = src.lastIndexOf('\n', close.si) + 1;
    const inner = n.kids.filter((k) => k.si >= start && k.ei <= Math.max(end, start) && isTemplateChild(k));
    let strip = 0;
    if (flush) {
      const lines = src.slice(start, end).split('\n');
      let min = Number.POSITIVE_INFINITY;
      for (const line of lines) {
        if (line.trim() === '') continue;
        const ind = /^[ \t]*/.exec(line)?.[0].length ?? 0;
        min = Math.min(min, ind);
      }
      strip = Number.isFinite(min) ? min : 0;
    }
    return partsOfRange(ev, n.f, start, Math.max(end, start), inner, 'heredoc', strip, scope);
  }
  // quoted_template / string_lit: between the quotes.
  const startTok = n.kids.find((k) => k.type === 'quoted_template_start');
  const endTok = n.kids.find((k) => k.type === 'quoted_template_end');
  const start = startTok ? startTok.ei : n.si + 1;
  const end = endTok ? endTok.si : n.ei - 1;
  const inner = n.kids.filter((k) => isTemplateChild(k));
  return partsOfRange(ev, n.f, start, end, inner, 'quoted', 0, scope);
}

function partsOfRange(
  ev: ModuleEvaluator,
  f: SrcFile,
  start: number,
  end: number,
  nodes: Ast[],
  mode: 'quoted' | 'heredoc',
  strip: number,
  scope: Scope,
): TplPart[] {
  const parts: TplPart[] = [];
  let pos = start;
  const addLit = (a: number, b: number): void => {
    if (b <= a) return;
    const atLineStart = a === start || f.text[a - 1] === '\n';
    const lit = literalPiece(f, a, b, mode, strip, atLineStart, ev.env.lineIndexes);
    if (lit.lit) parts.push(lit);
  };
  for (const k of nodes) {
    addLit(pos, k.si);
    pos = k.ei;
    if (k.type === 'template_interpolation') {
      const e = k.kids.find((x) => x.type === 'expression');
      const v = e ? ev.eval(e, scope) : NULL;
      const et = e ? textOf(e).trim() : '';
      parts.push({
        val:
          v.t === 'null'
            ? errSym(`${et} is null (Terraform rejects null in a template)`, wrap(et), locOf(k))
            : v,
      });
    } else if (k.type === 'template_directive') {
      parts.push(...directiveParts(ev, k, mode, strip, scope));
    }
  }
  addLit(pos, end);
  return parts;
}

function directiveParts(
  ev: ModuleEvaluator,
  d: Ast,
  mode: 'quoted' | 'heredoc',
  strip: number,
  scope: Scope,
): TplPart[] {
  const inner = d.kids[0];
  const loc = locOf(d);
  if (!inner) return [];
  const kids = inner.kids;
  if (inner.type === 'template_for') {
    const startN = kids.find((k) => k.type === 'template_for_start');
    const endN = kids.find((k) => k.type === 'template_for_end');
    if (!startN || !endN) return [];
    const ids = startN.kids.filter((k) => k.type === 'identifier').map(textOf);
    const collNode = startN.kids.find((k) => k.type === 'expression');
    const coll = collNode ? ev.eval(collNode, scope) : NULL;
    const body = kids.filter((k) => k !== startN && k !== endN && isTemplateChild(k));
    let pairs: [Val, Val][];
    if (coll.t === 'list') pairs = coll.v.map((v, i) => [{ t: 'num', v: i }, v]);
    else if (coll.t === 'obj') pairs = [...coll.v].map(([k, v]) => [str(k), v]);
    else
      return [
        {
          val: sym(
            `template for over ${coll.t === 'sym' ? coll.description : 'a non-collection'}`,
            wrap(textOf(d)),
            loc,
          ),
        },
      ];
    const out: TplPart[] = [];
    for (const [k, v] of pairs) {
      ev.meter.step(1, () => placeOf(d));
      const names = new Map<string, Val>();
      if (ids.length >= 2) {
        names.set(ids[0] as string, k);
        names.set(ids[1] as string, v);
      } else if (ids[0]) names.set(ids[0], v);
      out.push(...partsOfRange(ev, d.f, startN.ei, endN.si, body, mode, strip, childScope(scope, names)));
    }
    return out;
  }
  if (inner.type === 'template_if') {
    const intro = kids.find((k) => k.type === 'template_if_intro');
    const elseN = kids.find((k) => k.type === 'template_else_intro');
    const endN = kids.find((k) => k.type === 'template_if_end');
    if (!intro || !endN) return [];
    const condNode = intro.kids.find((k) => k.type === 'expression');
    // An unknown condition is split like a conditional expression's (branches.ts).
    const c = condNode ? decide(ev, condNode, ev.eval(condNode, scope), scope) : NULL;
    if (c.t !== 'bool')
      return [
        {
          val: sym(`template if on ${c.t === 'sym' ? c.description : 'a non-boolean'}`, wrap(textOf(d)), loc),
        },
      ];
    const [from, to] = c.v ? [intro.ei, elseN ? elseN.si : endN.si] : elseN ? [elseN.ei, endN.si] : [0, 0];
    if (to <= from) return [];
    const body = kids.filter((k) => k.si >= from && k.ei <= to && isTemplateChild(k));
    return partsOfRange(ev, d.f, from, to, body, mode, strip, scope);
  }
  return [];
}

/** Parses and evaluates a template file (`templatefile()`), with `vars` as its only names. */
export function renderTemplateFile(ev: ModuleEvaluator, file: SrcFile, vars: Map<string, Val>): Val {
  let ast = ev.env.templates.get(file.path);
  if (ast === undefined) {
    ast = parseTemplateFile(ev.env.parser, file);
    ev.env.templates.set(file.path, ast);
  }
  if (!ast)
    return sym(
      `templatefile ${file.path} (cannot be parsed as a template)`,
      wrap(`templatefile(${file.path})`),
    );
  return evalTemplate(ev, ast, { names: vars, templateOnly: true });
}

function isTemplateChild(k: Ast): boolean {
  return k.type === 'template_interpolation' || k.type === 'template_directive';
}

/** Position (1-based line, column) of an offset in a file (one line index per file, kept by the scan). */
function posAt(f: SrcFile, off: number, lines: WeakMap<SrcFile, LineIndex>): { line: number; col: number } {
  let index = lines.get(f);
  if (!index) {
    index = new LineIndex(f.text);
    lines.set(f, index);
  }
  const p = index.position(off);
  const m = mapPos(f, p.line - 1, p.column - 1);
  return { line: m.line, col: m.column };
}

/** A literal stretch of a template, unescaped, with its map back to the file. */
function literalPiece(
  f: SrcFile,
  a: number,
  b: number,
  mode: 'quoted' | 'heredoc',
  strip: number,
  atLineStart: boolean,
  lines: WeakMap<SrcFile, LineIndex>,
): { lit: string; map: SrcMap } {
  const raw = f.text.slice(a, b);
  const mt = new MappedText(f.path);
  if (mode === 'quoted') {
    const { text, offsets } = unescapeQuoted(raw);
    let segStart = 0;
    for (let i = 1; i <= text.length; i++) {
      if (i === text.length || offsets[i] !== (offsets[i - 1] as number) + 1) {
        const p = posAt(f, a + (offsets[segStart] as number), lines);
        mt.addSource(text.slice(segStart, i), p.line, p.col);
        segStart = i;
      }
    }
    return { lit: mt.text, map: mt.map() };
  }
  // Heredoc: only `$${` / `%%{` escapes; `<<-` strips the common indentation at each line start.
  let i = 0;
  let lineStart = atLineStart;
  while (i < raw.length) {
    if (lineStart && strip > 0) {
      let s = 0;
      while (s < strip && (raw[i + s] === ' ' || raw[i + s] === '\t')) s++;
      i += s;
    }
    const nl = raw.indexOf('\n', i);
    const stop = nl === -1 ? raw.length : nl + 1;
    let chunk = raw.slice(i, stop);
    const p = posAt(f, a + i, lines);
    if (chunk.includes('$${') || chunk.includes('%%{'))
      chunk = chunk.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
    mt.addSource(chunk, p.line, p.col);
    i = stop;
    lineStart = nl !== -1;
  }
  return { lit: mt.text, map: mt.map() };
}

/**
 * Joins template parts: all known -> a mapped string; a single interpolation -> its value; else symbolic.
 * The length of the result is checked against `string-length` before it is built.
 */
export function assembleTemplate(parts: TplPart[], loc: SourceLocation, meter: BudgetMeter): Val {
  if (parts.length === 1 && 'val' in (parts[0] as TplPart)) {
    const v = (parts[0] as { val: Val }).val;
    return v.loc ? v : { ...v, loc };
  }
  let total = 0;
  for (const p of parts) total += 'lit' in p ? p.lit.length : partLength(p.val, meter);
  meter.text(total, locPlace(loc));
  const known = parts.every(
    (p) =>
      'lit' in p ||
      scalarText(p.val) !== undefined ||
      (p.val.t === 'str' && p.val.json && !hasSym(p.val.json)),
  );
  if (known) {
    const mt = new MappedText(loc.file);
    for (const p of parts) {
      if ('lit' in p) mt.addMapped(p.lit, p.map, loc);
      else {
        const t = scalarText(p.val) ?? '';
        const at = p.val.loc ?? loc;
        mt.addFixed(t, at.line ?? 1, at.column ?? 1);
      }
    }
    return { t: 'str', v: mt.text, loc, map: mt.map() };
  }
  const descs: string[] = [];
  let text = '';
  for (const p of parts) {
    if ('lit' in p) text += p.lit;
    else {
      text += p.val.t === 'sym' ? p.val.text : displayText(p.val);
      for (const d of symDescriptions(p.val)) if (!descs.includes(d)) descs.push(d);
    }
  }
  return { t: 'sym', description: descs.join(', ') || 'template', text, loc, parts };
}

/** A template file is parsed by wrapping it in a heredoc (so `${}` and `%{}` work), positions shifted back. */
export function parseTemplateFile(parser: HclParser, file: SrcFile, firstLine = 1): Ast | null {
  let marker = 'TRUSTAUDIT_TEMPLATE_END';
  while (file.text.includes(marker)) marker += '_';
  const prefix = `x = <<${marker}\n`;
  const body = file.text.endsWith('\n') ? file.text : `${file.text}\n`;
  const wrapped: SrcFile = {
    path: file.path,
    text: `${prefix}${body}${marker}\n`,
    lineOffset: 2 - firstLine,
  };
  if (file.abs) wrapped.abs = file.abs;
  const parsed = parser.parse(wrapped);
  if (parsed.error) return null;
  const expr = bodyAttrs(parsed.body).get('x');
  const heredoc = expr?.kids[0]?.kids[0];
  if (heredoc?.type !== 'heredoc_template') return null;
  return heredoc;
}
