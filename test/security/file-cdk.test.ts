/**
 * A CDK manifest's `templateFile` is a path a scanned file names: absolute or `../` out of the scan
 * root, it is refused with a warning at the manifest's line, and nothing is reported under a made-up
 * path inside `cdk.out`. Through the real CLI.
 */
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineOf, makeOutside, makeRepo, put, scanToReports } from './scan-root-helpers.js';

const template = (logicalId: string) =>
  JSON.stringify({
    Resources: {
      [logicalId]: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: 'arn:aws:iam::999988887777:root' },
                Action: 'sts:AssumeRole',
              },
            ],
          },
        },
      },
    },
  });

const manifest = (stacks: Record<string, string>) =>
  `${JSON.stringify(
    {
      version: '36.0.0',
      artifacts: Object.fromEntries(
        Object.entries(stacks).map(([name, templateFile]) => [
          name,
          {
            type: 'aws:cloudformation:stack',
            environment: 'aws://111122223333/eu-west-1',
            properties: { templateFile },
          },
        ]),
      ),
    },
    null,
    2,
  )}\n`;

describe('CDK manifest templateFile stays inside the scan root', () => {
  it.each([
    ['an absolute path', (outside: string) => join(outside, 'Evil.template.json')],
    [
      'a ../ path',
      (outside: string, cdkOut: string) => relative(cdkOut, join(outside, 'Evil.template.json')),
    ],
  ])('refuses %s with a warning and reports no role under a made-up path', (_name, pathFor) => {
    const repo = makeRepo();
    const outside = makeOutside();
    put(outside, 'Evil.template.json', template('OutsideRole'));
    const cdkOut = join(repo, 'cdk.out');
    const templateFile = pathFor(outside, cdkOut);
    const text = manifest({ Evil: templateFile, Good: 'Good.template.json' });
    put(repo, 'cdk.out/manifest.json', text);
    put(repo, 'cdk.out/Good.template.json', template('InsideRole'));
    const r = scanToReports(repo, ['cdk.out']);
    expect(r.report.findings.map((f) => [f.resource.name, f.location.file])).toEqual([
      ['InsideRole', 'cdk.out/Good.template.json'],
    ]);
    for (const t of [r.json, r.sarif, r.html]) expect(t).not.toContain('OutsideRole');
    expect(r.report.warnings).toMatchObject([
      { code: 'file-refused', file: 'cdk.out/manifest.json', line: lineOf(text, '"templateFile": "') },
    ]);
    expect(r.report.warnings[0]?.message).toMatch(/stack Evil: templateFile .* outside the scan root/);
    expect(r.notifications.some((n) => n.level === 'warning' && /stack Evil/.test(n.message.text))).toBe(
      true,
    );
  });

  it('refuses /etc/passwd as a templateFile: no line of it in any report', () => {
    const repo = makeRepo();
    put(repo, 'cdk.out/manifest.json', manifest({ Passwd: '/etc/passwd' }));
    const r = scanToReports(repo, ['cdk.out']);
    for (const t of [r.json, r.sarif, r.html]) expect(t).not.toContain('root:x:0:0');
    expect(r.report.errors).toEqual([]);
    expect(r.report.warnings.map((w) => w.code)).toEqual(['file-refused']);
  });
});
