// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Pulumi YAML writes ${name} interpolations in plain strings.
/**
 * Values of a Pulumi YAML program, as far as the file tells them: `${…}` interpolations of config keys,
 * variables and `pulumi.*`, and the built-in functions that only reshape data (`fn::toJSON`,
 * `fn::secret`, `fn::join`, `fn::select`). What only a deployment knows (resource outputs, most
 * `fn::invoke` results, secrets, config without a value) is a named unknown. Positions are kept so a
 * trust policy written here points at its file, line and column.
 */
import { DEPLOYING_ACCOUNT, isSymbolic, type JsonLike, type Symbolic } from '../../model/types.js';
import { BudgetExceeded, type Budgets } from '../../scan/budgets.js';
import { valueOffsets } from '../cloudformation/embedded.js';
import type { CNode, Pos } from '../cloudformation/nodes.js';
import { get, scalarText } from '../cloudformation/nodes.js';
import type { RKid, RNode } from '../cloudformation/resolve.js';
import { POLICY_DOCUMENT_FUNCTIONS, policyDocument } from './policy-document.js';

/** A config value for one stack: known text/data, or a secret / missing value (unknown). */
export type ConfigValue = { known: JsonLike } | { unknown: string };

export interface ProgramScope {
  project?: string;
  stack?: string;
  /** Config keys of the project namespace (without `project:`), for the stack being evaluated. */
  config: ReadonlyMap<string, ConfigValue>;
  /** Every name the program's `config:` section declares (a declared key without value is unknown). */
  declared: ReadonlySet<string>;
  variables: ReadonlyMap<string, CNode>;
  resources: ReadonlySet<string>;
  /** The deploying account when `--account` (or the stack's `aws:allowedAccountIds`) says it. */
  owner?: string;
  /** The program's text, to map positions inside strings (JSON written in a block scalar). */
  source?: string;
  budgets: Budgets;
}

const sym = (description: string, text?: string): Symbolic => ({
  symbolic: true,
  description,
  ...(text !== undefined ? { text } : {}),
});

/** One `${…}` reference: the root name and the property / index accessors after it. */
export interface Reference {
  root: string;
  path: (string | number)[];
  text: string;
}

/** `a.b[0]["c.d"]` -> root `a`, path `['b', 0, 'c.d']`. Undefined when it is not a reference. */
export function parseReference(text: string): Reference | undefined {
  const m = /^([A-Za-z_][\w-]*(?::[\w-]+)*)/.exec(text);
  if (!m) return undefined;
  const path: (string | number)[] = [];
  let rest = text.slice(m[0].length);
  while (rest !== '') {
    let a = /^\.([A-Za-z_][\w-]*)/.exec(rest);
    if (a) {
      path.push(a[1] as string);
      rest = rest.slice(a[0].length);
      continue;
    }
    a = /^\[(\d+)\]/.exec(rest);
    if (a) {
      path.push(Number(a[1]));
      rest = rest.slice(a[0].length);
      continue;
    }
    a = /^\["([^"]*)"\]/.exec(rest);
    if (a) {
      path.push(a[1] as string);
      rest = rest.slice(a[0].length);
      continue;
    }
    return undefined;
  }
  return { root: m[1] as string, path, text };
}

/** Literal text (with the index in the raw string of each of its characters) or a `${…}` reference. */
export type Part = { lit: string; at: number[] } | { ref: string; start: number };

/** Split a string into literal text and `${…}` references; `$${` is a literal `${`. */
export function splitInterpolation(s: string): Part[] {
  const parts: Part[] = [];
  let lit = '';
  let at: number[] = [];
  let i = 0;
  while (i < s.length) {
    if (s.startsWith('$${', i)) {
      lit += '${';
      at.push(i + 1, i + 2);
      i += 3;
      continue;
    }
    if (s.startsWith('${', i)) {
      const close = s.indexOf('}', i + 2);
      if (close > 0) {
        if (lit !== '') parts.push({ lit, at });
        parts.push({ ref: s.slice(i + 2, close), start: i });
        i = close + 1;
        lit = '';
        at = [];
        continue;
      }
    }
    lit += s[i];
    at.push(i);
    i++;
  }
  if (lit !== '' || parts.length === 0) parts.push({ lit, at });
  return parts;
}

export class Evaluator {
  private steps = 0;
  private readonly memo = new Map<string, RNode>();
  private readonly active = new Set<string>();

  constructor(private readonly scope: ProgramScope) {}

  private step(depth: number): void {
    const b = this.scope.budgets;
    if (++this.steps > b['eval-steps']) throw new BudgetExceeded('eval-steps', b['eval-steps']);
    if (depth > b['nesting-depth']) throw new BudgetExceeded('nesting-depth', b['nesting-depth']);
  }

