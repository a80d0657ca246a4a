import { describe, expect, it } from 'vitest';
import { z as zod } from 'zod';
import type { FindingDraft } from '../../src/findings/types.js';
import type { JsonLike, Role } from '../../src/model/types.js';
import { makeRuleContext, runRules } from '../../src/rules/engine.js';
import { ruleOptions } from '../../src/rules/options.js';
import { TA005 } from '../../src/rules/TA005.js';
import { makeRole, makeZone, OWNER, ruleTester, type ZoneSpec } from '../helpers/rule-tester.js';

const VERSION = '2012-10-17';
const DATADOG = '464622532012';
const DYNATRACE = '509560245411';
const OTHER = '111122223333';
type Obj = { [k: string]: JsonLike };

function trusts(
  accounts: string | string[],
  externalId: JsonLike,
  op = 'StringEquals',
  extra: Obj = {},
): JsonLike {
  return {
    Version: VERSION,
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: accounts },
        Action: 'sts:AssumeRole',
        Condition: { [op]: { 'sts:ExternalId': externalId } },
        ...extra,
      },
    ],
  };
}

function role(name: string, policy: JsonLike, over: Partial<Role> = {}): Role {
  return makeRole(policy, { id: `arn:aws:iam::${OWNER}:role/${name}`, name, ...over });
}

/** Run TA005 over a whole scan and return the findings per role name. */
function scan(
  roles: Role[],
  zone: ZoneSpec = {},
  options: Record<string, unknown> = {},
): Map<string, readonly FindingDraft[]> {
  const z = makeZone(zone);
  const opts = ruleOptions('TA005', TA005.options, options, zod);
  return new Map(roles.map((r) => [r.name, TA005.check(r, makeRuleContext(z, opts, roles))]));
}

// Single-role cases (the scan is the one role).
ruleTester(TA005, {
  valid: [
    { name: 'one vendor, one ID', policy: trusts(DATADOG, 'dd-7f3c') },
    {
      name: 'two vendors, two IDs in two statements',
      policy: {
        Version: VERSION,
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: DATADOG },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'sts:ExternalId': 'a-1' } },
          },
          {
            Effect: 'Allow',
            Principal: { AWS: DYNATRACE },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'sts:ExternalId': 'b-2' } },
          },
        ],
      },
    },
    {
      name: 'own and trusted accounts share an ID (not third parties)',
      policy: trusts([OWNER, '777788889999'], 'same'),
      zone: { trusted: ['777788889999'] },
    },
    {
      name: 'wildcard ID is not a fixed value (TA001 judges it)',
      policy: trusts([DATADOG, DYNATRACE], 'shared-*', 'StringLike'),
    },
    {
      name: 'negated operator is not a requirement',
      policy: trusts([DATADOG, DYNATRACE], 'x', 'StringNotEquals'),
    },
    {
      name: 'ID from an IaC parameter (symbolic)',
      policy: trusts([DATADOG, DYNATRACE], { symbolic: true, description: 'parameter ExternalId' }),
    },
    {
      name: 'ID built from a policy variable',
      policy: trusts([DATADOG, DYNATRACE], '${aws:PrincipalAccount}'),
    },
    {
      name: 'one vendor listed twice (root and a role)',
      policy: trusts([DATADOG, `arn:aws:iam::${DATADOG}:role/DatadogIntegration`], 'dd-1'),
    },
    {
      name: 'one statement, several accounts of one vendor (regional accounts, e.g. JupiterOne)',
      policy: trusts([DATADOG, DYNATRACE, OTHER], 'vendor-id'),
    },
    {
      name: 'two accounts the vendor list names alike',
      policy: trusts([DATADOG, '417141415827'], 'dd-1'),
      zone: { known: { [DATADOG]: 'Datadog', '417141415827': 'Datadog' } },
    },
    {
      name: 'Deny statements do not count',
      policy: trusts([DATADOG, DYNATRACE], 'x', 'StringEquals', { Effect: 'Deny' }),
    },
  ],
  invalid: [
    {
      name: 'one statement trusts two vendors the zone names differently, with one ID',
      policy: trusts([DATADOG, DYNATRACE], 'shared-id-1'),
      zone: { known: { [DATADOG]: 'Datadog', [DYNATRACE]: 'Dynatrace' } },
      expect: [
        {
          statementIndex: 0,
          principals: [DATADOG, DYNATRACE],
          evidenceIncludes: ['accounts of different third parties', 'shared-id-1'],
        },
      ],
    },
    {
      name: 'two statements of one role, same ID',
      policy: {
        Version: VERSION,
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: DATADOG },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'sts:ExternalId': 'same' } },
          },
          {
            Effect: 'Allow',
            Principal: { AWS: DYNATRACE },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'sts:ExternalId': 'same' } },
          },
        ],
      },
      expect: [
        { statementIndex: 0, principals: [DATADOG], evidenceIncludes: ['this role, statement 1'] },
        { statementIndex: 1, principals: [DYNATRACE], evidenceIncludes: ['this role, statement 0'] },
      ],
    },
    {
      name: 'IfExists still names the ID the vendor is given',
      policy: trusts([DATADOG, DYNATRACE], 'same', 'StringEqualsIfExists'),
      zone: { known: { [DATADOG]: 'Datadog', [DYNATRACE]: 'Dynatrace' } },
      expect: [{ statementIndex: 0 }],
    },
    {
      name: 'owner unknown: every account is a possible third party',
      policy: {
        Version: VERSION,
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: OWNER },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'sts:ExternalId': 'same' } },
          },
          {
            Effect: 'Allow',
            Principal: { AWS: DATADOG },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'sts:ExternalId': 'same' } },
          },
        ],
      },
      role: { account: undefined },
      expect: [{ statementIndex: 0 }, { statementIndex: 1 }],
    },
  ],
});

