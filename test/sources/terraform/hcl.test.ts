// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform `${...}` text is data here
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEPLOYING_ACCOUNT,
  isSymbolic,
  type Role,
  type ScanError,
  type Statement,
} from '../../../src/model/types.js';
import { terraformSource } from '../../../src/sources/terraform/index.js';
import { loadVarFile } from '../../../src/sources/terraform/var-file.js';
import { addressOf, byId, conditionsOf, ctxFor, loadFixture, principalsOf, repoRoot } from './helpers.js';

const F = 'test/fixtures/terraform';

function stmt(role: Role, i: number): Statement {
  const s = role.trustPolicy.statements[i];
  if (!s) throw new Error(`${role.id} has no statement ${i}`);
  return s;
}

function lineOf(x: { location?: { line?: number; file?: string } } | undefined): string {
  return `${x?.location?.file}:${x?.location?.line}`;
}

describe('terraform source: claim', () => {
  const cases: { name: string; path: string; text: string; claimed: boolean }[] = [
    { name: '.tf', path: 'a/main.tf', text: 'resource "x" "y" {}', claimed: true },
    { name: '.tfvars', path: 'a/terraform.tfvars', text: 'a = 1', claimed: true },
    { name: '.tfvars.json', path: 'a/terraform.tfvars.json', text: '{"a": 1}', claimed: true },
    {
      name: 'state JSON',
      path: 'state.json',
      text: '{"format_version":"1.0","terraform_version":"1.9.0","values":{"root_module":{}}}',
      claimed: true,
    },
    {
      name: 'plan JSON',
      path: 'plan.json',
      text: '{"format_version":"1.2","terraform_version":"1.5.7","planned_values":{}}',
      claimed: true,
    },
    {
      name: 'a policy JSON',
      path: 'policy.json',
      text: '{"Version":"2012-10-17","Statement":[]}',
      claimed: false,
    },
    {
      name: 'CloudFormation JSON',
      path: 't.json',
      text: '{"AWSTemplateFormatVersion":"2010-09-09","Resources":{}}',
      claimed: false,
    },
    {
      name: 'JSON with format_version but no plan body',
      path: 's.json',
      text: '{"format_version":"1.0","values":{}}',
      claimed: false,
    },
    { name: '.tf.json', path: 'cdk.tf.json', text: '{"resource":{}}', claimed: true },
    { name: 'YAML', path: 'template.yaml', text: 'Resources: {}', claimed: false },
    { name: '.tpl', path: 'trust.json.tpl', text: '{}', claimed: false },
  ];
  for (const c of cases) {
    it(`${c.claimed ? 'claims' : 'does not claim'} ${c.name}`, () => {
      expect(terraformSource.claim({ path: c.path, text: c.text, explicit: false })).toBe(c.claimed);
    });
  }
});

describe('terraform source: heredoc trust policies', async () => {
  const { roles, errors } = await loadFixture('heredoc');
  it('has no errors and two roles', () => {
    expect(errors).toEqual([]);
    expect(roles.map(addressOf)).toEqual(['aws_iam_role.plain', 'aws_iam_role.indented']);
  });
  it('<<EOF: principal, condition and lines inside the heredoc', () => {
    const r = byId(roles, 'aws_iam_role.plain');
    expect(r.name).toBe('heredoc-plain');
    expect(lineOf(r.source)).toBe(`${F}/heredoc/main.tf:5`);
    const s = stmt(r, 0);
    expect(s.sid).toBe('Vendor');
    expect(principalsOf(s)).toEqual(['AWS:arn:aws:iam::444455556666:root']);
    expect(conditionsOf(s)).toEqual(['StringEquals sts:ExternalId = ext-123']);
    expect(lineOf(s)).toBe(`${F}/heredoc/main.tf:11`);
    expect(s.principals?.[0]?.location).toMatchObject({ line: 14, column: 29 });
    expect(lineOf(s.conditions[0])).toBe(`${F}/heredoc/main.tf:16`);
  });
  it('<<-EOF: indentation stripped, ${var} resolved, undeclared var symbolic, lines kept', () => {
    const r = byId(roles, 'aws_iam_role.indented');
    expect(r.name).toBe('heredoc-111122223333');
    const s = stmt(r, 0);
    expect(lineOf(s)).toBe(`${F}/heredoc/main.tf:28`);
    expect(principalsOf(s)).toEqual([
      'AWS:arn:aws:iam::111122223333:root',
      'AWS:<${var.unset_account} | var.unset_account (not declared)>',
    ]);
    expect(s.principals?.map((p) => p.location?.line)).toEqual([30, 30]);
    expect(s.principals?.[1]?.location?.column).toBe(74);
  });
});

