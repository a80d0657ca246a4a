import { describe, expect, it } from 'vitest';
import { AsffError, type AsffFinding, asffReporter } from '../../src/reporters/asff.js';
import { wholeText } from '../../src/reporters/types.js';
import { FIXTURE_FILE, HOSTILE_FILE, loadReport } from './report-fixture.js';

const OPTS = {
  color: false,
  generatedAt: '2026-11-28T06:00:00.000Z',
  region: 'eu-west-1',
  account: '111111111111',
};

/**
 * Required top-level attributes of AwsSecurityFinding and their documented constraints (AWS Security Hub
 * API reference, "AwsSecurityFinding"; user guide "Required top-level ASFF attributes").
 */
const REQUIRED = [
  'AwsAccountId',
  'CreatedAt',
  'Description',
  'GeneratorId',
  'Id',
  'ProductArn',
  'Resources',
  'SchemaVersion',
  'Severity',
  'Title',
  'Types',
  'UpdatedAt',
] as const;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;
const TYPE_NAMESPACES = [
  'Software and Configuration Checks',
  'TTPs',
  'Effects',
  'Unusual Behaviors',
  'Sensitive Data Identifications',
];
const LABELS = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

function checkFinding(a: AsffFinding, region: string): void {
  for (const k of REQUIRED) expect(a, `required ${k}`).toHaveProperty(k);
  expect(a.SchemaVersion).toBe('2018-10-08');
  expect(a.Id.length).toBeGreaterThan(0);
  expect(a.Id.length).toBeLessThanOrEqual(512);
  expect(a.GeneratorId.length).toBeLessThanOrEqual(512);
  expect(a.AwsAccountId).toMatch(/^\d{12}$/);
  expect(a.ProductArn).toMatch(new RegExp(`^arn:aws:securityhub:${region}:(\\d{12}):product/\\1/default$`));
  expect(a.Types.length).toBeGreaterThan(0);
  expect(a.Types.length).toBeLessThanOrEqual(50);
  for (const t of a.Types) {
    const parts = t.split('/');
    expect(parts.length).toBeGreaterThanOrEqual(2);
    expect(parts.length).toBeLessThanOrEqual(3);
    expect(TYPE_NAMESPACES).toContain(parts[0]);
  }
  expect(a.CreatedAt).toMatch(TIMESTAMP);
  expect(a.UpdatedAt).toMatch(TIMESTAMP);
  expect(LABELS).toContain(a.Severity.Label);
  expect(a.Title.length).toBeGreaterThan(0);
  expect(a.Title.length).toBeLessThanOrEqual(256);
  expect(a.Description.length).toBeGreaterThan(0);
  expect(a.Description.length).toBeLessThanOrEqual(1024);
  expect(a.Remediation.Recommendation.Text.length).toBeLessThanOrEqual(512);
  expect(a.Resources.length).toBeGreaterThan(0);
  expect(a.Resources.length).toBeLessThanOrEqual(32);
  for (const r of a.Resources) {
    expect(r.Type).toBe('AwsIamRole');
    expect(r.Id.length).toBeGreaterThan(0);
    expect(r.Region).toBe(region);
  }
  expect(Object.keys(a.ProductFields).length).toBeLessThanOrEqual(50);
  for (const [k, v] of Object.entries(a.ProductFields)) {
    expect(k.length).toBeLessThanOrEqual(128);
    expect(v.length).toBeLessThanOrEqual(2048);
  }
}

describe('asff reporter', () => {
  it('every finding has the required attributes within their documented limits', () => {
    const report = loadReport(FIXTURE_FILE);
    const out = JSON.parse(wholeText(asffReporter(report, OPTS))) as AsffFinding[];
    expect(out).toHaveLength(report.findings.length);
    for (const a of out) checkFinding(a, 'eu-west-1');
  });

  it('maps fields from the finding', () => {
    const report = loadReport(FIXTURE_FILE);
    const out = JSON.parse(wholeText(asffReporter(report, OPTS))) as AsffFinding[];
    report.findings.forEach((f, i) => {
      const a = out[i]!;
      expect(a.Id).toBe(`trustaudit/${f.ruleId}/${f.fingerprint}`);
      expect(a.GeneratorId).toBe(`trustaudit/${f.ruleId}`);
      expect(a.AwsAccountId).toBe(f.resource.account);
      expect(a.Resources[0]!.Id).toBe(f.resource.arn);
      expect(a.Severity.Label).toBe(f.severity.toUpperCase());
      expect(a.CreatedAt).toBe(OPTS.generatedAt);
      expect(a.Workflow.Status).toBe(f.suppressed ? 'SUPPRESSED' : 'NEW');
      expect(a.Description.startsWith(f.message.slice(0, 50))).toBe(true);
      expect(a.Remediation.Recommendation.Text.startsWith(f.remediation.summary)).toBe(true);
    });
    // The product ARN names the importing account (--account), even for roles of other accounts.
    expect(new Set(out.map((a) => a.ProductArn))).toEqual(
      new Set(['arn:aws:securityhub:eu-west-1:111111111111:product/111111111111/default']),
    );
  });

  it('long hostile text is cut to the limits', () => {
    const report = loadReport(HOSTILE_FILE);
    report.findings[0]!.message = 'x'.repeat(5000);
    report.findings[0]!.resource.name = 'y'.repeat(1000);
    const out = JSON.parse(wholeText(asffReporter(report, OPTS))) as AsffFinding[];
    for (const a of out) checkFinding(a, 'eu-west-1');
    expect(out[0]!.Description.endsWith('…')).toBe(true);
  });

  it('takes the account from the role ARN, and refuses a role with no account anywhere', () => {
    const report = loadReport(FIXTURE_FILE);
    const f = report.findings[0]!;
    delete f.resource.account;
    const { account: _a, ...noAccount } = OPTS;
    const out = JSON.parse(wholeText(asffReporter({ ...report, findings: [f] }, noAccount))) as AsffFinding[];
    expect(out[0]!.AwsAccountId).toBe('111111111111');
    f.resource.arn = undefined;
    f.resource.id = 'infra/template.yaml#VendorRole';
    expect(() => asffReporter({ ...report, findings: [f] }, noAccount)).toThrow(AsffError);
    expect(() => asffReporter({ ...report, findings: [f] }, noAccount)).toThrow(/--account/);
    // With --account the IaC role is attributed to it.
    const withAccount = JSON.parse(
      wholeText(asffReporter({ ...report, findings: [f] }, OPTS)),
    ) as AsffFinding[];
    expect(withAccount[0]!.AwsAccountId).toBe('111111111111');
    expect(withAccount[0]!.Resources[0]!.Id).toBe('infra/template.yaml#VendorRole');
  });

  it('uses the partition of the role ARN', () => {
    const report = loadReport(FIXTURE_FILE);
    const f = report.findings[0]!;
    f.resource.arn = 'arn:aws-cn:iam::111111111111:role/DatadogIntegration';
    const out = JSON.parse(
      wholeText(asffReporter({ ...report, findings: [f] }, { ...OPTS, region: 'cn-north-1' })),
    ) as AsffFinding[];
    expect(out[0]!.ProductArn).toBe(
      'arn:aws-cn:securityhub:cn-north-1:111111111111:product/111111111111/default',
    );
    expect(out[0]!.Resources[0]!.Partition).toBe('aws-cn');
  });
});
