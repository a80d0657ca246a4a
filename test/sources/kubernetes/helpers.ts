import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { emptyZone } from '../../../src/analysis/zone.js';
import { type Budgets, DEFAULT_BUDGETS } from '../../../src/scan/budgets.js';
import { openScanRoot } from '../../../src/scan/scan-root.js';
import type { FileSource, InputFile, SourceResult } from '../../../src/sources/types.js';

export const repoRoot = resolve(__dirname, '../../..');
export const corpus = resolve(repoRoot, '../shared/corpus');

export function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** Every file under `dir` as the scanner hands it over (paths relative to `dir`). */
export function inputsUnder(dir: string): InputFile[] {
  return walk(dir).map((abs) => ({
    path: relative(dir, abs),
    absPath: abs,
    text: readFileSync(abs, 'utf8'),
    explicit: false,
  }));
}

/** A file given as text (not on disk). */
export function textInput(path: string, text: string): InputFile {
  return { path, text, explicit: true };
}

export interface ScanOpts {
  owner?: string;
  budgets?: Partial<Budgets>;
  root?: string;
}

/** Run one source over the files it claims, as the scanner does. */
export async function scanWith(
  source: FileSource,
  files: InputFile[],
  opts: ScanOpts = {},
): Promise<SourceResult> {
  const zone = emptyZone();
  if (opts.owner) zone.defaultOwner = opts.owner;
  return source.load(
    files.filter((f) => source.claim(f)),
    {
      zone,
      parameters: new Map(),
      variables: new Map(),
      allFiles: files.flatMap((f) => (f.absPath ? [f.absPath] : [])),
      budgets: { ...DEFAULT_BUDGETS, ...opts.budgets },
      root: openScanRoot(opts.root ?? repoRoot, 20 * 1024 * 1024),
      maxFileBytes: 20 * 1024 * 1024,
    },
  );
}

/** A fixture file as the scanner hands it over (path relative to `dir`). */
export function fixtureInput(dir: string, rel: string, explicit = false): InputFile {
  const absPath = join(dir, rel);
  return { path: rel, absPath, text: readFileSync(absPath, 'utf8'), explicit };
}

/** 1-based line and column of the `nth` occurrence of `needle` in a text. */
export function where(text: string, needle: string, nth = 1): { line: number; column: number } {
  let at = -1;
  for (let i = 0; i < nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${needle} not found`);
  }
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return { line, column: at - before.lastIndexOf('\n') };
}
