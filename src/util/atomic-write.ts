import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * The file-system calls an atomic write makes. Passed in so tests can inject short writes and ENOSPC
 * where a small file system cannot be mounted; `nodeWriteFs` is the real one.
 */
export interface WriteFs {
  /** Create a new file (fails when it exists) and return its descriptor. */
  createExclusive(path: string, mode: number): number;
  /** Bytes actually written (may be fewer than asked: a short write). */
  write(fd: number, buf: Uint8Array, offset: number, length: number): number;
  fchmod(fd: number, mode: number): void;
  fsync(fd: number): void;
  close(fd: number): void;
  /** Replace `to` by `from`. */
  rename(from: string, to: string): void;
  /** Give `from` the name `to` too; fails with EEXIST when `to` exists (never replaces). */
  link(from: string, to: string): void;
  unlink(path: string): void;
  /** Whether anything (a symbolic link included) has this name. */
  exists(path: string): boolean;
  /** Permission bits of an existing regular file (a symbolic link is not followed), else undefined. */
  modeOf(path: string): number | undefined;
  /** Open a file or folder read-only, for fsync. */
  openForSync(path: string): number;
  readFile(path: string): Buffer;
}

export const nodeWriteFs: WriteFs = {
  createExclusive: (p, mode) => openSync(p, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode),
  write: (fd, buf, offset, length) => writeSync(fd, buf, offset, length),
  fchmod: (fd, mode) => fchmodSync(fd, mode),
  fsync: (fd) => fsyncSync(fd),
  close: (fd) => closeSync(fd),
  rename: (from, to) => renameSync(from, to),
  link: (from, to) => linkSync(from, to),
  unlink: (p) => unlinkSync(p),
  exists: (p) => {
    try {
      lstatSync(p);
      return true;
    } catch {
      return false;
    }
  },
  modeOf: (p) => {
    try {
      const st = lstatSync(p);
      return st.isFile() ? st.mode & 0o7777 : undefined;
    } catch {
      return undefined;
    }
  },
  openForSync: (p) => openSync(p, constants.O_RDONLY),
  readFile: (p) => readFileSync(p),
};

/** A file that could not be written, with the reason in words (`no space left on device`). */
export class WriteError extends Error {
  constructor(
    /** The file the user asked for (never the temporary name). */
    readonly path: string,
    /** The reason, in words. */
    readonly reason: string,
    /** The error code behind it (`ENOSPC`, `SHORT_WRITE`...), when there is one. */
    readonly code?: string,
    what = 'cannot write',
  ) {
    super(`${what} ${path}: ${reason}`);
    this.name = 'WriteError';
  }
}

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  SQLITE_FULL: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the file system',
  ENOENT: 'the folder does not exist',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  EEXIST: 'it already exists',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EXDEV: 'not on the same file system',
};

/** An error's cause in words, without the stack or the (temporary) path Node puts in its message. */
export function describeFsError(e: unknown): { reason: string; code?: string } {
  if (e instanceof WriteError) return { reason: e.reason, ...(e.code ? { code: e.code } : {}) };
  const code = typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : undefined;
  if (code && REASONS[code]) return { reason: `${REASONS[code]} (${code})`, code };
  const msg = e instanceof Error ? e.message : String(e);
  // Node's messages read "ENOSPC: no space left on device, write"; keep the words only.
  const m = /^[A-Z0-9_]+: ([^,]+)/.exec(msg);
  return { reason: m ? `${m[1]}${code ? ` (${code})` : ''}` : msg, ...(code ? { code } : {}) };
}

export interface AtomicWriteOptions {
  /** Permission bits of a new file (default 0o644); an existing file keeps its own unless `forceMode`. */
  mode?: number;
  /** Use `mode` even when the file exists (backups are always 0o600). */
  forceMode?: boolean;
  /** Never replace an existing file: fail with a WriteError coded EEXIST instead. */
  noReplace?: boolean;
  /**
   * Read the temporary file back before it takes the final name, and fail unless it holds exactly the
   * bytes meant; `check` may look further (parse it) and throw to refuse it.
   */
  verify?: boolean | ((bytes: Buffer) => void);
  fs?: WriteFs;
}

/** Characters per encoded batch: few writes, and no buffer as large as a whole 512 MiB report. */
const BATCH = 4 * 1024 * 1024;

