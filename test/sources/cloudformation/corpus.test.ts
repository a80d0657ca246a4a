// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation writes ${Name} substitutions in plain strings.
/**
 * The CloudFormation source over the shared real-world corpus: CloudFormation/SAM/CDK templates, vendor
 * integration templates and snippets. Nothing may throw; every file that cannot be read is named with a
 * reason; the number of roles per folder is frozen (computed, inspected, then fixed here).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../src/model/types.js';
import { cloudformationSource } from '../../../src/sources/cloudformation/index.js';
import type { InputFile, SourceResult } from '../../../src/sources/types.js';
import { repoRoot, scanFiles, show, walk } from './helpers.js';

const corpus = resolve(repoRoot, '../shared/corpus');
const present = existsSync(join(corpus, 'cloudformation'));

/** `cloudformation/<repo>`, `vendor/<vendor>`, `snippets`. */
function folderOf(path: string): string {
  const parts = path.split('/');
  return parts[0] === 'snippets' ? 'snippets' : parts.slice(0, 2).join('/');
}

const ROLES_PER_FOLDER: Record<string, number> = {
  'cloudformation/aws-cdk-integ-snapshots': 9,
  // + 4: the roles of stack set bodies (StackSets/*-pkg.json strings, log-setup-management.json object).
  'cloudformation/aws-cloudformation-templates': 169,
  'cloudformation/aws-security-reference-architecture-examples': 93,
  'cloudformation/cfn-lint-fixtures': 63,
  'cloudformation/cfn_nag-test-templates': 57,
  'cloudformation/checkov-test-inputs': 42,
  'cloudformation/serverless-application-model': 819,
  'cloudformation/widdix-aws-cf-templates': 55,
  'vendor/cloudhealth': 1,
  'vendor/crowdstrike': 13,
  'vendor/datadog': 15,
  'vendor/dynatrace': 3,
  'vendor/ermetic-tenable': 2,
  'vendor/flexera': 3,
  'vendor/jupiterone': 2,
  // + 1: ProwlerScan again, inside the ProwlerScanStackSet's TemplateBody, with the parent's parameters.
  'vendor/prowler': 2,
  'vendor/trendmicro': 4,
};

const LINT = 'cloudformation/cfn-lint-fixtures/test/fixtures/templates';

/** Files that cannot be read as a template, and why (by error code). */
const UNREADABLE: [string, string][] = [
  [`${LINT}/bad/core/config_invalid_json.json`, 'json-syntax'],
  [`${LINT}/bad/core/config_invalid_yaml.yaml`, 'yaml-syntax'],
  [`${LINT}/bad/core/parse_invalid_map.yaml`, 'yaml-syntax'],
  [`${LINT}/bad/json_parse.json`, 'json-syntax'],
  [`${LINT}/bad/template.yaml`, 'yaml-syntax'],
  [
    'cloudformation/checkov-test-inputs/tests/cloudformation/parser/success_triple_quotes_string.json',
    'json-syntax',
  ],
  // A plain scalar holding ": " on a continuation line: not valid YAML.
  [
    'vendor/dynatrace/dynatrace-oss__cloud-snippets/aws/role-based-access/role_based_access_AG_account_multiple_monitoring_roles_template.yml',
    'yaml-syntax',
  ],
];

/** Read, but with duplicated keys (reported; the last one is scanned, as CloudFormation does). */
const DUPLICATES = [
  `${LINT}/bad/duplicate.json`,
  `${LINT}/bad/duplicate.yaml`,
  'vendor/flexera/flexera-public__aws-control-tower/template/flexeraOptimaAWSControlTower.yaml',
];

