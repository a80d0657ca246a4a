import { describe, expect, it } from 'vitest';
import { plainPolicy, reportRoles } from '../../src/reporters/report-roles.js';
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
