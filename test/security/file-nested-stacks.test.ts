/**
 * CloudFormation nested stacks name another template. An S3/HTTPS `TemplateURL` is never fetched, and
 * a local one outside the scan root is never read: each is a warning at the property, the rest of the
 * template is still judged. A local nested template that is itself scanned gives no warning.
 */
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineOf, makeOutside, makeRepo, put, scanToReports } from './scan-root-helpers.js';

const role = `  Vendor:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { AWS: "arn:aws:iam::999988887777:root" }
            Action: sts:AssumeRole
`;

const stack = (name: string, url: string) => `  ${name}:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ${url}
`;

describe('CloudFormation nested stacks', () => {
  it('an S3 URL, a ../ path out of the root and a computed URL are warnings; a scanned child is not', () => {
    const repo = makeRepo();
    const outside = makeOutside();
    put(outside, 'child.yaml', `Resources:\n${role.replace('Vendor', 'OutsideRole')}`);
    put(repo, 'stacks/child.yaml', `Resources:\n${role.replace('Vendor', 'ChildRole')}`);
    const text = [
      'Resources:',
      role,
      stack('FromS3', 'https://my-bucket.s3.amazonaws.com/child.yaml'),
      stack('FromOutside', relative(join(repo, 'stacks'), join(outside, 'child.yaml'))),
      stack('Computed', '!Sub "https://${Bucket}.s3.amazonaws.com/child.yaml"'),
      stack('Local', 'child.yaml'),
    ].join('\n');
    put(repo, 'stacks/parent.yaml', text);
    const r = scanToReports(repo, ['stacks']);
    expect(r.report.findings.map((f) => f.resource.name).sort()).toEqual(['ChildRole', 'Vendor']);
    for (const t of [r.json, r.sarif, r.html]) expect(t).not.toContain('OutsideRole');
    const nested = r.report.warnings.filter((w) => w.code === 'nested-template-not-read');
    expect(nested.map((w) => [w.file, w.line])).toEqual([
      ['stacks/parent.yaml', lineOf(text, 'https://my-bucket')],
      ['stacks/parent.yaml', lineOf(text, '!Sub')],
    ]);
    expect(nested[0]?.message).toMatch(/FromS3: .*never fetches/);
    expect(nested[1]?.message).toMatch(/Computed: .*not resolved/);
    // A local child outside the root is refused by the scan root's reader, like any other file read.
    const refused = r.report.warnings.filter((w) => w.code === 'file-refused');
    expect(refused.map((w) => [w.file, w.line])).toEqual([
      ['stacks/parent.yaml', lineOf(text, 'TemplateURL: ../')],
    ]);
    expect(refused[0]?.message).toMatch(/outside the scan root/);
    expect(r.report.errors).toEqual([]);
  });
});
