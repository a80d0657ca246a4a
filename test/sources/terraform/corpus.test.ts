// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform `${...}` text is data here
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../../src/model/types.js';
import { terraformSource } from '../../../src/sources/terraform/index.js';
import { vendorSummary } from './corpus-summary.js';
import { corpusDir, ctxFor, inputsUnder } from './helpers.js';

/**
 * The Terraform files of the shared corpus (terraform/, vendor/, snippets/): nothing throws, every
 * failure is named, and the number of roles per corpus folder is frozen (computed, inspected, then
 * written here). Called modules are expanded from their callers (examples/ -> modules/), so a module
 * role counts once per call site.
 */
const ROLES_PER_FOLDER: Record<string, number> = {
  'terraform/checkov-test-inputs': 63,
  'terraform/cloudposse-terraform-aws-iam-role': 1,
  'terraform/hashicorp-terraform-dynamic-credentials-setup-examples': 2,
  'terraform/moj-modernisation-platform-github-oidc-role': 2,
  // Instances (issue 13): roles with a known `count = 0` / empty `for_each` no longer exist (AFT's
  // replication role off by default), and `aws_iam_role.x[0]` replaces the one symbolic `aws_iam_role.x`.
  'terraform/terraform-aws-control_tower_account_factory': 39,
  // `disabled_*` calls (create = false), node groups / Fargate profiles over empty default maps, and
  // roles behind feature flags that default to false are not created by Terraform either.
  'terraform/terraform-aws-eks': 43,
  // module.disabled / iam_role_disabled (create = false).
  'terraform/terraform-aws-iam': 27,
  // Disabled example modules and roles whose count is known to be 0.
  'terraform/terraform-aws-iam-v5.60.0': 57,
  // terraform/unfunco-terraform-aws-oidc-github: no role any more. The module's role has
  // `count = local.create_iam_role ? 1 : 0`, false with the examples' empty github_subjects.
  'vendor/aquasec': 11,
  'vendor/cloudhealth': 1,
  'vendor/dynatrace': 2,
  'vendor/jupiterone': 2,
  // inaccount-scanner-client: count is 0 while inaccount_scanner_account_id is null (its default).
  'vendor/orca': 1,
  'vendor/prowler': 1,
  'vendor/snowflake': 3,
  'vendor/sysdig': 23,
  'vendor/upwind': 4,
};

/** Every ScanError of the corpus: trust policies that evaluate to an empty string. */
const EXPECTED_ERRORS = [
  'policy-json terraform/checkov-test-inputs/tests/terraform/checks/resource/aws/example_DLMScheduleCrossRegionEncryption/main.tf:108',
  'policy-json terraform/checkov-test-inputs/tests/terraform/checks/resource/aws/example_DLMScheduleCrossRegionEncryptionWithCMK/main.tf:166',
  'policy-json terraform/checkov-test-inputs/tests/terraform/checks/resource/aws/example_IAMRoleAllowAssumeFromAccount/main.tf:83',
  'policy-json terraform/checkov-test-inputs/tests/terraform/graph/checks/resources/SageMakerIAMPolicyOverlyPermissiveToAllTraffic/main.tf:14',
  'policy-json terraform/checkov-test-inputs/tests/terraform/graph/checks/resources/SageMakerIAMPolicyOverlyPermissiveToAllTraffic/main.tf:35',
  'policy-json terraform/checkov-test-inputs/tests/terraform/graph/checks/resources/SageMakerIAMPolicyOverlyPermissiveToAllTraffic/main.tf:46',
  'policy-json terraform/checkov-test-inputs/tests/terraform/graph/resources/encryption/main.tf:214',
  // module.oidc_github.assume_role_policy is "" with the example's default (empty) github_subjects.
  'policy-json terraform/unfunco-terraform-aws-oidc-github/examples/multiple-roles/main.tf:20',
  'policy-json terraform/unfunco-terraform-aws-oidc-github/examples/multiple-roles/main.tf:31',
];

