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

async function reportJson(dir: string, jobs: number): Promise<{ json: string; remote: number }> {
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
    sources,
  });
  const report = buildReport(result);
  const text = (await outputFormats.json.load())(report, { generatedAt: '2026-01-01T00:00:00.000Z' });
  return { json: typeof text === 'string' ? text : [...text].join(''), remote };
}

describe('a scan with worker threads (tsc output)', () => {
  it('is built', () => {
    expect(existsSync(join(repoRoot, 'dist/scan/workers/worker.js'))).toBe(true);
  });

  for (const sub of ['terraform', 'cloudformation/aws-cloudformation-templates', 'serverless', 'vendor']) {
    it(`reports the same as one thread on the corpus folder ${sub}`, async () => {
      const dir = join(corpusDir, sub);
      const one = await reportJson(dir, 1);
      const four = await reportJson(dir, 4);
      expect(one.remote).toBe(0);
      expect(four.remote).toBeGreaterThan(0);
      expect(four.json).toBe(one.json);
    }, 300_000);
  }
});