describe('terraform source: jsonencode', async () => {
  const { roles, errors } = await loadFixture('jsonencode');
  const r = byId(roles, 'aws_iam_role.encoded');
  it('keeps keys as written (bare and quoted) and evaluates for expressions', () => {
    expect(errors).toEqual([]);
    const s = stmt(r, 0);
    expect(s.sid).toBe('VendorAccess');
    expect(principalsOf(s)).toEqual([
      'AWS:arn:aws:iam::111122223333:root',
      'AWS:arn:aws:iam::444455556666:root',
    ]);
    expect(conditionsOf(s)).toEqual([
      'StringEquals sts:ExternalId = shared-secret',
      'Bool aws:MultiFactorAuthPresent = true',
    ]);
    expect(principalsOf(stmt(r, 1))).toEqual(['Service:ec2.amazonaws.com']);
  });
  it('locates statements, principals and conditions at their HCL nodes', () => {
    expect(lineOf(r.source)).toBe(`${F}/jsonencode/main.tf:5`);
    expect(lineOf(stmt(r, 0))).toBe(`${F}/jsonencode/main.tf:10`);
    expect(stmt(r, 0).principals?.map((p) => p.location?.line)).toEqual([14, 14]);
    expect(stmt(r, 0).conditions.map((c) => c.location?.line)).toEqual([19, 21]);
    expect(lineOf(stmt(r, 1))).toBe(`${F}/jsonencode/main.tf:24`);
    expect(stmt(r, 1).principals?.[0]?.location?.line).toBe(26);
  });
});

describe('terraform source: data "aws_iam_policy_document"', async () => {
  const { roles, errors } = await loadFixture('policy-document');
  const r = byId(roles, 'aws_iam_role.doc');
  it('merges source (replaced by sid, kept), current and override (replaces by sid) statements in order', () => {
    expect(errors).toEqual([]);
    expect(r.trustPolicy.statements.map((s) => `${s.sid}:${s.effect}`)).toEqual([
      'Replaced:Allow',
      'Kept:Allow',
      'Overridden:Deny',
    ]);
    expect(principalsOf(stmt(r, 2))).toEqual(['AWS:arn:aws:iam::999999999999:root']);
    expect(lineOf(stmt(r, 1))).toBe(`${F}/policy-document/main.tf:23`);
    expect(lineOf(stmt(r, 2))).toBe(`${F}/policy-document/main.tf:34`);
  });
  it('principals blocks of one type merge; caller identity and partition resolve', () => {
    const s = stmt(r, 0);
    expect(s.actions).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    expect(principalsOf(s)).toEqual([
      'AWS:arn:aws:iam::111122223333:root',
      `AWS:arn:aws:iam::${DEPLOYING_ACCOUNT}:root`,
    ]);
    expect(s.principals?.map((p) => p.location?.line)).toEqual([54, 60]);
    expect(s.notPrincipals?.map((p) => String(p.value))).toEqual(['arn:aws:iam::222233334444:user/blocked']);
    expect(lineOf(s)).toBe(`${F}/policy-document/main.tf:49`);
  });
  it('condition blocks and a dynamic condition over a known map', () => {
    const s = stmt(r, 0);
    expect(conditionsOf(s)).toEqual([
      'StringEquals sts:ExternalId = abc|def',
      'StringEquals aws:PrincipalOrgID = o-abc123',
      'IpAddress aws:SourceIp = 10.0.0.0/8',
    ]);
    expect(s.conditions.map((c) => c.location?.line)).toEqual([67, 75, 75]);
  });
  it('role path and name', () => {
    expect(r.name).toBe('doc-role');
    expect(r.path).toBe('/vendors/');
    expect(r.account).toBe(DEPLOYING_ACCOUNT);
  });
  it('a dynamic statement over an unknown for_each stays, with a symbolic iterator', () => {
    const d = byId(roles, 'aws_iam_role.dyn');
    const s = stmt(d, 0);
    const p = s.principals?.[0];
    expect(p?.type).toBe('AWS');
    expect(isSymbolic(p?.value)).toBe(true);
    expect(principalsOf(s)[0]).toContain('var.unknown_statements (no default)');
    expect(p?.location?.line).toBe(104);
  });
});

