import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyZone } from '../../src/analysis/zone.js';
import type { Finding } from '../../src/findings/types.js';
import { toSarif } from '../../src/reporters/sarif.js';
import { buildReport } from '../../src/scan/report.js';
import { runScan, type ScanResult } from '../../src/scan/run.js';

/**
 * Suppressions end to end through the scan the CLI runs: CloudFormation `Metadata.trustaudit.skip`,
 * Terraform `# trustaudit:skip=` comments, config suppressions (live, expired, unused), and how they
 * come out in SARIF. Fixtures: test/fixtures/suppress/.
 */
const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/suppress');

describe('suppressions through runScan', () => {
  let result: ScanResult;
  const byId = (id: string): Finding | undefined => result.findings.find((f) => f.resource.id === id);

  beforeAll(async () => {
    const zone = emptyZone();
    zone.defaultOwner = '123456789012';
    result = await runScan({
      paths: ['.'],
      cwd: fixtures,
      zone,
      today: '2026-06-01',
      suppressions: [
        {
          rule: 'TA001',
          resource: 'roles.yaml#ConfigSuppressed*',
          reason: 'Legacy vendor, tracked in SEC-44',
          expires: '2026-12-31',
        },
        {
          rule: 'TA001',
          resource: 'aws_iam_role.expired',
          reason: 'Was accepted last year',
          expires: '2026-01-31',
        },
        { rule: 'TA001', resource: 'roles.yaml#NoSuchRole', reason: 'Stale entry' },
      ],
    });
  });

  it('scans the fixtures without errors', () => {
    expect(result.errors).toEqual([]);
    expect(result.findings.map((f) => f.resource.id).sort()).toEqual([
      'aws_iam_role.expired',
      'aws_iam_role.vendor',
      'roles.yaml#ConfigSuppressedRole',
      'roles.yaml#OpenRole',
      'roles.yaml#SkippedVendorRole',
    ]);
  });

  it('applies the CloudFormation Metadata skip with its location', () => {
    expect(byId('roles.yaml#SkippedVendorRole')).toMatchObject({
      suppressed: true,
      suppression: {
        kind: 'inline',
        reason: 'Vendor cannot send an external ID yet (SEC-42)',
        location: { file: 'roles.yaml' },
      },
    });
  });

  it('applies the Terraform comment skip with its line', () => {
    expect(byId('aws_iam_role.vendor')).toMatchObject({
      suppressed: true,
      suppression: {
        kind: 'inline',
        reason: 'Vendor integration predates external IDs (SEC-43)',
        location: { file: 'main.tf', line: 2 },
      },
    });
  });

  it('applies a live config suppression and keeps its expiry', () => {
    expect(byId('roles.yaml#ConfigSuppressedRole')).toMatchObject({
      suppressed: true,
      suppression: { kind: 'config', reason: 'Legacy vendor, tracked in SEC-44', expires: '2026-12-31' },
    });
  });

  it('an expired config suppression no longer applies', () => {
    expect(byId('aws_iam_role.expired')?.suppressed).toBe(false);
    expect(byId('roles.yaml#OpenRole')?.suppressed).toBe(false);
  });

  it('warns about the expired and the unused config suppressions', () => {
    expect(result.warnings.map((w) => [w.source, w.code])).toEqual(
      expect.arrayContaining([
        ['config', 'suppression-expired'],
        ['config', 'suppression-unused'],
      ]),
    );
    expect(result.warnings.find((w) => w.code === 'suppression-expired')?.message).toContain('2026-01-31');
    expect(result.warnings.find((w) => w.code === 'suppression-unused')?.message).toContain(
      'roles.yaml#NoSuchRole',
    );
  });

  it('keeps suppressed findings in the report and in SARIF, with inSource / external kinds', () => {
    const report = buildReport(result);
    expect(report.findings).toHaveLength(5);
    expect(report.summary.suppressed).toBe(3);
    const results = toSarif(report).runs[0]!.results;
    const kinds = results.map((r) => r.suppressions?.[0]?.kind ?? 'none').sort();
    expect(kinds).toEqual(['external', 'inSource', 'inSource', 'none', 'none']);
    const tf = results.find(
      (r) => r.suppressions?.[0]?.location?.physicalLocation?.artifactLocation.uri === 'main.tf',
    );
    expect(tf?.suppressions?.[0]?.location?.physicalLocation?.region?.startLine).toBe(2);
  });
});
