/**
 * The same full-disk cases as write-reports and write-prune, with the fault injected through the CLI's
 * file-system interface (`CliIO.writeFs`) instead of a mounted tmpfs, so they run where mounting is
 * refused too: the CLI in-process, a disk that fills after a given number of bytes.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { nodeWriteFs, type WriteFs } from '../../src/util/atomic-write.js';
import { tempDir } from '../helpers/cli.js';
import { entries, fullAfter, writeBigExport } from './write-helpers.js';

async function cli(cwd: string, args: string[], writeFs?: WriteFs, env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    readStdin: async () => '',
    stdinIsTTY: false,
    env: { HOME: cwd, TRUSTAUDIT_DB: 'off', NO_COLOR: '1', ...env },
    cwd,
    ...(writeFs ? { writeFs } : {}),
  };
  const code = await main(['node', 'trustaudit', ...args], io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

let work: string;
let input: string;
beforeAll(() => {
  work = tempDir('ta-write-injected-');
  input = writeBigExport(work, 100);
});

describe('reports with a disk that fills up (injected)', () => {
  it.each(['html', 'text', 'csv', 'markdown', 'json', 'sarif', 'junit', 'asff'])(
    '%s --output: one line, exit 2, no file',
    async (format) => {
      const dir = tempDir('ta-inj-');
      const out = join(dir, `report.${format}`);
      const r = await cli(work, ['scan', input, '-f', format, '--output', out], fullAfter(4096));
      expect(r.stderr).toBe(`trustaudit: cannot write ${out}: no space left on device (ENOSPC)\n`);
      expect(r.code).toBe(2);
      expect(entries(dir)).toEqual([]);
    },
  );

  it('--output-dir: what fits is written whole, the rest is one line each, exit 2', async () => {
    const roomy = tempDir('ta-inj-');
    expect((await cli(work, ['scan', input, '-q', '-f', 'markdown', '--output-dir', roomy])).stderr).toBe('');
    const md = statSync(join(roomy, 'trustaudit.md')).size;
    const dir = join(tempDir('ta-inj-'), 'reports');
    const r = await cli(
      work,
      ['scan', input, '-f', 'markdown,csv,json', '--output-dir', dir],
      fullAfter(md + 100),
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      `wrote ${join(dir, 'trustaudit.md')}`,
      `trustaudit: cannot write ${join(dir, 'trustaudit.csv')}: no space left on device (ENOSPC)`,
      `trustaudit: cannot write ${join(dir, 'trustaudit.json')}: no space left on device (ENOSPC)`,
    ]);
    expect(entries(dir)).toEqual(['trustaudit.md']);
    expect(readFileSync(join(dir, 'trustaudit.md'))).toEqual(readFileSync(join(roomy, 'trustaudit.md')));
  });
});

describe('history --prune whose backup cannot be made durable (injected)', () => {
  it('changes nothing: one line, exit 2, database untouched, no backup left', async () => {
    const dir = tempDir('ta-inj-db-');
    const db = join(dir, 'history.db');
    for (let i = 0; i < 3; i++) {
      expect((await cli(work, ['scan', input, '-q', '-f', 'json', '--db', db])).stderr).toBe('');
    }
    const listed = (await cli(work, ['history', '--db', db])).stdout;
    const sha = () => createHash('sha256').update(readFileSync(db)).digest('hex');
    const before = sha();
    // SQLite fills the copy; the fsync that makes it durable then finds the disk full.
    const fsyncFull: WriteFs = {
      ...nodeWriteFs,
      fsync: () => {
        throw Object.assign(new Error('ENOSPC: no space left on device, fsync'), { code: 'ENOSPC' });
      },
    };
    const r = await cli(work, ['history', '--prune', '--keep', '1', '--db', db], fsyncFull);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^trustaudit: nothing was pruned: the backup could not be written first: cannot write \S+history\.db\.backup-\S+: no space left on device \(ENOSPC\)\n$/,
    );
    expect(sha()).toBe(before);
    expect((await cli(work, ['history', '--db', db])).stdout).toBe(listed);
    expect(entries(dir).filter((f) => f.includes('backup') || f.endsWith('.tmp'))).toEqual([]);
  });
});
