/**
 * Trust documents written as a JSON string (`AssumeRolePolicyDocument: '{"Version": ...}'`, a folded
 * YAML scalar, an `Fn::Sub` of JSON text), and finding positions inside a resolved document.
 */
import { type Node as JsonNode, type ParseError, parseTree } from 'jsonc-parser';
import { isSymbolic, type JsonLike, type Symbolic } from '../../model/types.js';
import type { CScalar, LineIndex, Pos } from './nodes.js';
import type { RKid, RNode } from './rnode.js';

function isWs(c: string | undefined): boolean {
  return c === ' ' || c === '\n' || c === '\r' || c === '\t';
}

function escapeLength(text: string, j: number): number {
  const e = text[j + 1];
  if (e === 'u') return 6;
  if (e === 'x') return 4;
  if (e === 'U') return 10;
  return 2;
}

/**
 * For each character of a scalar's value, the offset in the file where it is written. Quotes, block
 * headers, indentation and line folding are stepped over; escapes map to their backslash. Best effort:
 * when the value and the source disagree, the remaining characters map to the last matched offset.
 */
export function valueOffsets(value: string, text: string, s: CScalar): number[] {
  const [start, end] = s.range ?? [s.pos.offset, s.pos.offset];
  const style = s.style ?? 'plain';
  const escapes = style === 'json' || style === 'double';
  let j = start;
  if (style === 'literal' || style === 'folded') {
    const nl = text.indexOf('\n', start);
    j = nl < 0 ? end : nl + 1;
  } else if (style !== 'plain') {
    j = start + 1;
  }
  const out = new Array<number>(value.length);
  let i = 0;
  for (; i < value.length; i++) {
    const c = value[i];
    let matched = false;
    while (j < end) {
      const r = text[j];
      if (escapes && r === '\\') {
        if (style === 'double' && (text[j + 1] === '\n' || text[j + 1] === '\r')) {
          j += 2;
          continue;
        }
        out[i] = j;
        j += escapeLength(text, j);
        matched = true;
        break;
      }
      if (r === c || (isWs(c) && isWs(r))) {
        out[i] = j;
        j++;
        matched = true;
        break;
      }
      if (isWs(r) || r === '"' || r === "'") {
        j++;
        continue;
      }
      break;
    }
    if (!matched) break;
  }
  const last = i > 0 ? (out[i - 1] ?? start) : start;
  for (; i < value.length; i++) out[i] = last;
  return out;
}

/**
 * A JSON text inside a string -> a resolved node tree. `offsetOf` maps an offset in the text to a file
 * position (undefined: every element gets `fallback`). Strings holding `${...}` placeholders of a
 * symbolic text become Symbolic again.
 */
function fromJson(
  n: JsonNode,
  json: string,
  where: (offset: number) => Pos | undefined,
  unknown: Symbolic | undefined,
): RNode {
  const pos = where(n.offset);
  const at = pos ? { pos } : {};
  switch (n.type) {
    case 'object': {
      const kids = new Map<string | number, RKid>();
      const pairs: [string, JsonLike][] = [];
      for (const p of n.children ?? []) {
        const [k, v] = p.children ?? [];
        if (!k || !v) continue;
        const key = String(k.value);
        const node = fromJson(v, json, where, unknown);
        const keyPos = where(k.offset);
        kids.set(key, keyPos ? { node, keyPos } : { node });
        pairs.push([key, node.v]);
      }
      return { v: Object.fromEntries(pairs) as JsonLike, ...at, kids };
    }
    case 'array': {
      const kids = new Map<string | number, RKid>();
      const items = (n.children ?? []).map((c, i) => {
        const node = fromJson(c, json, where, unknown);
        kids.set(i, { node });
        return node.v;
      });
      return { v: items, ...at, kids };
    }
    case 'string': {
      const s = String(n.value);
      if (unknown && /\$\{[^}]+\}/.test(s)) return { v: placeholderSymbolic(s, unknown), ...at };
      return { v: s, ...at };
    }
    case 'number':
      return { v: json.slice(n.offset, n.offset + n.length), ...at };
    case 'boolean':
      return { v: Boolean(n.value), ...at };
    default:
      return { v: null, ...at };
  }
}

/** A string of a symbolic JSON text that holds `${X}`: Symbolic, described by the parts that name X. */
function placeholderSymbolic(s: string, whole: Symbolic): Symbolic {
  const names = [...s.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1] ?? '');
  const all = whole.description.split('; ');
  const mine = all.filter((d) => names.some((n) => n !== '' && d.includes(n)));
  return { symbolic: true, description: (mine.length > 0 ? mine : all).join('; '), text: s };
}

/**
 * If the resolved document is JSON text, parse it keeping positions. A text that is not a JSON object
 * is returned unchanged (the normaliser reports it).
 */
export function expandJsonDocument(doc: RNode, text: string, lines: LineIndex): RNode {
  let json: string | undefined;
  let unknown: Symbolic | undefined;
  if (typeof doc.v === 'string') json = doc.v;
  else if (isSymbolic(doc.v) && doc.v.text !== undefined && /^\s*\{/.test(doc.v.text)) {
    json = doc.v.text;
    unknown = doc.v;
  }
  if (json === undefined) return doc;
  const errors: ParseError[] = [];
  const tree = parseTree(json, errors, { disallowComments: true, allowTrailingComma: false });
  if (!tree || errors.length > 0 || tree.type !== 'object') return doc;
  let offs: number[] | undefined;
  if (doc.offsets && doc.offsets.length === json.length) offs = doc.offsets;
  else if (doc.src && typeof doc.src.v === 'string' && doc.src.v === json)
    offs = valueOffsets(json, text, doc.src);
  const where = (o: number): Pos | undefined => {
    const f = offs?.[o];
    return f === undefined ? doc.pos : lines.pos(f);
  };
  return fromJson(tree, json, where, unknown);
}

/**
 * Where an element of a resolved document is written. A path that goes further than the tree (or
 * through a single statement written without a list) gives the nearest position found.
 */
export function locateIn(root: RNode, path: readonly (string | number)[]): Pos | undefined {
  let node = root;
  let at = root.pos;
  for (const seg of path) {
    let kid = node.kids?.get(seg);
    if (!kid && typeof seg === 'number') kid = node.kids?.get(String(seg));
    if (!kid && typeof seg === 'string' && /^\d+$/.test(seg)) kid = node.kids?.get(Number(seg));
    if (!kid && typeof seg === 'string' && node.kids) {
      const lower = seg.toLowerCase();
      for (const [k, v] of node.kids) {
        if (typeof k === 'string' && k.toLowerCase() === lower) {
          kid = v;
          break;
        }
      }
    }
    if (!kid) {
      // `Statement: {...}` is one statement: index 0 means the object itself.
      if (seg === 0 && !Array.isArray(node.v)) continue;
      return at;
    }
    node = kid.node;
    at = kid.keyPos ?? kid.node.pos ?? at;
  }
  return at;
}
