/**
 * A trust document written in a YAML or JSON file (a mapping, or JSON text in a string) -> the normalised
 * `TrustPolicy`, with each element's file position. Shared by the Kubernetes and Pulumi sources.
 */
import { parseTrustDocument } from '../../model/normalise.js';
import {
  isSymbolic,
  type JsonLike,
  type SourceLocation,
  type Symbolic,
  type TrustPolicy,
} from '../../model/types.js';
import { BudgetExceeded, type Budgets } from '../../scan/budgets.js';
import { expandJsonDocument, locateIn } from '../cloudformation/embedded.js';
import type { CNode, LineIndex, Pos } from '../cloudformation/nodes.js';
import type { RKid, RNode } from '../cloudformation/resolve.js';

/** Turns a string of the document into a named unknown when it holds a template placeholder. */
export type Symbolise = (s: string) => string | Symbolic;

/** A positioned node as written (no evaluation): strings keep their scalar so JSON inside maps to the file. */
export function literalNode(n: CNode): RNode {
  if (n.t === 'scalar') {
    if (typeof n.v === 'string') return { v: n.v, pos: n.pos, src: n };
    return { v: n.v, pos: n.pos };
  }
  if (n.t === 'seq') {
    const kids = new Map<string | number, RKid>();
    const items = n.items.map((it, i) => {
      const node = literalNode(it);
      kids.set(i, { node });
      return node.v;
    });
    return { v: items, pos: n.pos, kids };
  }
  const kids = new Map<string | number, RKid>();
  const pairs: [string, JsonLike][] = [];
  for (const e of n.entries) {
    const node = literalNode(e.value);
    kids.set(e.key, { node, keyPos: e.keyPos });
    pairs.push([e.key, node.v]);
  }
  return { v: Object.fromEntries(pairs) as JsonLike, pos: n.pos, kids };
}

/** Apply `symbolise` to every string of the tree (keys excepted), keeping positions. */
export function symboliseStrings(n: RNode, symbolise: Symbolise): RNode {
  if (typeof n.v === 'string') {
    const s = symbolise(n.v);
    return typeof s === 'string' ? n : { ...n, v: s };
  }
  if (!n.kids || isSymbolic(n.v) || n.v === null || typeof n.v !== 'object') return n;
  const kids = new Map<string | number, RKid>();
  for (const [k, kid] of n.kids) kids.set(k, { ...kid, node: symboliseStrings(kid.node, symbolise) });
  if (Array.isArray(n.v)) {
    return { ...n, kids, v: [...kids.values()].map((k) => k.node.v) };
  }
  const pairs: [string, JsonLike][] = [];
  for (const [k, kid] of kids) pairs.push([String(k), kid.node.v]);
  return { ...n, kids, v: Object.fromEntries(pairs) as JsonLike };
}

export interface TrustOptions {
  file: string;
  text: string;
  lines: LineIndex;
  budgets: Budgets;
  /** Where the document's key is written (the location of the document as a whole). */
  at: Pos;
  symbolise?: Symbolise;
}

function loc(file: string, p: Pos | undefined): SourceLocation {
  return p ? { file, line: p.line, column: p.column } : { file };
}

/**
 * Parse the document. JSON text (a string, a folded or literal block) is parsed keeping the position
 * of each element inside the block. Throws `BudgetExceeded` for a document over the statement limit.
 */
export function trustPolicyOf(doc: RNode, opts: TrustOptions): TrustPolicy {
  let d = expandJsonDocument(doc, opts.text, opts.lines);
  if (opts.symbolise) d = symboliseStrings(d, opts.symbolise);
  const v = d.v;
  if (v && typeof v === 'object' && !Array.isArray(v) && !isSymbolic(v)) {
    const st = v.Statement ?? v.statement;
    if (Array.isArray(st) && st.length > opts.budgets.statements) {
      throw new BudgetExceeded(
        'statements',
        opts.budgets.statements,
        `the trust policy has ${st.length} statements`,
      );
    }
  }
  const base = loc(opts.file, opts.at);
  return parseTrustDocument(d.v, {
    file: opts.file,
    base,
    locate: (path) => (path.length === 0 ? base : loc(opts.file, locateIn(d, path))),
  });
}
