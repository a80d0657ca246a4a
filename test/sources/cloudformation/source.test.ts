// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation writes ${Name} substitutions in plain strings.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEPLOYING_ACCOUNT } from '../../../src/model/types.js';
import { cloudformationSource, looksLikeCloudFormation } from '../../../src/sources/cloudformation/index.js';
import {
  loadParameterFile,
  ParameterFileError,
  parseParameterText,
} from '../../../src/sources/cloudformation/parameters-file.js';
import { fixtures, input, lineOf, principals, roleById, scanFiles, scanFixture, walk } from './helpers.js';

describe('claim', () => {
  const cases: { name: string; path: string; text: string; claimed: boolean }[] = [
    {
      name: 'format version',
      path: 't.yaml',
      text: 'AWSTemplateFormatVersion: "2010-09-09"\n',
      claimed: true,
    },
    {
      name: 'Resources with AWS:: types',
      path: 't.yml',
      text: 'Resources:\n  R:\n    Type: AWS::S3::Bucket\n',
      claimed: true,
    },
    {
      name: 'JSON Resources with AWS:: types',
      path: 't.json',
      text: '{"Resources": {"R": {"Type": "AWS::IAM::Role"}}}',
      claimed: true,
    },
    {
      name: 'SAM transform',
      path: 't.template',
      text: 'Transform: AWS::Serverless-2016-10-31\nResources: {}\n',
      claimed: true,
    },
    {
      name: 'CDK manifest',
      path: 'cdk.out/manifest.json',
      text: '{"artifacts": {"S": {"type": "aws:cloudformation:stack"}}}',
      claimed: true,
    },
    {
      name: 'a trust policy',
      path: 'p.json',
      text: '{"Version": "2012-10-17", "Statement": []}',
      claimed: false,
    },
    {
      name: 'a Terraform plan',
      path: 'plan.json',
      text: '{"resource_changes": [{"type": "aws_iam_role"}]}',
      claimed: false,
    },
    {
      name: 'a GitHub workflow',
      path: '.github/workflows/ci.yml',
      text: 'on: push\njobs: {}\n',
      claimed: false,
    },
    {
      name: 'a CDK asset manifest',
      path: 'cdk.out/S.assets.json',
      text: '{"version": "36.0.0", "files": {}}',
      claimed: false,
    },
    { name: 'a Terraform file', path: 'main.tf', text: 'AWSTemplateFormatVersion', claimed: false },
    { name: 'an empty file', path: 'empty.yaml', text: '', claimed: false },
    {
      name: 'a template on standard input',
      path: '<stdin>',
      text: 'AWSTemplateFormatVersion: "2010-09-09"\n',
      claimed: true,
    },
    { name: 'a trust policy on standard input', path: '<stdin>', text: '{"Statement": []}', claimed: false },
  ];
  for (const c of cases) {
    it(`${c.claimed ? 'claims' : 'leaves'} ${c.name}`, () => {
      expect(cloudformationSource.claim({ path: c.path, text: c.text, explicit: false })).toBe(c.claimed);
    });
  }

  it('reads a YAML or JSON template from standard input', async () => {
    const yaml = input('vendor-roles.yaml').text;
    const json = input('long-forms.json').text;
    const r = await scanFiles([
      { path: '<stdin>', text: yaml, explicit: true },
      { path: '<stdin>', text: json, explicit: true },
    ]);
    expect(r.errors).toEqual([]);
    expect(r.roles.filter((x) => x.id.startsWith('<stdin>#')).length).toBe(8);
  });

  it('a file that mentions the words but is not a template is skipped quietly (and reported only when named)', async () => {
    const f = input('not-cloudformation.yaml');
    expect(looksLikeCloudFormation(f.text)).toBe(true);
    expect(await scanFiles([f])).toEqual({ roles: [], errors: [] });
    const named = await scanFiles([input('not-cloudformation.yaml', true)]);
    expect(named.errors.map((e) => e.code)).toEqual(['not-a-template']);
  });
});

