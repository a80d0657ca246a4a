// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Serverless writes ${source:address} variables in plain strings.
/**
 * The Serverless Framework source: resources.Resources read as CloudFormation after the framework's
 * variables are replaced, `${env:…}` and the other deploy-time sources kept as named unknowns.
 */
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOYING_ACCOUNT, isSymbolic, type Role } from '../../../src/model/types.js';
import { cloudformationSource } from '../../../src/sources/cloudformation/index.js';
import { fileSources } from '../../../src/sources/index.js';
import { looksLikeServerless } from '../../../src/sources/serverless/index.js';
import type { SourceResult } from '../../../src/sources/types.js';
import { byName, describeValue, fixturesDir, lineOf, loadDir, principalsOf, project } from './helpers.js';

const vendorApi = path.join(fixturesDir, 'vendor-api/serverless.yml');

describe('claim', () => {
  it('claims serverless.yml/.yaml/.json by name, and other files by their service + provider + resources', () => {
    expect(looksLikeServerless('a/serverless.yml', 'x: 1')).toBe(true);
    expect(looksLikeServerless('serverless.prod.yaml', 'x: 1')).toBe(true);
    expect(looksLikeServerless('serverless.json', '{}')).toBe(true);
    expect(looksLikeServerless('infra/api.yml', 'service: a\nprovider:\n  name: aws\nresources: {}\n')).toBe(
      true,
    );
    expect(looksLikeServerless('template.yml', 'Resources:\n  R:\n    Type: AWS::IAM::Role\n')).toBe(false);
  });

  it('comes before CloudFormation, which would otherwise take the file and find no top-level Resources', () => {
    const names = fileSources.map((s) => s.name);
    expect(names.indexOf('serverless')).toBeLessThan(names.indexOf('cloudformation'));
    // What the old registry did with it: CloudFormation claims the file...
    const text = `service: s\nprovider:\n  name: aws\nresources:\n  Resources:\n    R:\n      Type: AWS::IAM::Role\n`;
    expect(cloudformationSource.claim({ path: 'serverless.yml', text, explicit: false })).toBe(true);
  });
});

describe('the vendor-api fixture', () => {
  let result: SourceResult;
  let roles: Role[];
  const saved = process.env.VENDOR_ACCOUNT_ID;
  beforeAll(async () => {
    // Set in the scanning process: it must never be read.
    process.env.VENDOR_ACCOUNT_ID = '123456789012';
    result = await loadDir(path.join(fixturesDir, 'vendor-api'));
    roles = result.roles;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.VENDOR_ACCOUNT_ID;
    else process.env.VENDOR_ACCOUNT_ID = saved;
  });

  it('finds the roles of resources.Resources and of resources.extensions, as serverless-resource', () => {
    expect(roles.map((r) => r.name).sort()).toEqual([
      'AuditorRole',
      'DeployTimeVendorRole',
      'IamRoleLambdaExecution',
      'OwnAccountRole',
      'PartnerRole',
      'VendorReadRole',
    ]);
    expect(roles.every((r) => r.source.kind === 'serverless-resource')).toBe(true);
    expect(result.errors).toEqual([]);
  });

  it('places roles and statements on their lines, with ${self:…} followed to custom', () => {
    const r = byName(roles, 'VendorReadRole');
    expect(r.id).toBe('serverless.yml#VendorReadRole');
    expect(r.source.location).toMatchObject({
      file: 'serverless.yml',
      line: lineOf(vendorApi, '    VendorReadRole:'),
    });
    expect(r.trustPolicy.statements[0]?.location?.line).toBe(lineOf(vendorApi, '- Sid: MonitoringVendor'));
    expect(principalsOf(r)).toEqual(['arn:aws:iam::464622532012:root']);
  });

  it('names the role by its logical id when RoleName holds ${opt:…}, keeping the name as an unknown', () => {
    const name = byName(roles, 'VendorReadRole').extra?.roleName;
    expect(isSymbolic(name)).toBe(true);
    expect(describeValue(name as never)).toContain('opt:stage');
  });

  it('substitutes inside !Sub strings and condition values', () => {
    const r = byName(roles, 'PartnerRole');
    expect(principalsOf(r)).toEqual(['arn:aws:iam::210987654321:root']);
    expect(r.trustPolicy.statements[0]?.conditions[0]).toMatchObject({
      key: 'sts:ExternalId',
      values: ['partner-8c1f'],
    });
  });

  it('never reads ${env:…}: the principal stays an unknown named by the variable', () => {
    const p = principalsOf(byName(roles, 'DeployTimeVendorRole'))[0];
    expect(isSymbolic(p)).toBe(true);
    expect(describeValue(p)).toContain('env:VENDOR_ACCOUNT_ID');
    expect(describeValue(p)).toContain('arn:aws:iam::${env:VENDOR_ACCOUNT_ID}:root');
    expect(JSON.stringify(roles)).not.toContain('123456789012');
  });

  it('a whole document from ${self:custom.…} is located where it is written', () => {
    const r = byName(roles, 'AuditorRole');
    expect(principalsOf(r)).toEqual(['arn:aws:iam::555566667777:root']);
    expect(r.trustPolicy.statements[0]?.location?.line).toBe(lineOf(vendorApi, '- Sid: Auditor'));
  });

  it('${aws:accountId} is the deploying account', () => {
    expect(principalsOf(byName(roles, 'OwnAccountRole'))).toEqual([`arn:aws:iam::${DEPLOYING_ACCOUNT}:root`]);
  });

  it('an extension that gives the generated execution role a trust policy is judged; ${param:…} is unknown', () => {
    const r = byName(roles, 'IamRoleLambdaExecution');
    expect(r.trustPolicy.statements).toHaveLength(2);
    expect(describeValue(principalsOf(r)[1])).toContain('param:partnerAccount');
  });

  it('with --account, ${aws:accountId} is that account', async () => {
    const r = await loadDir(path.join(fixturesDir, 'vendor-api'), { owner: '111111111111' });
    expect(principalsOf(byName(r.roles, 'OwnAccountRole'))).toEqual(['arn:aws:iam::111111111111:root']);
  });
});