  /** The value of a node. */
  value(n: CNode, depth = 0): RNode {
    this.step(depth);
    if (n.t === 'scalar') {
      if (typeof n.v === 'string') return this.text(n, depth);
      return { v: n.v, pos: n.pos };
    }
    if (n.t === 'seq') {
      const kids = new Map<string | number, RKid>();
      const items = n.items.map((it, i) => {
        const node = this.value(it, depth + 1);
        kids.set(i, { node });
        return node.v;
      });
      this.checkSize(items.length);
      return { v: items, pos: n.pos, kids };
    }
    const only = n.entries.length === 1 ? n.entries[0] : undefined;
    if (only?.key.startsWith('fn::')) return this.builtin(only.key, only.value, n.pos, depth);
    const kids = new Map<string | number, RKid>();
    const pairs: [string, JsonLike][] = [];
    for (const e of n.entries) {
      const node = this.value(e.value, depth + 1);
      kids.set(e.key, { node, keyPos: e.keyPos });
      pairs.push([e.key, node.v]);
    }
    this.checkSize(pairs.length);
    return { v: Object.fromEntries(pairs) as JsonLike, pos: n.pos, kids };
  }

  private checkSize(n: number): void {
    const max = this.scope.budgets['collection-size'];
    if (n > max) throw new BudgetExceeded('collection-size', max);
  }

  private text(n: CNode & { t: 'scalar' }, depth: number): RNode {
    const s = n.v as string;
    if (!s.includes('${')) return { v: s, pos: n.pos, src: n };
    const parts = splitInterpolation(s);
    const only = parts.length === 1 ? parts[0] : undefined;
    if (only && 'ref' in only) return { ...this.reference(only.ref, depth), pos: n.pos };
    // Where each character of the raw value is written, so JSON text built here still maps to the file.
    const raw = this.scope.source !== undefined ? valueOffsets(s, this.scope.source, n) : undefined;
    const offsets: number[] = [];
    let text = '';
    const unknown: string[] = [];
    for (const p of parts) {
      if ('lit' in p) {
        text += p.lit;
        for (const i of p.at) offsets.push(raw?.[i] ?? n.pos.offset);
        continue;
      }
      const v = this.reference(p.ref, depth).v;
      let piece: string;
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') piece = String(v);
      else if (isSymbolic(v)) {
        unknown.push(v.description);
        piece = v.text ?? `\${${p.ref}}`;
      } else {
        unknown.push(`${p.ref} (not a string)`);
        piece = `\${${p.ref}}`;
      }
      text += piece;
      const at = raw?.[p.start] ?? n.pos.offset;
      for (let k = 0; k < piece.length; k++) offsets.push(at);
      if (text.length > this.scope.budgets['string-length'])
        throw new BudgetExceeded('string-length', this.scope.budgets['string-length']);
    }
    const out: RNode = { v: text, pos: n.pos };
    if (raw) out.offsets = offsets;
    if (unknown.length > 0) out.v = sym([...new Set(unknown)].join('; '), text);
    return out;
  }

  /** The value `${text}` stands for. */
  reference(text: string, depth: number): RNode {
    const ref = parseReference(text.trim());
    if (!ref) return { v: sym(`expression \${${text}}`, `\${${text}}`) };
    const base = this.root(ref, depth);
    return access(base, ref);
  }

  private root(ref: Reference, depth: number): RNode {
    const s = this.scope;
    const name = ref.root;
    if (name === 'pulumi') {
      const v: Record<string, JsonLike> = {
        project: s.project ?? sym('pulumi.project'),
        stack: s.stack ?? sym('pulumi.stack (the stack being deployed)', '${pulumi.stack}'),
        organization: sym('pulumi.organization', '${pulumi.organization}'),
        cwd: sym('pulumi.cwd', '${pulumi.cwd}'),
      };
      return { v };
    }
    if (s.variables.has(name)) return this.variable(name, depth);
    if (s.resources.has(name)) {
      const what = `resource ${ref.text}`;
      return { v: sym(`${what} (known after deployment)`, `\${${ref.text}}`) };
    }
    const c = s.config.get(name);
    if (c !== undefined) {
      if ('known' in c) return { v: c.known };
      return { v: sym(c.unknown, `\${${ref.text}}`) };
    }
    if (s.declared.has(name)) {
      return { v: sym(`config ${name} (no value in the program or the stack settings)`, `\${${ref.text}}`) };
    }
    return { v: sym(`\${${ref.text}} (not defined in the program)`, `\${${ref.text}}`) };
  }

