import { type Dirent, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { ScanError } from '../model/types.js';
import type { ExcludeTest } from './exclude.js';
import type { GitIgnored } from './git-ignored.js';
import { isInside } from './scan-root.js';

/** Folders never worth walking into. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.terraform', '.hg', '.svn', '.venv', '__pycache__']);

export interface WalkedFile {
  /** Path shown to the user: relative to cwd when inside it, forward slashes. */
  display: string;
  abs: string;
  explicit: boolean;
  /**
   * Real path of the folder named on the command line that this file was found in: a file found
   * there is the user's choice even outside the scan root (a link must still stay inside one of them).
   */
  base?: string;
}

export interface WalkResult {
  files: WalkedFile[];
  errors: ScanError[];
  /** Entries not read: links leaving the scan root, devices, FIFOs, sockets, broken links. */
  warnings: ScanError[];
  /** Every file the walk met, read or refused (absolute paths), so sources do not read them again. */
  seen: string[];
}

export interface WalkOptions {
  /** Real path of the scan root. */
  rootDir: string;
  /** Is a refused entry with this name worth a warning? (Only the kinds of files the scan reads.) */
  wanted(name: string): boolean;
  /**
   * `--exclude` and the config's `exclude:`: the glob that leaves a path out, or undefined. An excluded
   * path is neither walked nor read; one named on the command line is left out too, with a warning, and
   * one warning per source of globs counts the walked paths they left out (a config file in the
   * checkout could leave out everything: never silently).
   */
  exclude?: ExcludeTest;
  /**
   * What git ignores under a folder named on the command line (`.gitignore`; `--no-gitignore` leaves
   * this out). Only walked entries are left out: a file named on the command line is always read.
   */
  gitIgnored?: (dir: string) => GitIgnored;
}

/**
 * Expand the command-line paths into files. Folders are walked recursively. Symbolic links are
 * followed when they stay inside the scan root (or the folder the user named), as Terraform follows
 * them; links to folders are walked after the real folders, and each real folder is walked once, so
 * loops and link fan-outs are impossible. Named files are marked explicit.
 */
