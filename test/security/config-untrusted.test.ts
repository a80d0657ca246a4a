import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binPath, runCli, runJson, tempDir } from '../helpers/cli.js';

/**
 * The scanned tree is written by whoever opened the pull request. Its own trustaudit.config.yaml and
 * its inline suppressions must never hide a finding silently, and the safe flags must ignore them.
 */

const ATTACKER = '999988887777';
const OWNER = '123456789012';

/** A checkout whose config trusts the attacker's account, and a role that lets that account in. */
function hostileCheckout(): string {
  const dir = tempDir('trustaudit-config-');
  writeFileSync(
    join(dir, 'policy.json'),
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Partner',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ATTACKER}:root` },
          Action: 'sts:AssumeRole',
        },
      ],
    }),
  );
  writeFileSync(
    join(dir, 'trustaudit.config.yaml'),
    `trustedAccounts:\n  - "${ATTACKER}"\nsuppressions:\n  - rule: "*"\n    resource: "*"\n    reason: "nothing to see"\n`,
  );
  return dir;
}

type Sarif = {
  runs: { results: unknown[]; properties?: Record<string, unknown> }[];
};

function sarifOf(stdout: string): Sarif {
  return JSON.parse(stdout) as Sarif;
}

describe('a config file found in the scanned tree', () => {
  it('is never used silently: a note on stderr, the text summary and the SARIF run say which file', () => {
    const dir = hostileCheckout();
    const text = runCli(['scan', 'policy.json', '--account', OWNER], { cwd: dir });
    expect(text.stderr).toMatch(/note: using config trustaudit\.config\.yaml from the current folder/);
    expect(text.stderr).toContain('--no-repo-config');
    expect(text.stdout).toMatch(
      /Config: trustaudit\.config\.yaml \(found in the current folder, not named with --config\)/,
    );

    const sarif = runCli(['scan', 'policy.json', '--account', OWNER, '--format', 'sarif'], { cwd: dir });
    expect(sarif.stderr).toContain('trustaudit.config.yaml');
    expect(sarifOf(sarif.stdout).runs[0]!.properties).toMatchObject({
      configFile: 'trustaudit.config.yaml',
      configOrigin: 'current-folder',
      inlineSuppressions: true,
      suppressedBy: { inline: 0, config: 0, inlineIgnored: 0 },
    });
  });

  it('--quiet keeps the note off stderr but the report still names the file', () => {
    const dir = hostileCheckout();
    const { report, stderr } = runJson(['scan', 'policy.json', '--account', OWNER, '--quiet'], { cwd: dir });
    expect(stderr).toBe('');
    expect((report.summary as Record<string, unknown>).config).toEqual({
      file: 'trustaudit.config.yaml',
      origin: 'current-folder',
      inlineSuppressions: true,
    });
  });

  it('--no-repo-config ignores it: the attacker is a third party again, exit 1', () => {
    const dir = hostileCheckout();
    const r = runJson(['scan', 'policy.json', '--account', OWNER, '--no-repo-config'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.report.findings.map((f) => [f.ruleId, f.principals[0]?.account])).toEqual([['TA001', ATTACKER]]);
    expect(r.stderr).not.toContain('note: using config');
    expect((r.report.summary as Record<string, unknown>).config).toEqual({
      file: null,
      origin: 'none',
      ignoredFile: 'trustaudit.config.yaml',
      inlineSuppressions: true,
    });

    const sarif = runCli(
      ['scan', 'policy.json', '--account', OWNER, '--no-repo-config', '--format', 'sarif'],
      {
        cwd: dir,
      },
    );
    const run = sarifOf(sarif.stdout).runs[0]!;
    expect(run.results).toHaveLength(1);
    expect(run.properties).toMatchObject({
      configFile: null,
      configOrigin: 'none',
      ignoredConfigFile: 'trustaudit.config.yaml',
    });
  });

  it('--config FILE from a trusted place wins over the one in the tree', () => {
    const dir = hostileCheckout();
    const trusted = tempDir('trustaudit-trusted-config-');
    const cfg = join(trusted, 'base-branch.config.yaml');
    writeFileSync(cfg, `account: "${OWNER}"\n`);
    const r = runJson(['scan', 'policy.json', '--config', cfg], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.report.findings).toHaveLength(1);
    expect(r.stderr).not.toContain('note: using config');
    expect((r.report.summary as Record<string, unknown>).config).toMatchObject({
      file: cfg,
      origin: 'command-line',
    });
  });

  it('counts the findings its suppressions took out', () => {
    const dir = hostileCheckout();
    // Only the suppressions: the attacker is not trusted, so the finding exists and is suppressed.
    writeFileSync(
      join(dir, 'trustaudit.config.yaml'),
      'suppressions:\n  - rule: "*"\n    resource: "*"\n    reason: "nothing to see"\n',
    );
    const r = runJson(['scan', 'policy.json', '--account', OWNER, '--quiet'], { cwd: dir });
    expect(r.code).toBe(0);
    expect((r.report.summary as Record<string, unknown>).suppressedBy).toEqual({
      inline: 0,
      config: 1,
      inlineIgnored: 0,
    });
    const text = runCli(['scan', 'policy.json', '--account', OWNER, '--quiet'], { cwd: dir });
    expect(text.stdout).toContain('Suppressed: 0 inline, 1 by the config.');
    const safe = runJson(['scan', 'policy.json', '--account', OWNER, '--no-repo-config'], { cwd: dir });
    expect(safe.code).toBe(1);
    expect(safe.report.findings.filter((f) => !f.suppressed)).toHaveLength(1);
  });

  it('a FIFO or device planted under the config name is refused at once, not read', () => {
    const dir = hostileCheckout();
    const fifo = join(dir, 'trustaudit.config.yaml');
    spawnSync('rm', ['-f', fifo]);
    const made = spawnSync('mkfifo', [fifo]);
    expect(made.status).toBe(0);
    const started = Date.now();
    const r = spawnSync(process.execPath, [binPath, 'scan', 'policy.json', '--account', OWNER], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 20_000,
      env: { ...process.env, TRUSTAUDIT_DB: 'off' },
    });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('trustaudit.config.yaml is not a regular file');
  });
});

