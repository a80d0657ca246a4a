/**
 * `JSON.stringify(value, null, 2)` (or, with `indent: ''`, `JSON.stringify(value)`) written as consecutive
 * pieces, for reports too large for one string (V8 strings end at 2^29 - 24 characters, about 512 MiB) and
 * so that a report is written while it is produced. The pieces joined are exactly that text.
 *
 * `expand(path)` says which containers are written member by member (the long lists of a report); every
 * other value is written by `JSON.stringify` itself, indented natively to its depth: the members of a
 * list are stringified a batch at a time inside as many enclosing arrays as the list is deep, and the
 * enclosing brackets are cut off. No text is re-indented afterwards.
 *
 * A `LazyList` stands for an array whose members are made only as they are written (a report's findings
 * mapped to SARIF results, ASFF findings...), so the mapped list never exists whole.
 */
export type JsonPath = readonly (string | number)[];

export interface JsonPiecesOptions {
  /** `'  '` (the default, as `JSON.stringify(v, null, 2)`) or `''` (compact, as `JSON.stringify(v)`). */
  indent?: '' | '  ';
  /** Members of an expanded list stringified together (default 256): fewer calls, pieces still small. */
  batch?: number;
}

/** An array made member by member while it is written; `JSON.stringify` of it gives the whole array. */
export class LazyList<T = unknown> {
  constructor(
    readonly length: number,
    private readonly make: () => Iterable<T>,
  ) {}

  /** The members, made anew on each call. */
  [Symbol.iterator](): Iterator<T> {
    return this.make()[Symbol.iterator]();
  }

  /** For `JSON.stringify` of a value holding the list (a small report written whole). */
  toJSON(): T[] {
    return Array.from(this);
  }
}

/** `items` mapped by `f` while they are written. */
export function lazyMap<A, B>(items: readonly A[], f: (a: A, i: number) => B): LazyList<B> {
  return new LazyList(items.length, function* () {
    for (let i = 0; i < items.length; i++) yield f(items[i] as A, i);
  });
}

const DEFAULT_BATCH = 256;
/**
 * About how long the text of one batch may grow: the number of members per batch is adapted to the
 * members' size as they are written. V8 puts a string over its regular object size (128 KiB) in the
 * large-object space, which costs far more to make and to free: 256 findings of a JSON report (about
 * 3.6 KB each, 0.9 MB a batch) took 1.4-1.7 times as long to write as the same findings 32 at a time.
 */
const PIECE_CHARS = 96 * 1024;
/** Members in the first batch of a list, before their size is known. */
const FIRST_BATCH = 16;

export function* jsonPieces(
  value: unknown,
  expand: (path: JsonPath) => boolean,
  opts: JsonPiecesOptions = {},
): Generator<string> {
  const w = new Writer(opts.indent ?? '  ', Math.max(1, opts.batch ?? DEFAULT_BATCH), expand);
  yield* w.value(value, '', [], 0);
}

/** What JSON.stringify does to a value before writing it (toJSON), except for a LazyList written in parts. */
function prepared(v: unknown, key: string): unknown {
  if (v instanceof LazyList) return v;
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    return (v as { toJSON(k: string): unknown }).toJSON(key);
  }
  return v;
}

