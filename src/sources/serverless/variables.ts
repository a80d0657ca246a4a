/**
 * Serverless Framework variables (`${source:address, fallback}`) in a configuration, replaced before
 * its `resources` are read as CloudFormation. `${self:…}` is followed inside the file where it names
 * plain data; `${aws:accountId}` and `${aws:region}` become the pseudo parameters they stand for; every
 * other source (`opt`, `env`, `param`, `ssm`, `file`, `cf`, `s3`, `sls`, plugins) is known only at
 * deploy time and becomes a named unknown. `${env:…}` is never read from the environment.
 */
import { BudgetExceeded, type Budgets } from '../../scan/budgets.js';
import type { CEntry, CMap, CNode, CScalar, Pos } from '../cloudformation/nodes.js';
import { get } from '../cloudformation/nodes.js';

/** What an unknown stands for, by token (the name of the parameter it is handed to CloudFormation as). */
export interface Unknowns {
  /** token -> [description, text for `${…}`] */
  readonly byToken: Map<string, { description: string; text: string }>;
}

const WHY: Record<string, string> = {
  opt: 'a command-line option, known at deploy time',
  sls: 'set by the Serverless Framework at deploy time',
  env: 'an environment variable at deploy time; trustaudit never reads the environment',
  param: 'a stage parameter, known at deploy time',
  ssm: 'an SSM parameter, read at deploy time',
  file: 'the content of another file, not read',
  cf: 'an output of another stack, read at deploy time',
  s3: 'an S3 object, read at deploy time',
  self: 'not defined in the file',
  strToBool: 'a function evaluated at deploy time',
};

type Res =
  | { kind: 'node'; node: CNode }
  | { kind: 'text'; text: string }
  | { kind: 'pseudo'; name: 'AWS::AccountId' | 'AWS::Region' }
  | { kind: 'unknown'; token: string };

