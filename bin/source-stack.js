// Stack traces of the built CLI read through its source maps (dist/*.mjs.map, dist/**/*.js.map), so that
// an internal error names the TypeScript files. Loaded by bin/trustaudit.js only when one happens.
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

/** A stack trace with each frame in a built file (that has a source map) moved to its source file. */
export function sourceStack(stack) {
  if (typeof stack !== 'string') return undefined;
  const maps = new Map();
  const mapOf = (file) => {
    if (!maps.has(file)) {
      let map;
      try {
        map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
      } catch {
        map = undefined;
      }
      maps.set(file, map);
    }
    return maps.get(file);
  };
  return stack.replace(/(file:\/\/[^\s()]+):(\d+):(\d+)/g, (whole, url, line, column) => {
    let file;
    try {
      file = fileURLToPath(url);
    } catch {
      return whole;
    }
    const hit = mapOf(file)?.findEntry(Number(line) - 1, Number(column) - 1);
    if (!hit?.originalSource) return whole;
    const source = hit.originalSource.startsWith('file://')
      ? fileURLToPath(hit.originalSource)
      : new URL(hit.originalSource, url).pathname;
    return `${source}:${hit.originalLine + 1}:${hit.originalColumn + 1}`;
  });
}
