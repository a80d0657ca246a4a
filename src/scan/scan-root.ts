import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  openSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * The folder a file scan may read. Every path a scanned file names (Terraform `file()`, a module
 * `source`, a CDK manifest's `templateFile`, an Ansible `lookup('file', …)`) is resolved through it:
 * after following symbolic links it must lie inside the root, be a regular file, and be no larger
 * than the size limit, counted on the bytes actually read (a `stat` size of 0 proves nothing for
 * `/dev/zero` or `/proc` files). Anything else is refused with a reason the caller turns into a
 * warning and an unknown value.
 */
export interface ScanRoot {
  /** Real (symlink-free) absolute path of the root folder. */
  readonly dir: string;
  /** Is `abs`, after following symbolic links, inside the root? False for paths that do not exist. */
  contains(abs: string): boolean;
  /**
   * Read the file `target` names, relative to the folder `baseDir` (absolute). Never throws.
   * Refused: absolute paths, `~`, anything whose real path leaves the root, non-regular files,
   * files over the size limit.
   */
  read(target: string, baseDir: string): RootRead;
}

export type RootRead =
  | { ok: true; abs: string; bytes: Buffer; text: string }
  | { ok: false; abs?: string; reason: string };

/** The file-system calls the root needs, so tests can inject faults. */
export interface RootFs {
  realpath(p: string): string;
  open(p: string): number;
  isRegularFile(fd: number): boolean;
  read(fd: number, buf: Buffer, offset: number, length: number): number;
  close(fd: number): void;
}

export const nodeRootFs: RootFs = {
  realpath: (p) => realpathSync(p),
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is then refused as not a regular file.
  open: (p) => openSync(p, constants.O_RDONLY | constants.O_NONBLOCK),
  isRegularFile: (fd) => fstatSync(fd).isFile(),
  read: (fd, buf, offset, length) => readSync(fd, buf, offset, length, null),
  close: (fd) => closeSync(fd),
};

export function openScanRoot(dir: string, maxFileBytes: number, fs: RootFs = nodeRootFs): ScanRoot {
  let real: string;
  try {
    real = fs.realpath(resolve(dir));
  } catch {
    real = resolve(dir);
  }
  const inside = (p: string): boolean => {
    const rel = relative(real, p);
    return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
  };
  const contains = (abs: string): boolean => {
    try {
      return inside(fs.realpath(abs));
    } catch {
      return false;
    }
  };
  return {
    dir: real,
    contains,
    read(target, baseDir) {
      if (target === '') return { ok: false, reason: 'the path is empty' };
      if (target.startsWith('~'))
        return { ok: false, reason: `${target} names a home folder, outside the scan root ${real}` };
      if (isAbsolute(target) || /^[A-Za-z]:[\\/]/.test(target))
        return {
          ok: false,
          reason: `${target} is an absolute path; only files inside the scan root ${real} are read`,
        };
      const abs = resolve(baseDir, target);
      let realTarget: string;
      try {
        realTarget = fs.realpath(abs);
      } catch (e) {
        return { ok: false, abs, reason: `${target} cannot be read: ${codeText(e)}` };
      }
      if (!inside(realTarget))
        return {
          ok: false,
          abs,
          reason: `${target} resolves to ${realTarget}, outside the scan root ${real}`,
        };
      return readBounded(fs, realTarget, abs, target, maxFileBytes);
    },
  };
}

function readBounded(fs: RootFs, realTarget: string, abs: string, target: string, max: number): RootRead {
  let fd: number;
  try {
    fd = fs.open(realTarget);
  } catch (e) {
    return { ok: false, abs, reason: `${target} cannot be read: ${codeText(e)}` };
  }
  try {
    if (!fs.isRegularFile(fd)) return { ok: false, abs, reason: `${target} is not a regular file` };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(1024 * 1024, max + 1 - total));
      const n = fs.read(fd, buf, 0, buf.length);
      if (n <= 0) break;
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
      total += n;
      if (total > max)
        return {
          ok: false,
          abs,
          reason: `${target} is larger than the ${max}-byte limit for one file (raise it with --max-file-size)`,
        };
    }
    const bytes = Buffer.concat(chunks, total);
    return { ok: true, abs, bytes, text: bytes.toString('utf8') };
  } catch (e) {
    return { ok: false, abs, reason: `${target} cannot be read: ${codeText(e)}` };
  } finally {
    try {
      fs.close(fd);
    } catch {
      // nothing to do: the descriptor is gone either way
    }
  }
}

/**
 * The default root for a scan: the git top level above the first scanned path (a folder holding
 * `.git`), or else that path's own folder. `--root DIR` overrides it.
 */
export function defaultRootFor(paths: readonly string[], cwd: string): string {
  const first = paths.find((p) => p !== '-');
  const start = first ? resolve(cwd, first) : cwd;
  const base = isDirectory(start) ? start : dirname(start);
  for (let dir = base; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return base;
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function codeText(e: unknown): string {
  const code = e && typeof e === 'object' && 'code' in e ? String((e as { code: unknown }).code) : '';
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'too many symbolic links';
  if (code === 'EISDIR') return 'it is a folder';
  return code || (e instanceof Error ? e.message : String(e));
}
