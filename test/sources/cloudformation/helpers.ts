import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { emptyZone } from '../../../src/analysis/zone.js';
import type { PolicyValue, Role, ScanError, Statement } from '../../../src/model/types.js';
import { DEFAULT_BUDGETS } from '../../../src/scan/budgets.js';
import { openScanRoot } from '../../../src/scan/scan-root.js';
import { cloudformationSource } from '../../../src/sources/cloudformation/index.js';
import type { InputFile, SourceResult } from '../../../src/sources/types.js';

export const repoRoot = resolve(__dirname, '../../..');
export const fixtures = resolve(repoRoot, 'test/fixtures/cloudformation');

export function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** A fixture as the scanner would hand it over (path relative to the fixtures folder). */
export function input(rel: string, explicit = false): InputFile {
  const absPath = join(fixtures, rel);
  return { path: rel, absPath, text: readFileSync(absPath, 'utf8'), explicit };
}

export interface ScanOpts {
  parameters?: Record<string, string>;
  owner?: string;
  maxFileBytes?: number;
}

/** Run the CloudFormation source over files (claimed ones only, as the scanner does). */
export async function scanFiles(files: InputFile[], opts: ScanOpts = {}): Promise<SourceResult> {
  const zone = emptyZone();
  if (opts.owner) zone.defaultOwner = opts.owner;
  return cloudformationSource.load(
    files.filter((f) => cloudformationSource.claim(f)),
    {
      zone,
      parameters: new Map(Object.entries(opts.parameters ?? {})),
      variables: new Map(),
      allFiles: files.map((f) => f.absPath ?? f.path),
      budgets: DEFAULT_BUDGETS,
      root: openScanRoot(process.cwd(), 20 * 1024 * 1024),
      maxFileBytes: opts.maxFileBytes ?? 10 * 1024 * 1024,
    },
  );
}

export async function scanFixture(rel: string, opts: ScanOpts = {}): Promise<SourceResult> {
  return scanFiles([input(rel)], opts);
}

/** The 1-based line of the `nth` line of a fixture containing `needle`. */
export function lineOf(rel: string, needle: string, nth = 1): number {
  const lines = readFileSync(join(fixtures, rel), 'utf8').split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.includes(needle) && ++seen === nth) return i + 1;
  }
  throw new Error(`${needle} not found in ${rel}`);
}

export function roleById(r: SourceResult, id: string, variant?: string): Role {
  const found = r.roles.filter((x) => x.id === id && (variant === undefined || x.variant === variant));
  if (found.length !== 1) {
    throw new Error(
      `expected one role ${id} ${variant ?? ''}, found ${found.length}: ${r.roles.map((x) => `${x.id} [${x.variant}]`).join(', ')}`,
    );
  }
  return found[0] as Role;
}

/** A value as text: strings as they are, symbolic values as `{text | description}`. */
export function show(v: PolicyValue): string {
  return typeof v === 'string' ? v : `{${v.text ?? ''} | ${v.description}}`;
}

export function principals(st: Statement | undefined): string[] {
  return (st?.principals ?? []).map((p) => `${p.type}:${show(p.value)}`);
}

export function conditions(st: Statement | undefined): string[] {
  return (st?.conditions ?? []).map((c) => `${c.operator} ${c.key}=${c.values.map(show).join('|')}`);
}

export function errorsOf(r: SourceResult, file?: string): ScanError[] {
  return r.errors.filter((e) => file === undefined || e.file === file);
}

export { relative };
