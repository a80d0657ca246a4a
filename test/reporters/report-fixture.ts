/**
 * Builds the reporters' fixture report from the real TA001 rule: hand-written roles -> parseTrustDocument ->
 * runRules([TA001]) -> Report. The result is frozen in test/fixtures/reports/ta001-report.json (regenerate
 * with UPDATE_REPORT_FIXTURE=1 npx vitest run test/reporters/fixture.test.ts) so that snapshot tests do not
 * change every time TA001's wording does.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KnownAccount, ZoneOfTrust } from '../../src/analysis/zone.js';
import { emptyZone } from '../../src/analysis/zone.js';
import type { Finding } from '../../src/findings/types.js';
import { parseTrustDocument } from '../../src/model/normalise.js';
import type { JsonLike, Role } from '../../src/model/types.js';
import { reportRoles } from '../../src/reporters/report-roles.js';
import type { Report } from '../../src/reporters/types.js';
import { runRules } from '../../src/rules/engine.js';
import { TA001 } from '../../src/rules/TA001.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURE_FILE = resolve(repoRoot, 'test/fixtures/reports/ta001-report.json');
export const HOSTILE_FILE = resolve(repoRoot, 'test/fixtures/reports/hostile-report.json');

export function loadReport(file: string): Report {
  return JSON.parse(readFileSync(file, 'utf8')) as Report;
}

interface RoleSpec {
  name: string;
  account: string;
  file: string;
  policy: JsonLike;
  description?: string;
  tags?: Record<string, string>;
}

function role(spec: RoleSpec): Role {
  return {
    id: `arn:aws:iam::${spec.account}:role/${spec.name}`,
    arn: `arn:aws:iam::${spec.account}:role/${spec.name}`,
    name: spec.name,
    account: spec.account,
    partition: 'aws',
    ...(spec.description ? { description: spec.description } : {}),
    ...(spec.tags ? { tags: spec.tags } : {}),
    source: { kind: 'policy-file', location: { file: spec.file, line: 1, column: 1 } },
    trustPolicy: parseTrustDocument(spec.policy, {
      file: spec.file,
      base: { file: spec.file, line: 1, column: 1 },
    }),
  };
}

const OWNER = '111111111111';
const allow = (principal: JsonLike, condition?: JsonLike): JsonLike => ({
  Effect: 'Allow',
  Principal: principal,
  Action: 'sts:AssumeRole',
  ...(condition ? { Condition: condition } : {}),
});

export function fixtureRoles(): Role[] {
  return [
    role({
      name: 'DatadogIntegration',
      account: OWNER,
      file: 'infra/datadog.json',
      description: 'Read-only role for the Datadog AWS integration',
      tags: { team: 'observability' },
      policy: { Version: '2012-10-17', Statement: [allow({ AWS: 'arn:aws:iam::464622532012:root' })] },
    }),
    role({
      name: 'VendorWithExternalId',
      account: OWNER,
      file: 'infra/vendor-ok.json',
      policy: {
        Version: '2012-10-17',
        Statement: [allow({ AWS: '222222222222' }, { StringEquals: { 'sts:ExternalId': 'a1b2c3d4' } })],
      },
    }),
    role({
      name: 'PartnerDeploy',
      account: OWNER,
      file: 'infra/partner.json',
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'Lambda',
            Effect: 'Allow',
            Principal: { Service: 'lambda.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
          { Sid: 'Partner', ...(allow({ AWS: 'arn:aws:iam::333333333333:role/deployer' }) as object) },
        ],
      },
    }),
    role({
      name: 'AnyoneCanAssume',
      account: OWNER,
      file: 'infra/open.json',
      policy: { Version: '2012-10-17', Statement: [allow({ AWS: '*' })] },
    }),
    role({
      name: 'LegacyAuditor',
      account: '999999999999',
      file: 'infra/legacy.json',
      policy: { Version: '2012-10-17', Statement: [allow({ AWS: 'arn:aws:iam::444444444444:root' })] },
    }),
    role({
      name: 'KnownPartner',
      account: '999999999999',
      file: 'infra/known.json',
      policy: { Version: '2012-10-17', Statement: [allow({ AWS: '555555555555' })] },
    }),
    role({
      name: 'SameAccountAdmin',
      account: OWNER,
      file: 'infra/same.json',
      policy: { Version: '2012-10-17', Statement: [allow({ AWS: `arn:aws:iam::${OWNER}:root` })] },
    }),
  ];
}

export function fixtureZone(): ZoneOfTrust {
  const zone = emptyZone();
  const known: KnownAccount[] = [
    { id: '464622532012', name: 'Datadog' },
    { id: '222222222222', name: 'Example Vendor' },
  ];
  for (const k of known) zone.known.set(k.id, k);
  return zone;
}

/** A report from roles and findings, with statuses applied (LegacyAuditor suppressed, KnownPartner in the baseline). */
export function reportFrom(roles: Role[], findings: Finding[]): Report {
  const marked = findings.map((f) => {
    if (f.resource.name === 'LegacyAuditor')
      return {
        ...f,
        suppressed: true,
        suppression: { kind: 'config' as const, reason: 'auditor access approved until migration' },
      };
    if (f.resource.name === 'KnownPartner') return { ...f, inBaseline: true };
    return f;
  });
  const active = marked.filter((f) => !f.suppressed);
  const count = (key: (f: Finding) => string) => {
    const m: Record<string, number> = {};
    for (const f of active) m[key(f)] = (m[key(f)] ?? 0) + 1;
    return m;
  };
  return {
    schemaVersion: '1.0.0',
    tool: { name: 'trustaudit', version: '0.1.0' },
    rules: [TA001.meta],
    findings: marked,
    errors: [
      {
        source: 'input',
        code: 'json-syntax',
        message: 'Unexpected token } in JSON at position 42',
        file: 'infra/broken.json',
        line: 3,
        column: 5,
      },
    ],
    warnings: [],
    summary: {
      rolesScanned: roles.length,
      filesScanned: roles.length + 1,
      findings: active.length,
      suppressed: marked.length - active.length,
      bySeverity: count((f) => f.severity),
      byRule: count((f) => f.ruleId),
      errors: 1,
      complete: false,
    },
    roles: reportRoles(roles),
    accountNames: { '464622532012': 'Datadog', '222222222222': 'Example Vendor' },
  };
}

