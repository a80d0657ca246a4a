// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation writes ${Name} substitutions in plain strings.
import { describe, expect, it } from 'vitest';
import { DEPLOYING_ACCOUNT } from '../../../src/model/types.js';
import { conditions, lineOf, principals, roleById, scanFixture } from './helpers.js';

const F = 'vendor-roles.yaml';
const D = DEPLOYING_ACCOUNT;

describe('static resolution of intrinsics (vendor-roles.yaml)', () => {
  it('Ref to a parameter takes its Default; a NoEcho parameter without default stays symbolic and named', async () => {
    const r = await scanFixture(F);
    const role = roleById(r, `${F}#RefRole`);
    const st = role.trustPolicy.statements[0];
    expect(principals(st)).toEqual(['AWS:111122223333']);
    expect(conditions(st)).toEqual([
      'StringEquals sts:ExternalId={${ExternalId} | parameter ExternalId (no default)}',
    ]);
    expect(st?.sid).toBe('RefPrincipal');
    expect(st?.location?.line).toBe(lineOf(F, '- Sid: RefPrincipal'));
    expect(st?.principals?.[0]?.location?.line).toBe(lineOf(F, 'AWS: !Ref VendorAccount'));
    expect(st?.conditions[0]?.location?.line).toBe(lineOf(F, 'sts:ExternalId: !Ref ExternalId'));
  });

  it('fills the role fields: name from RoleName (!Sub), path, description (!Join), static tags, location', async () => {
    const role = roleById(await scanFixture(F), `${F}#RefRole`);
    expect(role).toMatchObject({
      name: 'vendor-prod',
      path: '/vendors/',
      description: 'Vendor role',
      tags: { owner: 'prod' },
      account: D,
      partition: 'aws',
      source: { kind: 'cloudformation', location: { file: F, line: lineOf(F, '  RefRole:'), column: 3 } },
    });
    expect(role.arn).toBeUndefined();
    expect(role.trustPolicy.location?.line).toBe(lineOf(F, 'AssumeRolePolicyDocument:'));
  });

  it('a parameter override (--parameter) wins over the default, and the ARN is known once the account is', async () => {
    const role = roleById(
      await scanFixture(F, {
        parameters: { VendorAccount: '999999999999', Env: 'dev' },
        owner: '123456789012',
      }),
      `${F}#RefRole`,
    );
    expect(principals(role.trustPolicy.statements[0])).toEqual(['AWS:999999999999']);
    expect(role.name).toBe('vendor-dev');
    expect(role.account).toBe('123456789012');
    expect(role.arn).toBe('arn:aws:iam::123456789012:role/vendors/vendor-dev');
  });

  it('Fn::Sub: string form, [string, vars] form, pseudo parameters, ${!Literal}, an empty default', async () => {
    const role = roleById(await scanFixture(F), `${F}#SubRole`);
    const st = role.trustPolicy.statements[0];
    expect(principals(st)).toEqual([
      'AWS:arn:aws:iam::111122223333:root',
      'AWS:arn:aws:iam::111122223333:role/scanner',
      `AWS:arn:aws:iam::${D}:root`,
    ]);
    expect(conditions(st)).toEqual(['StringEquals sts:ExternalId=${Literal}-']);
    expect(st?.principals?.map((p) => p.location?.line)).toEqual([
      lineOf(F, '!Sub arn:${AWS::Partition}'),
      lineOf(F, '- !Sub', 2),
      lineOf(F, '!Sub "arn:aws:iam::${AWS::AccountId}:root"'),
    ]);
  });

  it('AWS::AccountId is the --account when given (same-account trust stays recognisable)', async () => {
    const role = roleById(await scanFixture(F, { owner: '123456789012' }), `${F}#SubRole`);
    expect(principals(role.trustPolicy.statements[0])[2]).toBe('AWS:arn:aws:iam::123456789012:root');
    expect(role.account).toBe('123456789012');
  });

  it('AWS::Partition follows a region given as a parameter', async () => {
    const role = roleById(
      await scanFixture(F, { parameters: { 'AWS::Region': 'cn-north-1' } }),
      `${F}#SubRole`,
    );
    expect(principals(role.trustPolicy.statements[0])[0]).toBe('AWS:arn:aws-cn:iam::111122223333:root');
    expect(role.partition).toBe('aws-cn');
  });

  it('Fn::GetAtt in scalar and list form is symbolic and named', async () => {
    const st = roleById(await scanFixture(F), `${F}#GetAttRole`).trustPolicy.statements[0];
    expect(principals(st)).toEqual([
      'AWS:{arn:${AWS::Partition}:iam::<deploying-account>:user/${VendorUser} | Fn::GetAtt VendorUser.Arn (a user created in this stack)}',
      'AWS:{arn:${AWS::Partition}:iam::<deploying-account>:user/${VendorUser} | Fn::GetAtt VendorUser.Arn (a user created in this stack)}',
    ]);
  });

  it('Fn::Join, Fn::Select (of a list parameter and of Fn::Split), Fn::FindInMap; an empty external id resolves to ""', async () => {
    const st = roleById(await scanFixture(F), `${F}#JoinSelectSplitRole`).trustPolicy.statements[0];
    expect(principals(st)).toEqual([
      'AWS:arn:aws:iam::111122223333:root',
      'AWS:777788889999',
      'AWS:999900001111',
      'AWS:123412341234',
    ]);
    expect(conditions(st)).toEqual(['StringEquals sts:ExternalId=']);
    // The value fetched from Mappings is reported where the Fn::FindInMap is written.
    expect(st?.principals?.[3]?.location?.line).toBe(lineOf(F, '!FindInMap [VendorBySite'));
    expect(st?.principals?.[1]?.location?.line).toBe(lineOf(F, '!Select [1, !Ref AccountList]'));
  });

  it('Fn::ImportValue (mapping form), Fn::Base64, Fn::GetAZs, Fn::Cidr', async () => {
    const st = roleById(await scanFixture(F), `${F}#ImportRole`).trustPolicy.statements[0];
    expect(principals(st)).toEqual([
      'AWS:{${ImportValue:prod-vendor-account} | Fn::ImportValue prod-vendor-account}',
    ]);
    expect(conditions(st)).toEqual([
      'StringEquals sts:ExternalId=c2VjcmV0',
      'StringEquals aws:SourceVpc={${Fn::Select(0)} | element 0 of Fn::GetAZs (the availability zones of the region)}',
      'StringEquals aws:SourceIp={${Fn::Select(0)} | element 0 of Fn::Cidr (address blocks computed at deploy time)}',
    ]);
  });
});

