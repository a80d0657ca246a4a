import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { emptyZone } from '../../../src/analysis/zone.js';
import type { Principal, Role, ScanError, Statement } from '../../../src/model/types.js';
import { isSymbolic } from '../../../src/model/types.js';
import { DEFAULT_BUDGETS } from '../../../src/scan/budgets.js';
import { openScanRoot } from '../../../src/scan/scan-root.js';
import { terraformSource } from '../../../src/sources/terraform/index.js';
import type { InputFile, SourceContext } from '../../../src/sources/types.js';

export const here = path.dirname(new URL(import.meta.url).pathname);
export const repoRoot = path.resolve(here, '../../..');
export const fixturesDir = path.join(repoRoot, 'test/fixtures/terraform');
export const corpusDir = path.resolve(repoRoot, '../shared/corpus');

export function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** Input files for every file under `dir` (display paths relative to `relTo`). */
export function inputsUnder(dir: string, relTo: string = repoRoot): InputFile[] {
  return walk(dir).map((abs) => ({
    path: path.relative(relTo, abs),
    absPath: abs,
    text: readFileSync(abs, 'utf8'),
    explicit: false,
  }));
}

export function ctxFor(
  files: InputFile[],
  opts: { owner?: string; variables?: Record<string, string> } = {},
): SourceContext {
  const zone = emptyZone();
  if (opts.owner) zone.defaultOwner = opts.owner;
  return {
    zone,
    parameters: new Map(),
    variables: new Map(Object.entries(opts.variables ?? {})),
    allFiles: files.map((f) => f.absPath ?? f.path),
    budgets: DEFAULT_BUDGETS,
    root: openScanRoot(process.cwd(), 20 * 1024 * 1024),
    maxFileBytes: 5 * 1024 * 1024,
  };
}

/** Claims and loads the files of a fixture directory (under test/fixtures/terraform). */
export async function loadFixture(
  name: string,
  opts: { owner?: string; variables?: Record<string, string> } = {},
): Promise<{ roles: Role[]; errors: ScanError[] }> {
  const dir = path.join(fixturesDir, name);
  const files = (
    statSync(dir).isDirectory()
      ? inputsUnder(dir)
      : inputsUnder(path.dirname(dir)).filter((f) => f.absPath === dir)
  ).filter((f) => terraformSource.claim(f));
  const r = await terraformSource.load(files, ctxFor(files, opts));
  return { roles: r.roles, errors: r.errors };
}

export function show(v: unknown): string {
  if (isSymbolic(v)) return `<${v.text ?? ''} | ${v.description}>`;
  return String(v);
}

export function principalsOf(s: Statement | undefined): string[] {
  return (s?.principals ?? []).map((p: Principal) => `${p.type}:${show(p.value)}`);
}

export function conditionsOf(s: Statement | undefined): string[] {
  return (s?.conditions ?? []).map((c) => `${c.operator} ${c.key} = ${c.values.map(show).join('|')}`);
}

/** The resource address of a Terraform role id (`<root folder or plan file>#<address>`, or the bare address). */
export function addressOf(role: Role): string {
  return role.id.slice(role.id.lastIndexOf('#') + 1);
}

/** The role with this id, or with this address under any root folder / plan file. */
export function byId(roles: Role[], id: string): Role {
  const r = roles.find((x) => x.id === id) ?? roles.find((x) => addressOf(x) === id);
  if (!r) throw new Error(`no role ${id}; have ${roles.map((x) => x.id).join(', ')}`);
  return r;
}
