import { extname } from 'node:path';
import { findNodeAtLocation, type ParseError, parseTree } from 'jsonc-parser';
import { LineCounter, parseDocument } from 'yaml';
import type { ZodError } from 'zod';
import { LineIndex } from '../model/line-index.js';
import { ConfigError } from './errors.js';
import { type Config, ConfigSchema } from './schema.js';

/** Parse and validate config text (JSON or YAML by extension); errors carry file:line:column. */
export function parseConfigText(text: string, file: string): Config {
  const isJson = extname(file).toLowerCase() === '.json';
  let data: unknown;
  let lineOf: (path: (string | number)[]) => { line: number; column: number } | undefined;
  if (isJson) {
    const errors: ParseError[] = [];
    const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
    if (errors.length > 0 || !tree) {
      const at = offsetToLineCol(text, errors[0]?.offset ?? 0);
      throw new ConfigError(`${file}:${at.line}:${at.column}: not valid JSON`);
    }
    data = JSON.parse(text);
    lineOf = (path) => {
      const node = findNodeAtLocation(tree, path);
      return node ? offsetToLineCol(text, node.offset) : undefined;
    };
  } else {
    const lc = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true });
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      const p = e.linePos?.[0];
      throw new ConfigError(`${file}:${p ? `${p.line}:${p.col}` : '1:1'}: ${e.message.split('\n')[0]}`);
    }
    data = doc.toJS({ maxAliasCount: 0 }) ?? {};
    lineOf = (path) => {
      const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
      if (!node?.range) return undefined;
      const p = lc.linePos(node.range[0]);
      return { line: p.line, column: p.col };
    };
  }
  const parsed = ConfigSchema.safeParse(data);
  if (!parsed.success) throw new ConfigError(describeZodError(parsed.error, file, lineOf));
  return parsed.data;
}

function describeZodError(
  err: ZodError,
  file: string,
  lineOf: (path: (string | number)[]) => { line: number; column: number } | undefined,
): string {
  const lines = err.issues.map((i) => {
    const path = i.path.filter((p): p is string | number => typeof p !== 'symbol');
    let at = lineOf(path);
    for (let n = path.length - 1; !at && n >= 0; n--) at = lineOf(path.slice(0, n));
    const where = at ? `${file}:${at.line}:${at.column}` : file;
    return `${where}: ${path.length > 0 ? path.join('.') : '(top level)'}: ${i.message}`;
  });
  return `invalid config:\n  ${lines.join('\n  ')}`;
}

function offsetToLineCol(text: string, offset: number): { line: number; column: number } {
  return new LineIndex(text).position(offset);
}
