// biome-ignore-all lint/suspicious/noTemplateCurlyInString: unknowns are written as ${name} placeholders.
/**
 * The Ansible part of the shared corpus (../shared/corpus/ansible, see its README: 9 roles, 1
 * cross-account trust, protected by sts:ExternalId), through the library function the CLI uses.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyZone } from '../../../src/analysis/zone.js';
import { isSymbolic } from '../../../src/model/types.js';
import { runScan, type ScanResult } from '../../../src/scan/run.js';
import { corpusDir } from '../../helpers/cli.js';

const dir = join(corpusDir, 'ansible');

describe.runIf(existsSync(dir))('corpus: ansible', () => {
  let result: ScanResult;
  beforeAll(async () => {
    result = await runScan({ paths: ['.'], cwd: dir, zone: emptyZone(), today: '2026-01-01' });
  }, 120_000);

  it('finds the 9 roles the README counts (the ec2 roles looped per student count once)', () => {
    const roles = result.roles.filter((r) => r.source.kind === 'ansible-task');
    expect(roles.map((r) => `${r.source.location.file.split('/').pop()} ${r.name}`).sort()).toEqual(
      [
        'cluster_instance_provision.yml ControlNode_{{ ec2_name_prefix }}_student{{ item }}',
        'cluster_instance_provision.yml VPCLockDown_{{ ec2_name_prefix }}_student{{ item }}',
        'setup_aws.yml {{ __data_aws_access_role_name }}',
        'setup_aws_authz.yml {{ plat__aws_datalake_admin_role_name }}',
        'setup_aws_authz.yml {{ plat__aws_idbroker_role_name }}',
        'setup_aws_authz.yml {{ plat__aws_log_role_name }}',
        'setup_aws_authz.yml {{ plat__aws_ranger_audit_role_name }}',
        'setup_aws_authz.yml {{ plat__aws_xaccount_role_name }}',
        'setup_aws_utility_service.yml {{ infra__utlity_bucket_name }}',
      ].sort(),
    );
    expect(result.errors).toEqual([]);
  });

  it("reads the workshops' lookup('file', 'AssumeRole_policy.json') from the role's files/ folder", () => {
    const r = result.roles.find((x) => x.name.startsWith('VPCLockDown_'));
    expect(r?.trustPolicy.statements[0]?.location?.file).toBe(
      'ansible__workshops/roles/manage_ec2_instances/files/AssumeRole_policy.json',
    );
    expect(r?.trustPolicy.statements[0]?.principals?.[0]).toMatchObject({
      type: 'Service',
      value: 'ec2.amazonaws.com',
    });
  });

  it('the CDP cross-account role is protected by its external id: no TA001 for it', () => {
    const x = result.roles.find((r) => r.name === '{{ plat__aws_xaccount_role_name }}');
    const principal = x?.trustPolicy.statements[0]?.principals?.[0]?.value;
    expect(isSymbolic(principal) && principal.text).toBe(
      'arn:aws:iam::${plat__aws_xaccount_account_id}:root',
    );
    expect(result.findings.filter((f) => f.resource.name === x?.name)).toEqual([]);
  });

  it('roles whose principal account comes from a run-time fact are possible third parties (values not in the corpus)', () => {
    // plat__aws_caller_account and __data_aws_idbroker_role_arn are set by set_fact from results
    // registered in files the corpus does not hold, so they stay unknown.
    const flagged = result.findings
      .filter((f) => f.ruleId === 'TA001')
      .map((f) => f.resource.name)
      .sort();
    expect(flagged).toEqual([
      '{{ __data_aws_access_role_name }}',
      '{{ plat__aws_datalake_admin_role_name }}',
      '{{ plat__aws_ranger_audit_role_name }}',
    ]);
  });
});