/** Every vendor role that trusts an AWS principal: principals and conditions as resolved with defaults. */
const VENDOR_TRUST = [
  'cloudhealth/mozilla__security/operations/cloudformation-templates/cloudhealth_iam_role.json#CloudHealthRole L19: AWS:arn:aws:iam::454464851268:root if StringEquals sts:ExternalId=938a62c1-808a-4b14-81e1-1cabf19b239d',
  'crowdstrike/CrowdStrike__cloud-aws-registration-cloudformation/crowdstrike_aws_cspm.json#CrowdStrikeCSPMRole L149: AWS:{arn:aws:iam::${CSAccountNumber}:role/${CSRoleName} | parameter CSAccountNumber (no default); parameter CSRoleName (no default)} if StringEquals sts:ExternalId={${ExternalID} | parameter ExternalID (no default)}',
  'crowdstrike/CrowdStrike__cloud-aws-registration-cloudformation/crowdstrike_aws_cspm.json#CrowdStrikeSensorManagementRole L290: AWS:{arn:aws:iam::${CSAccountNumber}:role/${CSRoleName} | parameter CSAccountNumber (no default); parameter CSRoleName (no default)} if StringEquals sts:ExternalId={${ExternalID} | parameter ExternalID (no default)}',
  'crowdstrike/CrowdStrike__cloud-aws-registration-cloudformation/crowdstrike_aws_gov_cspm.json#CrowdStrikeCSPMRole L150: AWS:{arn:aws-us-gov:iam::${CSAccountNumber}:role/${CSRoleName} | parameter CSAccountNumber (no default); parameter CSRoleName (no default)} if StringEquals sts:ExternalId={${ExternalID} | parameter ExternalID (no default)}',
  'crowdstrike/CrowdStrike__cloud-aws-registration-cloudformation/crowdstrike_aws_gov_cspm.json#CrowdStrikeSensorManagementRole L291: AWS:{arn:aws-us-gov:iam::${CSAccountNumber}:role/${CSRoleName} | parameter CSAccountNumber (no default); parameter CSRoleName (no default)} if StringEquals sts:ExternalId={${ExternalID} | parameter ExternalID (no default)}',
  'crowdstrike/CrowdStrike__cloud-aws-registration-cloudformation/init_crowdstrike_aws_cspm_register.yml#StackSetExecutionRole L300: AWS:arn:aws:iam::<deploying-account>:role/CrowdStrikeStackSetAdministrationRole',
  'crowdstrike/CrowdStrike__cloud-aws-registration-cloudformation/provision-only/init_crowdstrike_aws_cspm_provision.yml#StackSetExecutionRole L275: AWS:arn:aws:iam::<deploying-account>:role/CrowdStrikeStackSetAdministrationRole',
  'datadog/DataDog__cloudformation-template/aws/datadog_integration_role.yaml#DatadogIntegrationRole L73: AWS:arn:aws:iam::464622532012:root if StringEquals sts:ExternalId={${ExternalId} | parameter ExternalId (no default)}',
  'datadog/DataDog__cloudformation-template/aws_organizations/main_organizations.yaml#DatadogIntegrationRole [condition IsGov is false] L724: AWS:arn:aws:iam::464622532012:root if StringEquals sts:ExternalId={${DatadogAWSAccountIntegration.ExternalId} | Fn::GetAtt DatadogAWSAccountIntegration.ExternalId}',
  'datadog/DataDog__cloudformation-template/aws_organizations/main_organizations.yaml#DatadogIntegrationRole [condition IsGov is true, condition IsAWSGovCloud is true] L724: AWS:arn:aws-us-gov:iam::065115117704:root if StringEquals sts:ExternalId={${DatadogAWSAccountIntegration.ExternalId} | Fn::GetAtt DatadogAWSAccountIntegration.ExternalId}',
  'datadog/DataDog__cloudformation-template/aws_organizations/main_organizations.yaml#DatadogIntegrationRole [condition IsGov is true, condition IsAWSGovCloud is false] L724: AWS:arn:aws:iam::392588925713:root if StringEquals sts:ExternalId={${DatadogAWSAccountIntegration.ExternalId} | Fn::GetAtt DatadogAWSAccountIntegration.ExternalId}',
  'datadog/DataDog__cloudformation-template/aws_quickstart/datadog_agentless_delegate_role.yaml#ScannerDelegateRole L269: AWS:* if ArnLike aws:PrincipalArn={${ScannerInstanceRoleARN} | parameter ScannerInstanceRoleARN (no default)} & StringEquals aws:PrincipalTag/Datadog=true & StringEquals aws:PrincipalTag/DatadogAgentlessScanner=true',
  'datadog/DataDog__cloudformation-template/aws_quickstart/datadog_agentless_scanning.yaml#ScannerDelegateRole L733: AWS:* if ArnLike aws:PrincipalArn={arn:${AWS::Partition}:iam::<deploying-account>:role/${ScannerInstanceRole} | Fn::GetAtt ScannerInstanceRole.Arn (a role created in this stack)} & StringEquals aws:PrincipalTag/Datadog=true & StringEquals aws:PrincipalTag/DatadogAgentlessScanner=true',
  'datadog/DataDog__cloudformation-template/aws_quickstart/datadog_integration_role.yaml#DatadogIntegrationRole L61: AWS:arn:aws:iam::464622532012:root if StringEquals sts:ExternalId={${ExternalId} | parameter ExternalId (no default)}',
  'dynatrace/dynatrace-oss__cloud-snippets/aws/role-based-access/role_based_access_monitored_account_template.yml#MonitoringRole L148: AWS:{arn:aws:iam::${ActiveGateAccountID}:role/Dynatrace_ActiveGate_role | parameter ActiveGateAccountID (no default)}, AWS:509560245411 if StringEquals sts:ExternalId={${ExternalID} | parameter ExternalID (no default)}',
  'dynatrace/dynatrace-oss__cloud-snippets/aws/role-based-access/role_based_access_no_AG_template.yml#DynatraceMonitoringRole L135: AWS:509560245411 if StringEquals sts:ExternalId={${ExternalID} | parameter ExternalID (no default)}',
  'ermetic-tenable/ermetic__utilities/AWS/ControlTower/cloudformation/ermetic-controltower-managed-account.yaml#ErmeticRole L27: AWS:arn:aws:iam::081802104111:root if StringEquals sts:ExternalId={${ErmeticExternalId} | parameter ErmeticExternalId (no default)}',
  // FlexeraOrgId defaults to '': an empty external id, which pins nothing.
  'flexera/flexera-public__aws-control-tower/template/flexeraOptimaAWSControlTower.yaml#OptimaConnectRole L225: AWS:arn:aws:iam::451234325714:role/production_customer_access if StringEquals sts:ExternalId=',
  'jupiterone/JupiterOne__jupiterone-aws-cloudformation/cloudformation/iam-cloudformation/cloudformation-template.json#JupiterOneRole L255: AWS:arn:aws:iam::612791702201:root if StringEquals sts:ExternalId={${JupiterOneExternalId} | parameter JupiterOneExternalId (no default)}',
  'jupiterone/JupiterOne__jupiterone-aws-cloudformation/cloudformation/iam-cloudformation-detailed/cloudformation-template.json#JupiterOneRole L691: AWS:arn:aws:iam::612791702201:root if StringEquals sts:ExternalId={${JupiterOneExternalId} | parameter JupiterOneExternalId (no default)}',
  'prowler/prowler-cloud__prowler/permissions/templates/cloudformation/prowler-scan-role.yml#ProwlerScan L157: AWS:arn:aws:iam::232136659152:root if StringEquals sts:ExternalId={${ExternalId} | parameter ExternalId (no default)} & StringLike aws:PrincipalArn=arn:aws:iam::232136659152:role/prowler*',
  'prowler/prowler-cloud__prowler/permissions/templates/cloudformation/prowler-scan-role.yml#ProwlerScanStackSet/ProwlerScan L431: AWS:arn:aws:iam::232136659152:root if StringEquals sts:ExternalId={${ExternalId} | parameter ExternalId (no default)} & StringLike aws:PrincipalArn=arn:aws:iam::232136659152:role/prowler*',
  'trendmicro/aws-ia__cfn-abi-trend-cloudone/templates/trend-cloudone-onboard/workloadsecurity.template.yaml#WorkloadSecurityRole L65: AWS:arn:aws:iam::147995105371:root if StringEquals sts:ExternalId={${GetExternalID.ExternalID} | Fn::GetAtt GetExternalID.ExternalID}',
];

