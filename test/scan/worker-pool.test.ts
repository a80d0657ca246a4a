import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { budgetsWith } from '../../src/scan/budgets.js';
import { openScanRoot } from '../../src/scan/scan-root.js';
import { serialContext } from '../../src/scan/workers/context.js';
import { loadClaimed } from '../../src/scan/workers/load.js';
import { createPool } from '../../src/scan/workers/pool.js';
import type { FileSource, InputFile, SourceContext } from '../../src/sources/types.js';
import { tempDir } from '../helpers/cli.js';

/**
 * A worker speaking the pool's protocol that answers one error per file (so results show who read
 * what), and fails the way a real worker can on the files named for it: exits, throws outside any
 * task, or runs out of memory.
 */
const WORKER = `
import { parentPort, workerData } from 'node:worker_threads';
parentPort.on('message', (task) => {
  const names = task.files.map((f) => f.path);
  if (names.some((n) => n.includes('exit'))) process.exit(3);
  if (names.some((n) => n.includes('throw'))) setTimeout(() => { throw new Error('lost it'); });
  if (names.some((n) => n.includes('oom'))) { const keep = []; for (;;) keep.push(new Array(1e6).fill(keep.length)); }
  if (names.some((n) => n.includes('throw'))) return;
  parentPort.postMessage({
    id: task.id,
    ok: true,
    result: { roles: [], errors: task.files.map((f) => ({ source: task.source, code: 'read', file: f.path, message: workerData.rootDir })) },
  });
});
`;

function context(dir: string): SourceContext {
  return {
    zone: { trusted: new Map(), trustedOrgIds: new Set(), known: new Map() },
    parameters: new Map(),
    variables: new Map(),
    allFiles: [],
    maxFileBytes: 1024 * 1024,
    budgets: budgetsWith(),
    root: openScanRoot(dir, 1024 * 1024),
  };
}

const input = (path: string): InputFile => ({ path, text: 'x'.repeat(100), explicit: true });

function workerEntry(dir: string): URL {
  const file = join(dir, 'worker.mjs');
  writeFileSync(file, WORKER);
  return pathToFileURL(file);
}

describe('the worker pool', () => {
  it('answers every task by its number; a worker that dies fails only its own task', async () => {
    const dir = tempDir('ta-pool-');
    const pool = createPool({
      entry: workerEntry(dir),
      size: 2,
      context: serialContext(context(dir)),
      maxHeapMb: 32,
    });
    try {
      const names = ['a', 'exit', 'b', 'oom', 'c', 'throw', 'd'];
      const outcomes = await Promise.all(names.map((n) => pool.run({ source: 's', files: [input(n)] })));
      const summary = outcomes.map((o) =>
        o.ok ? o.result.errors[0]?.file : 'crashed' in o ? o.crashed : 'error',
      );
      expect(summary).toEqual([
        'a',
        'the worker thread exited (code 3)',
        'b',
        'the worker thread ran out of memory',
        'c',
        'the worker thread failed: lost it',
        'd',
      ]);
      // The context reached the worker: the scan root's real path.
      expect(outcomes[0]?.ok && outcomes[0].result.errors[0]?.message).toBe(context(dir).root.dir);
    } finally {
      await pool.close();
    }
  }, 60_000);
});

describe('reading sources with workers', () => {
  it('reports the files of a lost group as errors, naming each, and still reads the other groups in order', async () => {
    const dir = tempDir('ta-pool-');
    const source: FileSource = {
      name: 'fake',
      claim: () => true,
      load: async () => ({ roles: [], errors: [] }),
      split: (files) => ({ groups: files.map((f) => [f]) }),
    };
    const files = ['one.json', 'exit.json', 'two.json', 'three.json'].map(input);
    const [result] = await loadClaimed(new Map([[source, files]]), context(dir), {
      jobs: 2,
      entry: workerEntry(dir),
      minBytes: 0,
    });
    expect(result?.errors.map((e) => [e.file, e.code])).toEqual([
      ['one.json', 'read'],
      ['exit.json', 'worker-failed'],
      ['two.json', 'read'],
      ['three.json', 'read'],
    ]);
    expect(result?.errors[1]?.message).toMatch(
      /^the worker thread exited \(code 3\) while the fake reader was reading this file; its roles were not judged$/,
    );
  }, 60_000);

  it('stays in one thread below the size threshold or with jobs 1', async () => {
    const dir = tempDir('ta-pool-');
    let here = 0;
    const source: FileSource = {
      name: 'fake',
      claim: () => true,
      load: async (files) => {
        here += files.length;
        return { roles: [], errors: [] };
      },
      split: (files) => ({ groups: files.map((f) => [f]) }),
    };
    const files = ['a.json', 'b.json'].map(input);
    const entry = workerEntry(dir);
    await loadClaimed(new Map([[source, files]]), context(dir), { jobs: 2, entry, minBytes: 10_000 });
    await loadClaimed(new Map([[source, files]]), context(dir), { jobs: 1, entry, minBytes: 0 });
    expect(here).toBe(4);
  }, 60_000);
});