/** The fixture report as TA001 produces it today. */
export function buildFixtureReport(): Report {
  const roles = fixtureRoles();
  return reportFrom(roles, runRules(roles, [TA001], { zone: fixtureZone() }));
}

export const PAYLOADS = {
  script: '<script>window.__pwned = "script"</script>',
  img: '"><img src=x onerror="window.__pwned=\'img\'">',
  svg: "'><svg/onload=window.__pwned='svg'>",
  endJson: '</script><script>window.__pwned="json"</script><!--',
  comment: '<!-- <script>window.__pwned="comment"</script> -->',
  ls: 'line\u2028separator\u2029paragraph',
  js: 'javascript:window.__pwned="href"',
  formula: '=HYPERLINK("http://evil.example","x")',
} as const;

/** Roles whose names, descriptions, tags and files carry script payloads; every string reaches some output. */
export function buildHostileReport(): Report {
  const p = PAYLOADS;
  const roles = [
    role({
      name: `evil${p.script}`,
      account: OWNER,
      file: `infra/${p.img}.json`,
      description: `${p.img} ${p.ls}`,
      tags: { [p.svg]: p.endJson, owner: p.comment },
      policy: {
        Version: '2012-10-17',
        Statement: [{ Sid: 'X', ...(allow({ AWS: 'arn:aws:iam::464622532012:root' }) as object) }],
      },
    }),
    role({
      name: p.formula,
      account: OWNER,
      file: 'infra/formula.json',
      description: p.js,
      policy: { Version: '2012-10-17', Statement: [allow({ AWS: '777777777777' })] },
    }),
  ];
  const zone = fixtureZone();
  zone.known.set('464622532012', { id: '464622532012', name: `Datadog${p.endJson}` });
  zone.known.set('777777777777', { id: '777777777777', name: p.svg });
  const findings = runRules(roles, [TA001], { zone }).map((f) => ({
    ...f,
    message: `${f.message} ${p.comment} ${p.ls}`,
    evidence: { ...f.evidence, details: [...f.evidence.details, p.script, p.img] },
    remediation: {
      ...f.remediation,
      steps: [...f.remediation.steps, p.endJson],
      command: `aws iam update-assume-role-policy ${p.script}`,
    },
  }));
  const report = reportFrom(roles, findings);
  report.errors = [{ source: 'input', code: 'json-syntax', message: p.script, file: p.img, line: 1 }];
  report.accountNames = { '464622532012': `Datadog${p.endJson}`, '777777777777': p.svg };
  return report;
}