describe('terraform source: file() and templatefile()', async () => {
  const { roles, errors } = await loadFixture('file-template');
  it('file(): JSON read relative to path.module, located in the JSON file', () => {
    const r = byId(roles, 'aws_iam_role.from_file');
    const s = stmt(r, 0);
    expect(principalsOf(s)).toEqual(['AWS:arn:aws:iam::123412341234:root']);
    expect(lineOf(s.principals?.[0])).toBe(`${F}/file-template/policies/trust.json:6`);
    expect(lineOf(r.source)).toBe(`${F}/file-template/main.tf:5`);
  });
  it('templatefile(): template variables, ${jsonencode(list)} as a JSON value, located in the .tpl', () => {
    const r = byId(roles, 'aws_iam_role.from_template');
    expect(principalsOf(stmt(r, 0))).toEqual(['AWS:arn:aws:iam::777788889999:root']);
    expect(conditionsOf(stmt(r, 0))).toEqual(['StringEquals sts:ExternalId = tpl-ext']);
    expect(principalsOf(stmt(r, 1))).toEqual([
      'Service:ec2.amazonaws.com',
      'Service:ecs-tasks.amazonaws.com',
    ]);
    expect(lineOf(stmt(r, 0).conditions[0])).toBe(`${F}/file-template/policies/trust.json.tpl:8`);
    expect(lineOf(stmt(r, 1))).toBe(`${F}/file-template/policies/trust.json.tpl:10`);
  });
  it('a missing file: the role stays (symbolic policy) and a ScanError names the file', () => {
    const r = byId(roles, 'aws_iam_role.missing_file');
    expect(r.trustPolicy.statements).toEqual([]);
    expect(r.trustPolicy.issues.map((i) => i.code)).toContain('symbolic-structure');
    const e = errors.find((x) => x.code === 'unresolved-policy');
    expect(e).toMatchObject({ file: `${F}/file-template/main.tf`, line: 21 });
    expect(e?.message).toContain('does-not-exist.json');
  });
});

describe('terraform source: variables', () => {
  it('default < terraform.tfvars < *.auto.tfvars < --var; no default -> symbolic; caller identity -> marker', async () => {
    const { roles, errors } = await loadFixture('variables', { variables: { from_cli: '444444444444' } });
    expect(errors).toEqual([]);
    const s = stmt(byId(roles, 'aws_iam_role.vars'), 0);
    expect(principalsOf(s)).toEqual([
      'AWS:arn:aws:iam::111111111111:root',
      'AWS:arn:aws:iam::222222222222:root',
      'AWS:arn:aws:iam::333333333333:root',
      'AWS:arn:aws:iam::444444444444:root',
      'AWS:<arn:aws:iam::${var.no_default}:root | var.no_default (no default)>',
      `AWS:arn:aws:iam::${DEPLOYING_ACCOUNT}:root`,
    ]);
    expect(s.principals?.map((p) => p.location?.line)).toEqual([6, 7, 8, 9, 10, 11]);
    expect(conditionsOf(s)).toEqual(['StringEquals aws:PrincipalOrgID = o-aaaa1111']);
    expect(s.conditions[0]?.location?.line).toBe(24);
  });
  it('--account fills data.aws_caller_identity and role.account; a --var list is parsed as HCL', async () => {
    const { roles } = await loadFixture('variables', {
      owner: '210987654321',
      variables: { from_cli: '555555555555', org_ids: '["o-bbbb2222", "o-cccc3333"]' },
    });
    const r = byId(roles, 'aws_iam_role.vars');
    expect(r.account).toBe('210987654321');
    expect(r.arn).toBe('arn:aws:iam::210987654321:role/vars');
    const s = stmt(r, 0);
    expect(principalsOf(s)).toContain('AWS:arn:aws:iam::210987654321:root');
    expect(principalsOf(s)).toContain('AWS:arn:aws:iam::555555555555:root');
    expect(conditionsOf(s)).toEqual(['StringEquals aws:PrincipalOrgID = o-bbbb2222|o-cccc3333']);
  });
});

