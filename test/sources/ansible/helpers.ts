import path from 'node:path';
import { isSymbolic, type PolicyValue, type Role } from '../../../src/model/types.js';
import { ansibleSource } from '../../../src/sources/ansible/index.js';
import type { SourceResult } from '../../../src/sources/types.js';
import { repoRoot } from '../../helpers/cli.js';
import { type LoadOpts, loadWith, principalsOf, writeProject } from '../../helpers/source-files.js';

export {
  byName,
  inputsUnder,
  type LoadOpts,
  lineOf,
  principalsOf,
  walk,
} from '../../helpers/source-files.js';

export const fixturesDir = path.join(repoRoot, 'test/fixtures/ansible');
export const projectDir = path.join(fixturesDir, 'project');

/** Run the Ansible source over the files it claims under `dir`, as the scanner does. */
export function loadDir(dir: string, opts: LoadOpts = {}): Promise<SourceResult> {
  return loadWith(ansibleSource, dir, opts);
}

/** Write `files` (relative path -> text) into a new temporary folder. */
export function project(files: Record<string, string>): string {
  return writeProject('trustaudit-ansible-', files);
}

export function firstPrincipal(role: Role): PolicyValue {
  const p = principalsOf(role)[0];
  if (p === undefined) throw new Error(`role ${role.name} has no principal`);
  return p;
}

export function symbolicText(v: PolicyValue): string {
  if (!isSymbolic(v)) throw new Error(`not symbolic: ${v}`);
  return `${v.text ?? ''} | ${v.description}`;
}
