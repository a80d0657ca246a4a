import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { emptyZone } from '../../src/analysis/zone.js';
import type { PolicyValue, Role } from '../../src/model/types.js';
import { type BudgetName, budgetsWith } from '../../src/scan/budgets.js';
import { openScanRoot } from '../../src/scan/scan-root.js';
import type { FileSource, InputFile, SourceResult } from '../../src/sources/types.js';
import { tempDir } from './cli.js';
import { testSourceContext } from './source-context.js';

/** Helpers for tests that run one file source over a folder, as the scanner does. */

/** Every file under `dir`, in name order. */
export function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** Every file under `dir` as the scanner hands it over (paths relative to `relTo`). */
export function inputsUnder(dir: string, relTo: string): InputFile[] {
  return walk(dir).map((abs) => ({
    path: path.relative(relTo, abs),
    absPath: abs,
    text: readFileSync(abs, 'utf8'),
    explicit: false,
  }));
}

export interface LoadOpts {
  /** Scan root (default: `dir`). */
  root?: string;
  owner?: string;
  budgets?: Partial<Record<BudgetName, number>>;
}

/** Run `source` over the files it claims under `dir`. */
export async function loadWith(source: FileSource, dir: string, opts: LoadOpts = {}): Promise<SourceResult> {
  const all = inputsUnder(dir, dir);
  const zone = emptyZone();
  if (opts.owner) zone.defaultOwner = opts.owner;
  return source.load(
    all.filter((f) => source.claim(f)),
    testSourceContext({
      zone,
      allFiles: all.map((f) => f.absPath as string),
      budgets: budgetsWith(opts.budgets),
      root: openScanRoot(opts.root ?? dir, 20 * 1024 * 1024),
    }),
  );
}

/** Write `files` (relative path -> text) into a new temporary folder. */
export function writeProject(prefix: string, files: Record<string, string>): string {
  const dir = tempDir(prefix);
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
  return dir;
}

export function byName(roles: Role[], name: string): Role {
  const r = roles.find((x) => x.name === name);
  if (!r) throw new Error(`no role ${name}; roles: ${roles.map((x) => x.name).join(', ')}`);
  return r;
}

export function principalsOf(role: Role): PolicyValue[] {
  return role.trustPolicy.statements.flatMap((s) => (s.principals ?? []).map((p) => p.value));
}

/** The 1-based line of the first line of `file` containing `needle`. */
export function lineOf(file: string, needle: string): number {
  const i = readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`${needle} not in ${file}`);
  return i + 1;
}
