import type { Finding } from '../../src/findings/types.js';
import type { Report } from '../../src/reporters/types.js';
import type { RuleMeta } from '../../src/rules/types.js';

export const TA001_META: RuleMeta = {
  id: 'TA001',
  name: 'cross-account-trust-without-external-id-or-mfa',
  title: 'Third-party account can assume the role without an external ID or MFA',
  description:
    'Checks that every third-party account a trust policy lets in must present an external ID or MFA',
  risk: 'A vendor account trusted without an external ID can be tricked into acting on your account (confused deputy).',
  severity: 'medium',
  remediation: 'Add a StringEquals condition on sts:ExternalId with the value the vendor gave you.',
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html', 'not a uri'],
  enabledByDefault: true,
};

export const TA900_META: RuleMeta = {
  id: 'TA900',
  name: 'informational-example',
  title: 'An informational rule',
  description: 'Used by the SARIF tests only.',
  risk: 'None.',
  severity: 'info',
  remediation: 'Nothing to do.',
  references: [],
  enabledByDefault: false,
};

let n = 0;
function f(
  partial: Partial<Finding> & Pick<Finding, 'location'>,
  id = `infra/roles.yaml#Role${++n}`,
): Finding {
  return {
    ruleId: 'TA001',
    severity: 'medium',
    title: TA001_META.title,
    message: `Role ${id} can be assumed by account 464622532012 (Datadog) without an external ID or MFA.`,
    resource: { kind: 'aws-iam-role', id, name: id.split('#').pop() ?? id },
    principals: [
      {
        value: 'arn:aws:iam::464622532012:root',
        kind: 'account',
        account: '464622532012',
        accountName: 'Datadog',
      },
    ],
    evidence: { summary: 'no sts:ExternalId or MFA condition applies to account 464622532012', details: [] },
    remediation: { summary: 'require an external id', steps: ['Add a condition.'] },
    fingerprint: `${String(n).padStart(4, '0')}aaaabbbbccccddddeeeeffff00001111`.slice(0, 32),
    suppressed: false,
    ...partial,
  };
}

/** A report exercising every shape the SARIF reporter must handle. */
export function sarifFixtureReport(): Report {
  n = 0;
  const findings: Finding[] = [
    f({
      location: { file: 'infra/roles.yaml', line: 12, column: 7, endLine: 20, endColumn: 3 },
      statement: { index: 0, sid: 'Vendor' },
    }),
    f({ location: { file: 'infra/only-line.yaml', line: 4 } }),
    f({ location: { file: 'infra/no-line.json' } }),
    // Invalid positions from a buggy source must not leak into SARIF.
    f({ location: { file: 'infra/zero.json', line: 0, column: 0 } }),
    f({ location: { file: 'infra/backwards.json', line: 9, column: 5, endLine: 3, endColumn: 1 } }),
    f({ location: { file: 'infra/same-line.json', line: 9, column: 5, endLine: 9, endColumn: 5 } }),
    f(
      { location: { file: './weird dir/#1 rôles.tf', line: 2, column: 1 } },
      'module.vendor.aws_iam_role.this["datadog"]',
    ),
    f({ location: { file: 'C:\\repo\\win.yaml', line: 3 } }),
    f({ location: { file: '/abs/path/template.yaml', line: 5, column: 2 } }),
    // A live role: the location is its ARN, not a file.
    f(
      {
        location: { file: 'arn:aws:iam::111122223333:role/vendor' },
        resource: {
          kind: 'aws-iam-role',
          id: 'arn:aws:iam::111122223333:role/vendor',
          name: 'vendor',
          account: '111122223333',
          arn: 'arn:aws:iam::111122223333:role/vendor',
        },
      },
      'arn:aws:iam::111122223333:role/vendor',
    ),
    f({
      location: { file: 'infra/suppressed.yaml', line: 30, column: 5 },
      suppressed: true,
      suppression: {
        kind: 'inline',
        reason: 'Vendor does not support external IDs',
        location: { file: 'infra/suppressed.yaml', line: 28, column: 7 },
      },
    }),
    f({
      location: { file: 'main.tf', line: 8 },
      suppressed: true,
      suppression: { kind: 'config', reason: 'Accepted until the vendor migrates', expires: '2027-01-31' },
      inBaseline: true,
    }),
    f({
      location: { file: 'infra/info.yaml', line: 1 },
      ruleId: 'TA900',
      severity: 'info',
      message: 'Informational.',
    }),
    // A rule missing from report.rules still gets a descriptor.
    f({
      location: { file: 'infra/orphan.yaml', line: 2 },
      ruleId: 'TA999',
      severity: 'high',
      message: 'Orphan rule.',
    }),
  ];
  return {
    schemaVersion: '1',
    tool: { name: 'trustaudit', version: '0.1.0' },
    rules: [TA900_META, TA001_META],
    findings,
    errors: [
      {
        source: 'cloudformation',
        code: 'yaml-syntax',
        message: 'bad indentation of a mapping entry',
        file: 'infra/broken.yaml',
        line: 3,
        column: 9,
      },
      {
        source: 'input',
        code: 'unreadable',
        message: 'cannot read infra/secret.json: EACCES',
        file: 'infra/secret.json',
      },
      { source: 'aws', code: 'access-denied', message: 'iam:ListRoles was denied', account: '111122223333' },
    ],
    warnings: [
      {
        source: 'config',
        code: 'suppression-expired',
        message: "suppression of rule TA001 on resource 'x' expired on 2026-01-01",
      },
      { source: 'input', code: 'skipped', message: 'skipped a file', file: 'infra/readme.json' },
    ],
    summary: {
      rolesScanned: 20,
      filesScanned: 14,
      findings: 12,
      suppressed: 2,
      bySeverity: { medium: 11, info: 1, high: 1 },
      byRule: { TA001: 12, TA900: 1, TA999: 1 },
      errors: 3,
      complete: false,
    },
  };
}
