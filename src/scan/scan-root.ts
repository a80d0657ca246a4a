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
 * after following symbolic links it must lie inside the root, outside any `.git` folder, be a regular
 * file, and be no larger than the size limit, counted on the bytes actually read (a `stat` size of 0
 * proves nothing for `/dev/zero` or `/proc` files). Anything else is refused with a reason the caller
 * turns into a warning and an unknown value.
 */
export interface ScanRoot {
  /** Real (symlink-free) absolute path of the root folder. */
  readonly dir: string;
  /** Is `abs`, after following symbolic links, inside the root? False for paths that do not exist. */
  contains(abs: string): boolean;
  /**
   * Read the file `target` names, relative to the folder `baseDir` (absolute). Never throws.
   * Refused: `~`, anything whose real path leaves the root or lies in a `.git` folder (absolute paths
   * included: `path.module` makes them, and they are read only when inside the root), non-regular
   * files, files over the size limit.
   */
  read(target: string, baseDir: string): RootRead;
  /**
   * Read a file the scanner found itself (a walked file, a module's sibling file): its real path must be
   * inside the root or inside one of `alsoInside` (real folders the user named on the command line).
   */
  readFound(abs: string, alsoInside?: readonly string[]): RootRead;
}

export type RootRead =
  | { ok: true; abs: string; real: string; bytes: Buffer; text: string }
  | { ok: false; abs?: string; reason: string; refusal: Refusal };

/**
 * Why a read failed: `missing` (inside the root, but no such file: Terraform's `fileexists` is false),
 * `outside` (leaves the root, a home folder, a `.git` folder), `not-regular` (folder, device, FIFO,
 * socket), `too-large`, `unreadable` (permission denied, too many links…).
 */
export type Refusal = 'missing' | 'outside' | 'not-regular' | 'too-large' | 'unreadable';

/** The file-system calls the root needs, so tests can inject faults. */
export interface RootFs {
  realpath(p: string): string;
  open(p: string): number;
  /** Is it a regular file, and how large does it say it is (a hint only: `/proc` files say 0)? */
  stat(fd: number): { regular: boolean; size: number };
  read(fd: number, buf: Buffer, offset: number, length: number): number;
  close(fd: number): void;
}

export const nodeRootFs: RootFs = {
  realpath: (p) => realpathSync.native(p),
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is then refused as not a regular file.
  open: (p) => openSync(p, constants.O_RDONLY | constants.O_NONBLOCK),
  stat: (fd) => {
    const st = fstatSync(fd);
    return { regular: st.isFile(), size: st.size };
  },
  read: (fd, buf, offset, length) => readSync(fd, buf, offset, length, null),
  close: (fd) => closeSync(fd),
};

