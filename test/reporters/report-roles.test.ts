import { describe, expect, it } from 'vitest';
import { emptyZone } from '../../src/analysis/zone.js';
import { scanPolicies } from '../../src/index.js';
import { reporters } from '../../src/reporters/all.js';
import { plainPolicy, reportRoles } from '../../src/reporters/report-roles.js';
import { wholeText } from '../../src/reporters/types.js';
import { buildReport } from '../../src/scan/report.js';
import { runScan } from '../../src/scan/run.js';
import { fixtureRoles } from './report-fixture.js';

describe('reportRoles', () => {
  it('keeps what the HTML report shows: names, account, description, tags, policy, statement lines', () => {
    const roles = fixtureRoles();
    const out = reportRoles(roles);
    expect(out).toHaveLength(roles.length);
    expect(out[0]).toMatchObject({
      name: 'DatadogIntegration',
      account: '111111111111',
      description: 'Read-only role for the Datadog AWS integration',
      tags: { team: 'observability' },
      trustPolicy: roles[0]!.trustPolicy.raw,
    });
    expect(out[0]!.statementLines).toHaveLength(1);
  });

  const cases: [name: string, input: unknown, expected: unknown][] = [
    [
      'symbolic with text',
      { symbolic: true, description: 'parameter A', text: 'arn:aws:iam::${A}:root' },
      'arn:aws:iam::${A}:root',
    ],
    [
      'symbolic without text',
      { symbolic: true, description: 'Fn::GetAtt Vendor.Arn' },
      '${Fn::GetAtt Vendor.Arn}',
    ],
    [
      'nested',
      { Principal: { AWS: [{ symbolic: true, description: 'x' }, '1'] } },
      { Principal: { AWS: ['${x}', '1'] } },
    ],
    ['plain', { a: ['b', null, true] }, { a: ['b', null, true] }],
  ];
  it.each(cases)('plainPolicy: %s', (_n, input, expected) => {
    const before = structuredClone(input);
    expect(plainPolicy(input as never)).toEqual(expected);
    // The input is never changed.
    expect(input).toEqual(before);
  });

  it('plainPolicy copies only the parts that hold symbolic values', () => {
    const plain = { Effect: 'Allow', Action: ['sts:AssumeRole'] };
    const doc = { Statement: [plain, { Principal: { AWS: { symbolic: true, description: 'x' } } }] };
    const out = plainPolicy(doc as never) as { Statement: unknown[] };
    expect(out).not.toBe(doc);
    expect(out.Statement[0]).toBe(plain);
    expect(out.Statement[1]).toEqual({ Principal: { AWS: '${x}' } });
    const untouched = { Statement: [plain] };
    expect(plainPolicy(untouched as never)).toBe(untouched);
  });
});

describe('the roles of a built report', () => {
  const vendor = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::464622532012:root' }, Action: 'sts:AssumeRole' },
    ],
  };
  const opts = { color: false, generatedAt: '2026-01-01T00:00:00Z', account: '123456789012', piecesOver: 0 };

  it('are made when first read, the same as reportRoles, and in the same place of the report', async () => {
    const report = await scanPolicies([{ name: 'a.json', policy: vendor }], { account: '123456789012' });
    expect(Object.keys(report)).toContain('roles');
    const again = report.roles;
    expect(report.roles).toBe(again);
    expect(again).toHaveLength(1);
    expect(again![0]).toMatchObject({ id: 'a.json', trustPolicy: vendor, statementLines: [1] });
    const keys = Object.keys(JSON.parse(JSON.stringify(report)));
    expect(keys.indexOf('roles')).toBe(keys.indexOf('summary') + 1);
  });

  it('are not made by buildReport itself (a JSON-only scan never holds them)', async () => {
    const result = await runScan({
      paths: [],
      documents: [{ name: 'a.json', text: JSON.stringify(vendor) }],
      cwd: process.cwd(),
      zone: emptyZone(),
    });
    // Roles whose trust policy cannot be read: only making the report's roles reads it.
    const trapped = result.roles.map((r) =>
      Object.defineProperty({ ...r }, 'trustPolicy', {
        get() {
          throw new Error('trust policy read');
        },
      }),
    );
    const report = buildReport({ ...result, roles: trapped });
    expect(wholeText(reporters.json!(report, opts))).toContain('"rolesScanned": 1');
    expect(() => report.roles).toThrow(/trust policy read/);
  });

  it('are never read by the formats that do not show them (no second object per role)', async () => {
    const built = await scanPolicies([{ policy: vendor }], { account: '123456789012' });
    const report = Object.defineProperty({ ...built }, 'roles', {
      get() {
        throw new Error('roles read');
      },
    });
    for (const f of ['json', 'sarif', 'csv', 'text', 'markdown', 'asff', 'ocsf']) {
      expect(() => wholeText(reporters[f]!(report, opts)), f).not.toThrow();
    }
    expect(() => wholeText(reporters.html!(report, opts))).toThrow(/roles read/);
  });
});