/** Whether JSON.stringify leaves an object member out (undefined, functions, symbols). */
function omitted(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

function isLeaf(v: unknown): boolean {
  return (
    v === null || typeof v !== 'object' || v instanceof Number || v instanceof String || v instanceof Boolean
  );
}

class Writer {
  private readonly nl: string;
  private readonly colon: string;
  /** Opening and closing text of `depth` enclosing arrays, by depth (made once each). */
  private readonly wraps: { open: string; close: string }[] = [];

  constructor(
    private readonly indent: string,
    private readonly batch: number,
    private readonly expand: (path: JsonPath) => boolean,
  ) {
    this.nl = indent ? '\n' : '';
    this.colon = indent ? ': ' : ':';
  }

  private pad(depth: number): string {
    return this.indent.repeat(depth);
  }

  /**
   * `items` (at least one) as JSON.stringify writes them as members of an array at `depth`: each on its
   * own line at `depth + 1`, separated by commas, without the first member's indentation and without
   * the array's brackets.
   */
  private members(items: readonly unknown[], depth: number): string {
    if (!this.indent) return JSON.stringify(items).slice(1, -1);
    let wrapped: unknown = items;
    for (let d = 0; d < depth; d++) wrapped = [wrapped];
    const text = JSON.stringify(wrapped, null, this.indent);
    const { open, close } = this.wrap(depth);
    return text.slice(open.length, text.length - close.length);
  }

  /** What `depth` enclosing arrays (plus the list itself) add before its first member and after its last. */
  private wrap(depth: number): { open: string; close: string } {
    let w = this.wraps[depth];
    if (w === undefined) {
      let open = '';
      let close = '';
      for (let d = 0; d <= depth; d++) {
        open += `[${this.nl}${this.pad(d + 1)}`;
        close = `${this.nl}${this.pad(d)}]${close}`;
      }
      w = { open, close };
      this.wraps[depth] = w;
    }
    return w;
  }

  /** One value at `depth` (its first line not indented), as JSON.stringify writes it there. */
  private whole(v: unknown, depth: number): string {
    if (depth === 0 || isLeaf(v)) return JSON.stringify(v, null, this.indent) ?? 'null';
    return this.members([v], depth - 1);
  }

  *value(v0: unknown, key: string, path: JsonPath, depth: number): Generator<string> {
    const v = prepared(v0, key);
    if (isLeaf(v) || !this.expand(path)) {
      yield this.whole(v instanceof LazyList ? v.toJSON() : v, depth);
      return;
    }
    if (Array.isArray(v) || v instanceof LazyList) {
      yield* this.list(v as Iterable<unknown> & { length: number }, path, depth);
      return;
    }
    yield* this.object(v as Record<string, unknown>, path, depth);
  }

  private *list(v: Iterable<unknown> & { length: number }, path: JsonPath, depth: number): Generator<string> {
    if (v.length === 0) {
      yield '[]';
      return;
    }
    const inner = `${this.nl}${this.pad(depth + 1)}`;
    yield `[${inner}`;
    const sep = `,${inner}`;
    let i = 0;
    let first = true;
    let pending: unknown[] = [];
    // Members per batch: at most `this.batch`, fewer when they are large (see PIECE_CHARS).
    let limit = Math.min(this.batch, FIRST_BATCH);
    const flush = (): string => {
      const text = this.members(pending, depth);
      const fits = Math.floor((PIECE_CHARS * pending.length) / (text.length + 1));
      limit = Math.max(1, Math.min(this.batch, fits));
      pending = [];
      return text;
    };
    for (const item0 of v) {
      const item = prepared(item0, String(i));
      const childPath = [...path, i];
      i++;
      if (!isLeaf(item) && this.expand(childPath)) {
        if (pending.length > 0) {
          yield `${first ? '' : sep}${flush()}`;
          first = false;
        }
        if (!first) yield sep;
        first = false;
        yield* this.value(item, String(i - 1), childPath, depth + 1);
        continue;
      }
      // As given: JSON.stringify applies toJSON itself, and writes undefined and functions as null there too.
      pending.push(item0);
      if (pending.length >= limit) {
        yield `${first ? '' : sep}${flush()}`;
        first = false;
      }
    }
    if (pending.length > 0) yield `${first ? '' : sep}${flush()}`;
    yield `${this.nl}${this.pad(depth)}]`;
  }

  private *object(o: Record<string, unknown>, path: JsonPath, depth: number): Generator<string> {
    const keys = Object.keys(o).filter((k) => !omitted(prepared(o[k], k)));
    if (keys.length === 0) {
      yield '{}';
      return;
    }
    const inner = `${this.nl}${this.pad(depth + 1)}`;
    yield '{';
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      yield `${i === 0 ? '' : ','}${inner}${JSON.stringify(k)}${this.colon}`;
      yield* this.value(o[k], k, [...path, k], depth + 1);
    }
    yield `${this.nl}${this.pad(depth)}}`;
  }
}
