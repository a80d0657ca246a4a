/**
 * Terragrunt units through the built CLI (issue 13, item 6): a unit folder holds no `.tf` file, so the
 * scan used to find no role in it at all ("No findings in 0 roles", exit 0).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir, repoRoot, runJson } from '../../helpers/cli.js';

const fixtures = path.join(repoRoot, 'test/fixtures/terragrunt');

describe('Terragrunt through the CLI', () => {
  it('a live tree of units: the unit passing the wildcard external id is a finding, exit 1', () => {
    const dir = path.join(fixtures, 'live-layout');
    const { report, code } = runJson(['scan', path.join(dir, 'live'), '--root', dir, '--no-repo-config']);
    expect(report.summary.rolesScanned).toBe(3);
    expect(report.findings.map((f) => [f.ruleId, f.resource.name, f.resource.id])).toEqual([
      [
        'TA001',
        'prod-monitoring-vendor',
        'test/fixtures/terragrunt/live-layout/live/prod/vendor#aws_iam_role.vendor',
      ],
    ]);
    expect(report.findings[0]?.location.file).toBe(
      'test/fixtures/terragrunt/live-layout/modules/vendor-role/main.tf',
    );
    expect(code).toBe(1);
  });

  it('get_env never puts the scanning environment in the report', () => {
    const { report } = runJson(['scan', path.join(fixtures, 'env-lookup'), '--no-repo-config'], {
      env: { VENDOR_EXTERNAL_ID: 'cli-env-secret-77b2', ROLE_PATH: '/cli-env-path/' },
    });
    const text = JSON.stringify(report);
    expect(report.summary.rolesScanned).toBe(1);
    expect(text).not.toContain('cli-env-secret-77b2');
    expect(text).not.toContain('cli-env-path');
    expect(report.warnings.map((w) => w.code)).toContain('terragrunt-input-unknown');
  });

  const repo = path.join(corpusDir, 'terragrunt/cds-snc__cloud-based-sensor');
  it.skipIf(!existsSync(repo))(
    'a real unit (cds-snc cloud-based-sensor central account) yields its module’s roles',
    () => {
      const unit = path.join(repo, 'terragrunt/env/central/central_account');
      const { report } = runJson(['scan', unit, '--root', repo, '--no-repo-config']);
      // The unit's `../../../aws//central_account` module: both of its roles, named by the unit.
      expect(report.summary.rolesScanned).toBe(2);
      expect(
        report.findings.map((f) => [f.ruleId, f.resource.id.replace(/^.*\/terragrunt\/env\//, '')]).sort(),
      ).toEqual([
        ['TA001', 'central/central_account#aws_iam_role.log_archive_read'],
        ['TA002', 'central/central_account#aws_iam_role.event_bus_invoke_remote_event_bus'],
      ]);
      const archive = report.findings.find((f) => f.resource.id.endsWith('#aws_iam_role.log_archive_read'));
      expect(archive?.location.file).toMatch(/terragrunt\/aws\/central_account\/iam\.tf$/);
    },
  );
});
