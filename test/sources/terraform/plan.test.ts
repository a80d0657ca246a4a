// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform `${...}` text is data here
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSymbolic } from '../../../src/model/types.js';
import { terraformSource } from '../../../src/sources/terraform/index.js';
import {
  addressOf,
  byId,
  conditionsOf,
  corpusDir,
  ctxFor,
  inputsUnder,
  loadFixture,
  principalsOf,
} from './helpers.js';

const F = 'test/fixtures/terraform/plan';

describe('terraform plan JSON', async () => {
  const { roles, errors } = await loadFixture('plan');

  it('roles from planned_values (root and child modules) and resource_changes; deleted roles skipped', () => {
    expect(roles.map(addressOf).sort()).toEqual([
      'aws_iam_role.changing',
      'aws_iam_role.deployed',
      'aws_iam_role.vendor',
      'module.app.aws_iam_role.svc',
      'module.oidc.aws_iam_role.ci["main"]',
      'module.oidc.aws_iam_role.orphan',
    ]);
    for (const r of roles) expect(r.source.kind).toBe('terraform-plan');
  });

  it('a known trust policy is parsed, located at the resource and its attribute', () => {
    const r = byId(roles, 'aws_iam_role.vendor');
    expect(r.name).toBe('vendor-role');
    expect(r.tags).toEqual({ team: 'sec' });
    expect(r.source.location).toMatchObject({ file: `${F}/known.tfplan.json`, line: 7 });
    const s = r.trustPolicy.statements[0];
    expect(principalsOf(s)).toEqual(['AWS:arn:aws:iam::464622532012:root']);
    expect(conditionsOf(s)).toEqual(['StringEquals sts:ExternalId = plan-ext']);
    expect(s?.location?.line).toBe(17);
    const m = byId(roles, 'module.app.aws_iam_role.svc');
    expect(m.source.construct).toBe('module.app');
    // The ARN in the plan gives the account and partition.
    expect([m.account, m.partition, m.arn]).toEqual([
      '123456789012',
      'aws-us-gov',
      'arn:aws-us-gov:iam::123456789012:role/svc-role',
    ]);
    expect(r.account).toBe('<deploying-account>');
    expect(m.source.location.line).toBe(28);
    expect(principalsOf(m.trustPolicy.statements[0])).toEqual(['Service:ec2.amazonaws.com']);
  });

  it('state JSON (terraform show -json of a state): values.root_module, ARN, unique id', () => {
    const r = byId(roles, 'aws_iam_role.deployed');
    expect([r.account, r.arn, r.roleId, r.name]).toEqual([
      '210987654321',
      'arn:aws:iam::210987654321:role/deployed-role',
      'AROAEXAMPLEID123',
      'deployed-role',
    ]);
    expect(principalsOf(r.trustPolicy.statements[0])).toEqual(['AWS:arn:aws:iam::464622532012:root']);
    expect(r.source.location).toMatchObject({ file: `${F}/state.json`, line: 7 });
  });

  it('a role only in resource_changes uses change.after', () => {
    const r = byId(roles, 'aws_iam_role.changing');
    expect(r.source.location.line).toBe(82);
    expect(r.trustPolicy.statements[0]?.location?.line).toBe(97);
    expect(principalsOf(r.trustPolicy.statements[0])).toEqual(['AWS:arn:aws:iam::464622532012:root']);
  });

  it('unknown until apply: read from the policy-document data source of the same instance; unknowns named', () => {
    const r = byId(roles, 'module.oidc.aws_iam_role.ci["main"]');
    const s = r.trustPolicy.statements[0];
    expect(s?.actions).toEqual(['sts:AssumeRoleWithWebIdentity']);
    expect(principalsOf(s)).toEqual([
      'Federated:<${aws_iam_openid_connect_provider.github.arn} | aws_iam_openid_connect_provider.github.arn (known after apply)>',
    ]);
    expect(conditionsOf(s)).toEqual([
      'StringLike token.actions.githubusercontent.com:sub = repo:acme/app:*',
      'StringEquals token.actions.githubusercontent.com:aud = sts.amazonaws.com',
    ]);
    expect(s?.location?.line).toBe(29);
    expect(String((r.extra?.terraform as { note?: string } | undefined)?.note)).toContain(
      'data.aws_iam_policy_document.trust["main"]',
    );
  });

  it('unknown until apply with no data source in the plan: symbolic policy and a ScanError', () => {
    const r = byId(roles, 'module.oidc.aws_iam_role.orphan');
    expect(r.trustPolicy.statements).toEqual([]);
    expect(isSymbolic(r.trustPolicy.raw)).toBe(true);
    expect(errors.map((e) => `${e.code} ${e.file}:${e.line}`)).toEqual([
      `json-syntax ${F}/broken.tfplan.json:6`,
      `unknown-until-apply ${F}/unknown.tfplan.json:20`,
    ]);
  });
});

describe('terraform plan JSON: checkov GitHub OIDC example', async () => {
  const dir = path.join(
    corpusDir,
    'terraform/checkov-test-inputs/tests/terraform/checks/data/aws/example_GithubActionsOIDCTrustPolicy',
  );
  const files = inputsUnder(dir, corpusDir).filter((f) => f.path.endsWith('tfplan.json'));
  const { roles, errors } = await terraformSource.load(files, ctxFor(files));
  it('all four for_each instances resolve from their own data source instance', () => {
    expect(errors).toEqual([]);
    expect(roles.map(addressOf).sort()).toEqual([
      'module.poc.aws_iam_role.r1["p1"]',
      'module.poc.aws_iam_role.r1["p2"]',
      'module.poc.aws_iam_role.r6["p1"]',
      'module.poc.aws_iam_role.r6["p2"]',
    ]);
    const r1p2 = byId(roles, 'module.poc.aws_iam_role.r1["p2"]');
    expect(principalsOf(r1p2.trustPolicy.statements[0])).toEqual([
      'Federated:<${aws_iam_openid_connect_provider.r5.arn} | aws_iam_openid_connect_provider.r5.arn (known after apply)>',
    ]);
    expect(conditionsOf(r1p2.trustPolicy.statements[0])).toEqual([
      'StringEquals accounts.google.com:aud = sts.amazonaws.com',
      'StringEquals accounts.google.com:sub = system:serviceaccount:p2:default',
    ]);
    const r6p1 = byId(roles, 'module.poc.aws_iam_role.r6["p1"]');
    expect(principalsOf(r6p1.trustPolicy.statements[0])).toEqual([
      'Federated:cognito-identity.amazonaws.com',
    ]);
    expect(conditionsOf(r6p1.trustPolicy.statements[0])).toContain(
      'StringEquals accounts.google.com:sub = system:serviceaccount:p1:default',
    );
  });
});