/** `text` encoded in slices of at most `BATCH` characters, never cutting a surrogate pair in two. */
function* encodedText(text: string): Generator<Uint8Array> {
  for (let at = 0; at < text.length; ) {
    let end = Math.min(at + BATCH, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    yield Buffer.from(text.slice(at, end), 'utf8');
    at = end;
  }
}

/**
 * The content in batches of bytes: pieces are encoded straight into a buffer of `BATCH` bytes (no joined
 * string in between), and a batch is handed on when the next piece might not fit; a piece longer than a
 * batch is encoded on its own, in slices. Each batch is a fresh buffer, so a caller may keep it.
 */
function* encoded(content: string | Uint8Array | Iterable<string>): Generator<Uint8Array> {
  if (typeof content === 'string') {
    yield* encodedText(content);
    return;
  }
  if (content instanceof Uint8Array) {
    yield content;
    return;
  }
  let buf: Buffer | undefined;
  let used = 0;
  for (const piece of content) {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8 (a surrogate pair, 2 units, takes 4).
    const most = piece.length * 3;
    if (buf !== undefined && used + most > buf.length) {
      yield buf.subarray(0, used);
      buf = undefined;
      used = 0;
    }
    if (most > BATCH) {
      yield* encodedText(piece);
      continue;
    }
    buf ??= Buffer.allocUnsafe(BATCH);
    used += buf.write(piece, used, 'utf8');
  }
  if (buf !== undefined && used > 0) yield buf.subarray(0, used);
}

/** Write all of `buf`, going on after short writes; a write that makes no progress is an error. */
export function writeFully(fs: WriteFs, fd: number, buf: Uint8Array): void {
  let off = 0;
  while (off < buf.length) {
    const n = fs.write(fd, buf, off, buf.length - off);
    if (!Number.isInteger(n) || n <= 0) {
      throw Object.assign(new Error(`short write: ${off} of ${buf.length} bytes written`), {
        code: 'SHORT_WRITE',
      });
    }
    off += n;
  }
}

/**
 * A fresh, unguessable name next to `path`, hidden (leading dot) so nothing picks it up half-written; the
 * name part is shortened so that the temporary name stays within the 255-byte limit of a file name.
 */
export function tempNameFor(path: string): string {
  const base = basename(path).slice(0, 180);
  return join(dirname(path), `.${base}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Create a temporary file next to `path` (a fresh name, created exclusively). */
function createTemp(fs: WriteFs, path: string, mode: number): { tmp: string; fd: number } {
  for (let attempt = 0; ; attempt++) {
    const tmp = tempNameFor(path);
    try {
      return { tmp, fd: fs.createExclusive(tmp, mode) };
    } catch (e) {
      if ((e as { code?: unknown }).code === 'EEXIST' && attempt < 10) continue;
      throw e;
    }
  }
}

function removeQuietly(fs: WriteFs, tmp: string): void {
  try {
    fs.unlink(tmp);
  } catch {
    // Already gone, or the folder itself went away: nothing left to clean.
  }
}

/** Codes of file systems or platforms that cannot fsync a folder: the file itself is on disk already. */
const DIR_SYNC_UNSUPPORTED = new Set([
  'EINVAL',
  'ENOTSUP',
  'EOPNOTSUPP',
  'EISDIR',
  'EPERM',
  'EACCES',
  'EBADF',
]);

function syncDir(fs: WriteFs, dir: string): void {
  let fd: number;
  try {
    fd = fs.openForSync(dir);
  } catch (e) {
    if (DIR_SYNC_UNSUPPORTED.has(String((e as { code?: unknown }).code))) return;
    throw e;
  }
  try {
    fs.fsync(fd);
  } catch (e) {
    if (!DIR_SYNC_UNSUPPORTED.has(String((e as { code?: unknown }).code))) throw e;
  } finally {
    fs.close(fd);
  }
}

/** Codes of file systems without hard links (FAT, some network and FUSE file systems). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK']);

/**
 * Give the finished temporary file its final name, then sync the folder. A rename replaces whatever has the
 * name, a symbolic link included (it is not followed: a link planted in a scanned repository cannot send a
 * report elsewhere). With `noReplace` an existing name is never replaced.
 */
function commit(fs: WriteFs, tmp: string, path: string, noReplace: boolean): void {
  if (noReplace) {
    // link() fails when the name exists, so an older file is never replaced; then drop the temporary name.
    try {
      fs.link(tmp, path);
    } catch (e) {
      const code = String((e as { code?: unknown }).code);
      if (!NO_HARD_LINKS.has(code)) throw e;
      // No hard links here: look, then rename (a file created in between by another process is replaced).
      if (fs.exists(path)) throw Object.assign(new Error(`EEXIST: file already exists`), { code: 'EEXIST' });
      fs.rename(tmp, path);
      syncDir(fs, dirname(path));
      return;
    }
    removeQuietly(fs, tmp);
  } else {
    fs.rename(tmp, path);
  }
  syncDir(fs, dirname(path));
}

function fail(path: string, e: unknown): WriteError {
  if (e instanceof WriteError && e.path === path) return e;
  const { reason, code } = describeFsError(e);
  return new WriteError(path, reason, code);
}

function modeFor(fs: WriteFs, path: string, opts: AtomicWriteOptions): number {
  const wanted = opts.mode ?? 0o644;
  if (opts.forceMode) return wanted;
  return fs.modeOf(path) ?? wanted;
}

/**
 * Write `content` to `path` all or nothing: into a temporary file in the same folder, every byte checked,
 * fsynced, then renamed into place and the folder fsynced. On any failure the temporary file is removed,
 * `path` is as it was, and a WriteError names `path` and the cause.
 */
export function writeFileAtomic(
  path: string,
  content: string | Uint8Array | Iterable<string>,
  opts: AtomicWriteOptions = {},
): void {
  const fs = opts.fs ?? nodeWriteFs;
  const mode = modeFor(fs, path, opts);
  let tmp: string | undefined;
  let fd: number | undefined;
  try {
    ({ tmp, fd } = createTemp(fs, path, mode));
    // open() applies the umask; an existing file's own bits (or a backup's 0o600) are kept exactly.
    fs.fchmod(fd, mode);
    for (const buf of encoded(content)) writeFully(fs, fd, buf);
    fs.fsync(fd);
    const closing = fd;
    fd = undefined;
    fs.close(closing);
    if (opts.verify) verifyTemp(fs, tmp, content, opts.verify);
    commit(fs, tmp, path, opts.noReplace ?? false);
    tmp = undefined;
  } catch (e) {
    throw fail(path, e);
  } finally {
    if (fd !== undefined) {
      try {
        fs.close(fd);
      } catch {
        // The write already failed; that error is the one to report.
      }
    }
    if (tmp !== undefined) removeQuietly(fs, tmp);
  }
}

function verifyTemp(
  fs: WriteFs,
  tmp: string,
  content: string | Uint8Array | Iterable<string>,
  verify: true | ((bytes: Buffer) => void),
): void {
  // Pieces made while they are written (a generator) cannot be read twice: verify only what can be.
  if (typeof content !== 'string' && !(content instanceof Uint8Array) && !Array.isArray(content)) {
    throw Object.assign(new Error('pieces made while written cannot be verified'), { code: 'VERIFY_FAILED' });
  }
  const back = fs.readFile(tmp);
  const meant =
    typeof content === 'string'
      ? Buffer.from(content, 'utf8')
      : content instanceof Uint8Array
        ? content
        : Buffer.from((content as readonly string[]).join(''), 'utf8');
  if (!back.equals(meant)) {
    throw Object.assign(
      new Error(`read back ${back.length} bytes that differ from the ${meant.length} bytes written`),
      { code: 'VERIFY_FAILED' },
    );
  }
  if (typeof verify === 'function') verify(back);
}

/**
 * Like `writeFileAtomic`, for a file another writer produces by path (SQLite's online backup): `produce`
 * fills a fresh temporary file in the same folder, which is then fsynced and renamed (or linked, with
 * `noReplace`) into place. On failure the temporary file is removed and a WriteError names `path`.
 */
export async function produceFileAtomic(
  path: string,
  produce: (tmp: string) => Promise<void> | void,
  opts: Omit<AtomicWriteOptions, 'verify'> = {},
): Promise<void> {
  const fs = opts.fs ?? nodeWriteFs;
  const mode = modeFor(fs, path, opts);
  let tmp: string | undefined;
  try {
    const created = createTemp(fs, path, mode);
    tmp = created.tmp;
    fs.fchmod(created.fd, mode);
    fs.close(created.fd);
    await produce(created.tmp);
    const fd = fs.openForSync(created.tmp);
    try {
      fs.fsync(fd);
    } finally {
      fs.close(fd);
    }
    commit(fs, created.tmp, path, opts.noReplace ?? false);
    tmp = undefined;
  } catch (e) {
    throw fail(path, e);
  } finally {
    if (tmp !== undefined) removeQuietly(fs, tmp);
  }
}
