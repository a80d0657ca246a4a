/**
 * The third-party analysis skips statements that demand a fixed external id when the mode accepts
 * one (`requiresFixedExternalId`). The skip must never change a verdict: a table of the boundary
 * cases, then generated policies around `sts:ExternalId` judged both ways in every mode.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROBE_EXTERNAL_ID, REQUIRE_MODES } from '../../src/analysis/protection.js';
import { requiresFixedExternalId } from '../../src/analysis/scenarios.js';
import { findThirdPartyAccess } from '../../src/analysis/third-party.js';
import { emptyZone } from '../../src/analysis/zone.js';
import { parseTrustDocument } from '../../src/model/normalise.js';
import type { JsonLike, Role } from '../../src/model/types.js';

const OWNER = '123456789012';

function roleWith(doc: JsonLike): Role {
  return {
    id: `arn:aws:iam::${OWNER}:role/r`,
    name: 'r',
    account: OWNER,
    partition: 'aws',
    source: { kind: 'policy-file', location: { file: 'test.json' } },
    trustPolicy: parseTrustDocument(doc, { file: 'test.json' }),
  };
}

function statementWith(condition: JsonLike) {
  return roleWith({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:root' },
        Action: 'sts:AssumeRole',
        Condition: condition,
      },
    ],
  }).trustPolicy.statements[0];
}

describe('requiresFixedExternalId', () => {
  const cases: { name: string; condition: JsonLike; fixed: boolean }[] = [
    {
      name: 'StringEquals, one value',
      condition: { StringEquals: { 'sts:ExternalId': 'abc' } },
      fixed: true,
    },
    {
      name: 'StringEquals, several values',
      condition: { StringEquals: { 'sts:ExternalId': ['a', 'b'] } },
      fixed: true,
    },
    {
      name: 'key in another case',
      condition: { StringEqualsIgnoreCase: { 'STS:EXTERNALID': 'abc' } },
      fixed: true,
    },
    {
      name: 'IfExists passes without the key',
      condition: { StringEqualsIfExists: { 'sts:ExternalId': 'abc' } },
      fixed: false,
    },
    { name: 'StringLike is not exact', condition: { StringLike: { 'sts:ExternalId': 'abc' } }, fixed: false },
    {
      name: 'ForAllValues passes without the key',
      condition: { 'ForAllValues:StringEquals': { 'sts:ExternalId': 'abc' } },
      fixed: false,
    },
    {
      name: 'ForAnyValue is left to the full search',
      condition: { 'ForAnyValue:StringEquals': { 'sts:ExternalId': 'abc' } },
      fixed: false,
    },
    // STS refuses an empty external id, so such a value admits nobody: the others decide.
    {
      name: 'empty value (STS never sends one: admits nobody)',
      condition: { StringEquals: { 'sts:ExternalId': '' } },
      fixed: true,
    },
    {
      name: 'one empty value among fixed ones (protected by the real one)',
      condition: { StringEquals: { 'sts:ExternalId': ['abc', ''] } },
      fixed: true,
    },
    {
      name: 'a value with a space among fixed ones',
      condition: { StringEquals: { 'sts:ExternalId': ['abc', 'a b'] } },
      fixed: true,
    },
    {
      name: 'policy variable',
      condition: { StringEquals: { 'sts:ExternalId': '${aws:PrincipalAccount}' } },
      fixed: false,
    },
    { name: 'wildcard character', condition: { StringEquals: { 'sts:ExternalId': 'ab*' } }, fixed: false },
    {
      name: 'the probe value itself',
      condition: { StringEqualsIgnoreCase: { 'sts:ExternalId': PROBE_EXTERNAL_ID.toUpperCase() } },
      fixed: false,
    },
    { name: 'negated operator', condition: { StringNotEquals: { 'sts:ExternalId': 'abc' } }, fixed: false },
    { name: 'presence only', condition: { Null: { 'sts:ExternalId': 'false' } }, fixed: false },
    {
      name: 'another key',
      condition: { StringEquals: { 'aws:PrincipalAccount': '111122223333' } },
      fixed: false,
    },
    {
      name: 'one fixed condition among others',
      condition: {
        StringLike: { 'sts:ExternalId': '*' },
        StringEquals: { 'sts:ExternalId': 'abc' },
      },
      fixed: true,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const st = statementWith(c.condition);
      expect(st).toBeDefined();
      expect(requiresFixedExternalId(st as NonNullable<typeof st>)).toBe(c.fixed);
    });
  }
});

// ---------- generated policies around sts:ExternalId ----------
const externalIdValue = fc.oneof(
  fc.constantFrom('abc', 'ABC', '', '*', 'a?c', '${aws:PrincipalAccount}', PROBE_EXTERNAL_ID, 'x'),
  fc.string({ maxLength: 6 }),
);
const operator = fc.constantFrom(
  'StringEquals',
  'StringEqualsIgnoreCase',
  'StringEqualsIfExists',
  'StringLike',
  'StringNotEquals',
  'ForAnyValue:StringEquals',
  'ForAllValues:StringEquals',
  'Null',
);
const key = fc.constantFrom('sts:ExternalId', 'sts:externalid', 'aws:MultiFactorAuthPresent');
const condition = fc.dictionary(
  operator,
  fc.dictionary(key, fc.oneof(externalIdValue, fc.array(externalIdValue, { maxLength: 3 })), {
    minKeys: 1,
    maxKeys: 2,
  }),
  { maxKeys: 2 },
);
const principal = fc.constantFrom(
  '*',
  '111122223333',
  'arn:aws:iam::111122223333:root',
  `arn:aws:iam::${OWNER}:root`,
  'arn:aws:iam::444455556666:role/vendor',
);
const statement = fc.record(
  {
    Effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
    Principal: fc.oneof(
      fc.constant('*'),
      fc.record({ AWS: fc.oneof(principal, fc.array(principal, { maxLength: 2 })) }),
    ),
    Action: fc.constantFrom('sts:AssumeRole', 'sts:*', '*'),
    Condition: condition,
  },
  { requiredKeys: ['Effect', 'Principal', 'Action'] },
);
const policy = fc.record({
  Version: fc.constant('2012-10-17'),
  Statement: fc.array(statement, { minLength: 1, maxLength: 3 }),
});

describe('the skip agrees with the full search', () => {
  it('on 2,000 generated policies, in every mode', () => {
    let skipped = 0;
    fc.assert(
      fc.property(policy, (doc) => {
        const role = roleWith(doc as JsonLike);
        if (role.trustPolicy.statements.some((st) => st.effect === 'Allow' && requiresFixedExternalId(st)))
          skipped++;
        for (const mode of REQUIRE_MODES) {
          const fast = findThirdPartyAccess(role, emptyZone(), mode);
          const full = findThirdPartyAccess(role, emptyZone(), mode, { exhaustive: true });
          expect(fast).toEqual(full);
        }
      }),
      { seed: 20261128, numRuns: 2000 },
    );
    // The generator must reach the skipped case often, or the comparison proves little.
    expect(skipped).toBeGreaterThan(200);
  });
});