/** A `${` … `}` with nesting, from `open` (the index of `$`); -1 when unterminated. */
function closeOf(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '$' && s[i + 1] === '{') {
      depth++;
      i++;
    } else if (s[i] === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Is `${inner}` a Serverless variable (a source followed by `:` or `(`), not CloudFormation's `${AWS::Region}` or `${Resource}`? */
export function isVariable(inner: string): boolean {
  const m = /^\s*([A-Za-z][\w-]*)\s*([:(])/.exec(inner);
  if (!m) return false;
  if (m[2] === ':' && inner.slice(m[0].length).startsWith(':')) return false;
  return true;
}

type Piece = { text: string } | { inner: string };

export function splitVariables(s: string): Piece[] {
  const out: Piece[] = [];
  let i = 0;
  let text = '';
  while (i < s.length) {
    if (s[i] === '$' && s[i + 1] === '{') {
      const close = closeOf(s, i);
      const inner = close < 0 ? '' : s.slice(i + 2, close);
      if (close >= 0 && isVariable(inner)) {
        if (text !== '') out.push({ text });
        text = '';
        out.push({ inner });
        i = close + 1;
        continue;
      }
    }
    text += s[i];
    i++;
  }
  if (text !== '') out.push({ text });
  return out;
}

function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '{' || c === '(') depth++;
    else if (c === '}' || c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(s.slice(start).trim());
  return out;
}

export class Substituter {
  readonly unknowns: Unknowns = { byToken: new Map() };
  /** The same variable is one unknown wherever it is written. */
  private readonly tokens = new Map<string, string>();
  private steps = 0;

  constructor(
    private readonly root: CNode,
    private readonly budgets: Budgets,
  ) {}

  private step(depth: number): void {
    if (++this.steps > this.budgets['eval-steps'])
      throw new BudgetExceeded(
        'eval-steps',
        this.budgets['eval-steps'],
        'the Serverless variables take too many steps',
      );
    if (depth > this.budgets['nesting-depth'])
      throw new BudgetExceeded(
        'nesting-depth',
        this.budgets['nesting-depth'],
        'Serverless variables nest too deeply',
      );
  }

  private unknown(inner: string, why: string): { kind: 'unknown'; token: string } {
    const text = `\${${inner.replace(/[{}]/g, (c) => (c === '{' ? '(' : ')')).replace(/\$/g, '')}}`;
    const key = `${inner}\u0000${why}`;
    const known = this.tokens.get(key);
    if (known) return { kind: 'unknown', token: known };
    const token = `SlsVar${this.unknowns.byToken.size + 1}`;
    this.tokens.set(key, token);
    // No braces in the description: messages show an unknown as `${description}`.
    const shown = inner.replace(/\$\{/g, '').replace(/[{}]/g, '');
    this.unknowns.byToken.set(token, { description: `Serverless variable ${shown} (${why})`, text });
    return { kind: 'unknown', token };
  }

  /** The value of one variable `${inner}`. */
  private variable(inner: string, active: readonly string[], depth: number): Res {
    this.step(depth);
    // A nested variable in the address (`${self:custom.${opt:stage}}`) that is not text leaves it unknown.
    const address = this.textOf(inner, active, depth + 1);
    if (address === undefined) return this.unknown(inner, 'its address is known only at deploy time');
    const [ref = '', ...fallbacks] = splitTop(address);
    const m = /^([A-Za-z][\w-]*)\s*(?::|\()/.exec(ref);
    const source = m?.[1] ?? '';
    if (source === 'self') {
      const path = ref.slice(ref.indexOf(':') + 1).trim();
      if (active.includes(path)) return this.unknown(inner, 'it refers to itself');
      const node = path === '' ? this.root : this.at(path);
      if (node) return this.value(node, [...active, path], depth + 1);
    } else if (source === 'aws') {
      const what = ref.slice(ref.indexOf(':') + 1).trim();
      if (what === 'accountId') return { kind: 'pseudo', name: 'AWS::AccountId' };
      if (what === 'region') return { kind: 'pseudo', name: 'AWS::Region' };
    }
    if (source === 'self' && fallbacks.length > 0) {
      // Serverless uses the first fallback that resolves: a quoted string or a number is literal.
      const f = fallbacks[0] as string;
      const lit = /^(?:'([^']*)'|"([^"]*)")$/.exec(f);
      if (lit) return { kind: 'text', text: lit[1] ?? lit[2] ?? '' };
      if (/^-?\d+(\.\d+)?$/.test(f)) return { kind: 'text', text: f };
    }
    return this.unknown(inner, WHY[source] ?? `resolved at deploy time by the ${source || 'unknown'} source`);
  }

  /** `custom.accounts.0` inside the configuration. */
  private at(path: string): CNode | undefined {
    let n: CNode | undefined = this.root;
    for (const seg of path.split('.')) {
      if (!n) return undefined;
      if (n.t === 'seq' && /^\d+$/.test(seg)) n = n.items[Number(seg)];
      else n = get(n, seg);
    }
    return n;
  }

  /** A node reached through `${self:…}`: a string with variables is followed further. */
  private value(n: CNode, active: readonly string[], depth: number): Res {
    if (n.t === 'scalar' && typeof n.v === 'string') {
      const pieces = splitVariables(n.v);
      const only = pieces[0];
      if (pieces.length === 1 && only && 'inner' in only) return this.variable(only.inner, active, depth);
      const t = this.textOf(n.v, active, depth);
      if (t !== undefined) return { kind: 'text', text: t };
      return { kind: 'node', node: n };
    }
    if (n.t === 'scalar') return { kind: 'text', text: n.v === null ? '' : String(n.v) };
    return { kind: 'node', node: n };
  }

  /** A string with its variables replaced when every one is known text, else undefined. */
  private textOf(s: string, active: readonly string[], depth: number): string | undefined {
    let out = '';
    for (const p of splitVariables(s)) {
      if ('text' in p) out += p.text;
      else {
        const r = this.variable(p.inner, active, depth);
        if (r.kind !== 'text') return undefined;
        out += r.text;
      }
      if (out.length > this.budgets['string-length'])
        throw new BudgetExceeded(
          'string-length',
          this.budgets['string-length'],
          'a string built from Serverless variables is too long',
        );
    }
    return out;
  }

  /** A copy of `n` with every variable replaced (see the module comment). */
  substitute(n: CNode, depth = 0, inSub = false, active: readonly string[] = []): CNode {
    this.step(depth);
    if (n.t === 'scalar') return typeof n.v === 'string' ? this.scalar(n, inSub, active, depth) : n;
    if (n.t === 'seq')
      return { ...n, items: n.items.map((i) => this.substitute(i, depth + 1, false, active)) };
    const entries: CEntry[] = n.entries.map((e) => {
      if (e.key === 'Fn::Sub') {
        const v = e.value;
        if (v.t === 'scalar') return { ...e, value: this.substitute(v, depth + 1, true, active) };
        if (v.t === 'seq')
          return {
            ...e,
            value: { ...v, items: v.items.map((it, i) => this.substitute(it, depth + 1, i === 0, active)) },
          };
      }
      return { ...e, value: this.substitute(e.value, depth + 1, false, active) };
    });
    return { ...n, entries };
  }

  private scalar(n: CScalar, inSub: boolean, active: readonly string[], depth: number): CNode {
    const s = n.v as string;
    if (!s.includes('${')) return n;
    const pieces = splitVariables(s);
    if (!pieces.some((p) => 'inner' in p)) return n;
    const only = pieces[0];
    if (!inSub && pieces.length === 1 && only && 'inner' in only) {
      const r = this.variable(only.inner, active, depth + 1);
      if (r.kind === 'node') return this.substitute(r.node, depth + 1, false, active);
      if (r.kind === 'text') return { t: 'scalar', v: r.text, pos: n.pos };
      return ref(r.kind === 'pseudo' ? r.name : r.token, n.pos);
    }
    let sub = '';
    let allText = true;
    for (const p of pieces) {
      if ('text' in p) {
        sub += inSub ? p.text : p.text.replace(/\$\{/g, '${!');
        continue;
      }
      const r = this.variable(p.inner, active, depth + 1);
      if (r.kind === 'text') sub += inSub ? r.text : r.text.replace(/\$\{/g, '${!');
      else {
        allText = false;
        if (r.kind === 'pseudo') sub += `\${${r.name}}`;
        else if (r.kind === 'unknown') sub += `\${${r.token}}`;
        else sub += `\${${this.unknown(p.inner, 'a list or mapping written into text').token}}`;
      }
    }
    if (inSub) return { t: 'scalar', v: sub, pos: n.pos };
    if (allText) return { t: 'scalar', v: this.textOf(s, active, depth + 1) ?? sub, pos: n.pos };
    const scalar: CScalar = { t: 'scalar', v: sub, pos: n.pos };
    const map: CMap = { t: 'map', pos: n.pos, entries: [{ key: 'Fn::Sub', keyPos: n.pos, value: scalar }] };
    return map;
  }
}

function ref(name: string, pos: Pos): CMap {
  return { t: 'map', pos, entries: [{ key: 'Ref', keyPos: pos, value: { t: 'scalar', v: name, pos } }] };
}
