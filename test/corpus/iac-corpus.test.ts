import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyZone } from '../../src/analysis/zone.js';
import { loadKnownAccounts } from '../../src/config/known-accounts.js';
import { sarifReporter } from '../../src/reporters/sarif.js';
import { wholeText } from '../../src/reporters/types.js';
import { buildReport } from '../../src/scan/report.js';
import { runScan, type ScanResult } from '../../src/scan/run.js';
import { fileSources } from '../../src/sources/index.js';
import { validateSarif } from '../reporters/sarif-multitool.js';
import { folderStats, sharedIds, vendorVerdicts } from './summarise.js';

/**
 * The whole real-world corpus (/work/shared/corpus, see its README) through the same library function the
 * CLI uses. Frozen in `iac-corpus.snapshot.json` (reviewed by hand; update with `npx vitest run
 * test/corpus -u` and review the diff): roles per corpus folder, files that could not be read and why,
 * and the verdict on every vendor role.
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const corpusDir = resolve(repoRoot, '../shared/corpus');
const SCAN_TIMEOUT = 600_000;

/**
 * Files that are not valid JSON/YAML (checked independently with Python's json and PyYAML): each must be
 * reported with its syntax error, not skipped.
 */
const KNOWN_UNPARSABLE = [
  'cloudformation/cfn-lint-fixtures/test/fixtures/templates/bad/template.yaml',
  'cloudformation/cfn-lint-fixtures/test/fixtures/templates/bad/json_parse.json',
  'cloudformation/cfn-lint-fixtures/test/fixtures/templates/bad/core/config_invalid_json.json',
  'cloudformation/cfn-lint-fixtures/test/fixtures/templates/bad/core/config_invalid_yaml.yaml',
  'vendor/dynatrace/dynatrace-oss__cloud-snippets/aws/role-based-access/role_based_access_AG_account_multiple_monitoring_roles_template.yml',
];

describe('IaC corpus', () => {
  let result: ScanResult;

  beforeAll(async () => {
    const zone = emptyZone();
    zone.known = loadKnownAccounts(join(corpusDir, 'known_aws_accounts/accounts.yaml'));
    result = await runScan({ paths: ['.'], cwd: corpusDir, zone, today: '2026-01-01' });
  }, SCAN_TIMEOUT);

  it('the CloudFormation and Terraform sources are registered', () => {
    const names = fileSources.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([expect.stringMatching(/cloudformation/i), expect.stringMatching(/terraform/i)]),
    );
  });

  it('scans without throwing and finds roles in every IaC folder with role files', () => {
    expect(result.roles.length).toBeGreaterThan(500);
    const stats = folderStats(result.roles, result.findings, result.errors);
    // Folders whose README statistics list role files must yield roles.
    for (const folder of [
      'cloudformation/aws-cloudformation-templates',
      'cloudformation/serverless-application-model',
      'cloudformation/cfn_nag-test-templates',
      'terraform/checkov-test-inputs',
      'terraform/terraform-aws-iam-v5.60.0',
      'vendor/datadog',
      'account-authorization-details/cloudsplaining',
      'ansible/cloudera-labs__cloudera.exe',
      'kubernetes/crossplane-contrib__provider-aws',
      'pulumi/pulumi__examples',
      'serverless/aws-samples__serverless-patterns',
      'terragrunt/cds-snc__cloud-based-sensor',
      'cdktf/AymanZahran__multi-cloud-k8s-boilerplate',
    ]) {
      expect(stats[folder]?.roles ?? 0, folder).toBeGreaterThan(0);
    }
  });

  it('names every file it could not read, with a reason and a position when it is a syntax error', () => {
    for (const e of result.errors) {
      expect(e.file, JSON.stringify(e)).toBeTruthy();
      const abs = join(corpusDir, e.file ?? '');
      expect(existsSync(abs) && statSync(abs).isFile(), `${e.file} is a corpus file`).toBe(true);
      expect(e.message.trim().length, `${e.file}: ${e.code}`).toBeGreaterThan(5);
      expect(e.code).toMatch(/^[a-z0-9-]+$/);
      if (/syntax/.test(e.code)) expect(e.line, `${e.file}: ${e.code} has a line`).toBeGreaterThanOrEqual(1);
    }
  });

  it('reports each known-broken file with a syntax error and its line', () => {
    for (const file of KNOWN_UNPARSABLE) {
      const e = result.errors.find((x) => x.file === file);
      expect(e, file).toBeDefined();
      expect(e?.code, file).toMatch(/syntax/);
      expect(e?.line, file).toBeGreaterThanOrEqual(1);
    }
  });

  it('every finding points into the corpus and has a stable fingerprint', () => {
    const seen = new Set<string>();
    for (const f of result.findings) {
      expect(existsSync(join(corpusDir, f.location.file)), f.location.file).toBe(true);
      expect(f.fingerprint).toMatch(/^[0-9a-f]{32}$/);
      expect(seen.has(f.fingerprint), `duplicate fingerprint ${f.fingerprint}`).toBe(false);
      seen.add(f.fingerprint);
    }
  });

  it('matches the reviewed snapshot (roles per folder, unreadable files, vendor verdicts, shared ids)', async () => {
    const snapshot = {
      folders: folderStats(result.roles, result.findings, result.errors),
      unreadable: result.errors
        .map((e) => `${e.file}${e.line ? `:${e.line}` : ''} ${e.source}/${e.code}`)
        .sort(),
      vendorRoles: vendorVerdicts(result.roles, result.findings),
      idsFromSeveralFiles: sharedIds(result.roles),
    };
    await expect(`${JSON.stringify(snapshot, null, 2)}\n`).toMatchFileSnapshot('./iac-corpus.snapshot.json');
  });

  it(
    'its SARIF log passes the official validator with no errors',
    () => {
      const report = buildReport(result);
      const verdict = validateSarif(wholeText(sarifReporter(report, { color: false })));
      expect(verdict.toolProblems).toEqual([]);
      expect(
        verdict.messages.filter((m) => m.level === 'error').map((m) => `${m.ruleId}: ${m.text}`),
      ).toEqual([]);
      // Only missing-region warnings (findings or errors without a known line) and the missing
      // informationUri (no public home yet) are acceptable.
      const warnings = new Set(verdict.messages.filter((m) => m.level === 'warning').map((m) => m.ruleId));
      for (const w of warnings) expect(['SARIF2005', 'SARIF2017']).toContain(w);
    },
    SCAN_TIMEOUT,
  );

  it('the corpus folders are all present (guards against a partial copy)', () => {
    expect(readdirSync(corpusDir).sort()).toEqual(
      expect.arrayContaining([
        'account-authorization-details',
        'cloudformation',
        'snippets',
        'terraform',
        'vendor',
      ]),
    );
  });
});