  private variable(name: string, depth: number): RNode {
    const done = this.memo.get(name);
    if (done) return done;
    if (this.active.has(name)) return { v: sym(`variable ${name} (refers to itself)`, `\${${name}}`) };
    this.active.add(name);
    try {
      const r = this.value(this.scope.variables.get(name) as CNode, depth + 1);
      this.memo.set(name, r);
      return r;
    } finally {
      this.active.delete(name);
    }
  }

  private builtin(fn: string, arg: CNode, pos: Pos, depth: number): RNode {
    switch (fn) {
      // The trust policy keeps its structure (and positions): its JSON text is what toJSON would write.
      case 'fn::toJSON':
      case 'fn::secret':
        return this.value(arg, depth + 1);
      case 'fn::join': {
        const a = this.value(arg, depth + 1).v;
        if (Array.isArray(a) && typeof a[0] === 'string' && Array.isArray(a[1])) {
          const items = a[1];
          if (items.every((x) => typeof x === 'string')) return { v: items.join(a[0]), pos };
        }
        return { v: sym('fn::join of values known after deployment'), pos };
      }
      case 'fn::select': {
        const a = this.value(arg, depth + 1);
        const [index, list] = Array.isArray(a.v) ? a.v : [];
        const i = typeof index === 'string' ? Number(index) : Number.NaN;
        if (Array.isArray(list) && Number.isInteger(i) && i >= 0 && i < list.length) {
          const node = a.kids?.get(1)?.node.kids?.get(i)?.node;
          return node ?? { v: list[i] as JsonLike, pos };
        }
        return { v: sym('fn::select of values known after deployment'), pos };
      }
      case 'fn::invoke':
        return this.invoke(arg, pos, depth);
      default:
        return { v: sym(`${fn} (evaluated by Pulumi at deployment)`), pos };
    }
  }

  /** `aws:getCallerIdentity` gives the deploying account; other functions are unknown. */
  private invoke(arg: CNode, pos: Pos, depth: number): RNode {
    const fn = scalarText(get(arg, 'function'));
    const ret = scalarText(get(arg, 'return'));
    let v: JsonLike;
    if (fn === 'aws:getCallerIdentity' || fn === 'aws:index/getCallerIdentity:getCallerIdentity') {
      v = {
        accountId: this.scope.owner ?? DEPLOYING_ACCOUNT,
        arn: sym('aws:getCallerIdentity arn (the deploying identity)'),
        userId: sym('aws:getCallerIdentity userId'),
      };
    } else if (fn !== undefined && POLICY_DOCUMENT_FUNCTIONS.has(fn)) {
      const args = get(arg, 'arguments');
      const doc = args ? policyDocument(this.value(args, depth + 1)) : undefined;
      if (!doc) return { v: sym(`fn::invoke ${fn} (merges other documents: not evaluated)`), pos };
      // `json` and `minifiedJson` are the document's JSON text: kept as the document (and its positions).
      const kids = new Map<string | number, RKid>([
        ['json', { node: doc }],
        ['minifiedJson', { node: doc }],
      ]);
      const node: RNode = { v: { json: doc.v, minifiedJson: doc.v }, pos, kids };
      return ret !== undefined ? access(node, { root: fn, path: [ret], text: `${fn}.${ret}` }) : node;
    } else {
      this.step(depth);
      return { v: sym(`fn::invoke ${fn ?? '?'} (called by Pulumi at deployment)`), pos };
    }
    const node: RNode = { v, pos };
    return ret !== undefined ? access(node, { root: fn, path: [ret], text: `${fn}.${ret}` }) : node;
  }
}

/** Follow `.prop` / `[i]` accessors into a value. */
function access(base: RNode, ref: Reference): RNode {
  let node = base;
  for (const seg of ref.path) {
    const v = node.v;
    if (isSymbolic(v)) {
      return { v: sym(v.description, `\${${ref.text}}`), ...(node.pos ? { pos: node.pos } : {}) };
    }
    const kid = node.kids?.get(seg);
    if (kid) {
      node = kid.node;
      continue;
    }
    let next: JsonLike | undefined;
    if (Array.isArray(v) && typeof seg === 'number') next = v[seg];
    else if (
      v &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      typeof seg === 'string' &&
      Object.hasOwn(v, seg)
    )
      next = (v as Record<string, JsonLike>)[seg];
    if (next === undefined) return { v: sym(`\${${ref.text}} (no such element)`, `\${${ref.text}}`) };
    node = { v: next, ...(node.pos ? { pos: node.pos } : {}) };
  }
  return node;
}
