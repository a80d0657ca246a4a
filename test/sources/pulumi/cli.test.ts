/**
 * Through the real, built CLI: Pulumi YAML programs with their stack settings and a `pulumi stack
 * export` state used to give "No findings … from 0 inputs" and exit 0. Now each role is judged (once
 * per stack where the trust differs), findings point at the statement (JSON and SARIF), and component
 * resources and encrypted trust policies are errors naming the file and line, with exit code 2.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir, repoRoot, runCli, runJson } from '../../helpers/cli.js';

const fixtures = 'test/fixtures/pulumi';

type Report = ReturnType<typeof runJson>['report'];
const warningsOf = (r: Report) =>
  r.warnings as { code: string; file?: string; line?: number; message: string }[];

describe('trustaudit scan (Pulumi)', () => {
  it('finds the cross-account roles without an external id or MFA, per stack', () => {
    const { code, report } = runJson(['scan', fixtures, '--no-db']);
    expect(code).toBe(2);
    const ta001 = report.findings.filter((f) => f.ruleId === 'TA001');
    expect(
      ta001
        .map(
          (f) =>
            `${f.resource.name} ${(f.resource as { variant?: string }).variant ?? '-'} ${f.principals.map((p) => p.value).join(',')} ${f.location.file}:${f.location.line}`,
        )
        .sort(),
    ).toEqual(
      [
        'AnalyticsVendor stack dev arn:aws:iam::999988887777:root test/fixtures/pulumi/vendor-access/Pulumi.yaml:50',
        'AnalyticsVendor stack prod arn:aws:iam::111122223333:root test/fixtures/pulumi/vendor-access/Pulumi.yaml:50',
        'AnalyticsVendor - arn:aws:iam::111122223333:root test/fixtures/pulumi/state/stack-export.json:56',
        'VendorSupport - arn:aws:iam::888899990000:root test/fixtures/pulumi/state/stack-export.json:138',
        'partner-deployer - arn:aws:iam::666677778888:role/deployer test/fixtures/pulumi/main-layout/Main.yaml:9',
      ].sort(),
    );
    // Protected: the backup vendor (external id, a secret in the stack settings), the auditor (MFA);
    // not a third party: break-glass (aws:getCallerIdentity).
    const names = new Set(ta001.map((f) => f.resource.name));
    for (const n of [
      'backup-vendor',
      'backup-vendor-4f1c2e9',
      'auditor',
      'BreakGlassAccess',
      'PartnerCiDeployer',
    ])
      expect(names.has(n)).toBe(false);
    // An encrypted trust policy could be read with --show-secrets: an error. A component's roles cannot
    // be judged from the program by its nature: a warning.
    expect(report.errors.map((e) => `${e.file}:${e.line} ${e.code}`)).toEqual([
      'test/fixtures/pulumi/state/stack-export.json:232 pulumi-secret',
    ]);
    expect(warningsOf(report).map((e) => `${e.file}:${e.line} ${e.code}`)).toEqual([
      'test/fixtures/pulumi/vendor-access/Pulumi.yaml:104 pulumi-component-not-expanded',
    ]);
    // The ciphertext of a secret is never printed.
    expect(JSON.stringify(report)).not.toContain('Q2hhbmdlTWU');
  });

  it('points SARIF results into the JSON string of the exported state', () => {
    const r = runCli(['scan', `${fixtures}/state/stack-export.json`, '--no-db', '--format', 'sarif']);
    expect(r.code).toBe(2);
    const log = JSON.parse(r.stdout) as {
      runs: {
        results: {
          ruleId: string;
          locations: {
            physicalLocation: {
              artifactLocation: { uri: string };
              region: { startLine: number; startColumn: number };
            };
          }[];
        }[];
      }[];
    };
    const results = (log.runs[0]?.results ?? []).filter((x) => x.ruleId === 'TA001');
    expect(results.map((x) => x.locations[0]?.physicalLocation.region.startLine)).toEqual([56, 138]);
    expect(results[0]?.locations[0]?.physicalLocation.artifactLocation.uri).toBe(
      'test/fixtures/pulumi/state/stack-export.json',
    );
  });

  it('reads `pulumi stack export | trustaudit scan -`', () => {
    const input = readFileSync(join(repoRoot, fixtures, 'state/stack-export.json'), 'utf8');
    const { report } = runJson(['scan', '-', '--no-db'], { input });
    expect(report.findings.filter((f) => f.ruleId === 'TA001').map((f) => f.resource.arn)).toEqual([
      'arn:aws:iam::123456789012:role/AnalyticsVendor',
      'arn:aws:iam::123456789012:role/VendorSupport',
    ]);
  });
});

describe.runIf(existsSync(join(corpusDir, 'pulumi')))('trustaudit scan (Pulumi corpus)', () => {
  it('scans the 4 programs: 4 roles, 7 components reported, no cross-account finding', () => {
    const { code, report } = runJson(['scan', join(corpusDir, 'pulumi'), '--no-db']);
    expect(report.summary.filesScanned).toBe(4);
    expect(report.summary.rolesScanned).toBe(4);
    expect(report.findings.filter((f) => f.ruleId === 'TA001')).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(warningsOf(report).map((e) => e.code)).toEqual(Array(7).fill('pulumi-component-not-expanded'));
    // TA002: the ecs-tasks service roles have no source condition.
    expect(code).toBe(1);
  });
});
