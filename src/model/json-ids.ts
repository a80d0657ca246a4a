import type { JsonLike } from './types.js';

/** Markers of structure in a value's token sequence: objects, so no JSON value equals them. */
const OPEN_OBJECT = { mark: '{' };
const OPEN_ARRAY = { mark: '[' };
const CLOSE = { mark: ']' };

type Token = string | number | boolean | null | undefined | typeof OPEN_OBJECT;

interface Node {
  next: Map<Token, Node>;
  /** The id of the value whose tokens end here. */
  id?: number;
  /** Ids of values that leave the tree here, by the text of their remaining tokens. */
  tails?: Map<string, number>;
}

/** A node with this many children takes no more: later tokens there go into tail text (external IDs, names). */
const MAX_CHILDREN = 16;
/** Nodes walked per value before the rest goes into tail text (bounds the tree for large documents). */
const MAX_DEPTH = 256;

/**
 * Interns JSON values: equal values (same keys in the same order, same items, same primitives) get the
 * same small number, different values different numbers, as if keyed by `JSON.stringify` text.
 *
 * A value is read as a sequence of tokens (structure markers, keys, primitives) walked down a tree of
 * maps, so the common case builds no text at all: the strings are hashed by the engine's own string
 * hash. Where values differ a lot (a node already has `MAX_CHILDREN` children, as where each role has
 * its own external ID) or the value is large (past `MAX_DEPTH` nodes), its remaining tokens are
 * written as text and looked up in that node's `tails`. A given token at a given node always takes the
 * same branch (children are only ever added), so equal values always meet at the same place.
 */
export class JsonIds {
  private readonly root: Node = { next: new Map() };
  private count = 0;

  /** The value's id; undefined when it cannot be keyed (nested too deep to walk). */
  id(value: JsonLike): number | undefined {
    const c: Cursor = { node: this.root, depth: 0, tail: undefined };
    try {
      visit(value, c);
    } catch {
      return undefined; // nested deeper than the stack allows: no key, no sharing
    }
    if (c.tail === undefined) {
      if (c.node.id === undefined) c.node.id = this.count++;
      return c.node.id;
    }
    c.node.tails ??= new Map();
    let id = c.node.tails.get(c.tail);
    if (id === undefined) {
      id = this.count++;
      c.node.tails.set(c.tail, id);
    }
    return id;
  }
}

interface Cursor {
  node: Node;
  depth: number;
  /** The text of the tokens after `node`, once the value has left the tree. */
  tail: string | undefined;
}

function step(c: Cursor, token: Token): void {
  if (c.tail === undefined) {
    let n = c.node.next.get(token);
    if (n === undefined && c.depth < MAX_DEPTH && c.node.next.size < MAX_CHILDREN) {
      n = { next: new Map() };
      c.node.next.set(token, n);
    }
    if (n !== undefined) {
      c.node = n;
      c.depth++;
      return;
    }
    c.tail = '';
  }
  c.tail += tokenText(token);
}

/** Self-delimiting text of a token, so a sequence of them reads back one way only. */
function tokenText(t: Token): string {
  if (t === OPEN_OBJECT) return '{';
  if (t === OPEN_ARRAY) return '[';
  if (t === CLOSE) return ']';
  if (typeof t === 'string') return JSON.stringify(t);
  if (typeof t === 'number') return `#${t};`;
  if (t === true) return 't';
  if (t === false) return 'f';
  return t === null ? 'z' : 'u';
}

function visit(v: unknown, c: Cursor): void {
  if (typeof v !== 'object' || v === null) {
    // Numbers, strings, booleans and null are distinct map keys (1 and "1" differ).
    step(c, v as Token);
    return;
  }
  if (Array.isArray(v)) {
    step(c, OPEN_ARRAY);
    for (let i = 0; i < v.length; i++) visit(v[i], c);
    step(c, CLOSE);
    return;
  }
  step(c, OPEN_OBJECT);
  const o = v as Record<string, unknown>;
  for (const k in o) {
    // JSON.stringify leaves out properties whose value is undefined: so does the key.
    if (o[k] === undefined) continue;
    step(c, k);
    visit(o[k], c);
  }
  step(c, CLOSE);
}