describe('TA005 across roles', () => {
  const ddRole = role('DatadogIntegration', trusts(DATADOG, 'acme-2024'));
  const dtRole = role('DynatraceIntegration', trusts(DYNATRACE, 'acme-2024'));
  const okRole = role('OtherVendor', trusts(OTHER, 'other-id'));

  it('names the other roles and accounts sharing the ID, with vendor names from --known-accounts', () => {
    const out = scan([ddRole, dtRole, okRole], { known: { [DATADOG]: 'Datadog', [DYNATRACE]: 'Dynatrace' } });
    const [dd] = out.get('DatadogIntegration') ?? [];
    expect(dd?.message).toContain('Datadog (464622532012)');
    expect(dd?.message).toContain('Dynatrace (509560245411)');
    expect(dd?.evidence.details.join('\n')).toContain('role DynatraceIntegration');
    expect(dd?.principals[0]).toMatchObject({ account: DATADOG, accountName: 'Datadog' });
    expect(dd?.evidence.data).toMatchObject({ sharedWith: [DYNATRACE], otherRoles: [dtRole.id] });
    expect(out.get('DynatraceIntegration')).toHaveLength(1);
    expect(out.get('OtherVendor')).toEqual([]);
  });

  it('two roles of one vendor with several accounts, listed differently, are one third party', () => {
    const a = role('A', trusts([DATADOG, '417141415827'], 'dd'));
    const b = role('B', trusts(['417141415827'], 'dd'));
    expect([...scan([a, b]).values()].flat()).toEqual([]);
  });

  it('the same vendor in two roles with one ID is fine', () => {
    const again = role('DatadogSecond', trusts(DATADOG, 'acme-2024'));
    const out = scan([ddRole, again]);
    expect(out.get('DatadogIntegration')).toEqual([]);
    expect(out.get('DatadogSecond')).toEqual([]);
  });

  it('variants of one resource (Fn::If) trusting the same vendor do not count as sharing', () => {
    const a = role('V', trusts(DATADOG, 'x'), { variant: 'IsProd is true' });
    const b = role('V', trusts(DATADOG, 'x'), { variant: 'IsProd is false' });
    expect([...scan([a, b]).values()].flat()).toEqual([]);
  });

  it('the corrected policy gives the vendor a placeholder ID and a request proves the ID admits the vendor', () => {
    const [dd] = scan([ddRole, dtRole]).get('DatadogIntegration') ?? [];
    expect(dd?.remediation.correctedPolicy).toEqual(trusts(DATADOG, `<EXTERNAL-ID-FOR-${DATADOG}>`));
    expect(dd?.evidence.request).toMatchObject({
      action: 'sts:AssumeRole',
      context: { 'sts:ExternalId': 'acme-2024' },
    });
  });

  it('through the engine: one finding per sharing role, stable fingerprints', () => {
    const findings = runRules([ddRole, dtRole, okRole], [TA005], { zone: makeZone() });
    expect(findings.map((f) => f.resource.name).sort()).toEqual([
      'DatadogIntegration',
      'DynatraceIntegration',
    ]);
    const again = runRules([ddRole, dtRole, okRole], [TA005], { zone: makeZone() });
    expect(again.map((f) => f.fingerprint)).toEqual(findings.map((f) => f.fingerprint));
  });

  it('maxListed caps the details', () => {
    const many = Array.from({ length: 5 }, (_, i) => role(`R${i}`, trusts(String(300000000000 + i), 'same')));
    const [f] = scan(many, {}, { maxListed: 2 }).get('R0') ?? [];
    expect(f?.evidence.details.some((d) => d.includes('2 more statements'))).toBe(true);
  });
});