describe('other configurations', () => {
  it('reads serverless.json with positions', async () => {
    const r = await loadDir(path.join(fixturesDir, 'json-service'));
    const role = byName(r.roles, 'ReportsVendorRole');
    expect(principalsOf(role)).toEqual(['arn:aws:iam::111122223333:root']);
    expect(role.trustPolicy.statements[0]?.location?.line).toBe(14);
  });

  it('a provider other than aws creates no IAM role', async () => {
    expect((await loadDir(path.join(fixturesDir, 'not-aws'))).roles).toEqual([]);
  });

  it('the generated execution role (provider.iam.role statements) is not a trust policy: no role', async () => {
    const dir = project({
      'serverless.yml': [
        'service: s',
        'provider:',
        '  name: aws',
        '  iam:',
        '    role:',
        '      statements:',
        '        - {Effect: Allow, Action: sts:AssumeRole, Resource: "arn:aws:iam::999988887777:role/x"}',
        '  iamRoleStatements:',
        '    - {Effect: Allow, Action: "s3:*", Resource: "*"}',
        'functions:',
        '  f: {handler: h.f}',
        'resources:',
        '  Resources: {}',
        '',
      ].join('\n'),
    });
    const r = await loadDir(dir);
    expect(r.roles).toEqual([]);
    expect(r.errors).toEqual([]);
  });

  it('a variable that refers to itself is unknown; a self: fallback literal is used when the path is missing', async () => {
    const dir = project({
      'serverless.yml': [
        'service: s',
        'provider: {name: aws}',
        'custom:',
        '  loop: ${self:custom.loop}',
        'resources:',
        '  Resources:',
        '    R:',
        '      Type: AWS::IAM::Role',
        '      Properties:',
        '        AssumeRolePolicyDocument:',
        '          Statement:',
        '            - Effect: Allow',
        '              Action: sts:AssumeRole',
        '              Principal:',
        '                AWS:',
        '                  - ${self:custom.loop}',
        "                  - arn:aws:iam::${self:custom.missing, '222233334444'}:root",
        '',
      ].join('\n'),
    });
    const r = await loadDir(dir);
    const [a, b] = principalsOf(byName(r.roles, 'R'));
    expect(describeValue(a)).toContain('refers to itself');
    expect(b).toBe('arn:aws:iam::222233334444:root');
  });

  it('resources given as ${file(…)} are named in a warning, not silently skipped', async () => {
    const dir = project({
      'serverless.yml': 'service: s\nprovider: {name: aws}\nresources:\n  - ${file(./resources.yml)}\n',
    });
    const r = await loadDir(dir);
    expect(r.warnings).toEqual([
      expect.objectContaining({ code: 'serverless-resources-not-read', file: 'serverless.yml', line: 4 }),
    ]);
  });

  it('a chain of self references deeper than the nesting-depth limit fails that file only', async () => {
    const chain = Array.from({ length: 80 }, (_, i) => `  v${i}: \${self:custom.v${i + 1}}`).join('\n');
    const dir = project({
      'a/serverless.yml': `service: s\nprovider: {name: aws}\ncustom:\n${chain}\n  v80: "111122223333"\nresources:\n  Resources:\n    R:\n      Type: AWS::IAM::Role\n      Properties:\n        AssumeRolePolicyDocument:\n          Statement: [{Effect: Allow, Action: sts:AssumeRole, Principal: {AWS: "\${self:custom.v0}"}}]\n`,
      'b/serverless.yml':
        'service: t\nprovider: {name: aws}\nresources:\n  Resources:\n    Fine:\n      Type: AWS::IAM::Role\n      Properties:\n        AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Action: sts:AssumeRole, Principal: {Service: ec2.amazonaws.com}}]}\n',
    });
    const ok = await loadDir(dir);
    expect(principalsOf(byName(ok.roles, 'R'))).toEqual(['111122223333']);
    const limited = await loadDir(dir, { budgets: { 'nesting-depth': 50 } });
    expect(limited.roles.map((x) => x.name)).toEqual(['Fine']);
    expect(limited.errors).toEqual([
      expect.objectContaining({
        code: 'limit-exceeded',
        file: 'a/serverless.yml',
        message: expect.stringContaining('--limit nesting-depth='),
      }),
    ]);
  });
});
