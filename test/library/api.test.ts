import { describe, expect, it } from 'vitest';
import {
  exitCode,
  formats,
  renderReport,
  rules,
  scanDocuments,
  scanPaths,
  scanPolicies,
} from '../../src/index.js';
import { repoRoot } from '../helpers/cli.js';

/** The library entry (src/index.ts), as a program importing 'trustaudit' uses it. */
const vendor = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::464622532012:root' }, Action: 'sts:AssumeRole' },
  ],
};

describe('the library API', () => {
  it('scanPolicies judges policy objects and names vendors from the bundled list', async () => {
    const report = await scanPolicies([{ name: 'vendor.json', policy: vendor }], { account: '123456789012' });
    expect(report.summary).toMatchObject({ rolesScanned: 1, filesScanned: 1, findings: 1, complete: true });
    expect(report.findings[0]).toMatchObject({ ruleId: 'TA001', location: { file: 'vendor.json' } });
    expect(report.findings[0]!.message).toContain('Datadog (464622532012)');
    expect(exitCode(report)).toBe(1);
    expect(exitCode(report, 'high')).toBe(0);
  });

  it('options: trusted accounts, rules, require, vendor names', async () => {
    const trusted = await scanPolicies([{ policy: vendor }], {
      account: '123456789012',
      trustedAccounts: ['464622532012'],
    });
    expect(trusted.findings).toEqual([]);
    const off = await scanPolicies([{ policy: vendor }], {
      account: '123456789012',
      rules: { TA001: 'off' },
    });
    expect(off.findings).toEqual([]);
    const high = await scanPolicies([{ policy: vendor }], {
      account: '123456789012',
      rules: { TA001: 'high' },
    });
    expect(high.findings[0]?.severity).toBe('high');
    const mine = await scanPolicies([{ policy: vendor }], {
      account: '123456789012',
      knownAccounts: { '464622532012': 'Monitoring' },
    });
    expect(mine.findings[0]!.message).toContain('Monitoring (464622532012)');
    const bare = await scanPolicies([{ policy: vendor }], {
      account: '123456789012',
      bundledKnownAccounts: false,
    });
    expect(bare.findings[0]!.message).not.toContain('Datadog');
    const withMfa = {
      ...vendor,
      Statement: [{ ...vendor.Statement[0], Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }],
    };
    const mfaOk = await scanPolicies([{ policy: withMfa }], { account: '123456789012' });
    expect(mfaOk.findings).toEqual([]);
    const needsId = await scanPolicies([{ policy: withMfa }], {
      account: '123456789012',
      require: 'external-id',
    });
    expect(needsId.findings.map((f) => f.ruleId)).toEqual(['TA001']);
  });

  it('scanDocuments takes the kind from the name, as for a file', async () => {
    const tf = `resource "aws_iam_role" "v" {
  name = "v"
  assume_role_policy = jsonencode(${JSON.stringify(vendor)
    .replace(/"(\w+)":/g, '$1 =')
    .replace(/,(?=\w+ =)/g, ', ')})
}
`;
    const report = await scanDocuments([{ name: 'main.tf', text: tf }], { account: '123456789012' });
    expect(report.findings.map((f) => [f.ruleId, f.location.file])).toEqual([['TA001', 'main.tf']]);
  });

  it('scanPaths walks folders like the CLI', async () => {
    const report = await scanPaths(['examples'], { cwd: repoRoot, account: '123456789012' });
    expect(report.summary.rolesScanned).toBeGreaterThan(10);
    expect(report.findings.length).toBeGreaterThan(5);
  });

  it('renders every format, and lists the rules', async () => {
    const report = await scanPolicies([{ policy: vendor }], { account: '123456789012' });
    for (const f of formats)
      expect(
        renderReport(report, f, { generatedAt: '2026-01-01T00:00:00Z', account: '123456789012' }).length,
      ).toBeGreaterThan(0);
    expect(() => renderReport(report, 'pdf')).toThrow(/unknown format "pdf"/);
    expect(rules.map((r) => r.meta.id)).toContain('TA001');
  });
});
