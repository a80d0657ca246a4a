/**
 * Terraform JSON configuration (`*.tf.json`, e.g. CDK for Terraform output) is rewritten into the
 * equivalent HCL text, one JSON value per line, with a map from each generated line back to the JSON
 * file. The HCL is then parsed and evaluated like any `.tf` file, so both syntaxes share one evaluator.
 *
 * JSON syntax rules followed: strings are templates (`${...}`), except `variable` defaults, which are
 * literal values; a variable's `type` is an expression written as a string; properties named `//` are
 * comments. Whether a property is a nested block depends on the provider schema: the block names that
 * matter for trust policies are known here (`statement`, `principals`, `condition`, `dynamic`...).
 */

import { type Node as JsonNode, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { LineIndex } from '../../model/line-index.js';
import { BUDGETS, BudgetExceeded } from '../../scan/budgets.js';
import { jsonTooDeepAt } from '../../util/json-depth.js';

export interface LinePos {
  /** 1-based line and column of the JSON value the generated line came from. */
  line: number;
  col: number;
  /** 0-based column in the generated line where that value starts. */
  genCol: number;
}

export type Transpiled =
  | { ok: true; hcl: string; lineMap: LinePos[] }
  | { ok: false; message: string; line: number; column: number };

const NESTED_BLOCKS: ReadonlySet<string> = new Set([
  'statement',
  'principals',
  'not_principals',
  'condition',
  'content',
  'inline_policy',
  'lifecycle',
  'timeouts',
  'validation',
]);

/** Offset -> 1-based line and column (the shared line index). */
function lineIndex(text: string): (off: number) => { line: number; col: number } {
  const index = new LineIndex(text);
  return (off) => {
    const p = index.position(off);
    return { line: p.line, col: p.column };
  };
}

function escapeText(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
}

function hclQuote(s: string, literal: boolean): string {
  if (literal) {
    const t = escapeText(s)
      .replace(/\$\{/g, () => '$${')
      .replace(/%\{/g, () => '%%{');
    return `"${t}"`;
  }
  // A template: the text between interpolations is escaped; an interpolation is an expression, copied
  // as it is (CDKTF writes `${jsonencode({"a" = "b"})}`, with quoted strings inside).
  let out = '';
  let i = 0;
  let from = 0;
  while (i < s.length) {
    if ((s.startsWith('$${', i) || s.startsWith('%%{', i)) && i + 3 <= s.length) {
      i += 3;
      continue;
    }
    if (s.startsWith('${', i) || s.startsWith('%{', i)) {
      const end = closingBrace(s, i + 2);
      if (end === -1) break;
      out += escapeText(s.slice(from, i)) + s.slice(i, end + 1).replace(/\n/g, ' ');
      i = end + 1;
      from = i;
      continue;
    }
    i++;
  }
  return `"${out}${escapeText(s.slice(from))}"`;
}

/**
 * Offset of the `}` that closes an interpolation whose expression starts at `start`, skipping nested
 * braces and quoted strings (with their own interpolations); -1 when it is not closed. Iterative: a
 * stack of what is open, so a hostile file cannot nest it into a deep recursion.
 */
function closingBrace(s: string, start: number): number {
  const open: ('{' | '"')[] = ['{'];
  for (let i = start; i < s.length; i++) {
    const ch = s[i];
    const top = open[open.length - 1];
    if (top === '"') {
      if (ch === '\\') i++;
      else if (ch === '"') open.pop();
      else if (ch === '$' && s[i + 1] === '{') {
        open.push('{');
        i++;
      }
      continue;
    }
    if (ch === '"') open.push('"');
    else if (ch === '{') open.push('{');
    else if (ch === '}') {
      open.pop();
      if (open.length === 0) return i;
    }
  }
  return -1;
}

function props(n: JsonNode | undefined): [string, JsonNode, JsonNode][] {
  if (n?.type !== 'object') return [];
  const out: [string, JsonNode, JsonNode][] = [];
  for (const p of n.children ?? []) {
    const [k, v] = p.children ?? [];
    if (k && v) out.push([String(k.value), v, k]);
  }
  return out;
}

/** Objects of a value that may be one object or a list of objects. */
function objects(n: JsonNode): JsonNode[] {
  if (n.type === 'object') return [n];
  if (n.type === 'array') return (n.children ?? []).filter((c) => c.type === 'object');
  return [];
}

/**
 * Throws `BudgetExceeded` (`nesting-depth`, located) for a file nested deeper than `maxDepth`, before
 * any recursive step sees it; the caller reports the file and goes on.
 */
export function transpileJsonConfig(
  text: string,
  maxDepth: number = BUDGETS['nesting-depth'].default,
  file = '',
): Transpiled {
  return transpileJson(text, 'config', maxDepth, file);
}

/**
 * A JSON variables file (`terraform.tfvars.json`, `*.auto.tfvars.json`) rewritten as the equivalent
 * `.tfvars` HCL: one `name = value` per property, strings taken literally.
 */
export function transpileJsonVars(
  text: string,
  maxDepth: number = BUDGETS['nesting-depth'].default,
  file = '',
): Transpiled {
  return transpileJson(text, 'vars', maxDepth, file);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function transpileJson(text: string, kind: 'config' | 'vars', maxDepth: number, file: string): Transpiled {
  const pos = lineIndex(text);
  const deep = jsonTooDeepAt(text, maxDepth);
  if (deep !== -1) {
    const p = pos(deep);
    throw new BudgetExceeded('nesting-depth', maxDepth, 'the JSON file is nested too deeply', {
      file,
      line: p.line,
      column: p.col,
    });
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true });
  const first = errors[0];
  if (first || !root || root.type !== 'object') {
    const p = pos(first?.offset ?? 0);
    return {
      ok: false,
      message: first
        ? `JSON syntax error (${printParseErrorCode(first.error)})`
        : `a Terraform JSON ${kind === 'vars' ? 'variables ' : ''}file must hold an object`,
      line: p.line,
      column: p.col,
    };
  }
  const lines: string[] = [];
  const lineMap: LinePos[] = [];
  const emit = (s: string, at: JsonNode, genCol = 0): void => {
    const p = pos(at.offset);
    lines.push(s);
    lineMap.push({ line: p.line, col: p.col, genCol });
  };

  const expr = (prefix: string, n: JsonNode, ind: string, literal: boolean, suffix: string): void => {
    const head = `${ind}${prefix}`;
    if (n.type === 'array') {
      emit(`${head}[`, n, head.length);
      for (const c of n.children ?? []) expr('', c, `${ind}  `, literal, ',');
      emit(`${ind}]${suffix}`, n);
    } else if (n.type === 'object') {
      emit(`${head}{`, n, head.length);
      for (const [k, v] of props(n)) expr(`${hclQuote(k, literal)} = `, v, `${ind}  `, literal, '');
      emit(`${ind}}${suffix}`, n);
    } else if (n.type === 'string')
      emit(`${head}${hclQuote(String(n.value), literal)}${suffix}`, n, head.length);
    else emit(`${head}${n.type === 'null' ? 'null' : String(n.value)}${suffix}`, n, head.length);
  };

  const comment = (v: JsonNode, ind: string): void => {
    if (v.type !== 'string') return;
    for (const l of String(v.value).split('\n')) emit(`${ind}# ${l}`, v);
  };

  const body = (n: JsonNode, ind: string, kind: 'resource' | 'variable' | 'plain'): void => {
    for (const [k, v] of props(n)) {
      if (k === '//') comment(v, ind);
      else if (kind === 'variable' && k === 'type' && v.type === 'string')
        emit(`${ind}type = ${String(v.value)}`, v, ind.length + 7);
      else if (kind === 'variable' && k === 'default') expr('default = ', v, ind, true, '');
      else if (kind === 'resource' && k === 'dynamic') {
        for (const [label, d] of props(v))
          for (const o of objects(d)) block(['dynamic', label], o, ind, 'resource');
      } else if (
        kind === 'resource' &&
        NESTED_BLOCKS.has(k) &&
        objects(v).length > 0 &&
        v.type !== 'string'
      ) {
        for (const o of objects(v)) block([k], o, ind, 'resource');
      } else expr(`${k} = `, v, ind, false, '');
    }
  };

  const block = (
    header: string[],
    n: JsonNode,
    ind: string,
    kind: 'resource' | 'variable' | 'plain',
  ): void => {
    const [type, ...labels] = header;
    emit(`${ind}${type}${labels.map((l) => ` ${hclQuote(l, true)}`).join('')} {`, n);
    body(n, `${ind}  `, kind);
    emit(`${ind}}`, n);
  };

  if (kind === 'vars') {
    // A variables file: each property assigns one variable a literal value (no templates).
    for (const [name, v] of props(root)) {
      if (IDENTIFIER.test(name)) expr(`${name} = `, v, '', true, '');
    }
    return { ok: true, hcl: `${lines.join('\n')}\n`, lineMap };
  }
  for (const [top, v] of props(root)) {
    if (top === '//') continue;
    if (top === 'resource' || top === 'data') {
      for (const group of objects(v))
        for (const [type, byName] of props(group))
          for (const names of objects(byName))
            for (const [name, b] of props(names))
              for (const o of objects(b)) block([top, type, name], o, '', 'resource');
    } else if (top === 'variable' || top === 'module' || top === 'output') {
      for (const group of objects(v))
        for (const [name, b] of props(group))
          for (const o of objects(b)) block([top, name], o, '', top === 'variable' ? 'variable' : 'plain');
    } else if (top === 'locals') {
      for (const o of objects(v)) block(['locals'], o, '', 'plain');
    }
    // provider, terraform, moved, import...: nothing a trust policy depends on.
  }
  return { ok: true, hcl: `${lines.join('\n')}\n`, lineMap };
}
