/**
 * Through the real, built CLI: a folder of Kubernetes manifests used to give "No findings … from 0
 * inputs" and exit 0. Now each role is judged, findings point at the statement in the manifest (JSON
 * and SARIF), and what could not be judged (a Helm chart, a Role built at compose time) is an error
 * naming the file and line, with exit code 2.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir, runCli, runJson } from '../../helpers/cli.js';

const fixtures = 'test/fixtures/kubernetes';

type Report = ReturnType<typeof runJson>['report'];
const warningsOf = (r: Report) =>
  r.warnings as { code: string; file?: string; line?: number; message: string }[];

interface SarifLog {
  runs: {
    results: {
      ruleId: string;
      locations: {
        physicalLocation: {
          artifactLocation: { uri: string };
          region: { startLine: number; startColumn?: number };
        };
      }[];
    }[];
  }[];
}

describe('trustaudit scan (Kubernetes manifests)', () => {
  it('finds the cross-account roles without an external id, and only those', () => {
    const { code, report } = runJson(['scan', fixtures, '--no-db']);
    expect(code).toBe(2);
    const ta001 = report.findings.filter((f) => f.ruleId === 'TA001');
    expect(
      ta001
        .map((f) => `${f.resource.name} ${f.location.file}:${f.location.line}:${f.location.column}`)
        .sort(),
    ).toEqual(
      [
        'AuditVendor test/fixtures/kubernetes/cluster-export.yaml:15:71',
        'MonitoringVendorAccess test/fixtures/kubernetes/platform-roles.yaml:22:9',
        '$ROLE_NAME test/fixtures/kubernetes/placeholders.yaml:11:21',
        'auditor-role test/fixtures/kubernetes/crossplane/composition.yaml:61:37',
      ].sort(),
    );
    // The roles with an external id (BackupVendorAccess, PartnerCiDeployer) are not findings.
    const names = new Set(report.findings.map((f) => f.resource.name));
    expect(names.has('BackupVendorAccess')).toBe(false);
    expect(names.has('PartnerCiDeployer')).toBe(false);
    expect(report.summary.rolesScanned).toBe(8);
    expect(report.summary.complete).toBe(false);
    // The chart's IAM template was not judged: an error. A Composition's Role built at compose time
    // cannot be judged from the file by its nature: a warning, with its line.
    expect(report.errors.map((e) => `${e.file}:${e.line} ${e.code}`)).toEqual([
      'test/fixtures/kubernetes/chart/Chart.yaml:1 helm-chart-not-rendered',
    ]);
    expect(report.errors[0]?.message).toContain(
      'helm template test/fixtures/kubernetes/chart | trustaudit scan -',
    );
    expect(warningsOf(report).map((e) => `${e.file}:${e.line} ${e.code}`)).toEqual([
      'test/fixtures/kubernetes/crossplane/composition.yaml:30 k8s-composed-trust-policy',
    ]);
  });

  it('points SARIF results at the manifest line and column', () => {
    const r = runCli(['scan', `${fixtures}/platform-roles.yaml`, '--no-db', '--format', 'sarif']);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout) as SarifLog;
    const results = log.runs[0]?.results ?? [];
    expect(results.map((x) => x.ruleId)).toEqual(['TA001']);
    expect(results[0]?.locations[0]?.physicalLocation).toMatchObject({
      artifactLocation: { uri: 'test/fixtures/kubernetes/platform-roles.yaml' },
      region: { startLine: 22, startColumn: 9 },
    });
  });

  it('reads `helm template … | trustaudit scan -` from standard input', () => {
    const rendered = `---
# Source: vendor-roles/templates/role.yaml
apiVersion: iam.services.k8s.aws/v1alpha1
kind: Role
metadata:
  name: release-vendor
spec:
  name: VendorAccess
  assumeRolePolicyDocument: |
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:root"}, "Action": "sts:AssumeRole"}]}
`;
    const { code, report } = runJson(['scan', '-', '--no-db', '--account', '123456789012'], {
      input: rendered,
    });
    expect(code).toBe(1);
    expect(report.findings.map((f) => [f.ruleId, f.resource.name, f.resource.arn, f.location.line])).toEqual([
      ['TA001', 'VendorAccess', 'arn:aws:iam::123456789012:role/VendorAccess', 10],
    ]);
  });
});

describe.runIf(existsSync(join(corpusDir, 'kubernetes')))('trustaudit scan (Kubernetes corpus)', () => {
  it('scans the 5 files: 7 roles judged, the 2 Composition templates reported, no finding', () => {
    const { code, report } = runJson(['scan', join(corpusDir, 'kubernetes'), '--no-db']);
    expect(report.summary.filesScanned).toBe(5);
    expect(report.summary.rolesScanned).toBe(7);
    expect(report.findings.filter((f) => f.ruleId === 'TA001')).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(warningsOf(report).map((e) => e.code)).toEqual([
      'k8s-composed-trust-policy',
      'k8s-composed-trust-policy',
    ]);
    // TA002 (service roles without a source condition) and TA004 (cognito-role) are still findings.
    expect(code).toBe(1);
  });
});
