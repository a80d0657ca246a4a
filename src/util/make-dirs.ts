import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describeFsError, WriteError } from './atomic-write.js';

/** The calls `makeDirs` makes (injectable for tests). */
export interface DirFs {
  /** Create one folder (its parent exists). */
  mkdir(path: string): void;
  /** 'dir', 'other' (exists, not a folder) or 'missing'. */
  kind(path: string): 'dir' | 'other' | 'missing';
}

export const nodeDirFs: DirFs = {
  mkdir: (p) => mkdirSync(p),
  kind: (p) => {
    try {
      return statSync(p).isDirectory() ? 'dir' : 'other';
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      // ENOTDIR: a file stands where a folder of the path should be.
      return code === 'ENOENT' ? 'missing' : 'other';
    }
  },
};

/**
 * Create `dir` and its missing parents, one level at a time. Node's own `mkdirSync(dir, {recursive})`
 * never returns on a path such as `/proc/x/y` (the kernel answers ENOENT for a folder whose parent
 * exists, and it retries forever); here every level is tried once, and a failure is a WriteError naming
 * the folder and the cause.
 */
export function makeDirs(dir: string, fs: DirFs = nodeDirFs): void {
  const target = resolve(dir);
  const missing: string[] = [];
  let p = target;
  for (;;) {
    const k = fs.kind(p);
    if (k === 'dir') break;
    if (k === 'other') {
      throw new WriteError(
        p,
        p === target ? 'it exists and is not a folder' : 'a part of the path is not a folder',
        'ENOTDIR',
        'cannot create folder',
      );
    }
    missing.push(p);
    const parent = dirname(p);
    if (parent === p) break;
    p = parent;
  }
  for (const d of missing.reverse()) {
    try {
      fs.mkdir(d);
    } catch (e) {
      // Another process may have made it in the meantime.
      if ((e as { code?: unknown }).code === 'EEXIST' && fs.kind(d) === 'dir') continue;
      const described = describeFsError(e);
      // ENOENT although the parent exists: a file system that has no room for folders (/proc, /sys).
      const reason =
        described.code === 'ENOENT'
          ? 'the file system does not allow a folder here (ENOENT)'
          : described.reason;
      throw new WriteError(d, reason, described.code, 'cannot create folder');
    }
  }
}
