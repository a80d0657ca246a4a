import { describe, expect, it } from 'vitest';
import { reporters } from '../../src/reporters/all.js';
import type { ReporterOptions } from '../../src/reporters/types.js';
import { FIXTURE_FILE, loadReport } from './report-fixture.js';

const OPTS: ReporterOptions = {
  color: false,
  generatedAt: '2026-11-28T06:00:00.000Z',
  region: 'eu-west-1',
  account: '111111111111',
};

const FILES: [format: string, file: string][] = [
  ['html', 'fixture.html'],
  ['csv', 'fixture.csv'],
  ['junit', 'fixture.junit.xml'],
  ['markdown', 'fixture.md'],
  ['asff', 'fixture.asff.json'],
];

describe('reporter snapshots on the TA001 fixture report', () => {
  for (const [format, file] of FILES) {
    it(`${format} matches __snapshots__/${file}`, async () => {
      const reporter = reporters[format];
      expect(reporter, `${format} is registered`).toBeDefined();
      const out = reporter!(loadReport(FIXTURE_FILE), OPTS);
      await expect(out).toMatchFileSnapshot(`__snapshots__/${file}`);
    });
    it(`${format} is deterministic`, () => {
      const r = reporters[format]!;
      expect(r(loadReport(FIXTURE_FILE), OPTS)).toBe(r(loadReport(FIXTURE_FILE), OPTS));
    });
  }
});
