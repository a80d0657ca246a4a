/**
 * A report of N findings shaped like a large real estate: a dozen vendors with one to three accounts each,
 * unnamed accounts, AWS services (TA002), a few public trusts (TA003), several findings per role, tens of
 * files. Built from the TA001 fixture by changing names and accounts; deterministic (no randomness).
 */
import type { Finding, FindingPrincipal, Severity } from '../../src/findings/types.js';
import type { Report, ReportRole } from '../../src/reporters/types.js';
import { FIXTURE_FILE, loadReport } from './report-fixture.js';

const VENDORS: [name: string, accounts: string[]][] = [
  ['Datadog', ['464622532012']],
  ['Snowflake', ['898466741470', '791682668801']],
  ['New Relic', ['754728514883']],
  ['Wiz', ['197171649850', '830522659852']],
  ['Lacework', ['434813966438']],
  ['Orca Security', ['976280145156']],
  ['Fivetran', ['834469178297']],
  ['Sumo Logic', ['926226587429']],
  ['Cloudability', ['165736516723']],
  ['Spot by NetApp', ['922761411349', '110035210232', '223344556677']],
  ['Vanta', ['956993596390']],
  ['Splunk', ['562444297226']],
];
const SERVICES = [
  'codebuild.amazonaws.com',
  'lambda.amazonaws.com',
  'events.amazonaws.com',
  'sns.amazonaws.com',
];
const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'medium', 'low'];

export function scaleReport(n: number): Report {
  const fixture = loadReport(FIXTURE_FILE);
  const base = fixture.findings[0]!;
  const baseRole = fixture.roles!.find((r) => r.name === base.resource.name)!;
  const accountNames: Record<string, string> = {};
  for (const [name, accounts] of VENDORS) for (const a of accounts) accountNames[a] = name;
  const findings: Finding[] = [];
  const roles: ReportRole[] = [];
  const roleCount = Math.max(1, Math.ceil(n / 2.2));
  for (let r = 0; r < roleCount; r++) {
    const owner = String(200000000000 + (r % 7));
    const name = `app-${r}-${['reader', 'deployer', 'audit', 'ops'][r % 4]}`;
    const arn = `arn:aws:iam::${owner}:role/${name}`;
    roles.push({ ...baseRole, id: arn, arn, name, account: owner });
  }
  for (let i = 0; i < n; i++) {
    const r = i % roleCount;
    const role = roles[r]!;
    const kind = i % 10;
    let ruleId = 'TA001';
    let principal: FindingPrincipal;
    if (kind === 9) {
      ruleId = 'TA002';
      const svc = SERVICES[i % SERVICES.length]!;
      principal = { value: svc, kind: 'service' };
    } else if (kind === 8 && i % 40 === 8) {
      ruleId = 'TA003';
      principal = { value: '*', kind: 'wildcard' };
    } else if (kind >= 6) {
      const acct = String(300000000000 + ((i * 7) % 90));
      principal = { value: `arn:aws:iam::${acct}:root`, kind: 'account', account: acct };
    } else {
      const [vendor, accounts] = VENDORS[(i * 5) % VENDORS.length]!;
      const acct = accounts[i % accounts.length]!;
      principal = { value: `arn:aws:iam::${acct}:root`, kind: 'account', account: acct, accountName: vendor };
    }
    const who = principal.account ?? principal.value;
    findings.push({
      ...base,
      ruleId,
      severity: SEVERITIES[i % SEVERITIES.length]!,
      message: base.message.replaceAll('DatadogIntegration', role.name).replaceAll('464622532012', who),
      resource: { ...base.resource, id: role.id, arn: role.arn!, name: role.name, account: role.account! },
      location: { file: `infra/stack-${r % 37}.json`, line: 3 + ((i * 11) % 60), column: 7 },
      statement: { index: i % 2 },
      principals: [principal],
      evidence: {
        ...base.evidence,
        summary: base.evidence.summary.replaceAll('464622532012', who),
      },
      fingerprint: `${i.toString(16).padStart(8, '0')}${base.fingerprint.slice(8)}`,
      suppressed: i % 23 === 0,
      ...(i % 23 === 0
        ? { suppression: { kind: 'config' as const, reason: 'accepted risk (ticket SEC-1)' } }
        : {}),
    });
  }
  // Each role's trust policy names the account of its first finding (or its owner when none is an account).
  for (const [r, role] of roles.entries()) {
    const acct = findings.find((f, i) => i % roleCount === r && f.principals[0]?.account)?.principals[0]
      ?.account;
    role.trustPolicy = JSON.parse(
      JSON.stringify(baseRole.trustPolicy).replaceAll('464622532012', acct ?? role.account!),
    );
  }
  // Some roles also trust a vendor with an external ID (no finding: drawn as protected).
  for (let r = 0; r < roleCount; r += 9) {
    const policy = roles[r]!.trustPolicy as { Statement: unknown[] };
    policy.Statement.push({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::222222222222:root' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': 'agreed-id' } },
    });
  }
  accountNames['222222222222'] = 'Example Vendor';
  const open = findings.filter((f) => !f.suppressed);
  const bySeverity: Record<string, number> = {};
  const byRule: Record<string, number> = {};
  for (const f of open) {
    bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
    byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  }
  const rule = fixture.rules[0]!;
  return {
    ...fixture,
    rules: [
      rule,
      {
        ...rule,
        id: 'TA002',
        title: 'AWS service can assume the role on behalf of any account (no source condition)',
      },
      { ...rule, id: 'TA003', title: 'Anyone can assume the role (public trust policy)' },
    ],
    findings,
    roles,
    accountNames,
    summary: {
      ...fixture.summary,
      rolesScanned: roleCount,
      filesScanned: 37,
      findings: open.length,
      suppressed: findings.length - open.length,
      bySeverity,
      byRule,
    },
  };
}
