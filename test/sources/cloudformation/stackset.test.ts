/**
 * A stack set's template (`AWS::CloudFormation::StackSet` `TemplateBody`, a string or a map, or a local
 * `TemplateURL`) is read as a template: its roles are judged under the stack set resource, with the
 * stack set's `Parameters`.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEPLOYING_ACCOUNT, type Role } from '../../../src/model/types.js';
import { runJson } from '../../helpers/cli.js';
import { fixtures, input, lineOf, scanFiles } from './helpers.js';

const YAML = 'stackset/org-vendor-roles.yaml';
const JSON_FILE = 'stackset/org-vendor-roles.json';

function statement(role: Role): Record<string, unknown> {
  return (role.trustPolicy.raw as { Statement: Record<string, unknown>[] }).Statement[0] ?? {};
}

describe('stack set templates', () => {
  it('a TemplateBody string: roles named under the stack set, located in the parent file', async () => {
    const r = await scanFiles([input(YAML)]);
    const role = r.roles.find((x) => x.id === `${YAML}#VendorRoleStackSet/MonitoringRole`) as Role;
    expect(role).toBeDefined();
    expect(role.name).toBe('vendor-monitoring');
    expect(role.source.location).toEqual({ file: YAML, line: lineOf(YAML, 'MonitoringRole:'), column: 11 });
    // The principal comes from the stack set's Parameters list.
    expect(statement(role).Principal).toEqual({ AWS: 'arn:aws:iam::464622532012:root' });
    const at = role.trustPolicy.statements[0]?.location;
    expect(at?.line).toBe(lineOf(YAML, '- Effect: Allow'));
  });

  it('a TemplateBody map (JSON) with an external id of "*" passed in', async () => {
    const r = await scanFiles([input(JSON_FILE)]);
    const role = r.roles.find((x) => x.id === `${JSON_FILE}#VendorRoleStackSet/MonitoringRole`) as Role;
    expect(statement(role).Condition).toEqual({ StringLike: { 'sts:ExternalId': '*' } });
    expect(role.source.location.line).toBe(lineOf(JSON_FILE, '"MonitoringRole"'));
  });

  it('a local TemplateURL is read through the scan root; a remote one is a warning', async () => {
    const r = await scanFiles([input(YAML)]);
    const child = 'stackset/templates/break-glass.yaml';
    const role = r.roles.find((x) => x.id === `${YAML}#BreakGlassStackSet/${child}#BreakGlassRole`) as Role;
    expect(statement(role).Principal).toEqual({ AWS: 'arn:aws:iam::999988887777:root' });
    expect((r.warnings ?? []).map((w) => [w.code, w.line])).toEqual([
      ['nested-template-not-read', lineOf(YAML, 'TemplateURL: https://')],
    ]);
  });

  it('the ParameterOverrides of an instance group are judged as their own set of values', async () => {
    const file = 'stackset/overrides.yaml';
    const r = await scanFiles([input(file)]);
    const id = `${file}#VendorRoleStackSet/VendorRole`;
    const ids = r.roles.filter((x) => x.id === id);
    expect(ids.map((x) => [x.variant, statement(x).Condition])).toEqual([
      [
        `in StackInstancesGroup 0 of ${file}#VendorRoleStackSet (the stack set's Parameters)`,
        { StringLike: { 'sts:ExternalId': 'vendor-issued-5d2e81' } },
      ],
      [
        `in StackInstancesGroup 1 of ${file}#VendorRoleStackSet (its ParameterOverrides)`,
        { StringLike: { 'sts:ExternalId': '*' } },
      ],
    ]);
  });

  it("instances are created in the target accounts: not the stack set's own account, which is trusted", async () => {
    const r = await scanFiles([input(YAML)], { owner: '111122223333' });
    const role = r.roles.find((x) => x.id.endsWith('/MonitoringRole')) as Role;
    expect(role.account).toBe(DEPLOYING_ACCOUNT);
    expect(r.trusted?.map((t) => t.id)).toEqual(['111122223333']);
  });

  it('a TemplateBody that is not a template (a preprocessor tag) is a warning at the property', async () => {
    const text =
      'Resources:\n  S:\n    Type: AWS::CloudFormation::StackSet\n    Properties:\n      TemplateBody: !Rain::Embed child.yaml\n';
    const r = await scanFiles([{ path: 'embed.yaml', text, explicit: true }]);
    expect((r.warnings ?? []).map((w) => [w.code, w.line])).toEqual([['nested-template-not-read', 5]]);
    expect(r.errors).toEqual([]);
  });

  it('a TemplateBody string that does not parse is an error located in the parent file', async () => {
    const text =
      'Resources:\n  S:\n    Type: AWS::CloudFormation::StackSet\n    Properties:\n      TemplateBody: |\n        Resources:\n          R: [unclosed\n';
    const r = await scanFiles([{ path: 'broken.yaml', text, explicit: true }]);
    // `R: [unclosed` is the body's second line, the parent's seventh.
    expect(r.errors.map((e) => [e.code, e.file, e.line])).toEqual([['yaml-syntax', 'broken.yaml', 7]]);
  });
});

describe('through the CLI', () => {
  it("the stack set's roles are findings", () => {
    const r = runJson(['scan', join(fixtures, 'stackset'), '--account', '111122223333']);
    const ids = r.report.findings
      .filter((f) => f.ruleId === 'TA001')
      .map((f) => f.resource.id.split('test/fixtures/cloudformation/').join(''));
    expect(ids.sort()).toEqual([
      'stackset/org-vendor-roles.json#VendorRoleStackSet/MonitoringRole',
      'stackset/org-vendor-roles.yaml#BreakGlassStackSet/stackset/templates/break-glass.yaml#BreakGlassRole',
      'stackset/org-vendor-roles.yaml#VendorRoleStackSet/MonitoringRole',
      'stackset/overrides.yaml#VendorRoleStackSet/VendorRole',
    ]);
  });
});
