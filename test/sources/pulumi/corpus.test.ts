/**
 * The Pulumi source over the shared corpus (`../shared/corpus/pulumi`): 4 files, 4 roles, and the
 * pulumi-aws-iam component resources that create roles, each reported as not expanded.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pulumiSource } from '../../../src/sources/pulumi/index.js';
import { corpus, inputsUnder, scanWith } from '../kubernetes/helpers.js';

const dir = join(corpus, 'pulumi');

describe.runIf(existsSync(dir))('pulumi corpus', () => {
  it('finds the 4 roles and reports the 7 role-creating components', async () => {
    const files = inputsUnder(dir);
    expect(files.filter((f) => pulumiSource.claim(f))).toHaveLength(4);
    const r = await scanWith(pulumiSource, files, { root: corpus });
    expect(r.roles.map((x) => `${x.id} ${x.source.location.line}`)).toEqual([
      'pulumi__examples/aws-yaml-langserve/Pulumi.yaml#langserve-execution-role 107',
      'pulumi__examples/aws-yaml-langserve/Pulumi.yaml#langserve-task-role 347',
      'pulumi__pulumi-aws-native/examples/unordered-collections/Pulumi.yaml#unordered-policies 31',
      'pulumi__templates/serverless-aws-yaml/Pulumi.yaml#role 13',
    ]);
    const services = r.roles.map((x) => x.trustPolicy.statements[0]?.principals?.[0]?.value);
    expect(services).toEqual([
      'ecs-tasks.amazonaws.com',
      'ecs-tasks.amazonaws.com',
      'lambda.amazonaws.com',
      'lambda.amazonaws.com',
    ]);
    expect(r.errors).toEqual([]);
    const warnings = r.warnings ?? [];
    expect(warnings.map((e) => `${e.line} ${e.code} ${e.message.split(' ')[0]}`)).toEqual([
      '17 pulumi-component-not-expanded "assumableRole"',
      '30 pulumi-component-not-expanded "assumableRoleWithOidc"',
      '42 pulumi-component-not-expanded "assumableRoleWithSaml"',
      '54 pulumi-component-not-expanded "assumableRoles"',
      '65 pulumi-component-not-expanded "assumableRolesWithSaml"',
      '73 pulumi-component-not-expanded "eksRole"',
      '144 pulumi-component-not-expanded "roleForServiceAccountsEks"',
    ]);
    // The MFA inputs are named, so the reader sees what the component was asked for.
    expect(warnings[0]?.message).toContain('role.requiresMfa: true');
    expect(warnings[3]?.message).toContain('readonly.requiresMfa: true');
  });
});