describe('terraform source: functions', async () => {
  const { roles, errors } = await loadFixture('functions');
  const r = byId(roles, 'aws_iam_role.fn');
  it('format, formatlist, distinct, flatten, concat, toset/tolist, compact, coalesce, join, merge, lookup', () => {
    expect(errors).toEqual([]);
    expect(r.name).toBe('trust-eu-west-1-7');
    expect(r.tags).toEqual({ team: 'a', env: 'prod' });
    const s = stmt(r, 0);
    // A set of strings is in lexical order in Terraform (toset, then tolist).
    expect(principalsOf(s)).toEqual([
      'AWS:arn:aws:iam::100000000001:root',
      'AWS:arn:aws:iam::100000000002:root',
      'AWS:arn:aws:iam::111122223333:root',
      'AWS:arn:aws:iam::444455556666:root',
    ]);
    expect(conditionsOf(s)).toEqual([
      'StringEquals sts:ExternalId = x-1|fallback-id',
      'StringEquals aws:RequestTag/joined = a,b',
    ]);
    expect(s.principals?.map((p) => p.location?.line)).toEqual([11, 11, 10, 10]);
    expect(lineOf(s)).toBe(`${F}/functions/main.tf:26`);
  });
});

describe('terraform source: modules', async () => {
  const { roles, errors } = await loadFixture('modules');
  it('passes the caller arguments into the module; ids carry the module path', () => {
    expect(errors).toEqual([]);
    expect(roles.map(addressOf).sort()).toEqual([
      'aws_iam_role.reuses_policy',
      'aws_iam_role.uses_output',
      'module.datadog.aws_iam_role.this',
      'module.wrapped.module.inner.aws_iam_role.this',
    ]);
    const dd = byId(roles, 'module.datadog.aws_iam_role.this');
    expect(dd.name).toBe('datadog-integration');
    expect(dd.source.construct).toBe('module.datadog');
    expect(lineOf(dd.source)).toBe(`${F}/modules/modules/vendor-role/main.tf:32`);
    expect(principalsOf(stmt(dd, 0))).toEqual(['AWS:arn:aws:iam::464622532012:root']);
    expect(conditionsOf(stmt(dd, 0))).toEqual(['StringEquals sts:ExternalId = dd-external-id']);
    expect(stmt(dd, 0).principals?.[0]?.location?.line).toBe(19);
    expect(stmt(dd, 0).conditions[0]?.location?.line).toBe(23);
  });
  it('nested module calls; an omitted optional input uses the module default (no condition)', () => {
    const inner = byId(roles, 'module.wrapped.module.inner.aws_iam_role.this');
    expect(inner.name).toBe('wrapped-123456789012');
    expect(principalsOf(stmt(inner, 0))).toEqual(['AWS:arn:aws:iam::123456789012:root']);
    expect(stmt(inner, 0).conditions).toEqual([]);
  });
  it('a registry module output stays symbolic', () => {
    const r = byId(roles, 'aws_iam_role.uses_output');
    expect(principalsOf(stmt(r, 0))).toEqual([
      'AWS:<${module.registry.iam_role_arn} | module.registry.iam_role_arn (output of a module outside the scan)>',
    ]);
  });
  it('an output of a scanned local module is evaluated with the caller arguments', () => {
    const r = byId(roles, 'aws_iam_role.reuses_policy');
    const s = stmt(r, 0);
    expect(principalsOf(s)).toEqual(['AWS:arn:aws:iam::464622532012:root']);
    expect(conditionsOf(s)).toEqual(['StringEquals sts:ExternalId = dd-external-id']);
    expect(s.principals?.[0]?.location?.line).toBe(19);
    expect(lineOf(r.source)).toBe(`${F}/modules/main.tf:30`);
  });
});

