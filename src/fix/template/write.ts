/**
 * `--write`: each changed template is copied under the backup folder first (as `<path>.orig`) (all copies made and read back
 * before any template changes), then replaced all or nothing. A file that changed since it was read is
 * left alone.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describeFsError, writeFileAtomic } from '../../util/atomic-write.js';
import { makeDirs } from '../../util/make-dirs.js';
import type { FileChange } from './plan.js';

export interface WriteOutcome {
  /** The backup folder of this run. */
  backupDir: string;
  written: string[];
  /** File (relative) and why it was not written. */
  failed: { file: string; reason: string }[];
}

/** A folder name that sorts by time: `templates-20261204T041500123Z`. */
export function backupRunName(now: Date): string {
  return `templates-${now.toISOString().replace(/[-:.]/g, '')}`;
}

export function writeChanges(
  changes: readonly FileChange[],
  backupRoot: string,
  now: Date,
  read: (abs: string) => string = (p) => readFileSync(p, 'utf8'),
): WriteOutcome {
  const dir = join(backupRoot, backupRunName(now));
  const out: WriteOutcome = { backupDir: dir, written: [], failed: [] };
  const ready: FileChange[] = [];
  for (const c of changes) {
    try {
      if (read(c.file.abs) !== c.before) throw new Error('it changed since it was read; run the fix again');
      // `.orig`: no reader takes the copy for a template, so a later scan of the tree does not report it again.
      const copy = join(dir, `${c.file.rel}.orig`);
      makeDirs(dirname(copy));
      writeFileAtomic(copy, c.before, { noReplace: true, verify: true, mode: 0o600, forceMode: true });
      ready.push(c);
    } catch (e) {
      out.failed.push({
        file: c.file.rel,
        reason: e instanceof Error ? e.message : describeFsError(e).reason,
      });
    }
  }
  // No template is changed unless every backup was written.
  if (out.failed.length > 0) {
    for (const c of ready)
      out.failed.push({ file: c.file.rel, reason: 'not written: another backup failed' });
    return out;
  }
  for (const c of ready) {
    try {
      if (read(c.file.abs) !== c.before) throw new Error('it changed since it was read; run the fix again');
      writeFileAtomic(c.file.abs, c.after, { verify: true });
      out.written.push(c.file.rel);
    } catch (e) {
      out.failed.push({
        file: c.file.rel,
        reason: e instanceof Error ? e.message : describeFsError(e).reason,
      });
    }
  }
  return out;
}