/** Is the real path `p` inside the real folder `dir` (or `dir` itself)? */
export function isInside(dir: string, p: string): boolean {
  const rel = relative(dir, p);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

export function openScanRoot(dir: string, maxFileBytes: number, fs: RootFs = nodeRootFs): ScanRoot {
  let real: string;
  try {
    real = fs.realpath(resolve(dir));
  } catch {
    real = resolve(dir);
  }
  const contains = (abs: string): boolean => {
    try {
      return isInside(real, fs.realpath(abs));
    } catch {
      return false;
    }
  };
  const outside = (reason: string, abs?: string): RootRead => ({
    ok: false,
    ...(abs ? { abs } : {}),
    reason,
    refusal: 'outside',
  });
  // actions/checkout keeps the job's token in .git/config: nothing under a .git folder is ever read.
  const inGitDir = (realTarget: string): boolean => relative(real, realTarget).split(sep).includes('.git');
  return {
    dir: real,
    contains,
    read(target, baseDir) {
      if (target === '') return { ok: false, reason: 'the path is empty', refusal: 'missing' };
      if (target.includes('\0')) return outside('the path contains a NUL character');
      if (target.startsWith('~'))
        return outside(`${target} names a home folder, outside the scan root ${real}`);
      if (/^[A-Za-z]:[\\/]/.test(target) || target.startsWith('\\\\'))
        return outside(`${target} is a Windows path, outside the scan root ${real}`);
      const abs = resolve(baseDir, target);
      let realTarget: string;
      try {
        realTarget = fs.realpath(abs);
      } catch (e) {
        // A path that does not exist is only "missing" where it would have been allowed.
        if (!isInside(real, abs)) return outside(`${target} is outside the scan root ${real}`, abs);
        const refusal = errCode(e) === 'ENOENT' ? 'missing' : 'unreadable';
        return { ok: false, abs, reason: `${target} cannot be read: ${codeText(e)}`, refusal };
      }
      if (!isInside(real, realTarget))
        return outside(
          realTarget === abs
            ? `${target} is outside the scan root ${real}`
            : `${target} resolves to ${realTarget}, outside the scan root ${real}`,
          abs,
        );
      if (inGitDir(realTarget)) return outside(`${target} is inside a .git folder, which is never read`, abs);
      return readBounded(fs, realTarget, abs, target, maxFileBytes);
    },
    readFound(abs, alsoInside = []) {
      let realTarget: string;
      try {
        realTarget = fs.realpath(abs);
      } catch (e) {
        const refusal = errCode(e) === 'ENOENT' ? 'missing' : 'unreadable';
        return { ok: false, abs, reason: `${abs} cannot be read: ${codeText(e)}`, refusal };
      }
      if (!isInside(real, realTarget) && !alsoInside.some((d) => isInside(d, realTarget)))
        return outside(
          `${abs} leads to ${realTarget}, outside the scan root ${real} (--root sets the root)`,
          abs,
        );
      if (isInside(real, realTarget) && inGitDir(realTarget))
        return outside(`${abs} leads to ${realTarget}, inside a .git folder, which is never read`, abs);
      return readBounded(fs, realTarget, abs, abs, maxFileBytes);
    },
  };
}

/**
 * Read a file the user named (a file on the command line, `--var-file`, `--known-accounts`, a config
 * file): any place on the machine is allowed, but it must still be a regular file no larger than
 * `maxBytes`, counted on the bytes read. Never throws.
 */
export function readRegularFile(abs: string, maxBytes: number, fs: RootFs = nodeRootFs): RootRead {
  let realTarget: string;
  try {
    realTarget = fs.realpath(abs);
  } catch (e) {
    const refusal = errCode(e) === 'ENOENT' ? 'missing' : 'unreadable';
    return { ok: false, abs, reason: `${abs} cannot be read: ${codeText(e)}`, refusal };
  }
  return readBounded(fs, realTarget, abs, abs, maxBytes);
}

function readBounded(fs: RootFs, realTarget: string, abs: string, target: string, max: number): RootRead {
  const unreadable = (e: unknown): RootRead => ({
    ok: false,
    abs,
    reason: `${target} cannot be read: ${codeText(e)}`,
    refusal: errCode(e) === 'EISDIR' ? 'not-regular' : 'unreadable',
  });
  let fd: number;
  try {
    fd = fs.open(realTarget);
  } catch (e) {
    return unreadable(e);
  }
  try {
    const st = fs.stat(fd);
    if (!st.regular)
      return {
        ok: false,
        abs,
        reason: `${target} is not a regular file (folders, devices, FIFOs and sockets are never read)`,
        refusal: 'not-regular',
      };
    const chunks: Buffer[] = [];
    let total = 0;
    // The stated size sizes the first read (most files end there, and a small read then finds the
    // end); a file that says 0 or keeps going is read in 1 MiB pieces. The limit counts what is read.
    let chunk = Math.max(st.size + 1, 4095);
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(chunk, max + 1 - total));
      const n = fs.read(fd, buf, 0, buf.length);
      if (n <= 0) break;
      chunk = n < buf.length ? 4095 : 1024 * 1024;
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
      total += n;
      if (total > max)
        return {
          ok: false,
          abs,
          reason: `${target} is larger than the ${max}-byte limit for one file (raise it with --max-file-size)`,
          refusal: 'too-large',
        };
    }
    const bytes = Buffer.concat(chunks, total);
    return { ok: true, abs, real: realTarget, bytes, text: bytes.toString('utf8') };
  } catch (e) {
    return unreadable(e);
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

function errCode(e: unknown): string {
  return e && typeof e === 'object' && 'code' in e ? String((e as { code: unknown }).code) : '';
}

function codeText(e: unknown): string {
  const code = errCode(e);
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'too many symbolic links';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'ENOTDIR') return 'a part of the path is not a folder';
  return code || (e instanceof Error ? e.message : String(e));
}
