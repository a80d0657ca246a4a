import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir, type JsonReport, repoRoot, runCli, runJson } from '../helpers/cli.js';

/** The verdict tables of examples/EXPECTED.md: `| \`file or role\` | verdict | [verdict] | why |`. */
function expectedRows(section: string): string[][] {
  const text = readFileSync(join(repoRoot, 'examples/EXPECTED.md'), 'utf8');
  const part = text.split(/^## /m).find((s) => s.startsWith(section));
  if (!part) throw new Error(`no section "${section}" in EXPECTED.md`);
  return part
    .split('\n')
    .filter((l) => /^\| `/.test(l))
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim().replace(/^`|`$/g, '')),
    );
}

/** "finding, statement 0 (...)" -> 0; "none" -> undefined. */
function expectedStatement(cell: string): number | undefined {
  if (cell.startsWith('none')) return undefined;
  const m = /^finding, statement (\d+)/.exec(cell);
  if (!m) throw new Error(`cannot read verdict "${cell}"`);
  return Number(m[1]);
}

function ta001(report: JsonReport, predicate: (f: JsonReport['findings'][number]) => boolean): number[] {
  return report.findings
    .filter((f) => f.ruleId === 'TA001' && predicate(f))
    .map((f) => f.statement?.index ?? -1);
}

describe('the bundled examples, through the real CLI', () => {
  const plain = runJson(['scan', 'examples/']);
  const owned = runJson(['scan', 'examples/', '--account', '123456789012']);

  it('scan without errors and exit 1 (they contain findings)', () => {
    expect(plain.report.errors).toEqual([]);
    expect(plain.code).toBe(1);
    expect(owned.report.errors).toEqual([]);
  });

  const policies = expectedRows('Bare trust policies');
  it('EXPECTED.md lists every bare policy', () => {
    expect(policies.length).toBeGreaterThanOrEqual(15);
  });
  for (const [file, withoutAccount, withAccount] of policies) {
    it(`${file}: ${withoutAccount} / with --account: ${withAccount}`, () => {
      const path = `examples/${file}`;
      const a = expectedStatement(withoutAccount!);
      const b = expectedStatement(withAccount!);
      expect(ta001(plain.report, (f) => f.location.file === path)).toEqual(a === undefined ? [] : [a]);
      expect(ta001(owned.report, (f) => f.location.file === path)).toEqual(b === undefined ? [] : [b]);
      if (withoutAccount!.includes('TA000')) {
        expect(plain.report.findings.some((f) => f.ruleId === 'TA000' && f.location.file === path)).toBe(
          true,
        );
      }
    });
  }

  for (const [role, verdict] of expectedRows('Account export')) {
    it(`account-export.json ${role}: ${verdict}`, () => {
      const s = expectedStatement(verdict!);
      expect(ta001(plain.report, (f) => f.resource.name === role)).toEqual(s === undefined ? [] : [s]);
    });
  }

  it('findings in the export know their owner and name the vendor with --known-accounts', () => {
    const r = runJson([
      'scan',
      'examples/account-export.json',
      '--known-accounts',
      join(corpusDir, 'known_aws_accounts/accounts.yaml'),
    ]);
    const f = r.report.findings.find(
      (x) => x.resource.name === 'MonitoringVendorReadOnly' && x.ruleId === 'TA001',
    );
    expect(f?.resource.account).toBe('123456789012');
    expect(f?.evidence.ownerKnown).toBe(true);
    expect(f?.principals[0]).toMatchObject({ account: '464622532012', accountName: 'Datadog' });
    const text = runCli([
      'scan',
      'examples/account-export.json',
      '--known-accounts',
      join(corpusDir, 'known_aws_accounts/accounts.yaml'),
    ]);
    expect(text.stdout).toMatch(
      /Third parties that can get in:\n {2}Datadog \(464622532012\): 2 roles: MonitoringVendorReadOnly, SharedServicesMixed\n {2}Unnamed accounts \(210987654321\): 1 role: PartnerEngineersMfaIfExists/,
    );
  });
});

describe('real account exports (../shared/corpus/account-authorization-details), through the real CLI', () => {
  const dir = join(corpusDir, 'account-authorization-details');
  const { code, report } = runJson(['scan', dir]);

  it('all scan without errors', () => {
    expect(report.errors).toEqual([]);
    expect(report.summary.rolesScanned).toBe(84);
    expect(code).toBe(1);
  });

  // Checked by hand: cloudsplaining's example account is 200611803367; its roles that trust
  // 200611803367 are same-account (no finding). Two roles trust the organization's management account
  // 072528804237, a third party unless the user says it is theirs. CloudMapper's demo `bad_role`
  // trusts {"AWS": "*"} with no condition.
  it('finds exactly the hand-checked third-party trusts', () => {
    const got = report.findings
      .filter((f) => f.ruleId === 'TA001')
      .map((f) => `${f.resource.name} <- ${f.principals.map((p) => p.value).join(',')}`)
      .sort();
    expect(got).toEqual([
      'OrganizationAccountAccessRole <- arn:aws:iam::072528804237:root',
      'bad_role <- *',
      'stacksets-exec-b5520cb2730c2f54b523d6375a319abb <- arn:aws:iam::072528804237:role/aws-service-role/stacksets.cloudformation.amazonaws.com/AWSServiceRoleForCloudFormationStackSetsOrgAdmin',
    ]);
    expect(report.findings.filter((f) => f.ruleId === 'TA003').map((f) => f.resource.name)).toEqual([
      'bad_role',
    ]);
  });

  it('marking the management account as trusted leaves only the public role', () => {
    const r = runJson(['scan', dir, '--trusted-account', '072528804237']);
    expect(r.report.findings.filter((f) => f.ruleId === 'TA001').map((f) => f.resource.name)).toEqual([
      'bad_role',
    ]);
  });
});