export function walkPaths(paths: readonly string[], cwd: string, opts: WalkOptions): WalkResult {
  const files: WalkedFile[] = [];
  const errors: ScanError[] = [];
  const warnings: ScanError[] = [];
  const seenFiles = new Set<string>();
  const seenAll = new Set<string>();
  const visitedDirs = new Set<string>();
  const deferred: { abs: string; real: string; base: string; ignored: ReadonlySet<string> }[] = [];
  const show = (abs: string) => displayPath(abs, cwd);
  const refuse = (abs: string, message: string) => {
    warnings.push({ source: 'input', code: 'not-read', file: show(abs), message });
  };
  const add = (abs: string, explicit: boolean, base?: string) => {
    seenAll.add(abs);
    if (seenFiles.has(abs)) return;
    seenFiles.add(abs);
    files.push({ abs, display: show(abs), explicit, ...(base ? { base } : {}) });
  };
  const noneIgnored: ReadonlySet<string> = new Set();
  const gitIgnoredIn = (dir: string): ReadonlySet<string> => {
    if (!opts.gitIgnored) return noneIgnored;
    const g = opts.gitIgnored(dir);
    if (g.problem)
      warnings.push({
        source: 'input',
        code: 'gitignore-not-read',
        file: show(dir),
        message: `${g.problem}; every file under ${show(dir)} was walked (--no-gitignore turns this off)`,
      });
    return g.paths;
  };
  const allowed = (real: string, base: string) => isInside(opts.rootDir, real) || isInside(base, real);
  /** Walked paths left out by each source of exclude globs (`--exclude`, the config file). */
  const excludedBy = new Map<string, number>();
  /** Left out by `--exclude`/`exclude:` (counted) or by git; never walked, never read. */
  const leftOut = (abs: string, ignored: ReadonlySet<string>) => {
    if (ignored.has(abs)) return true;
    const m = opts.exclude?.(abs);
    if (m) excludedBy.set(m.from, (excludedBy.get(m.from) ?? 0) + 1);
    return m !== undefined;
  };

  const walkDir = (dir: string, realDir: string, base: string, ignored: ReadonlySet<string>): void => {
    if (visitedDirs.has(realDir)) return;
    visitedDirs.add(realDir);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      errors.push({
        source: 'input',
        code: 'unreadable',
        file: show(dir),
        message: `cannot list ${show(dir)}: ${errMessage(e)}`,
      });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const abs = join(dir, e.name);
      if (leftOut(abs, ignored)) continue;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walkDir(abs, join(realDir, e.name), base, ignored);
      } else if (e.isFile()) {
        add(abs, false, base);
      } else if (e.isSymbolicLink()) {
        followLink(abs, e.name, base, ignored);
      } else if (opts.wanted(e.name)) {
        seenAll.add(abs);
        refuse(abs, `${show(abs)} is not a regular file (a device, FIFO or socket is never read)`);
      }
    }
  };

  const followLink = (abs: string, name: string, base: string, ignored: ReadonlySet<string>): void => {
    let real: string;
    try {
      real = realpathSync.native(abs);
    } catch (e) {
      seenAll.add(abs);
      if (opts.wanted(name)) refuse(abs, `${show(abs)} is a broken symbolic link (${errMessage(e)})`);
      return;
    }
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(real);
    } catch (e) {
      seenAll.add(abs);
      if (opts.wanted(name)) refuse(abs, `${show(abs)} cannot be read: ${errMessage(e)}`);
      return;
    }
    const isDir = st.isDirectory();
    if (isDir && SKIP_DIRS.has(name)) return;
    if (!allowed(real, base)) {
      seenAll.add(abs);
      if (isDir || opts.wanted(name))
        refuse(
          abs,
          `${show(abs)} is a symbolic link to ${real}, outside the scan root ${opts.rootDir}; not read (--root sets the root)`,
        );
      return;
    }
    if (isDir) deferred.push({ abs, real, base, ignored });
    else if (st.isFile()) add(abs, false, base);
    else if (opts.wanted(name)) {
      seenAll.add(abs);
      refuse(abs, `${show(abs)} links to ${real}, which is not a regular file; not read`);
    }
  };

  for (const p of paths) {
    const abs = resolve(cwd, p);
    const m = opts.exclude?.(abs);
    if (m) {
      // Named, yet excluded: the exclude list wins (a pre-commit hook names every changed file), visibly.
      const message = `${p} matches ${m.from} "${m.glob}"; not scanned`;
      warnings.push({ source: 'input', code: 'excluded', file: p, message });
      continue;
    }
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(abs);
    } catch (e) {
      errors.push({
        source: 'input',
        code: 'not-found',
        file: p,
        message: `cannot read ${p}: ${errMessage(e)}`,
      });
      continue;
    }
    if (st.isDirectory()) {
      let real: string;
      try {
        real = realpathSync.native(abs);
      } catch {
        real = abs;
      }
      walkDir(abs, real, real, gitIgnoredIn(abs));
    } else add(abs, true);
  }
  // Linked folders last: a folder reached both directly and through a link is shown under its own path.
  for (let d = deferred.shift(); d; d = deferred.shift()) walkDir(d.abs, d.real, d.base, d.ignored);
  for (const [from, n] of excludedBy)
    warnings.push({
      source: 'input',
      code: 'excluded',
      message: `${n} path${n === 1 ? '' : 's'} (files or folders) left out by ${from}`,
    });
  return { files, errors, warnings, seen: [...seenAll] };
}

export function displayPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  const shown = rel && !rel.startsWith('..') ? rel : abs;
  return sep === '/' ? shown : shown.split(sep).join('/');
}

export function errMessage(e: unknown): string {
  if (e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string') {
    const code = (e as { code: string }).code;
    if (code === 'ENOENT') return 'no such file or directory';
    if (code === 'EACCES') return 'permission denied';
    if (code === 'ELOOP') return 'too many symbolic links';
  }
  return e instanceof Error ? e.message : String(e);
}
