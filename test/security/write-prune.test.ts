/**
 * `history --prune` on a full disk, through the real CLI: the backup it takes first does not fit, so it
 * is one line naming the backup and the cause, exit 2, the database is byte for byte as it was with all
 * its scans, and no partial backup or temporary file is left. Before: an "internal error" stack trace and
 * a truncated backup file.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';
import { entries, fillDisk, smallDiskForSuite } from './write-helpers.js';

// Real ENOSPC on a 2 MiB tmpfs (write-injected.test.ts covers this where mounting is refused).
const disk = smallDiskForSuite(2048);
afterAll(() => {
  disk?.release();
});

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe.skipIf(!disk)('history --prune with no room for its backup', () => {
  it('changes nothing: one line, exit 2, database untouched, no backup left', () => {
    if (!disk) throw new Error('not mounted');
    const db = join(disk.dir, 'history.db');
    for (let i = 0; i < 3; i++) {
      const r = runCli(['scan', join(repoRoot, 'examples'), '-f', 'json', '-q'], {
        env: { TRUSTAUDIT_DB: db },
      });
      expect(r.stderr).toBe('');
    }
    const listed = runCli(['history', '--db', db]).stdout;
    expect(listed.trimEnd().split('\n')).toHaveLength(3);
    // Room to open the database (its 32 KiB shared-memory index), not for a copy of it.
    fillDisk(disk.dir, 48 * 1024);
    const before = sha(db);

    const r = runCli(['history', '--prune', '--keep', '1', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^trustaudit: nothing was pruned: the backup could not be written first: cannot write \S+history\.db\.backup-\d{8}T\d{6}Z: no space left on device \(SQLITE_FULL\)\n$/,
    );
    expect(r.stdout).toBe('');
    expect(sha(db)).toBe(before);
    expect(runCli(['history', '--db', db]).stdout).toBe(listed);
    expect(entries(disk.dir).filter((f) => f.includes('backup') || f.endsWith('.tmp'))).toEqual([]);
  });

  it('room for the backup but not for the deletions: rolled back, database unchanged, backup kept', () => {
    if (!disk) throw new Error('not mounted');
    for (const f of entries(disk.dir)) rmSync(join(disk.dir, f), { force: true });
    const db = join(disk.dir, 'history.db');
    for (let i = 0; i < 6; i++) {
      const r = runCli(['scan', join(repoRoot, 'examples'), '-f', 'json', '-q'], {
        env: { TRUSTAUDIT_DB: db },
      });
      expect(r.stderr).toBe('');
    }
    const listed = runCli(['history', '--db', db]).stdout;
    // The shared-memory index, a whole copy, and two blocks: the log of the deletions does not fit.
    fillDisk(disk.dir, 48 * 1024 + statSync(db).size + 8 * 1024);
    const r = runCli(['history', '--prune', '--keep', '1', '--db', db]);
    expect(r.code).toBe(2);
    const m =
      /^trustaudit: nothing was pruned: \S+history\.db: no space left on device \(SQLITE_FULL\); the database is unchanged \(backup at (\S+)\)\n$/.exec(
        r.stderr,
      );
    expect(m, r.stderr).not.toBeNull();
    expect(runCli(['history', '--db', db]).stdout).toBe(listed);
    // The backup is whole: it lists the same scans.
    expect(runCli(['history', '--db', m![1]!]).stdout.replaceAll(m![1]!, db)).toBe(listed);
  });
});
