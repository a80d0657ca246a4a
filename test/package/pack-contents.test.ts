import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';

/**
 * What `npm pack` would ship holds everything bin/trustaudit.js runs: the bundle's entry, every chunk it
 * imports (statically or with `import()`), the worker entry, their source maps and the compiled vendor
 * list. Read from `npm pack --dry-run`, on the current build (`npm test` builds it).
 */
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function packedFiles(): Set<string> {
  const out = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [pack] = JSON.parse(out) as { files: { path: string }[] }[];
  return new Set((pack?.files ?? []).map((f) => f.path));
}

/** The files of the bundle that `entry` loads, following relative imports from chunk to chunk. */
function bundleClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const todo = [entry];
  for (let f = todo.pop(); f; f = todo.pop()) {
    if (seen.has(f)) continue;
    seen.add(f);
    const text = readFileSync(join(repoRoot, f), 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*["']\.\/([^"']+\.mjs)["']/g))
      todo.push(`dist/${m[1]}`);
  }
  return seen;
}

describe('the packed package', () => {
  it('has the CLI entry, the worker entry, the compiled vendor list and the YAML it comes from', () => {
    const files = packedFiles();
    for (const f of [
      'bin/trustaudit.js',
      'bin/source-stack.js',
      'dist/trustaudit.mjs',
      'dist/scan-worker.mjs',
      'dist/scan/workers/worker.js',
      'dist/data/known-accounts.json',
      'data/known-aws-accounts.yaml',
      'data/vendor-accounts-extra.yaml',
    ]) {
      expect(files.has(f), f).toBe(true);
    }
  });

  it('has every chunk the bundle loads, each with its source map', () => {
    const closure = new Set([
      ...bundleClosure('dist/trustaudit.mjs'),
      ...bundleClosure('dist/scan-worker.mjs'),
    ]);
    const files = packedFiles();
    // The AWS SDK is loaded with import() for live scans only: the closure reaches its chunks too.
    expect(closure.size).toBeGreaterThan(10);
    for (const f of closure) {
      expect(files.has(f), f).toBe(true);
      expect(files.has(`${f}.map`), `${f}.map`).toBe(true);
    }
  });
});
