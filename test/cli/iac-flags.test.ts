import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runJson, tempDir } from '../helpers/cli.js';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  PartnerAccount:
    Type: String
Resources:
  PartnerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Sub arn:aws:iam::\${PartnerAccount}:root
            Action: sts:AssumeRole
`;

const TERRAFORM = `variable "partner_account" {
  type = string
}

resource "aws_iam_role" "partner" {
  name = "partner"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::\${var.partner_account}:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}
`;

describe('CloudFormation parameters and Terraform variables from the command line', () => {
  it('an unknown parameter is a possible third party; --parameters-file and --parameter resolve it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'stack.yaml'), TEMPLATE);
    writeFileSync(
      join(dir, 'own.json'),
      JSON.stringify([{ ParameterKey: 'PartnerAccount', ParameterValue: '123456789012' }]),
    );
    const unknown = runJson(['scan', 'stack.yaml', '--account', '123456789012'], { cwd: dir });
    expect(unknown.code).toBe(1);
    expect(JSON.stringify(unknown.report.findings[0]?.principals)).toMatch(/PartnerAccount/);

    const own = runJson(
      ['scan', 'stack.yaml', '--account', '123456789012', '--parameters-file', 'own.json'],
      { cwd: dir },
    );
    expect(own.report.findings).toEqual([]);
    expect(own.code).toBe(0);

    // --parameter wins over the file.
    const vendor = runJson(
      [
        'scan',
        'stack.yaml',
        '--account',
        '123456789012',
        '--parameters-file',
        'own.json',
        '--parameter',
        'PartnerAccount=464622532012',
      ],
      { cwd: dir },
    );
    expect(vendor.report.findings[0]?.principals[0]).toMatchObject({ account: '464622532012' });
  });

  it('--var-file and --var set Terraform variables', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'main.tf'), TERRAFORM);
    writeFileSync(join(dir, 'own.tfvars'), 'partner_account = "123456789012"\n');
    const own = runJson(['scan', '.', '--account', '123456789012', '--var-file', 'own.tfvars'], { cwd: dir });
    expect(own.report.errors).toEqual([]);
    expect(own.report.findings.filter((f) => f.ruleId === 'TA001')).toEqual([]);
    const vendor = runJson(
      [
        'scan',
        '.',
        '--account',
        '123456789012',
        '--var-file',
        'own.tfvars',
        '--var',
        'partner_account=464622532012',
      ],
      { cwd: dir },
    );
    expect(vendor.report.findings.find((f) => f.ruleId === 'TA001')?.principals[0]).toMatchObject({
      account: '464622532012',
    });
  });

  it('a missing or broken parameters/variables file is a usage error naming it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'stack.yaml'), TEMPLATE);
    writeFileSync(join(dir, 'bad.tfvars'), 'partner_account = \n');
    const missing = runCli(['scan', 'stack.yaml', '--parameters-file', 'nope.json'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.json/);
    const broken = runCli(['scan', 'stack.yaml', '--var-file', 'bad.tfvars'], { cwd: dir });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/bad\.tfvars/);
  });
});