describe('SAM', () => {
  const S = 'sam.yaml';
  it('a function with AssumeRolePolicyDocument yields the role SAM generates; others yield none', async () => {
    const r = await scanFixture(S);
    expect(r.roles.map((x) => x.id)).toEqual([`${S}#PartnerFunctionRole`, `${S}#ExplicitRole`]);
    const fnRole = roleById(r, `${S}#PartnerFunctionRole`);
    expect(fnRole).toMatchObject({
      name: 'PartnerFunctionRole',
      path: '/partners/',
      source: { kind: 'cloudformation', location: { line: lineOf(S, '  PartnerFunction:') } },
      extra: { samFunction: 'PartnerFunction', resourceType: 'AWS::Serverless::Function' },
    });
    expect(fnRole.trustPolicy.statements.map(principals)).toEqual([
      ['Service:lambda.amazonaws.com'],
      ['AWS:{arn:aws:iam::${PartnerAccount}:root | parameter PartnerAccount (no default)}'],
    ]);
    expect(fnRole.trustPolicy.statements[1]?.location?.line).toBe(lineOf(S, '- Effect: Allow', 2));
    expect(r.errors).toEqual([]);
  });

  it('Globals.Function.AssumeRolePolicyDocument applies to functions without their own', async () => {
    const G = 'sam-globals.yaml';
    const role = roleById(await scanFixture(G), `${G}#GlobalFunctionRole`);
    expect(principals(role.trustPolicy.statements[0])).toEqual(['AWS:321321321321']);
    expect(role.trustPolicy.statements[0]?.location?.line).toBe(lineOf(G, '- Effect: Allow'));
    expect(role.source.location.line).toBe(lineOf(G, '  GlobalFunction:'));
  });
});

describe('CDK cloud assembly (cdk.out/manifest.json)', () => {
  const all = () => walk(join(fixtures, 'cdk-app')).map((p) => input(p.slice(fixtures.length + 1)));

  it('reads every stack the manifest lists, nested assemblies included, with the stack environment', async () => {
    const r = await scanFiles([input('cdk-app/cdk.out/manifest.json')]);
    expect(r.errors).toEqual([]);
    expect(r.roles.map((x) => [x.id, x.account, x.partition, x.source.construct])).toEqual([
      [
        'cdk-app/cdk.out/VendorStack.template.json#VendorRole1A2B3C4D',
        DEPLOYING_ACCOUNT,
        'aws',
        'VendorStack/VendorRole/Resource',
      ],
      [
        'cdk-app/cdk.out/assembly-Prod/ProdVendorStack.template.json#VendorRole1A2B3C4D',
        '999988887777',
        'aws-us-gov',
        'Prod/VendorStack/VendorRole/Resource',
      ],
    ]);
    const prod = r.roles[1];
    expect(prod?.arn).toBe('arn:aws-us-gov:iam::999988887777:role/prod-vendor');
    // AWS::AccountId in the pinned environment is the stack's own account: same-account trust.
    expect(principals(prod?.trustPolicy.statements[0])).toEqual([
      'AWS:arn:aws-us-gov:iam::999988887777:root',
      'AWS:arn:aws-us-gov:iam::464622532012:root',
    ]);
    expect(prod?.extra).toMatchObject({
      cdkStack: 'Prod-VendorStack',
      cdkManifest: 'cdk-app/cdk.out/manifest.json',
    });
    expect(r.roles[0]?.trustPolicy.statements[0]?.location?.line).toBe(
      lineOf('cdk-app/cdk.out/VendorStack.template.json', '"Action": "sts:AssumeRole"') - 1,
    );
  });

  it('a stack template over the size limit is refused by name; the other stacks are still read', async () => {
    const r = await scanFiles([input('cdk-app/cdk.out/manifest.json')], { maxFileBytes: 700 });
    expect(r.roles.map((x) => x.id)).toEqual([
      'cdk-app/cdk.out/VendorStack.template.json#VendorRole1A2B3C4D',
    ]);
    expect(r.errors).toEqual([
      expect.objectContaining({
        code: 'file-too-large',
        file: 'cdk-app/cdk.out/assembly-Prod/ProdVendorStack.template.json',
      }),
    ]);
  });

  it('a template walked directly and listed by the manifest is scanned once', async () => {
    const files = all();
    expect(files.filter((f) => cloudformationSource.claim(f)).map((f) => f.path)).toEqual(
      [
        'cdk-app/cdk.out/VendorStack.template.json',
        'cdk-app/cdk.out/assembly-Prod/ProdVendorStack.template.json',
        'cdk-app/cdk.out/assembly-Prod/manifest.json',
        'cdk-app/cdk.out/manifest.json',
      ].sort(),
    );
    const r = await scanFiles(files);
    expect(r.roles).toHaveLength(2);
    expect(r.roles.find((x) => x.id.includes('ProdVendorStack'))?.account).toBe('999988887777');
  });
});

