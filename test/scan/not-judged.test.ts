import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';

/** A role whose whole trust is unknown has no finding; it must be named, never read as clean. */
function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ta-notjudged-'));
  mkdirSync(join(dir, '.git'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('roles that could not be judged', () => {
  it('a trust policy from a variable with no value is a warning naming the role and its line', () => {
    const dir = repo({
      'main.tf': `variable "trust" {}

resource "aws_iam_role" "vendor" {
  name               = "vendor-from-variable"
  assume_role_policy = var.trust
}
`,
    });
    const { report } = runJson(['scan', '.', '--account', '123456789012'], { cwd: dir });
    expect(report.findings).toEqual([]);
    const w = report.warnings.filter((x) => x.code === 'role-not-judged');
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ file: 'main.tf', line: 5 });
    expect(w[0]!.message).toContain('role vendor-from-variable was not judged');
    expect(w[0]!.message).toContain('--var');
  });

  it('a role whose policy is judged is not named, even next to one that is not', () => {
    const dir = repo({
      'main.tf': `variable "trust" {}

resource "aws_iam_role" "unknown" {
  name               = "unknown"
  assume_role_policy = var.trust
}

resource "aws_iam_role" "known" {
  name = "known"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
`,
    });
    const { report } = runJson(['scan', '.', '--account', '123456789012'], { cwd: dir });
    const named = report.warnings.filter((x) => x.code === 'role-not-judged').map((x) => x.message);
    expect(named).toHaveLength(1);
    expect(named[0]).toContain('role unknown was not judged');
  });

  it('a CloudFormation policy from a parameter without a default says which flag gives it', () => {
    const dir = repo({
      'stack.yaml': `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  TrustDocument: { Type: String }
Resources:
  Vendor:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: !Ref TrustDocument
`,
    });
    const { report } = runJson(['scan', '.', '--account', '123456789012'], { cwd: dir });
    const w = report.warnings.find((x) => x.code === 'role-not-judged');
    expect(w?.message).toContain('--parameter');
  });
});

describe('a folder in which nothing was recognised', () => {
  it('says so instead of reading as "no findings in 0 roles"', () => {
    const dir = repo({
      'package.json': '{"name": "app", "version": "1.0.0"}',
      'docker-compose.yml': 'services:\n  web:\n    image: nginx\n',
      'tsconfig.json': '{"compilerOptions": {}}',
    });
    const { report, code } = runJson(['scan', '.', '--account', '123456789012'], { cwd: dir });
    expect(code).toBe(0);
    expect(report.summary.rolesScanned).toBe(0);
    const w = report.warnings.find((x) => x.code === 'nothing-recognised');
    expect(w?.message).toContain('nothing was judged');
    // In CI, --fail-on-incomplete makes it fail the job.
    expect(
      runJson(['scan', '.', '--account', '123456789012', '--fail-on-incomplete'], { cwd: dir }).code,
    ).toBe(2);
  });

  it('a nested stack whose template is not read makes --fail-on-incomplete exit 2', () => {
    const dir = repo({
      'parent.yaml': [
        'Resources:',
        '  Child:',
        '    Type: AWS::CloudFormation::Stack',
        '    Properties:',
        '      TemplateURL: https://my-bucket.s3.amazonaws.com/child.yaml',
        '',
      ].join('\n'),
    });
    const plain = runJson(['scan', '.', '--account', '123456789012'], { cwd: dir });
    expect(plain.report.warnings.map((w) => w.code)).toEqual(['nested-template-not-read']);
    expect(plain.code).toBe(0);
    expect(
      runJson(['scan', '.', '--account', '123456789012', '--fail-on-incomplete'], { cwd: dir }).code,
    ).toBe(2);
  });

  it('is not said when a folder holds an input, even one without roles of concern', () => {
    const dir = repo({
      'trust.json': JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
      'package.json': '{"name": "app"}',
    });
    const { report } = runJson(['scan', '.', '--account', '123456789012'], { cwd: dir });
    expect(report.warnings.some((x) => x.code === 'nothing-recognised')).toBe(false);
  });

  it('SARIF run properties count the inputs and roles read', () => {
    const dir = repo({
      'trust.json': JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    });
    const r = runCli(['scan', '.', '--account', '123456789012', '--format', 'sarif'], { cwd: dir });
    const props = JSON.parse(r.stdout).runs[0].properties;
    expect(props).toMatchObject({ filesScanned: 1, rolesScanned: 1, rolesNotJudged: 0 });
  });
});
