/**
 * Module arguments -> located values, with Jinja kept as unknowns. Variables are replaced by their
 * value where it is plain data (vars, vars_files, role defaults and vars, group_vars/host_vars, a
 * literal loop item); a lookup of a file or template is read inside the scan root; every other
 * expression becomes a `Symbolic` named by its text. Nothing is evaluated.
 */

import { isSymbolic, type JsonLike, type SourceLocation, type Symbolic } from '../../model/types.js';
import { BudgetExceeded, type Budgets } from '../../scan/budgets.js';
import { valueOffsets } from '../cloudformation/embedded.js';
import { type CNode, type CScalar, LineIndex, type Pos } from '../cloudformation/nodes.js';
import { parseJson } from '../cloudformation/parse-json.js';
import { concat } from '../cloudformation/resolve.js';
import {
  filterName,
  hasJinja,
  parseBase,
  placeholder,
  splitTemplate,
  splitTopLevel,
  stringLiteral,
} from './jinja.js';

/** A file whose nodes are rendered: its display path and text (for positions). */
export interface FileRef {
  /** Path shown to the user. */
  path: string;
  text: string;
  lines: LineIndex;
}

/** A value with where it is written, and its children for lists and mappings. */
export interface LNode {
  v: JsonLike;
  loc?: SourceLocation;
  kids?: Map<string | number, LKid>;
  /** A string taken verbatim from the input: a whole file (lookup) or a scalar, for JSON positions. */
  src?: { file: FileRef; scalar?: CScalar; jinja: boolean };
}

export interface LKid {
  node: LNode;
  keyLoc?: SourceLocation;
}

/** Where a variable's value is written. `ambiguous` lists files that give it different values. */
export type VarBinding =
  | { node: CNode; file: FileRef }
  /** Already rendered (an item of a loop over a plain-data list). */
  | { value: LNode }
  | { ambiguous: string[] }
  | { unknown: string };

export interface Scope {
  /** Variable layers, highest precedence first. */
  layers: readonly ReadonlyMap<string, VarBinding>[];
  /** Registered results of `aws_caller_info`: `<name>.account` is the deploying account. */
  callerResults: ReadonlySet<string>;
  /** Facts set to `{{ <caller result>.account }}`: the deploying account too. */
  callerFacts: ReadonlySet<string>;
}

export type LookupRead = { ok: true; file: FileRef } | { ok: false };

export interface RenderEnv {
  scope: Scope;
  /** The deploying account (`--account`, else the deploying-account marker). */
  owner: string;
  meter: Meter;
  /** Read the file a `lookup('file'|'template', target)` names; reports refusals itself. */
  readLookup(plugin: 'file' | 'template', target: string, at: SourceLocation): LookupRead;
}

/** Counts evaluation steps and depth against the budgets of one file. */
export class Meter {
  private steps = 0;
  constructor(readonly budgets: Budgets) {}

  step(depth: number): void {
    if (++this.steps > this.budgets['eval-steps'])
      throw new BudgetExceeded(
        'eval-steps',
        this.budgets['eval-steps'],
        'the Ansible file takes too many steps to read',
      );
    if (depth > this.budgets['nesting-depth'])
      throw new BudgetExceeded('nesting-depth', this.budgets['nesting-depth'], 'values nest too deeply');
  }

  text(s: string): void {
    if (s.length > this.budgets['string-length'])
      throw new BudgetExceeded(
        'string-length',
        this.budgets['string-length'],
        'a string built from variables is too long',
      );
  }
}

export function locOf(file: FileRef, pos: Pos | undefined): SourceLocation {
  return pos ? { file: file.path, line: pos.line, column: pos.column } : { file: file.path };
}

function unknown(expr: string, why: string, loc: SourceLocation): LNode {
  // No braces in the description: messages show an unknown as `${description}`.
  const shown = expr.replace(/[{}]/g, (c) => (c === '{' ? '(' : ')'));
  const s: Symbolic = { symbolic: true, description: `Jinja ${shown} (${why})`, text: placeholder(expr) };
  return { v: s, loc };
}

interface Walk {
  env: RenderEnv;
  /** Variables being expanded (a variable that refers to itself is an unknown, not a loop). */
  stack: readonly string[];
  depth: number;
}

/** Render a node of `file`. `jinja` false: strings are taken literally (`!unsafe`, file lookups). */
export function render(n: CNode, file: FileRef, env: RenderEnv, jinja = true): LNode {
  return renderNode(n, file, jinja, { env, stack: [], depth: 0 });
}