describe('inline suppressions in Metadata', () => {
  const S = 'suppressions.yaml';
  it('skip entries with a reason become inline suppressions; one without a reason is a ScanError', async () => {
    const r = await scanFixture(S);
    expect(roleById(r, `${S}#SuppressedRole`).inlineSuppressions).toEqual([
      {
        ruleId: 'TA001',
        reason: 'The vendor signs every request; reviewed by security (SEC-123).',
        location: { file: S, line: lineOf(S, '- id: TA001'), column: 13 },
      },
    ]);
    expect(roleById(r, `${S}#BadSkipRole`).inlineSuppressions).toBeUndefined();
    expect(r.errors.map((e) => [e.code, e.line])).toEqual([
      ['suppression-without-reason', lineOf(S, '- id: TA002')],
      ['bad-suppression', lineOf(S, '- reason: no rule named')],
    ]);
  });
});

describe('--parameters-file', () => {
  const P = (f: string) => join(fixtures, 'parameters', f);
  it('the AWS CLI shape; UsePreviousValue entries are left to the template', () => {
    expect([...loadParameterFile(P('cli.json'))]).toEqual([
      ['VendorAccount', '999999999999'],
      ['Env', 'staging'],
    ]);
  });
  it('the {Parameters: {...}} shape (numbers become text, Tags ignored)', () => {
    expect([...loadParameterFile(P('pipeline.json'))]).toEqual([
      ['VendorAccount', '999999999999'],
      ['Port', '443'],
    ]);
  });
  it('a plain YAML map (a list becomes comma-separated text)', () => {
    expect([...loadParameterFile(P('plain.yaml'))]).toEqual([
      ['VendorAccount', '999999999999'],
      ['Subnets', 'subnet-1,subnet-2'],
    ]);
  });
  const bad: [string, () => unknown, RegExp][] = [
    ['a nested value', () => loadParameterFile(P('bad.json')), /VendorAccount must be a string/],
    ['a missing file', () => loadParameterFile(P('nope.json')), /cannot read parameters file/],
    [
      'a JSON syntax error, with its position',
      () => parseParameterText('{"A": }', 'p.json'),
      /p\.json:1:7: .*a value was expected/,
    ],
    [
      'an entry without ParameterKey',
      () => parseParameterText('[{"ParameterValue": "x"}]', 'p.json'),
      /entry 1 has no ParameterKey/,
    ],
    ['a bare string', () => parseParameterText('"x"', 'p.json'), /expected \[\{"ParameterKey"/],
  ];
  for (const [name, f, msg] of bad) {
    it(`rejects ${name} with a clear message`, () => {
      expect(f).toThrow(ParameterFileError);
      expect(f).toThrow(msg);
    });
  }
  it('parameters from a file resolve a template', async () => {
    const params = Object.fromEntries(loadParameterFile(P('cli.json')));
    const role = roleById(
      await scanFixture('vendor-roles.yaml', { parameters: params }),
      'vendor-roles.yaml#RefRole',
    );
    expect(principals(role.trustPolicy.statements[0])).toEqual(['AWS:999999999999']);
    expect(role.name).toBe('vendor-staging');
  });
});
