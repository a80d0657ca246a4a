import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyZone } from '../../src/analysis/zone.js';
import type { Finding } from '../../src/findings/types.js';
import { runScan, type ScanResult } from '../../src/scan/run.js';
import { fileSources } from '../../src/sources/index.js';
import { corpusFolder } from './summarise.js';

/**
 * TA002-TA005 on the real-world corpus (/work/shared/corpus, see its README), scanned with an empty zone
 * of trust through the library function the CLI uses. The counts were inspected by hand (see the rule
 * docs and the report of the issue that added the rules) and frozen here; a change in them is a change
 * in what the rules say about real templates and must be reviewed.
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const corpusDir = resolve(repoRoot, '../shared/corpus');
const SCAN_TIMEOUT = 600_000;
const RULES = ['TA002', 'TA003', 'TA004', 'TA005'] as const;

function count(
  findings: readonly Finding[],
  folderOf: (file: string) => string,
): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const f of findings) {
    if (!(RULES as readonly string[]).includes(f.ruleId)) continue;
    const folder = folderOf(f.location.file);
    out[folder] ??= {};
    const row = out[folder] as Record<string, number>;
    row[f.ruleId] = (row[f.ruleId] ?? 0) + 1;
  }
  return Object.fromEntries(
    Object.entries(out)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => [k, Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))]),
  );
}

const topLevel = (file: string): string => file.replaceAll('\\', '/').split('/')[0] ?? file;

describe('rules TA002-TA005 on the real-world corpus', () => {
  let result: ScanResult;
  let ours: Finding[];

  beforeAll(async () => {
    result = await runScan({ paths: ['.'], cwd: corpusDir, zone: emptyZone(), today: '2026-01-01' });
    ours = result.findings.filter((f) => (RULES as readonly string[]).includes(f.ruleId));
  }, SCAN_TIMEOUT);

  it('the CloudFormation and Terraform sources are registered', () => {
    const names = fileSources.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([expect.stringMatching(/cloudformation/i), expect.stringMatching(/terraform/i)]),
    );
  });

  it('findings per top-level corpus folder (frozen)', () => {
    expect(count(ours, topLevel)).toEqual({
      'account-authorization-details': { TA002: 23, TA003: 1 },
      // 304 -> 308: StackSet TemplateBody/TemplateURL bodies are now read as templates (issue 13 item 7):
      // S3 and EventBridge service roles inside aws-cloudformation-templates' StackSets/*-pkg.json,
      // common-resources-stackset.yaml and log-setup-management.yaml.
      cloudformation: { TA002: 308, TA003: 7, TA004: 1 },
      // Read since the new sources: Crossplane service roles and a Cognito federation without
      // aud/amr; Pulumi and Serverless service roles without source conditions.
      kubernetes: { TA002: 2, TA004: 1 },
      pulumi: { TA002: 2 },
      serverless: { TA002: 4 },
      // Terraform ids became unique per root folder / plan file, so roles of one module called from
      // several example roots (and the same address in several plans) are no longer merged.
      // 56 -> 50: six service roles of module calls with create = false / count = 0 (five in EKS, one
      // in the control tower) are no longer reported: Terraform never creates them.
      terraform: { TA002: 50, TA003: 2, TA004: 1 },
      // Terragrunt layouts: an EventBridge role, and a GitHub OIDC role whose condition key is computed.
      terragrunt: { TA002: 1, TA004: 1 },
      vendor: { TA002: 13 },
    });
  });

  it('findings per corpus source (frozen)', () => {
    expect(count(ours, corpusFolder)).toEqual({
      'account-authorization-details/cloudmapper': { TA002: 1, TA003: 1 },
      'account-authorization-details/cloudsplaining': { TA002: 22 },
      'cloudformation/aws-cdk-integ-snapshots': { TA002: 2, TA003: 3 },
      // 72 -> 76: the four service roles of StackSet bodies, see above.
      'cloudformation/aws-cloudformation-templates': { TA002: 76 },
      'cloudformation/aws-security-reference-architecture-examples': { TA002: 32 },
      'cloudformation/cfn-lint-fixtures': { TA002: 11 },
      'cloudformation/cfn_nag-test-templates': { TA002: 5 },
      'cloudformation/checkov-test-inputs': { TA002: 14, TA003: 4, TA004: 1 },
      'cloudformation/serverless-application-model': { TA002: 148 },
      'cloudformation/widdix-aws-cf-templates': { TA002: 20 },
      'kubernetes/crossplane-contrib__provider-aws': { TA002: 2, TA004: 1 },
      'pulumi/pulumi__examples': { TA002: 2 },
      'serverless/serverless__serverless-graphql': { TA002: 4 },
      'terraform/checkov-test-inputs': { TA002: 15, TA003: 1, TA004: 1 },
      // One and five service roles of disabled module calls (count = 0) are gone: see above.
      'terraform/terraform-aws-control_tower_account_factory': { TA002: 13 },
      'terraform/terraform-aws-eks': { TA002: 14 },
      'terraform/terraform-aws-iam': { TA002: 1 },
      'terraform/terraform-aws-iam-v5.60.0': { TA002: 7, TA003: 1 },
      'terragrunt/cds-snc__cloud-based-sensor': { TA002: 1 },
      'terragrunt/gruntwork-io__terragrunt-scale-catalog': { TA004: 1 },
      'vendor/aquasec': { TA002: 3 },
      'vendor/crowdstrike': { TA002: 4 },
      'vendor/sysdig': { TA002: 6 },
    });
  });

  it('TA002 stays quiet on Lambda, EC2 and the other services that send no source keys', () => {
    const services = new Set(
      ours.filter((f) => f.ruleId === 'TA002').flatMap((f) => f.principals.map((p) => p.value)),
    );
    for (const s of [
      'lambda.amazonaws.com',
      'ec2.amazonaws.com',
      'apigateway.amazonaws.com',
      'edgelambda.amazonaws.com',
    ])
      expect(services.has(s), s).toBe(false);
    // SAM: most implicit roles are function execution roles; only Step Functions, AppSync, EventBridge,
    // EventBridge Scheduler and CodeDeploy roles are reported.
    const sam = ours.filter(
      (f) =>
        f.ruleId === 'TA002' && f.location.file.startsWith('cloudformation/serverless-application-model/'),
    );
    expect(
      new Set(sam.flatMap((f) => f.principals.map((p) => p.value.replace(/\$\{[^}]*\}\./, '')))),
    ).toEqual(
      new Set([
        'states.amazonaws.com',
        'appsync.amazonaws.com',
        'events.amazonaws.com',
        'codedeploy.amazonaws.com',
        'scheduler.amazonaws.com',
      ]),
    );
  });

  it('TA003: the CloudMapper demo role open to everyone is critical; an undeclared organization is high', () => {
    const bad = ours.find((f) => f.ruleId === 'TA003' && f.resource.name === 'bad_role');
    expect(bad?.severity).toBe('critical');
    const org = ours.find((f) => f.ruleId === 'TA003' && f.location.file.includes('integ.role.js.snapshot'));
    expect(org?.severity).toBe('high');
    expect(org?.message).toContain('o-12345abcde');
  });

  it('TA004: the checkov GitHub OIDC fixtures are judged with AWS semantics', () => {
    const names = ours
      .filter(
        (f) => f.ruleId === 'TA004' && f.location.file.includes('example_GithubActionsOIDCTrustPolicyOnRole'),
      )
      .map((f) => f.resource.name);
    // Only the role without any sub condition; StringEquals "*" / "repo:*" are literal values no token carries,
    // and a condition on another issuer's key ("token.actions.githubusercontent.com/github-org:sub") is never met.
    expect(names).toEqual(['fail1']);
  });

  it('TA005: one statement listing several accounts of one vendor is not sharing (JupiterOne)', () => {
    expect(ours.filter((f) => f.ruleId === 'TA005')).toEqual([]);
  });
});