function renderNode(n: CNode, file: FileRef, jinja: boolean, w: Walk): LNode {
  w.env.meter.step(w.depth);
  const loc = locOf(file, n.pos);
  if (n.t === 'scalar') {
    if (typeof n.v === 'string') {
      if (jinja && hasJinja(n.v)) return renderString(n.v, loc, w);
      return { v: n.v, loc, src: { file, scalar: n, jinja } };
    }
    return { v: n.v === null ? null : String(n.v), loc };
  }
  const inner: Walk = { ...w, depth: w.depth + 1 };
  if (n.t === 'seq') {
    const kids = new Map<string | number, LKid>();
    const v: JsonLike[] = [];
    n.items.forEach((it, i) => {
      const k = renderNode(it, file, jinja, inner);
      kids.set(i, { node: k });
      v.push(k.v);
    });
    return { v, loc, kids };
  }
  if (n.shortForm === '!unsafe') {
    const value = n.entries[0]?.value;
    return value ? renderNode(value, file, false, inner) : { v: null, loc };
  }
  if (n.shortForm === '!vault') {
    return {
      v: { symbolic: true, description: 'an Ansible Vault-encrypted value', text: placeholder('vault') },
      loc,
    };
  }
  const kids = new Map<string | number, LKid>();
  const pairs: [string, JsonLike][] = [];
  for (const e of n.entries) {
    const k = renderNode(e.value, file, jinja, inner);
    kids.set(e.key, { node: k, keyLoc: locOf(file, e.keyPos) });
    pairs.push([e.key, k.v]);
  }
  // fromEntries: a key named __proto__ stays a plain key.
  return { v: Object.fromEntries(pairs) as JsonLike, loc, kids };
}

function renderString(s: string, loc: SourceLocation, w: Walk): LNode {
  const parts = splitTemplate(s);
  const only = parts[0];
  if (parts.length === 1 && only?.kind === 'expr') return evalExpr(only.expr, loc, w);
  const pieces: (string | Symbolic)[] = [];
  for (const p of parts) {
    if (p.kind === 'text') pieces.push(p.text);
    else if (p.kind === 'stmt')
      pieces.push({
        symbolic: true,
        description: `${p.raw.slice(0, 80)} (a Jinja statement, not evaluated)`,
        text: placeholder('jinja-statement'),
      });
    else pieces.push(asText(evalExpr(p.expr, loc, w), p.expr));
  }
  const v = concat(pieces);
  w.env.meter.text(typeof v === 'string' ? v : (v.text ?? ''));
  return { v, loc };
}

function asText(n: LNode, expr: string): string | Symbolic {
  const v = n.v;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return '';
  if (isSymbolic(v)) return v;
  return {
    symbolic: true,
    description: `{{ ${expr} }} (a list or mapping written into text)`,
    text: placeholder(expr),
  };
}

/** One `{{ expr }}`: a variable path, a string, a lookup, with the filters that keep the value. */
function evalExpr(expr: string, loc: SourceLocation, w: Walk): LNode {
  const [baseText = '', ...filters] = splitTopLevel(expr, '|');
  const base = parseBase(baseText);
  let value: LNode;
  if (base.kind === 'string') value = { v: base.value, loc };
  else if (base.kind === 'var') {
    const r = variable(base.name, base.path, expr, loc, w);
    if (isSymbolic(r.v)) return r;
    value = r;
  } else if (base.kind === 'lookup') {
    const r = lookup(base.plugin, base.args, expr, loc, w);
    if (isSymbolic(r.v)) return r;
    value = r;
  } else return unknown(expr, 'a Jinja expression trustaudit does not evaluate', loc);
  for (const f of filters) {
    const name = filterName(f);
    if (name === 'to_json' || name === 'to_nice_json') {
      // The module reads JSON text back into the same document: a list or mapping stays itself.
      if (typeof value.v === 'string') value = { v: JSON.stringify(value.v), loc };
    } else if (name === 'from_json') {
      if (typeof value.v !== 'string') return unknown(expr, 'from_json of a value that is not text', loc);
      value = asDocument(value, w.env);
    } else if (name === 'string' || name === 'trim') {
      if (typeof value.v === 'string' && name === 'trim') value = { v: value.v.trim(), loc };
    } else if (name === 'default' || name === 'd') {
      // The variable has a value, so the default is not used.
    } else return unknown(expr, `the filter ${name} is not evaluated`, loc);
  }
  return value;
}

function findVar(name: string, scope: Scope): VarBinding | undefined {
  for (const layer of scope.layers) {
    const b = layer.get(name);
    if (b) return b;
  }
  return undefined;
}

function variable(
  name: string,
  path: readonly (string | number)[],
  expr: string,
  loc: SourceLocation,
  w: Walk,
): LNode {
  const { scope } = w.env;
  if (scope.callerResults.has(name) && path.length === 1 && path[0] === 'account')
    return { v: w.env.owner, loc };
  if (scope.callerFacts.has(name) && path.length === 0) return { v: w.env.owner, loc };
  const b = findVar(name, scope);
  if (!b) return unknown(expr, 'no plain-data value in the repository', loc);
  if ('unknown' in b) return unknown(expr, b.unknown, loc);
  if ('ambiguous' in b)
    return unknown(expr, `differs between ${b.ambiguous.slice(0, 3).join(', ')}: depends on the host`, loc);
  if (w.stack.includes(name)) return unknown(expr, `the variable ${name} refers to itself`, loc);
  let node =
    'value' in b
      ? b.value
      : renderNode(b.node, b.file, true, { env: w.env, stack: [...w.stack, name], depth: w.depth + 1 });
  for (const seg of path) {
    if (isSymbolic(node.v)) return unknown(expr, `${name} is not known`, loc);
    const kid = node.kids?.get(seg) ?? (typeof seg === 'number' ? undefined : node.kids?.get(Number(seg)));
    if (!kid) return unknown(expr, `${name} has no ${String(seg)}`, loc);
    node = kid.node;
  }
  return node;
}

