import { type Dirent, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { ScanError } from '../model/types.js';

/** Folders never worth walking into. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.terraform', '.hg', '.svn', '.venv', '__pycache__']);

export interface WalkedFile {
  /** Path shown to the user: relative to cwd when inside it, forward slashes. */
  display: string;
  abs: string;
  explicit: boolean;
}

/**
 * Expand the command-line paths into files. Directories are walked recursively (symbolic links to
 * folders are not followed, so loops are impossible); named files are marked explicit.
 */
export function walkPaths(
  paths: readonly string[],
  cwd: string,
): { files: WalkedFile[]; errors: ScanError[] } {
  const files: WalkedFile[] = [];
  const errors: ScanError[] = [];
  const seen = new Set<string>();
  const add = (abs: string, explicit: boolean) => {
    if (seen.has(abs)) return;
    seen.add(abs);
    files.push({ abs, display: displayPath(abs, cwd), explicit });
  };
  for (const p of paths) {
    const abs = resolve(cwd, p);
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
    if (st.isDirectory()) walkDir(abs, add, errors, cwd);
    else add(abs, true);
  }
  return { files, errors };
}

function walkDir(
  dir: string,
  add: (abs: string, explicit: boolean) => void,
  errors: ScanError[],
  cwd: string,
): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    errors.push({
      source: 'input',
      code: 'unreadable',
      file: displayPath(dir, cwd),
      message: `cannot list ${displayPath(dir, cwd)}: ${errMessage(e)}`,
    });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const abs = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walkDir(abs, add, errors, cwd);
    } else if (e.isFile()) {
      add(abs, false);
    }
  }
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
  }
  return e instanceof Error ? e.message : String(e);
}
