/**
 * A parsed template as a tree of positioned nodes. The YAML and JSON readers both produce it, so the
 * resolver and the role extractor never care which syntax a template was written in.
 */

import type { Scalar } from 'yaml';

/** A position in the template text. `line` and `column` are 1-based; `offset` is 0-based. */
export interface Pos {
  offset: number;
  line: number;
  column: number;
}

/** How a string scalar was written, so offsets inside its value can be mapped back to the file. */
export type StringStyle = 'json' | 'plain' | 'single' | 'double' | 'literal' | 'folded';

export interface CScalar {
  t: 'scalar';
  /** Numbers keep their source text (`012345678901` must not lose its leading zero). */
  v: string | number | boolean | null;
  pos: Pos;
  /** For strings: the source range [start, end) of the scalar, quotes and block header included. */
  range?: [number, number];
  style?: StringStyle;
}

export interface CSeq {
  t: 'seq';
  items: CNode[];
  pos: Pos;
}

export interface CEntry {
  key: string;
  keyPos: Pos;
  value: CNode;
}

export interface CMap {
  t: 'map';
  entries: CEntry[];
  pos: Pos;
  /** Set when the map was written as a YAML short-form tag (`!Ref X` -> `{Ref: X}`). */
  shortForm?: string;
}

export type CNode = CScalar | CSeq | CMap;

/** Turns offsets into line/column with a binary search over line starts. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
    }
  }

  pos(offset: number): Pos {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { offset, line: lo + 1, column: offset - (this.starts[lo] ?? 0) + 1 };
  }
}

/**
 * Line and column of a text embedded in another file (a stack set's `TemplateBody` string): offsets
 * stay those of the embedded text, lines and columns are where each character is written in the file.
 */
export class MappedLines extends LineIndex {
  constructor(
    text: string,
    private readonly fileOffsetOf: (offset: number) => number,
    private readonly fileLines: LineIndex,
  ) {
    super(text);
  }

  override pos(offset: number): Pos {
    const at = this.fileLines.pos(this.fileOffsetOf(offset));
    return { offset, line: at.line, column: at.column };
  }
}

export function get(map: CNode | undefined, key: string): CNode | undefined {
  if (map?.t !== 'map') return undefined;
  for (const e of map.entries) if (e.key === key) return e.value;
  return undefined;
}

export function getEntry(map: CNode | undefined, key: string): CEntry | undefined {
  if (map?.t !== 'map') return undefined;
  return map.entries.find((e) => e.key === key);
}

/** The literal string value of a scalar (numbers and booleans as text), else undefined. */
export function scalarText(n: CNode | undefined): string | undefined {
  if (n?.t !== 'scalar' || n.v === null) return undefined;
  return String(n.v);
}

/** A plain JSON value of a node (intrinsics left as they are written), for metadata and messages. */
export function toPlain(n: CNode): unknown {
  if (n.t === 'scalar') return n.v;
  if (n.t === 'seq') return n.items.map(toPlain);
  // fromEntries, not assignment: a key named __proto__ must stay a plain key.
  return Object.fromEntries(n.entries.map((e) => [e.key, toPlain(e.value)]));
}

/**
 * Add a mapping entry; a repeated key replaces the earlier one (last wins, as CloudFormation, Kubernetes
 * and Pulumi keep it) and is reported. `reader` names who keeps the last one, for the message.
 */
export function addEntry(
  entries: CEntry[],
  index: Map<string, number>,
  e: CEntry,
  warnings: { code: string; message: string; pos: Pos }[],
  reader = 'CloudFormation',
): void {
  const i = index.get(e.key);
  if (i === undefined) {
    index.set(e.key, entries.length);
    entries.push(e);
    return;
  }
  const first = entries[i] as CEntry;
  warnings.push({
    code: 'duplicate-key',
    message: `duplicate key "${e.key.slice(0, 80)}" (also at line ${first.keyPos.line}): ${reader} keeps the last one, which is what was scanned`,
    pos: e.keyPos,
  });
  entries[i] = e;
}

/** The style a YAML scalar was written in. */
export function styleOf(s: Scalar): StringStyle {
  switch (s.type) {
    case 'QUOTE_SINGLE':
      return 'single';
    case 'QUOTE_DOUBLE':
      return 'double';
    case 'BLOCK_LITERAL':
      return 'literal';
    case 'BLOCK_FOLDED':
      return 'folded';
    default:
      return 'plain';
  }
}