describe('terraform source: count / for_each', async () => {
  const { roles, errors } = await loadFixture('count');
  it('one role per known instance, each with its own count.index / each.key / each.value', () => {
    expect(errors).toEqual([]);
    expect(roles.map(addressOf)).toEqual([
      'aws_iam_role.counted[0]',
      'aws_iam_role.each["alpha"]',
      'aws_iam_role.each["beta"]',
    ]);
    const c = byId(roles, 'aws_iam_role.counted[0]');
    expect((c.extra?.terraform as { count?: string } | undefined)?.count).toBe('var.create ? 1 : 0');
    expect(c.name).toBe('counted-0');
    expect(principalsOf(stmt(c, 0))).toEqual(['AWS:arn:aws:iam::111122223333:root']);
    const e = byId(roles, 'aws_iam_role.each["beta"]');
    expect(e.name).toBe('each-beta');
    expect(principalsOf(stmt(e, 0))).toEqual(['AWS:arn:aws:iam::444455556666:root']);
    expect(stmt(e, 0).principals?.[0]?.location?.line).toBe(26);
  });
});

describe('terraform source: inline suppressions', async () => {
  const { roles, errors } = await loadFixture('suppress');
  it('a skip comment with a reason inside the block suppresses', () => {
    expect(byId(roles, 'aws_iam_role.accepted').inlineSuppressions).toEqual([
      {
        ruleId: 'TA001',
        reason: 'vendor contract signed 2024, external id enforced by the vendor portal',
        location: { file: `${F}/suppress/main.tf`, line: 2, column: 3 },
      },
    ]);
  });
  it('no reason -> ScanError at the comment, no suppression', () => {
    expect(byId(roles, 'aws_iam_role.no_reason').inlineSuppressions).toBeUndefined();
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'suppression-without-reason',
        file: `${F}/suppress/main.tf`,
        line: 11,
        column: 22,
      }),
    ]);
  });
  it('a comment outside the block suppresses nothing', () => {
    expect(byId(roles, 'aws_iam_role.outside').inlineSuppressions).toBeUndefined();
  });
});

describe('terraform source: bad input', async () => {
  const { roles, errors } = await loadFixture('broken');
  const codes = (e: ScanError[]) => e.map((x) => `${x.code} ${x.file}:${x.line}:${x.column}`);
  it('a file that does not parse is a ScanError with line and column; the other file is still read', () => {
    expect(codes(errors)).toEqual([
      `hcl-syntax ${F}/broken/bad.tf:4:19`,
      `policy-json ${F}/broken/good.tf:13:38`,
      `missing-trust-policy ${F}/broken/good.tf:18:1`,
    ]);
    expect(roles.map(addressOf)).toEqual(['aws_iam_role.good']);
    expect(principalsOf(stmt(byId(roles, 'aws_iam_role.good'), 0))).toEqual(['Service:ec2.amazonaws.com']);
  });
});

describe('terraform source: expressions', async () => {
  const { roles, errors } = await loadFixture('expressions');
  it('for with if, heredoc local + trimspace, splat, (key) object keys, escapes, unknown conditional', () => {
    expect(errors).toEqual([]);
    const s = stmt(byId(roles, 'aws_iam_role.expr'), 0);
    expect(principalsOf(s)).toEqual([
      'AWS:arn:aws:iam::111111111111:root',
      'AWS:arn:aws:iam::333333333333:root',
      'AWS:444444444444',
      'AWS:777777777777',
    ]);
    expect(s.principals?.map((p) => p.location?.line)).toEqual([30, 31, 18, 18]);
    // var.enabled has no value: the role is judged on both branches, each named.
    expect(conditionsOf(s)).toEqual([
      'StringEquals sts:ExternalId = escaped "quote" and ${literal}',
      'Bool aws:MultiFactorAuthPresent = true',
    ]);
    expect(s.conditions.map((c) => c.location?.line)).toEqual([36, 37]);
    const both = roles.filter((r) => addressOf(r) === 'aws_iam_role.expr');
    expect(both.map((r) => r.variant)).toEqual(['var.enabled = true', 'var.enabled = false']);
    expect(conditionsOf(stmt(both[1] as (typeof both)[number], 0))[1]).toBe(
      'Bool aws:MultiFactorAuthPresent = false',
    );
  });
  it('template directives (%{for}, %{if}) in a heredoc build one statement per element', () => {
    const r = byId(roles, 'aws_iam_role.directives');
    expect(r.trustPolicy.statements.map((s) => principalsOf(s))).toEqual([
      ['AWS:arn:aws:iam::555555555555:root'],
      ['AWS:arn:aws:iam::666666666666:root'],
    ]);
    expect(r.trustPolicy.statements.map((s) => s.location?.line)).toEqual([48, 48]);
  });
});

