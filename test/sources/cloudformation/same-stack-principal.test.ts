import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyZone } from '../../../src/analysis/zone.js';
import { runScan } from '../../../src/scan/run.js';
import { tempDir } from '../../helpers/cli.js';

const template = (principal: string) => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Builder:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: codebuild.amazonaws.com }
            Action: sts:AssumeRole
  Deployer:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal:
              AWS: ${principal}
            Action: sts:AssumeRole
`;

async function ta001For(principal: string) {
  const dir = tempDir();
  writeFileSync(join(dir, 'stack.yaml'), template(principal));
  const r = await runScan({ paths: [dir], cwd: dir, zone: emptyZone() });
  expect(r.errors).toEqual([]);
  return r.findings.filter((f) => f.ruleId === 'TA001');
}

describe('CloudFormation principals whose value is known only at deploy time', () => {
  it('Fn::GetAtt of a role in the same stack is the deploying account: not a third party', async () => {
    expect(await ta001For('!GetAtt Builder.Arn')).toEqual([]);
    expect(await ta001For('!Sub "${Builder.Arn}"')).toEqual([]);
  });

  it('Fn::ImportValue stays unknown: a possible third party, named in the finding', async () => {
    const findings = await ta001For('!ImportValue OtherStackRoleArn');
    expect(findings).toHaveLength(1);
    expect(JSON.stringify(findings[0]?.principals)).toMatch(/ImportValue/);
  });

  it('Fn::GetAtt of something that is not a role or user stays unknown', async () => {
    const findings = await ta001For('!GetAtt SomeCustomResource.RoleArn');
    expect(findings).toHaveLength(1);
  });
});