describe('inline suppressions in the scanned templates', () => {
  function suppressedTemplates(): string {
    const dir = tempDir('trustaudit-inline-');
    mkdirSync(join(dir, 'infra'));
    writeFileSync(
      join(dir, 'infra', 'roles.yaml'),
      `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  PartnerRole:
    Type: AWS::IAM::Role
    Metadata:
      trustaudit:
        skip:
          - id: TA001
            reason: approved, trust me
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: arn:aws:iam::${ATTACKER}:root
            Action: sts:AssumeRole
`,
    );
    writeFileSync(
      join(dir, 'infra', 'main.tf'),
      `resource "aws_iam_role" "partner" {
  # trustaudit:skip=TA001 approved, trust me
  name = "partner"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${ATTACKER}:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}
`,
    );
    return dir;
  }

  it('apply by default, and the summaries count them', () => {
    const dir = suppressedTemplates();
    const r = runJson(['scan', 'infra', '--account', OWNER], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.report.findings.filter((f) => !f.suppressed)).toHaveLength(0);
    expect((r.report.summary as Record<string, unknown>).suppressedBy).toEqual({
      inline: 2,
      config: 0,
      inlineIgnored: 0,
    });
    const sarif = runCli(['scan', 'infra', '--account', OWNER, '--format', 'sarif'], { cwd: dir });
    expect(sarifOf(sarif.stdout).runs[0]!.properties).toMatchObject({
      configFile: null,
      configOrigin: 'none',
      suppressedBy: { inline: 2, config: 0 },
    });
  });

  it('--no-inline-suppressions ignores CloudFormation Metadata and Terraform comments: exit 1', () => {
    const dir = suppressedTemplates();
    const r = runJson(['scan', 'infra', '--account', OWNER, '--no-inline-suppressions'], { cwd: dir });
    expect(r.code).toBe(1);
    const active = r.report.findings.filter((f) => !f.suppressed);
    expect(active.map((f) => f.location.file.replaceAll('\\', '/')).sort()).toEqual([
      'infra/main.tf',
      'infra/roles.yaml',
    ]);
    expect((r.report.summary as Record<string, unknown>).suppressedBy).toEqual({
      inline: 0,
      config: 0,
      inlineIgnored: 2,
    });
    expect((r.report.summary as Record<string, unknown>).config).toMatchObject({ inlineSuppressions: false });

    const text = runCli(['scan', 'infra', '--account', OWNER, '--no-inline-suppressions'], { cwd: dir });
    expect(text.stdout).toContain('Suppressed: inline ignored (--no-inline-suppressions), 0 by the config.');
    expect(text.stdout).toContain('2 findings kept despite an inline suppression.');

    const sarif = runCli(
      ['scan', 'infra', '--account', OWNER, '--no-inline-suppressions', '--format', 'sarif'],
      {
        cwd: dir,
      },
    );
    const run = sarifOf(sarif.stdout).runs[0]!;
    expect(run.results).toHaveLength(2);
    expect(JSON.stringify(run.results)).not.toContain('inSource');
    expect(run.properties).toMatchObject({
      inlineSuppressions: false,
      suppressedBy: { inline: 0, config: 0, inlineIgnored: 2 },
    });
  });

  it('the safe CI form: --no-repo-config --no-inline-suppressions with a trusted --config', () => {
    const dir = suppressedTemplates();
    writeFileSync(join(dir, 'trustaudit.config.yaml'), `trustedAccounts: ["${ATTACKER}"]\n`);
    const trusted = tempDir('trustaudit-base-config-');
    writeFileSync(join(trusted, 'trustaudit.config.yaml'), `account: "${OWNER}"\n`);
    const out = join(trusted, 'trustaudit.sarif');
    const r = runCli(
      [
        'scan',
        'infra',
        '--no-repo-config',
        '--no-inline-suppressions',
        '--config',
        join(trusted, 'trustaudit.config.yaml'),
        '--format',
        'sarif',
        '--output',
        out,
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(1);
    const run = sarifOf(readFileSync(out, 'utf8')).runs[0]!;
    expect(run.results).toHaveLength(2);
    expect(run.properties).toMatchObject({ configOrigin: 'command-line', inlineSuppressions: false });
  });
});
