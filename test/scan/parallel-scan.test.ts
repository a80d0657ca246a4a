import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { corpusDir, repoRoot } from '../helpers/cli.js';

/**
 * The scan with worker threads, as the library runs it from the tsc output (dist/, `npm test` builds
 * it; the workers then run dist/scan/workers/worker.js), with the size threshold at 0 so that every
 * splittable source is read in workers: the report is the same as in one thread.
 */
const dist = (p: string) => import(pathToFileURL(join(repoRoot, 'dist', p)).href);

async function reportJson(
  dir: string,
  jobs: number,
  taskBytes?: number,
): Promise<{ json: string; remote: number; roleIds: string[] }> {
  const { runScan } = await dist('scan/run.js');
  const { buildReport } = await dist('scan/report.js');
  const { fileSources } = await dist('sources/index.js');
  const { emptyZone } = await dist('analysis/zone.js');
  const { outputFormats } = await dist('reporters/index.js');
  let remote = 0;
  const sources = fileSources.map((s: { split?: unknown }) =>
    s.split ? { ...s, loadedElsewhere: () => remote++ } : s,
  );
  const result = await runScan({
    paths: ['.'],
    cwd: dir,
    zone: emptyZone(),
    now: 0,
    jobs,
    parallelMinBytes: 0,
    ...(taskBytes !== undefined ? { parallelTaskBytes: taskBytes } : {}),
    sources,
  });
  const report = buildReport(result);
  const text = (await outputFormats.json.load())(report, { generatedAt: '2026-01-01T00:00:00.000Z' });
  return {
    json: typeof text === 'string' ? text : [...text].join(''),
    remote,
    roleIds: result.roles.map((r: { id: string }) => r.id),
  };
}

describe('a scan with worker threads (tsc output)', () => {
  it('is built', () => {
    expect(existsSync(join(repoRoot, 'dist/scan/workers/worker.js'))).toBe(true);
  });

  for (const sub of [
    'terraform',
    'terragrunt',
    'cloudformation/aws-cloudformation-templates',
    'serverless',
    'vendor',
  ]) {
    it(`reports the same as one thread on the corpus folder ${sub}`, async () => {
      const dir = join(corpusDir, sub);
      const one = await reportJson(dir, 1);
      const four = await reportJson(dir, 4);
      expect(one.remote).toBe(0);
      expect(four.remote).toBeGreaterThan(0);
      expect(four.json).toBe(one.json);
    }, 300_000);
  }

  it('judges a module folder a Terragrunt unit deploys only through the unit, the units read in a group of their own', async () => {
    const dir = join(repoRoot, 'test/fixtures/terragrunt/live-layout');
    const one = await reportJson(dir, 1);
    // One group per task: the module folder and the units are read in different workers.
    const four = await reportJson(dir, 4, 1);
    // The module folder is read on its own in one group and deployed by the units in another: its
    // standalone role is dropped when the groups are merged, as in one thread.
    expect(four.remote).toBeGreaterThan(1);
    expect(four.roleIds).toEqual(one.roleIds);
    expect(one.roleIds.filter((id) => id.startsWith('modules/'))).toEqual([]);
    expect(one.roleIds).toHaveLength(3);
    expect(four.json).toBe(one.json);
  }, 300_000);
});