function lookup(plugin: string, args: readonly string[], expr: string, loc: SourceLocation, w: Walk): LNode {
  if (plugin !== 'file' && plugin !== 'template')
    return unknown(expr, `the ${plugin} lookup runs at play time`, loc);
  const positional = args.filter((a) => !/^[A-Za-z_]\w*\s*=/.test(a));
  if (positional.length !== 1) return unknown(expr, 'a lookup of several files or of none', loc);
  const arg = positional[0] as string;
  let target = stringLiteral(arg);
  if (target === undefined) {
    const b = parseBase(arg);
    if (b.kind === 'var') {
      const r = variable(b.name, b.path, arg, loc, w);
      if (typeof r.v === 'string') target = r.v;
    }
  }
  if (target === undefined) return unknown(expr, 'the file name is not known before the play runs', loc);
  const read = w.env.readLookup(plugin, target, loc);
  if (!read.ok) return unknown(expr, `${plugin} ${target} was not read`, loc);
  return {
    v: read.file.text,
    loc: { file: read.file.path, line: 1, column: 1 },
    src: { file: read.file, jinja: plugin === 'template' },
  };
}

/**
 * A trust document given as JSON text: parsed with the positions of its elements (in the task file,
 * or in the file a lookup read), its strings rendered. Text that is not JSON is returned unchanged,
 * for the normaliser to report.
 */
export function asDocument(n: LNode, env: RenderEnv): LNode {
  if (typeof n.v !== 'string') return n;
  const text = n.v;
  const src = n.src;
  const parsed = parseJson(text, new LineIndex(text));
  if (!parsed.ok) {
    // JSON that Jinja would complete (`{"AWS": {{ ids | to_json }}}`): the document is not known.
    if (src?.jinja !== false && hasJinja(text))
      return {
        v: {
          symbolic: true,
          description: 'a JSON document completed by Jinja outside its strings (not evaluated)',
          text: placeholder('jinja-json'),
        },
        ...(n.loc ? { loc: n.loc } : {}),
      };
    return n;
  }
  let file: FileRef;
  let remap: (p: Pos) => Pos;
  if (src && !src.scalar && src.file.text === text) {
    file = src.file;
    remap = (p) => file.lines.pos(p.offset);
  } else if (src?.scalar && src.scalar.v === text) {
    file = src.file;
    const offs = valueOffsets(text, file.text, src.scalar);
    const fallback = src.scalar.pos.offset;
    remap = (p) => file.lines.pos(offs[p.offset] ?? fallback);
  } else {
    // Built from several pieces: every element is placed where the value is written.
    const at = n.loc;
    file = { path: at?.file ?? '', text: '', lines: new LineIndex('') };
    const p0: Pos = { offset: 0, line: at?.line ?? 1, column: at?.column ?? 1 };
    remap = () => p0;
  }
  return render(movePositions(parsed.root, remap), file, env, src?.jinja ?? false);
}

function movePositions(n: CNode, remap: (p: Pos) => Pos): CNode {
  if (n.t === 'scalar') {
    const { range: _range, style: _style, ...rest } = n;
    return { ...rest, pos: remap(n.pos) };
  }
  if (n.t === 'seq')
    return { t: 'seq', pos: remap(n.pos), items: n.items.map((i) => movePositions(i, remap)) };
  return {
    t: 'map',
    pos: remap(n.pos),
    entries: n.entries.map((e) => ({
      key: e.key,
      keyPos: remap(e.keyPos),
      value: movePositions(e.value, remap),
    })),
  };
}

/** Where an element of a rendered document is written (nearest known position). */
export function locateIn(root: LNode, path: readonly (string | number)[]): SourceLocation | undefined {
  let node = root;
  let at = root.loc;
  for (const seg of path) {
    let kid = node.kids?.get(seg);
    if (!kid && typeof seg === 'number') kid = node.kids?.get(String(seg));
    if (!kid && typeof seg === 'string' && /^\d+$/.test(seg)) kid = node.kids?.get(Number(seg));
    if (!kid) {
      if (seg === 0 && !Array.isArray(node.v)) continue;
      return at;
    }
    node = kid.node;
    at = kid.keyLoc ?? kid.node.loc ?? at;
  }
  return at;
}
