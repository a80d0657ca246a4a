/** The per-syntax editors on the layouts a template may use: each edit is minimal and reads back. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateInJsonTemplate } from '../../../src/fix/template/cfn-json.js';
import { locateInYamlTemplate } from '../../../src/fix/template/cfn-yaml.js';
import { hclLocator } from '../../../src/fix/template/hcl.js';
import type { ConditionAddition, LocatePolicy, RoleLocator } from '../../../src/fix/template/types.js';
import { createHclParser, type HclParser } from '../../../src/sources/terraform/hcl.js';

const ID: ConditionAddition = { operator: 'StringEquals', key: 'sts:ExternalId', values: ['id-1'] };
const MFA: ConditionAddition = { operator: 'Bool', key: 'aws:MultiFactorAuthPresent', values: ['true'] };

function role(extra: Partial<RoleLocator> = {}): RoleLocator {
  return { resourceId: 't.yaml#R', resourceName: 'R', source: 'cloudformation', statementIndex: 0, ...extra };
}

function edit(locate: LocatePolicy, text: string, adds: ConditionAddition[], r = role()): string {
  const p = locate(text, r);
  if ('reason' in p) throw new Error(p.reason);
  return p.edit(new Map([[0, adds]]));
}

const yaml = (statement: string) =>
  `Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n${statement}`;

describe('YAML editor', () => {
  it('keeps CRLF line ends and adds a line end to a file without a last one', () => {
    const text = yaml('          - Effect: Allow\n            Action: sts:AssumeRole').replace(/\n/g, '\r\n');
    const out = edit(locateInYamlTemplate, text, [ID]);
    expect(out).toBe(
      `${text}\r\n            Condition:\r\n              StringEquals:\r\n                sts:ExternalId: "id-1"\r\n`,
    );
  });

  it('adds an operator to an existing flow-style Condition and a key to an existing block operator', () => {
    const flow = yaml(
      '          - Effect: Allow\n            Condition: { Bool: { aws:SecureTransport: "true" } }\n',
    );
    expect(edit(locateInYamlTemplate, flow, [ID])).toContain(
      'Condition: { Bool: { aws:SecureTransport: "true" }, StringEquals: { sts:ExternalId: "id-1" } }\n',
    );
    const block = yaml(
      '          - Effect: Allow\n            Condition:\n              Bool:\n                aws:SecureTransport: "true"\n',
    );
    expect(edit(locateInYamlTemplate, block, [ID, MFA])).toBe(
      yaml(
        '          - Effect: Allow\n            Condition:\n              Bool:\n                aws:SecureTransport: "true"\n                aws:MultiFactorAuthPresent: "true"\n              StringEquals:\n                sts:ExternalId: "id-1"\n',
      ),
    );
  });

  it('edits a single Statement map, and refuses an alias or a Transform', () => {
    const single =
      'Resources:\n  R:\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          Effect: Allow\n';
    expect(edit(locateInYamlTemplate, single, [ID])).toBe(
      `${single}          Condition:\n            StringEquals:\n              sts:ExternalId: "id-1"\n`,
    );
    const alias =
      'x: &s\n  Effect: Allow\nResources:\n  R:\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - *s\n';
    expect(locateInYamlTemplate(alias, role())).toEqual({ reason: 'statement 0 is built with the alias *s' });
    const transform =
      'Resources:\n  R:\n    Properties:\n      AssumeRolePolicyDocument:\n        Fn::Transform: { Name: X }\n';
    expect(locateInYamlTemplate(transform, role())).toEqual({
      reason: 'the trust policy is built with Fn::Transform',
    });
  });
});

describe('JSON editor', () => {
  it('indents with tabs in a tab-indented file', () => {
    const text =
      '{\n\t"Resources": {\n\t\t"R": {\n\t\t\t"Properties": {\n\t\t\t\t"AssumeRolePolicyDocument": {\n\t\t\t\t\t"Statement": {\n\t\t\t\t\t\t"Effect": "Allow"\n\t\t\t\t\t}\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t}\n}\n';
    expect(edit(locateInJsonTemplate, text, [ID])).toContain(
      '\t\t\t\t\t\t"Effect": "Allow",\n\t\t\t\t\t\t"Condition": {\n\t\t\t\t\t\t\t"StringEquals": {\n\t\t\t\t\t\t\t\t"sts:ExternalId": "id-1"\n',
    );
  });

  it('refuses a policy written as a JSON string', () => {
    const text =
      '{"Resources": {"R": {"Properties": {"AssumeRolePolicyDocument": "{\\"Statement\\": []}"}}}}';
    expect(locateInJsonTemplate(text, role())).toEqual({
      reason: 'the trust policy is written as a JSON string',
    });
  });
});

describe('HCL editor', () => {
  let parser: HclParser;
  beforeAll(async () => {
    parser = await createHclParser();
  });
  afterAll(() => parser.dispose());
  const tf = (r: Partial<RoleLocator>) => role({ resourceId: 'aws_iam_role.r', source: 'terraform', ...r });

  it('adds to an existing Condition operator in jsonencode', () => {
    const text =
      'resource "aws_iam_role" "r" {\n  assume_role_policy = jsonencode({\n    Statement = [{\n      Effect = "Allow"\n      Condition = {\n        StringEquals = {\n          "aws:PrincipalTag/team" = var.team\n        }\n      }\n    }]\n  })\n}\n';
    const out = edit(hclLocator(parser), text, [ID], tf({ line: 3, column: 18 }));
    expect(out).toContain(
      '          "aws:PrincipalTag/team" = var.team\n          "sts:ExternalId" = "id-1"\n        }\n',
    );
  });

  it('writes a condition block into a one-line statement block', () => {
    const text = 'data "aws_iam_policy_document" "t" {\n  statement { actions = ["sts:AssumeRole"] }\n}\n';
    const out = edit(hclLocator(parser), text, [ID], tf({ line: 2, column: 3 }));
    expect(out).toBe(
      'data "aws_iam_policy_document" "t" {\n  statement { actions = ["sts:AssumeRole"]\n    condition {\n      test     = "StringEquals"\n      variable = "sts:ExternalId"\n      values   = ["id-1"]\n    }\n  }\n}\n',
    );
  });

  it('refuses a statement from a conditional or a heredoc with directives', () => {
    const cond =
      'resource "aws_iam_role" "r" {\n  assume_role_policy = jsonencode({\n    Statement = var.on ? [{ Effect = "Allow" }] : []\n  })\n}\n';
    expect(hclLocator(parser)(cond, tf({ line: 3, column: 27 }))).toEqual({
      reason: 'the statement is inside a conditional expression',
    });
    const directive =
      'resource "aws_iam_role" "r" {\n  assume_role_policy = <<EOT\n{"Statement": [%{ for a in var.x }{"Effect": "Allow"}%{ endfor }]}\nEOT\n}\n';
    expect(hclLocator(parser)(directive, tf({ line: 3, column: 2 }))).toEqual({
      reason: 'the heredoc uses %{ } directives',
    });
  });
});
