/**
 * `JSON.stringify(value, null, 2)` as consecutive pieces of text, for reports too large for one string
 * (V8 strings end at 2^29 - 24 characters, about 512 MiB). The pieces joined are exactly that text.
 * `expand(path)` says which containers are written piece by piece (the long lists of a report); every
 * other value is one `JSON.stringify` call, indented to its depth.
 */
export type JsonPath = readonly (string | number)[];

const INDENT = '  ';

export function jsonPieces(value: unknown, expand: (path: JsonPath) => boolean): string[] {
  const out: string[] = [];
  const text = emit(value, '', [], 0, expand, out);
  if (text !== undefined) out.push(text);
  return out;
}

/** What JSON.stringify does to a value before writing it (toJSON). */
function prepared(v: unknown, key: string): unknown {
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    return (v as { toJSON(k: string): unknown }).toJSON(key);
  }
  return v;
}

/** Whether JSON.stringify leaves an object member out (undefined, functions, symbols). */
function omitted(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

/**
 * Writes `v` (at `depth`): returns its text when it is written whole, else pushes its pieces onto
 * `out` and returns undefined.
 */
function emit(
  v0: unknown,
  key: string,
  path: JsonPath,
  depth: number,
  expand: (path: JsonPath) => boolean,
  out: string[],
): string | undefined {
  const v = prepared(v0, key);
  const leaf =
    v === null || typeof v !== 'object' || v instanceof Number || v instanceof String || v instanceof Boolean;
  if (leaf || !expand(path)) {
    const text = JSON.stringify(v, null, 2) ?? 'null';
    return depth === 0 ? text : text.replace(/\n/g, `\n${INDENT.repeat(depth)}`);
  }
  const pad = INDENT.repeat(depth + 1);
  const close = INDENT.repeat(depth);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    out.push('[\n');
    for (let i = 0; i < v.length; i++) {
      const item = omitted(v[i]) ? null : v[i];
      const sep = i < v.length - 1 ? ',\n' : '\n';
      out.push(pad);
      const text = emit(item, String(i), [...path, i], depth + 1, expand, out);
      out.push(text === undefined ? sep : `${text}${sep}`);
    }
    out.push(`${close}]`);
    return undefined;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => !omitted(prepared(o[k], k)));
  if (keys.length === 0) return '{}';
  out.push('{\n');
  keys.forEach((k, i) => {
    const sep = i < keys.length - 1 ? ',\n' : '\n';
    out.push(`${pad}${JSON.stringify(k)}: `);
    const text = emit(o[k], k, [...path, k], depth + 1, expand, out);
    out.push(text === undefined ? sep : `${text}${sep}`);
  });
  out.push(`${close}}`);
  return undefined;
}
