import path from 'node:path';
import { isSymbolic, type PolicyValue } from '../../../src/model/types.js';
import { serverlessSource } from '../../../src/sources/serverless/index.js';
import type { SourceResult } from '../../../src/sources/types.js';
import { repoRoot } from '../../helpers/cli.js';
import { type LoadOpts, loadWith, writeProject } from '../../helpers/source-files.js';

export { byName, lineOf, principalsOf, walk } from '../../helpers/source-files.js';

export const fixturesDir = path.join(repoRoot, 'test/fixtures/serverless');

/** Run the Serverless source over the files it claims under `dir`, as the scanner does. */
export function loadDir(dir: string, opts: Pick<LoadOpts, 'owner' | 'budgets'> = {}): Promise<SourceResult> {
  return loadWith(serverlessSource, dir, opts);
}

export function project(files: Record<string, string>): string {
  return writeProject('trustaudit-sls-', files);
}

export function describeValue(v: PolicyValue | undefined): string {
  if (v === undefined) return '<none>';
  return isSymbolic(v) ? `${v.text ?? ''} | ${v.description}` : v;
}
