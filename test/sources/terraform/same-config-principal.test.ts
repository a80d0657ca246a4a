import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyZone } from '../../../src/analysis/zone.js';
import { runScan } from '../../../src/scan/run.js';
import { tempDir } from '../../helpers/cli.js';

const config = (builderExtra: string, principal: string) => `
resource "aws_iam_role" "builder" {
  name = "builder"
  ${builderExtra}
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "codebuild.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role" "deployer" {
  name = "deployer"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = ${principal} }, Action = "sts:AssumeRole" }]
  })
}
`;

async function ta001(text: string) {
  const dir = tempDir();
  writeFileSync(join(dir, 'main.tf'), text);
  const r = await runScan({ paths: ['.'], cwd: dir, zone: emptyZone() });
  expect(r.errors).toEqual([]);
  return r.findings.filter((f) => f.ruleId === 'TA001');
}

describe('Terraform principals that are ARNs of roles the same configuration creates', () => {
  it('aws_iam_role.x.arn with the default provider is the deploying account: not a third party', async () => {
    expect(await ta001(config('', 'aws_iam_role.builder.arn'))).toEqual([]);
  });

  it('a role created through another provider (possibly another account) stays a possible third party', async () => {
    const findings = await ta001(config('provider = aws.vendor', 'aws_iam_role.builder.arn'));
    expect(findings).toHaveLength(1);
    expect(JSON.stringify(findings[0]?.principals)).toMatch(/aws_iam_role\.builder\.arn/);
  });

  it('a role the configuration does not declare stays unknown', async () => {
    expect(await ta001(config('', 'aws_iam_role.elsewhere.arn'))).toHaveLength(1);
  });
});