describe('terraform source: data sources that only name things', async () => {
  const { roles } = await loadFixture('expressions');
  it('data.aws_service_principal.X.name is <service_name>.amazonaws.com', () => {
    const s = stmt(byId(roles, 'aws_iam_role.service'), 0);
    expect(principalsOf(s)).toEqual(['Service:ec2.amazonaws.com']);
    expect(s.principals?.[0]?.location?.line).toBe(62);
  });
});

describe('terraform source: JSON variables files', () => {
  it('terraform.tfvars < terraform.tfvars.json < *.auto.tfvars(.json) by name; JSON strings are literal', async () => {
    const { roles, errors } = await loadFixture('variables-json');
    expect(errors).toEqual([]);
    const s = stmt(byId(roles, 'aws_iam_role.json_vars'), 0);
    expect(principalsOf(s)).toEqual([
      'AWS:arn:aws:iam::222222222222:root',
      'AWS:arn:aws:iam::333333333333:root',
      'AWS:arn:aws:iam::444444444444:root',
      // terraform.tfvars, terraform.tfvars.json and a.auto.tfvars.json set it too; b.auto.tfvars is last.
      'AWS:arn:aws:iam::555555555555:root',
    ]);
    expect(conditionsOf(s)).toEqual([
      'StringEquals sts:ExternalId = literal-${not_a_template}',
      'StringEquals aws:PrincipalOrgID = o-json1111|o-json2222',
    ]);
  });

  it('a broken JSON variables file is named with its line and column; the module is still scanned', async () => {
    const { roles, errors } = await loadFixture('variables-json-bad');
    expect(errors.map((e) => `${e.code} ${e.file}:${e.line}:${e.column}`)).toEqual([
      `json-syntax ${F}/variables-json-bad/terraform.tfvars.json:3:3`,
    ]);
    expect(errors[0]?.message).toContain('the variables file was ignored');
    // The default applies, since the file could not be read.
    expect(principalsOf(stmt(byId(roles, 'aws_iam_role.still_read'), 0))).toEqual([
      'AWS:arn:aws:iam::111111111111:root',
    ]);
  });
});

describe('terraform source: odd files never crash', async () => {
  const { roles, errors } = await loadFixture('garbage');
  it('empty and comment-only files are fine; syntax errors are named; odd content still yields its role', () => {
    expect(errors.map((e) => `${e.code} ${e.file}:${e.line}:${e.column}`)).toEqual([
      `hcl-syntax ${F}/garbage/unbalanced.tf:2:4`,
      `hcl-syntax ${F}/garbage/terraform.tfvars:2:1`,
    ]);
    expect(roles.map(addressOf)).toEqual(['aws_iam_role.x']);
    expect(byId(roles, 'aws_iam_role.x').trustPolicy.issues.map((i) => i.code)).toContain('no-statement');
  });
});

describe('terraform source: JSON configuration (.tf.json)', async () => {
  const { roles, errors } = await loadFixture('tf-json');
  it('a bad JSON file is named; the good one is read', () => {
    expect(errors.map((e) => `${e.code} ${e.file}:${e.line}:${e.column}`)).toEqual([
      `json-syntax ${F}/tf-json/broken.tf.json:4:1`,
    ]);
    expect(roles.map(addressOf)).toEqual(['aws_iam_role.vendor', 'aws_iam_role.inline']);
  });
  it('policy document blocks, templates in strings, literal variable defaults, "//" suppression, JSON lines', () => {
    const r = byId(roles, 'aws_iam_role.vendor');
    expect(lineOf(r.source)).toBe(`${F}/tf-json/cdk.tf.json:34`);
    const s = stmt(r, 0);
    expect(s.sid).toBe('Vendor');
    expect(lineOf(s)).toBe(`${F}/tf-json/cdk.tf.json:18`);
    expect(principalsOf(s)).toEqual(['AWS:arn:aws:iam::464622532012:root']);
    expect(s.principals?.[0]?.location?.line).toBe(22);
    expect(conditionsOf(s)).toEqual(['StringEquals sts:ExternalId = ${not-a-template}']);
    expect(s.conditions[0]?.location?.line).toBe(25);
    expect(r.inlineSuppressions).toEqual([
      expect.objectContaining({
        ruleId: 'TA001',
        reason: 'vendor onboarding reviewed by security',
        location: expect.objectContaining({ line: 35 }),
      }),
    ]);
  });
  it('a JSON string policy is parsed', () => {
    const s = stmt(byId(roles, 'aws_iam_role.inline'), 0);
    expect(principalsOf(s)).toEqual(['Service:ec2.amazonaws.com']);
    expect(lineOf(s.principals?.[0])).toBe(`${F}/tf-json/cdk.tf.json:41`);
  });
});

