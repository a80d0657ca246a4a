import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildFixtureReport,
  buildHostileReport,
  FIXTURE_FILE,
  HOSTILE_FILE,
  loadReport,
} from './report-fixture.js';

const update = process.env.UPDATE_REPORT_FIXTURE === '1';

describe('reporter fixtures (frozen real TA001 output)', () => {
  it.runIf(update)('regenerates the frozen fixtures', () => {
    writeFileSync(FIXTURE_FILE, `${JSON.stringify(buildFixtureReport(), null, 2)}\n`);
    writeFileSync(HOSTILE_FILE, `${JSON.stringify(buildHostileReport(), null, 2)}\n`);
  });

  it('TA001 still yields the same findings (fingerprints) as the frozen fixture', () => {
    // Fingerprints are a contract (baselines, history, SARIF): a change here breaks users' baselines.
    const now = buildFixtureReport().findings.map(
      (f) => `${f.resource.name} ${f.fingerprint} ${f.statement?.index}`,
    );
    const frozen = loadReport(FIXTURE_FILE).findings.map(
      (f) => `${f.resource.name} ${f.fingerprint} ${f.statement?.index}`,
    );
    expect(now).toEqual(frozen);
  });

  it('the frozen fixture covers what the reporters must show', () => {
    const r = loadReport(FIXTURE_FILE);
    const names = r.findings.map((f) => f.resource.name);
    expect(names).toContain('DatadogIntegration');
    expect(names).toContain('PartnerDeploy');
    expect(names).toContain('AnyoneCanAssume');
    expect(names).not.toContain('VendorWithExternalId');
    expect(names).not.toContain('SameAccountAdmin');
    expect(r.findings.some((f) => f.suppressed)).toBe(true);
    expect(r.findings.some((f) => f.inBaseline)).toBe(true);
    expect(r.findings.find((f) => f.resource.name === 'PartnerDeploy')?.statement?.index).toBe(1);
    expect(r.findings.some((f) => f.remediation.correctedPolicy !== undefined)).toBe(true);
  });
});