function folderOf(file: string): string {
  return file.split('/').slice(0, 2).join('/');
}

describe('terraform source over the shared corpus', async () => {
  const all = ['terraform', 'vendor', 'snippets'].flatMap((d) =>
    inputsUnder(path.join(corpusDir, d), corpusDir),
  );
  const files = all.filter((f) => terraformSource.claim(f));
  const { roles, errors } = await terraformSource.load(files, ctxFor(files));

  it('claims the .tf files and the 8 plan JSON files, nothing else', () => {
    expect(files.filter((f) => f.path.endsWith('.tf')).length).toBe(
      all.filter((f) => f.path.endsWith('.tf')).length,
    );
    expect(files.filter((f) => f.path.endsWith('.json')).length).toBe(8);
    expect(files.every((f) => /\.(tf|tfvars|json)$/.test(f.path))).toBe(true);
  });

  it('names every failure (code, file, line)', () => {
    expect(errors.map((e) => `${e.code} ${e.file}:${e.line}`).sort()).toEqual([...EXPECTED_ERRORS].sort());
    for (const e of errors) expect(e.message).toMatch(/empty string/);
  });

  it('finds the frozen number of roles per folder', () => {
    const counts: Record<string, number> = {};
    for (const r of roles)
      counts[folderOf(r.source.location.file)] = (counts[folderOf(r.source.location.file)] ?? 0) + 1;
    expect(counts).toEqual(ROLES_PER_FOLDER);
  });

  it('locates every role, statement and principal in a corpus file with a line', () => {
    const bad = (r: Role): string[] => {
      const out: string[] = [];
      if (!r.source.location.line) out.push(`${r.id}: no line`);
      for (const s of r.trustPolicy.statements) {
        if (!s.location?.line || !s.location.file) out.push(`${r.id}#${s.index}: statement not located`);
        for (const p of [...(s.principals ?? []), ...(s.notPrincipals ?? [])])
          if (!p.location?.line) out.push(`${r.id}#${s.index}: principal not located`);
        for (const c of s.conditions)
          if (!c.location?.line) out.push(`${r.id}#${s.index}: condition not located`);
      }
      return out;
    };
    expect(roles.flatMap(bad)).toEqual([]);
  });

  it('resolves the vendor roles that trust an AWS principal (principal and conditions)', () => {
    expect(vendorSummary(roles)).toEqual([
      'aquasec/lambda/main.tf:103 module.lambda.aws_iam_role.agentless_role[0]#0 P=[AWS:<arn:aws:iam::${var.aqua_volscan_aws_account_id}:root | var.aqua_volscan_aws_account_id (no default)>] C=[StringEquals sts:ExternalId = <${jsondecode(aws_lambda_invocation.generate_volscan_external_id_function[0].result)["ExternalId"]} | aws_lambda_invocation.generate_volscan_external_id_function[0].result (known after apply)>]',
      'aquasec/lambda/main.tf:197 module.lambda.aws_iam_role.cspm_role#0 P=[AWS:<arn:aws:iam::${var.aqua_cspm_aws_account_id}:role/${var.aqua_cspm_role_prefix}lambda-cloudsploit-api | var.aqua_cspm_aws_account_id (no default), var.aqua_cspm_role_prefix (no default)>] C=[StringEquals sts:ExternalId = <${jsondecode(aws_lambda_invocation.generate_cspm_external_id_function.result)["ExternalId"]} | aws_lambda_invocation.generate_cspm_external_id_function.result (known after apply)>; IpAddress aws:SourceIp = <${var.aqua_cspm_ipv4_address} | var.aqua_cspm_ipv4_address (no default)>]',
      'aquasec/lambda/main.tf:197 module.lambda.aws_iam_role.cspm_role#1 P=[AWS:<arn:aws:iam::${var.aqua_cspm_aws_account_id}:role/${var.aqua_cspm_role_prefix}lambda-cloudsploit-collector | var.aqua_cspm_aws_account_id (no default), var.aqua_cspm_role_prefix (no default)>] C=[StringEquals sts:ExternalId = <${jsondecode(aws_lambda_invocation.generate_cspm_external_id_function.result)["ExternalId"]} | aws_lambda_invocation.generate_cspm_external_id_function.result (known after apply)>; IpAddress aws:SourceIp = <${var.aqua_cspm_ipv4_address} | var.aqua_cspm_ipv4_address (no default)>]',
      'aquasec/lambda/main.tf:197 module.lambda.aws_iam_role.cspm_role#2 P=[AWS:<arn:aws:iam::${var.aqua_cspm_aws_account_id}:role/${var.aqua_cspm_role_prefix}lambda-cloudsploit-remediator | var.aqua_cspm_aws_account_id (no default), var.aqua_cspm_role_prefix (no default)>] C=[StringEquals sts:ExternalId = <${jsondecode(aws_lambda_invocation.generate_cspm_external_id_function.result)["ExternalId"]} | aws_lambda_invocation.generate_cspm_external_id_function.result (known after apply)>; IpAddress aws:SourceIp = <${var.aqua_cspm_ipv4_address} | var.aqua_cspm_ipv4_address (no default)>]',
      'aquasec/lambda/main.tf:197 module.lambda.aws_iam_role.cspm_role#3 P=[AWS:<arn:aws:iam::${var.aqua_cspm_aws_account_id}:role/${var.aqua_cspm_role_prefix}lambda-cloudsploit-tasks | var.aqua_cspm_aws_account_id (no default), var.aqua_cspm_role_prefix (no default)>] C=[StringEquals sts:ExternalId = <${jsondecode(aws_lambda_invocation.generate_cspm_external_id_function.result)["ExternalId"]} | aws_lambda_invocation.generate_cspm_external_id_function.result (known after apply)>; IpAddress aws:SourceIp = <${var.aqua_cspm_ipv4_address} | var.aqua_cspm_ipv4_address (no default)>]',
      'aquasec/lambda/main.tf:197 module.lambda.aws_iam_role.cspm_role#4 P=[AWS:<${var.aqua_worker_role_arn} | var.aqua_worker_role_arn (no default)>] C=[]',
      'aquasec/lambda/main.tf:449 module.lambda.aws_iam_role.registry_scanning_role[0]#0 P=[AWS:<${var.aqua_worker_role_arn} | var.aqua_worker_role_arn (no default)>] C=[]',
      'aquasec/lambda/main.tf:498 module.lambda.aws_iam_role.serverless_scanning_role[0]#0 P=[AWS:<${var.aqua_worker_role_arn} | var.aqua_worker_role_arn (no default)>] C=[]',
      'aquasec/stackset/main.tf:44 module.stackset.aws_iam_role.stackset_execution_role[0]#0 P=[AWS:<arn:aws:iam::<deploying-account>:role/${aws_iam_role.stackset_admin_role.name} | aws_iam_role.stackset_admin_role[0].arn (a role this configuration creates, known after apply)>] C=[]',
      'cloudhealth/role/role.tf:60 aws_iam_role.cht_iam_role#0 P=[AWS:arn:aws:iam::454464851268:root] C=[StringEquals sts:ExternalId = ]',
      'dynatrace/dynatrace_monitoring_role/main.tf:27 aws_iam_role.monitoring_role#0 P=[AWS:509560245411] C=[StringEquals sts:ExternalId = <${var.external_id} | var.external_id (no default)>]',
      'jupiterone/iam-cloudformation/terraform.tf:1 aws_iam_role.jupiterone#0 P=[AWS:arn:aws:iam::612791702201:root, AWS:arn:aws:iam::592277296164:root, AWS:arn:aws:iam::543056157939:root, AWS:arn:aws:iam::688694159727:root, AWS:arn:aws:iam::248422699954:root, AWS:arn:aws:iam::703115985002:root] C=[StringEquals sts:ExternalId = <External Id>]',
      'jupiterone/iam-cloudformation-detailed/terraform.tf:1 aws_iam_role.jupiterone#0 P=[AWS:arn:aws:iam::612791702201:root, AWS:arn:aws:iam::592277296164:root, AWS:arn:aws:iam::543056157939:root, AWS:arn:aws:iam::688694159727:root, AWS:arn:aws:iam::248422699954:root, AWS:arn:aws:iam::703115985002:root] C=[StringEquals sts:ExternalId = <External Id>]',
      'orca/paulstakem__terraform-aws-onboarding-aws/main.tf:9 aws_iam_role.role#0 P=[AWS:arn:aws:iam::976280145156:root] C=[StringEquals sts:ExternalId = <${var.role_external_id} | var.role_external_id (no default)>]',
      'prowler/terraform/main.tf:44 aws_iam_role.prowler_scan#0 P=[AWS:arn:aws:iam::232136659152:root] C=[StringEquals sts:ExternalId = <${var.external_id} | var.external_id (no default)>; StringLike aws:PrincipalArn = arn:aws:iam::232136659152:role/prowler*]',
      'snowflake/Snowflake-Labs__terraform-snowflake-api-integration-with-geff-aws/iam.tf:38 aws_iam_role.gateway_caller#0 P=[AWS:<${snowflake_api_integration.geff_api_integration.api_aws_iam_user_arn} | snowflake_api_integration.geff_api_integration.api_aws_iam_user_arn (known after apply)>] C=[StringEquals sts:ExternalId = <${snowflake_api_integration.geff_api_integration.api_aws_external_id} | snowflake_api_integration.geff_api_integration.api_aws_external_id (known after apply)>]',
      'sysdig/agentless-scanning/main.tf:104 aws_iam_role.scanning_stackset_execution_role[0]#0 P=[AWS:<arn:aws:iam::<deploying-account>:role/${aws_iam_role.scanning_stackset_admin_role.name} | aws_iam_role.scanning_stackset_admin_role[0].arn (a role this configuration creates, known after apply)>] C=[]',
      'sysdig/config-posture/main.tf:29 aws_iam_role.cspm_role#0 P=[AWS:<${data.sysdig_secure_trusted_cloud_identity.trusted_identity.identity} | data.sysdig_secure_trusted_cloud_identity.trusted_identity.identity (read at plan time)>] C=[StringEquals sts:ExternalId = <${data.sysdig_secure_tenant_external_id.external_id.external_id} | data.sysdig_secure_tenant_external_id.external_id.external_id (read at plan time)>]',
      'sysdig/cloud-logs/main.tf:108 aws_iam_role.cloudlogs_s3_access[0]#0 P=[AWS:<${data.sysdig_secure_trusted_cloud_identity.trusted_identity.identity} | data.sysdig_secure_trusted_cloud_identity.trusted_identity.identity (read at plan time)>] C=[StringEquals sts:ExternalId = <${data.sysdig_secure_tenant_external_id.external_id.external_id} | data.sysdig_secure_tenant_external_id.external_id.external_id (read at plan time)>]',
      'sysdig/cross-account-event-bridge/main.tf:97 aws_iam_role.event_bus_stackset_execution_role[0]#0 P=[AWS:<arn:aws-us-gov:iam::<deploying-account>:role/${aws_iam_role.event_bus_stackset_admin_role[0].name} | aws_iam_role.event_bus_stackset_admin_role[0].name (known after apply)>] C=[]',
      'sysdig/cross-account-event-bridge/main.tf:137 aws_iam_role.event_bus_invoke_remote_event_bus#1 P=[AWS:<${data.sysdig_secure_trusted_cloud_identity.trusted_identity.gov_identity} | data.sysdig_secure_trusted_cloud_identity.trusted_identity.gov_identity (read at plan time)>] C=[StringEquals sts:ExternalId = <${data.sysdig_secure_tenant_external_id.external_id.external_id} | data.sysdig_secure_tenant_external_id.external_id.external_id (read at plan time)>]',
      'sysdig/event-bridge/main.tf:90 aws_iam_role.event_bus_stackset_execution_role[0]#0 P=[AWS:<arn:aws:iam::<deploying-account>:role/${aws_iam_role.event_bus_stackset_admin_role[0].name} | aws_iam_role.event_bus_stackset_admin_role[0].name (known after apply)>] C=[]',
      'sysdig/event-bridge/main.tf:129 aws_iam_role.event_bridge_api_destination_role#1 P=[AWS:<${data.sysdig_secure_trusted_cloud_identity.trusted_identity.identity} | data.sysdig_secure_trusted_cloud_identity.trusted_identity.identity (read at plan time)>] C=[StringEquals sts:ExternalId = <${data.sysdig_secure_tenant_external_id.external_id.external_id} | data.sysdig_secure_tenant_external_id.external_id.external_id (read at plan time)>]',
      'sysdig/onboarding/main.tf:29 aws_iam_role.onboarding_role#0 P=[AWS:<${data.sysdig_secure_trusted_cloud_identity.trusted_identity.identity} | data.sysdig_secure_trusted_cloud_identity.trusted_identity.identity (read at plan time)>] C=[StringEquals sts:ExternalId = <${data.sysdig_secure_tenant_external_id.external_id.external_id} | data.sysdig_secure_tenant_external_id.external_id.external_id (read at plan time)>]',
      'sysdig/response-actions/main.tf:174 aws_iam_role.lambda_stackset_execution_role[0]#0 P=[AWS:<arn:aws:iam::<deploying-account>:role/${aws_iam_role.lambda_stackset_admin_role.name} | aws_iam_role.lambda_stackset_admin_role[0].arn (a role this configuration creates, known after apply)>] C=[]',
      'sysdig/response-actions/main.tf:267 aws_iam_role.shared_cross_account_lambda_invoker#0 P=[AWS:<${data.sysdig_secure_trusted_cloud_identity.trusted_identity.identity} | data.sysdig_secure_trusted_cloud_identity.trusted_identity.identity (read at plan time)>] C=[StringEquals sts:ExternalId = <${data.sysdig_secure_tenant_external_id.external_id.external_id} | data.sysdig_secure_tenant_external_id.external_id.external_id (read at plan time)>]',
      'sysdig/response-actions/main.tf:340 aws_iam_role.validation_role#0 P=[AWS:<${data.sysdig_secure_trusted_cloud_identity.trusted_identity.identity} | data.sysdig_secure_trusted_cloud_identity.trusted_identity.identity (read at plan time)>] C=[StringEquals sts:ExternalId = <${data.sysdig_secure_tenant_external_id.external_id.external_id} | data.sysdig_secure_tenant_external_id.external_id.external_id (read at plan time)>]',
      'sysdig/vm-workload-scanning/main.tf:108 aws_iam_role.scanning#0 P=[AWS:<${data.sysdig_secure_trusted_cloud_identity.trusted_identity.identity} | data.sysdig_secure_trusted_cloud_identity.trusted_identity.identity (read at plan time)>] C=[StringEquals sts:ExternalId = <${data.sysdig_secure_tenant_external_id.cloud_auth_external_id.external_id} | data.sysdig_secure_tenant_external_id.cloud_auth_external_id.external_id (read at plan time)>]',
      'upwind/iam_account_service_role/main.tf:5 aws_iam_role.account_service_role#0 P=[AWS:<${var.trusted_arn} | var.trusted_arn (no default)>] C=[StringEquals sts:ExternalId = <${var.external_id} | var.external_id (no default)>]',
      'upwind/iam_cloudscanner_execution_role/main.tf:4 aws_iam_role.cloudscanner_execution_role#0 P=[AWS:arn:aws:iam:::root] C=[ArnLike aws:PrincipalArn = arn:aws:iam:::role/]',
      'upwind/iam_org_discovery_role/main.tf:1 aws_iam_role.organization_service_role#0 P=[AWS:<${var.trusted_arn} | var.trusted_arn (no default)>] C=[StringEquals sts:ExternalId = <${var.external_id} | var.external_id (no default)>]',
    ]);
  });
});