describe('terraform --var-file', () => {
  const dir = `${F}/var-files`;
  const read = (name: string) => readFileSync(path.join(repoRoot, dir, name), 'utf8');
  it('HCL .tfvars: strings as themselves, collections as HCL text that the source parses by type', async () => {
    const vars = await loadVarFile(`${dir}/prod.tfvars`, read('prod.tfvars'));
    expect(Object.fromEntries(vars)).toEqual({
      from_cli: '888888888888',
      org_ids: '["o-prod1111", "o-prod2222"]',
      escaped: 'a"b',
    });
    const { roles } = await loadFixture('variables', { variables: Object.fromEntries(vars) });
    const s = stmt(byId(roles, 'aws_iam_role.vars'), 0);
    expect(principalsOf(s)).toContain('AWS:arn:aws:iam::888888888888:root');
    expect(conditionsOf(s)).toEqual(['StringEquals aws:PrincipalOrgID = o-prod1111|o-prod2222']);
  });
  it('.tfvars.json', async () => {
    const vars = await loadVarFile(`${dir}/prod.tfvars.json`, read('prod.tfvars.json'));
    expect(Object.fromEntries(vars)).toEqual({ from_cli: '999999999999', org_ids: '["o-json1111"]' });
  });
  it('a broken file throws VarFileError with its position', async () => {
    await expect(loadVarFile(`${dir}/bad.tfvars`, read('bad.tfvars'))).rejects.toMatchObject({
      name: 'VarFileError',
      file: `${dir}/bad.tfvars`,
      line: 1,
    });
  });
});

describe('terraform source: one file named on its own', () => {
  it('reads the variables, locals and tfvars of its directory, but reports only its own roles', async () => {
    const abs = path.join(repoRoot, F, 'variables/main.tf');
    const file = {
      path: `${F}/variables/main.tf`,
      absPath: abs,
      text: readFileSync(abs, 'utf8'),
      explicit: true,
    };
    const { roles, errors } = await terraformSource.load(
      [file],
      ctxFor([file], { variables: { from_cli: '444444444444' } }),
    );
    expect(errors).toEqual([]);
    expect(roles.map(addressOf)).toEqual(['aws_iam_role.vars']);
    const s = stmt(byId(roles, 'aws_iam_role.vars'), 0);
    expect(principalsOf(s).slice(0, 4)).toEqual([
      'AWS:arn:aws:iam::111111111111:root',
      'AWS:arn:aws:iam::222222222222:root',
      'AWS:arn:aws:iam::333333333333:root',
      'AWS:arn:aws:iam::444444444444:root',
    ]);
  });
});

describe('terraform source: unknown block keys', async () => {
  const { roles } = await loadFixture('policy-document');
  it('a principal type or condition test from an unknown for_each makes that element symbolic, not invalid', () => {
    const r = byId(roles, 'aws_iam_role.unknown_keys');
    const raw = r.trustPolicy.raw as { Statement: { Principal: unknown; Condition: unknown }[] };
    const st = raw.Statement[0];
    expect(isSymbolic(st?.Principal)).toBe(true);
    expect(isSymbolic(st?.Condition)).toBe(true);
    expect(JSON.stringify(st?.Principal)).toContain('var.principal_map (no default)');
    expect(JSON.stringify(st?.Condition)).toContain('var.conditions (no default)');
    expect(r.trustPolicy.issues.map((i) => i.code)).not.toContain('unknown-principal-type');
    expect(r.trustPolicy.issues.map((i) => i.code)).not.toContain('unknown-operator');
  });
});
