/**
 * Modules as real layouts hold them (issue 13): an environment folder calling `../../modules/x`, a
 * registry module installed by `terraform init`, and a module that cannot be read, which must be a
 * visible warning and, with `--fail-on-incomplete`, exit code 2. Through the built CLI.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli, runJson } from '../../helpers/cli.js';

const dir = (name: string): string => path.join(repoRoot, 'test/fixtures/terraform/real-layouts', name);

describe('modules of real layouts', () => {
  it('an environment folder is judged with the module it calls from ../../modules', () => {
    const { report, code } = runJson([
      'scan',
      dir('env-layout/envs/prod'),
      '--root',
      dir('env-layout'),
      '--no-repo-config',
    ]);
    expect(report.findings.map((f) => [f.ruleId, f.resource.name])).toEqual([['TA001', 'prod-vendor']]);
    expect(report.warnings.map((w) => w.code)).not.toContain('module-not-scanned');
    expect(code).toBe(1);
  });

  it('a registry module installed by terraform init is read from .terraform/modules/modules.json', () => {
    const { report } = runJson(['scan', dir('init-cache'), '--no-repo-config']);
    expect(report.findings.map((f) => [f.ruleId, f.resource.id.split('#')[1]])).toEqual([
      ['TA001', 'module.vendor.aws_iam_role.this'],
    ]);
    expect(report.findings[0]?.message).toContain('444455556666');
    expect(report.warnings.map((w) => w.code)).not.toContain('module-not-fetched');
  });

  it('a module that cannot be read is a warning naming the call, its source and the unjudged roles', () => {
    const { report, code } = runJson(['scan', dir('remote-module'), '--no-repo-config']);
    const w = report.warnings.find((x) => x.code === 'module-not-fetched') as
      | { code: string; message: string; file?: string; line?: number }
      | undefined;
    expect(w?.message).toContain('module.partner_role');
    expect(w?.message).toContain('git::https://example.com/acme/terraform-partner-role.git?ref=v1.4.0');
    expect(w?.message).toContain('any role it defines is not judged');
    expect(w?.line).toBe(2);
    // By default a warning: exit 0 (no finding); the summary counts the role that was not judged.
    expect(code).toBe(0);
  });

  it('--fail-on-incomplete exits 2 for an unread module or a role not judged, and 0 on a complete scan', () => {
    expect(runCli(['scan', dir('remote-module'), '--no-repo-config', '--fail-on-incomplete']).code).toBe(2);
    expect(
      runCli(['scan', dir('init-cache'), '--no-repo-config', '--fail-on-incomplete', '--fail-on', 'none'])
        .code,
    ).toBe(0);
    expect(
      runCli(['scan', dir('not-judged'), '--no-repo-config', '--fail-on-incomplete', '--fail-on', 'none'])
        .code,
    ).toBe(2);
    expect(runCli(['scan', dir('not-judged'), '--no-repo-config']).code).toBe(0);
  });

  it('a missing local module is module-not-found, also when the scan path goes through a symbolic link', () => {
    const base = mkdtempSync(path.join(tmpdir(), 'ta-modlink-'));
    try {
      const real = path.join(base, 'real');
      mkdirSync(path.join(real, 'env'), { recursive: true });
      writeFileSync(
        path.join(real, 'env', 'main.tf'),
        'module "vendor" {\n  source = "../modules/missing"\n}\n',
      );
      symlinkSync(real, path.join(base, 'link'));
      for (const top of [real, path.join(base, 'link')]) {
        const { report } = runJson(['scan', path.join(top, 'env'), '--root', top, '--no-repo-config']);
        expect(report.warnings.map((w) => w.code)).toEqual(['module-not-found']);
      }
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