function trustSummary(x: Role): string | undefined {
  const sts = x.trustPolicy.statements.filter((s) => s.principals?.some((p) => p.type === 'AWS'));
  if (sts.length === 0) return undefined;
  const body = sts
    .map((s) => {
      const ps = (s.principals ?? []).map((p) => `${p.type}:${show(p.value)}`).join(', ');
      const cs = s.conditions
        .map((c) => `${c.operator} ${c.key}=${c.values.map(show).join('|')}`)
        .join(' & ');
      return cs ? `${ps} if ${cs}` : ps;
    })
    .join(' ; ');
  return `${x.id.replace(/^vendor\//, '')}${x.variant ? ` [${x.variant}]` : ''} L${sts[0]?.location?.line}: ${body}`;
}

describe.skipIf(!present)('shared corpus', () => {
  let files: InputFile[] = [];
  let claimed: InputFile[] = [];
  let result: SourceResult;

  beforeAll(async () => {
    files = ['cloudformation', 'vendor', 'snippets'].flatMap((sub) =>
      walk(join(corpus, sub)).map((abs) => ({
        path: relative(corpus, abs),
        absPath: abs,
        text: readFileSync(abs, 'utf8'),
        explicit: false,
      })),
    );
    claimed = files.filter((f) => cloudformationSource.claim(f));
    result = await scanFiles(files, { maxFileBytes: 20 * 1024 * 1024 });
  }, 300_000);

  it('claims the templates: every cloudformation folder, the vendors that ship CloudFormation, nothing in snippets', () => {
    const per: Record<string, number> = {};
    for (const f of claimed) per[folderOf(f.path)] = (per[folderOf(f.path)] ?? 0) + 1;
    expect(Object.keys(per).sort()).toEqual(Object.keys(ROLES_PER_FOLDER).sort());
    expect(per.snippets).toBeUndefined();
    // Terraform files are never claimed, whatever they mention.
    expect(claimed.some((f) => f.path.endsWith('.tf') || f.path.endsWith('.tpl'))).toBe(false);
  });

  it('the two empty cfn-lint fixtures are not claimed (nothing to scan)', () => {
    const empty = files
      .filter((f) => f.text.trim() === '' && f.path.startsWith('cloudformation/'))
      .map((f) => f.path);
    expect(empty.sort()).toEqual([`${LINT}/bad/empty_file.yaml`, `${LINT}/empty.yaml`]);
    expect(claimed.some((f) => empty.includes(f.path))).toBe(false);
  });

  it('names every file that cannot be read, with line, column and reason', () => {
    const parseCodes = new Set(['yaml-syntax', 'json-syntax', 'yaml-alias', 'empty']);
    const failed = result.errors.filter((e) => parseCodes.has(e.code));
    expect(failed.map((e) => [e.file, e.code])).toEqual(UNREADABLE);
    for (const e of failed) {
      expect(e.line).toBeGreaterThan(0);
      expect(e.column).toBeGreaterThan(0);
      expect(e.message.length).toBeGreaterThan(15);
      expect(result.roles.some((r) => r.id.startsWith(`${e.file}#`))).toBe(false);
    }
    // A repeated key is resolved (the last one, as CloudFormation keeps it) and scanned: a warning.
    expect(result.errors.some((e) => e.code === 'duplicate-key')).toBe(false);
    const dup = [
      ...new Set((result.warnings ?? []).filter((e) => e.code === 'duplicate-key').map((e) => e.file)),
    ];
    expect(dup).toEqual(DUPLICATES);
  });

  it('reports the other problems it met (roles without a trust policy), and nothing else', () => {
    const other = result.errors.filter(
      (e) => !['yaml-syntax', 'json-syntax', 'duplicate-key'].includes(e.code),
    );
    expect(other.map((e) => `${e.code} ${e.file}:${e.line}`)).toEqual([
      'cfn-no-trust-policy cloudformation/aws-cloudformation-templates/CloudFormation/MacrosExamples/ExecutionRoleBuilder/example.json:11',
      'cfn-no-trust-policy cloudformation/aws-cloudformation-templates/CloudFormation/MacrosExamples/ExecutionRoleBuilder/example.yaml:11',
      `cfn-no-trust-policy ${LINT}/bad/generic.yaml:25`,
      `cfn-no-trust-policy ${LINT}/bad/generic.yaml:27`,
      `cfn-no-trust-policy ${LINT}/integration/ref-no-value.yaml:24`,
      'cfn-no-trust-policy cloudformation/checkov-test-inputs/tests/cloudformation/checks/resource/aws/example_IAMRoleAllowAssumeFromAccount/UNKNOWN.yml:7',
    ]);
    expect(other[0]?.message).toMatch(/macro ExecutionRoleBuilder/);
  });

  it('finds the frozen number of roles per folder', () => {
    const per: Record<string, number> = {};
    for (const r of result.roles) per[folderOf(r.id)] = (per[folderOf(r.id)] ?? 0) + 1;
    expect(per).toEqual(ROLES_PER_FOLDER);
  });

  it('every role and every statement has a file, line and column', () => {
    for (const r of result.roles) {
      expect(r.source.location.line, r.id).toBeGreaterThan(0);
      expect(r.source.location.column, r.id).toBeGreaterThan(0);
      for (const s of r.trustPolicy.statements) {
        expect(s.location?.file, r.id).toBe(r.source.location.file);
        expect(s.location?.line, `${r.id} statement ${s.index}`).toBeGreaterThan(0);
      }
    }
  });

  it('resolves every vendor role that trusts an AWS principal to these principals and conditions', () => {
    const got = result.roles
      .filter((r) => r.id.startsWith('vendor/'))
      .map(trustSummary)
      .filter((s): s is string => s !== undefined);
    expect(got).toEqual(VENDOR_TRUST);
  });
});