describe('long forms in JSON (long-forms.json)', () => {
  const J = 'long-forms.json';
  it('Fn::Join of parameters: a parameter without default is symbolic, one with a default is resolved', async () => {
    const role = roleById(await scanFixture(J), `${J}#JoinRole`);
    const st = role.trustPolicy.statements[0];
    expect(principals(st)).toEqual([
      'AWS:{arn:aws:iam::${CSAccountNumber}:role/CrowdStrikeReader | parameter CSAccountNumber (no default)}',
    ]);
    expect(conditions(st)).toEqual([
      'StringEquals sts:ExternalId={${ExternalID} | parameter ExternalID (no default)}',
    ]);
    // The statement starts at its `{`, the line after `"Statement": [`.
    expect(st?.location?.line).toBe(lineOf(J, '"Statement": [') + 1);
    expect(st?.principals?.[0]?.location?.line).toBe(lineOf(J, '"AWS": {'));
    expect(st?.conditions[0]?.location).toMatchObject({ line: lineOf(J, 'sts:ExternalId'), column: 48 });
    // RoleName depends on the region: not static, so the logical id names the role.
    expect(role.name).toBe('JoinRole');
    expect(role.extra?.roleName).toMatchObject({
      symbolic: true,
      description: 'pseudo parameter AWS::Region',
    });
  });

  it('reads the CDK construct path from Metadata', async () => {
    const roles = (await scanFixture(J)).roles.filter((x) => x.id === `${J}#IfRole`);
    expect(roles.map((x) => x.source.construct)).toEqual([
      'VendorStack/IfRole/Resource',
      'VendorStack/IfRole/Resource',
    ]);
  });
});

describe('what cannot be known is named, never dropped (unresolvable.yaml)', () => {
  const U = 'unresolvable.yaml';
  it('each unresolvable principal becomes a Symbolic naming its cause; broken intrinsics are policy issues', async () => {
    const role = roleById(await scanFixture(U), `${U}#WeirdRole`);
    const st = role.trustPolicy.statements[0];
    expect(principals(st)).toEqual([
      'AWS:{${NoSuchThing} | Ref NoSuchThing (undefined)}',
      'AWS:{${Fn::Frobnicate} | unsupported intrinsic Fn::Frobnicate}',
      'AWS:{${Fn::Join} | malformed Fn::Join}',
      'AWS:{${FromSsm} | parameter FromSsm (read from SSM parameter /vendor/account)}',
      'AWS:{${OtherRole} | Ref OtherRole (AWS::IAM::Role)}',
      'AWS:{${resolve:ssm:/vendor/principal} | dynamic reference {{resolve:ssm:/vendor/principal}}}',
      `AWS:{arn:aws:iam::${D}:role/\${AWS::Region}-reader | pseudo parameter AWS::Region}`,
    ]);
    const issues = role.trustPolicy.issues.map((i) => [i.code, i.location?.line]);
    expect(issues).toEqual([
      ['cfn-unresolved-reference', lineOf(U, '!Ref NoSuchThing')],
      ['cfn-unknown-intrinsic', lineOf(U, 'Fn::Frobnicate')],
      ['cfn-malformed-intrinsic', lineOf(U, '!Join ["", "not-a-list"]')],
    ]);
    // RoleName is the stack name: unknown, so the logical id names the role.
    expect(role.name).toBe('WeirdRole');
  });

  it('a trust document computed at deploy time is kept as one symbolic value, and a missing one is a ScanError', async () => {
    const r = await scanFixture(U);
    const other = roleById(r, `${U}#OtherRole`);
    expect(other.trustPolicy.raw).toMatchObject({
      symbolic: true,
      description: 'Fn::GetAtt Somewhere.Document',
    });
    expect(other.trustPolicy.issues.map((i) => i.code)).toEqual([
      'symbolic-structure',
      'cfn-unresolved-reference',
    ]);
    expect(r.errors).toEqual([
      expect.objectContaining({ code: 'cfn-no-trust-policy', file: U, line: lineOf(U, '  NoTrustRole:') }),
    ]);
  });
});

describe('AWS::LanguageExtensions (language-extensions.yaml)', () => {
  const L = 'language-extensions.yaml';
  it('Fn::ToJsonString and Fn::Length are computed; a Fn::ForEach that makes roles is reported, not silently dropped', async () => {
    const r = await scanFixture(L);
    const role = roleById(r, `${L}#JsonStringRole`);
    expect(principals(role.trustPolicy.statements[0])).toEqual(['AWS:111111111111']);
    expect(role.description).toBe('2');
    expect(r.errors).toEqual([
      expect.objectContaining({
        code: 'cfn-foreach-unsupported',
        line: lineOf(L, 'Fn::ForEach::VendorRoles'),
      }),
    ]);
    expect(r.roles).toHaveLength(1);
  });
});
