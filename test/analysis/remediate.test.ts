import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  correctTrustPolicy,
  EXTERNAL_ID_PLACEHOLDER,
  ORG_PLACEHOLDER,
  type TrustFix,
} from '../../src/analysis/remediate.js';
import type { FindingDraft } from '../../src/findings/types.js';
import type { JsonLike } from '../../src/model/types.js';
import { TA001 } from '../../src/rules/TA001.js';
import { OWNER, runCase } from '../helpers/rule-tester.js';

const V = '111122223333';
const V2 = '444455556666';
const VERSION = '2012-10-17';
const X = EXTERNAL_ID_PLACEHOLDER;

interface FixCase {
  name: string;
  doc: JsonLike;
  fixes: TrustFix[];
  expected: JsonLike;
}

const cases: FixCase[] = [
  {
    name: 'adds StringEquals sts:ExternalId to a statement without Condition',
    doc: {
      Version: VERSION,
      Statement: [{ Effect: 'Allow', Principal: { AWS: V }, Action: 'sts:AssumeRole' }],
    },
    fixes: [{ statementIndex: 0, principals: [V], externalId: X }],
    expected: {
      Version: VERSION,
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: V },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': `<EXTERNAL-ID-FOR-${V}>` } },
        },
      ],
    },
  },
  {
    name: 'keeps a single Statement object single',
    doc: {
      Version: VERSION,
      Statement: { Effect: 'Allow', Principal: { AWS: V }, Action: 'sts:AssumeRole' },
    },
    fixes: [{ statementIndex: 0, principals: [V], requireMfa: true }],
    expected: {
      Version: VERSION,
      Statement: {
        Effect: 'Allow',
        Principal: { AWS: V },
        Action: 'sts:AssumeRole',
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      },
    },
  },
  {
    name: 'replaces a wildcard StringLike external id and keeps other conditions in order',
    doc: {
      Version: VERSION,
      Statement: [
        {
          Sid: 'Vendor',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${V}:root` },
          Action: 'sts:AssumeRole',
          Condition: {
            StringLike: { 'sts:ExternalId': 'cust-*', 'aws:PrincipalArn': `arn:aws:iam::${V}:role/x*` },
            IpAddress: { 'aws:SourceIp': '203.0.113.0/24' },
          },
        },
      ],
    },
    fixes: [{ statementIndex: 0, principals: [`arn:aws:iam::${V}:root`], externalId: X }],
    expected: {
      Version: VERSION,
      Statement: [
        {
          Sid: 'Vendor',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${V}:root` },
          Action: 'sts:AssumeRole',
          Condition: {
            StringLike: { 'aws:PrincipalArn': `arn:aws:iam::${V}:role/x*` },
            IpAddress: { 'aws:SourceIp': '203.0.113.0/24' },
            StringEquals: { 'sts:ExternalId': `<EXTERNAL-ID-FOR-${V}>` },
          },
        },
      ],
    },
  },
  {
    name: 'replaces StringEqualsIfExists and a key written in odd case, reusing an existing StringEquals block',
    doc: {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: V },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'aws:PrincipalTag/team': 'a' },
            StringEqualsIfExists: { 'STS:EXTERNALID': 'abc' },
          },
        },
      ],
    },
    fixes: [{ statementIndex: 0, principals: [V], externalId: 'agreed-1' }],
    expected: {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: V },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:PrincipalTag/team': 'a', 'sts:ExternalId': 'agreed-1' } },
        },
      ],
    },
  },
  {
    name: 'replaces BoolIfExists MFA and an IfExists age bound, keeps a plain age bound',
    doc: {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: V },
          Action: 'sts:AssumeRole',
          Condition: {
            BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' },
            NumericLessThanIfExists: { 'aws:MultiFactorAuthAge': '3600' },
            NumericLessThan: { 'aws:MultiFactorAuthAge': '7200' },
          },
        },
      ],
    },
    fixes: [{ statementIndex: 0, principals: [V], requireMfa: true }],
    expected: {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: V },
          Action: 'sts:AssumeRole',
          Condition: {
            NumericLessThan: { 'aws:MultiFactorAuthAge': '7200' },
            Bool: { 'aws:MultiFactorAuthPresent': 'true' },
          },
        },
      ],
    },
  },
  {
    name: 'splits a statement that also names the own account and a service',
    doc: {
      Version: VERSION,
      Statement: [
        {
          Sid: 'Mixed',
          Effect: 'Allow',
          Principal: { Service: 'ec2.amazonaws.com', AWS: [OWNER, V, V2] },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
        },
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 'sts:AssumeRole',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    },
    fixes: [{ statementIndex: 0, principals: [V, V2], externalId: X, requireMfa: true }],
    expected: {
      Version: VERSION,
      Statement: [
        {
          Sid: 'Mixed',
          Effect: 'Allow',
          Principal: { Service: 'ec2.amazonaws.com', AWS: [OWNER] },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
        },
        // One statement per third-party account, each with its own external-id placeholder.
        {
          Sid: 'MixedThirdParty',
          Effect: 'Allow',
          Principal: { AWS: V },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Condition: {
            StringEquals: { 'sts:ExternalId': `<EXTERNAL-ID-FOR-${V}>` },
            Bool: { 'aws:MultiFactorAuthPresent': 'true' },
          },
        },
        {
          Sid: `MixedThirdParty${V2}`,
          Effect: 'Allow',
          Principal: { AWS: V2 },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Condition: {
            StringEquals: { 'sts:ExternalId': `<EXTERNAL-ID-FOR-${V2}>` },
            Bool: { 'aws:MultiFactorAuthPresent': 'true' },
          },
        },
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 'sts:AssumeRole',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    },
  },
  {
    name: 'fixes two statements; indices refer to the original document',
    doc: {
      Statement: [
        { Effect: 'Allow', Principal: { AWS: [OWNER, V] }, Action: 'sts:AssumeRole' },
        { Effect: 'Allow', Principal: { AWS: V2 }, Action: 'sts:AssumeRole' },
      ],
    },
    fixes: [
      { statementIndex: 0, principals: [V], externalId: 'id-a' },
      { statementIndex: 1, principals: [V2], externalId: 'id-b' },
    ],
    expected: {
      Statement: [
        { Effect: 'Allow', Principal: { AWS: [OWNER] }, Action: 'sts:AssumeRole' },
        {
          Effect: 'Allow',
          Principal: { AWS: V },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': 'id-a' } },
        },
        {
          Effect: 'Allow',
          Principal: { AWS: V2 },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': 'id-b' } },
        },
      ],
    },
  },
  {
    name: 'bare "*" principal gets the condition in place',
    doc: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }] },
    fixes: [{ statementIndex: 0, principals: ['*'], externalId: X }],
    expected: {
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': X } },
        },
      ],
    },
  },
  {
    name: 'symbolic principal values are matched by their rendering and kept as they are',
    doc: {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: [{ symbolic: true, description: 'parameter VendorAccount' }, OWNER] },
          Action: 'sts:AssumeRole',
        },
      ],
    },
    fixes: [{ statementIndex: 0, principals: ['${parameter VendorAccount}'], externalId: X }],
    expected: {
      Statement: [
        { Effect: 'Allow', Principal: { AWS: [OWNER] }, Action: 'sts:AssumeRole' },
        {
          Effect: 'Allow',
          Principal: { AWS: { symbolic: true, description: 'parameter VendorAccount' } },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': X } },
        },
      ],
    },
  },
  {
    name: 'a fix for a statement that does not exist changes nothing',
    doc: { Statement: [{ Effect: 'Allow', Principal: { AWS: V }, Action: 'sts:AssumeRole' }] },
    fixes: [{ statementIndex: 3, principals: [V], externalId: X }],
    expected: { Statement: [{ Effect: 'Allow', Principal: { AWS: V }, Action: 'sts:AssumeRole' }] },
  },
];

describe('correctTrustPolicy', () => {
  for (const c of cases) {
    it(c.name, () => {
      const before = structuredClone(c.doc);
      const out = correctTrustPolicy(c.doc, c.fixes);
      expect(out).toEqual(c.expected);
      expect(JSON.stringify(out)).toBe(JSON.stringify(c.expected)); // key order kept
      expect(c.doc).toEqual(before); // pure
      expect(correctTrustPolicy(c.doc, c.fixes)).toEqual(out); // deterministic
    });
  }
});

// ------------------------------------------------------------------ property: fixing removes the finding

/** The fixes a finding asks for, as the `fix` command derives them from evidence.data. */
function fixesOf(findings: readonly FindingDraft[]): TrustFix[] {
  return findings.map((f) => {
    const d = f.evidence.data as {
      statementIndex: number;
      thirdPartyPrincipals: string[];
      missing: string[];
      require: string;
    };
    const fix: TrustFix = { statementIndex: d.statementIndex, principals: d.thirdPartyPrincipals };
    const needId = d.require !== 'mfa' && d.missing.includes('external-id');
    const needMfa = (d.require === 'mfa' || d.require === 'external-id-and-mfa') && d.missing.includes('mfa');
    if (needId || !needMfa) fix.externalId = X;
    if (needMfa) fix.requireMfa = true;
    return fix;
  });
}

const principalPool: JsonLike[] = [
  OWNER,
  V,
  `arn:aws:iam::${V2}:root`,
  `arn:aws:iam::${V}:role/integration`,
  `arn:aws:iam::${V2}:user/ops`,
  '*',
  'AROAEXAMPLEUNIQUEID01',
  'arn:aws:iam::*:root',
  `arn:aws:iam::${V2}:role/vendor-*`,
];
const allowConditions: [string, string, JsonLike][] = [
  ['StringLike', 'sts:ExternalId', '*'],
  ['StringEqualsIfExists', 'sts:ExternalId', 'abc'],
  ['StringEquals', 'sts:ExternalId', 'fixed-id'],
  ['Null', 'sts:ExternalId', 'false'],
  ['BoolIfExists', 'aws:MultiFactorAuthPresent', 'true'],
  ['Bool', 'aws:MultiFactorAuthPresent', 'false'],
  ['IpAddress', 'aws:SourceIp', '203.0.113.0/24'],
  ['ArnLike', 'aws:PrincipalArn', `arn:aws:iam::*:role/*`],
  ['StringEquals', 'aws:PrincipalAccount', V],
  ['StringEquals', 'aws:PrincipalOrgID', 'o-abcdefghij'],
];
const denyConditions: [string, string, JsonLike][] = [
  ['Null', 'sts:ExternalId', 'true'],
  ['Bool', 'aws:MultiFactorAuthPresent', 'false'],
  ['NotIpAddress', 'aws:SourceIp', '203.0.113.0/24'],
  ['StringNotEquals', 'aws:PrincipalAccount', OWNER],
];

function conditionBlock(picks: [string, string, JsonLike][]): JsonLike {
  const out: { [op: string]: { [key: string]: JsonLike } } = {};
  for (const [op, key, value] of picks) {
    out[op] ??= {};
    out[op][key] = value;
  }
  return out;
}

const allowStatement = fc
  .record({
    principals: fc.uniqueArray(fc.constantFrom(...principalPool), { minLength: 1, maxLength: 3 }),
    service: fc.boolean(),
    conditions: fc.subarray(allowConditions, { maxLength: 3 }),
    sid: fc.option(fc.constantFrom('Vendor', 'Ops'), { nil: undefined }),
  })
  .map(({ principals, service, conditions, sid }) => {
    const st: { [k: string]: JsonLike } = {};
    if (sid) st.Sid = sid;
    st.Effect = 'Allow';
    st.Principal = service
      ? { Service: 'ec2.amazonaws.com', AWS: principals }
      : { AWS: principals.length === 1 ? principals[0]! : principals };
    st.Action = 'sts:AssumeRole';
    if (conditions.length > 0) st.Condition = conditionBlock(conditions);
    return st as JsonLike;
  });

const denyStatement = fc.subarray(denyConditions, { minLength: 1, maxLength: 2 }).map(
  (conditions) =>
    ({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'sts:AssumeRole',
      Condition: conditionBlock(conditions),
    }) as JsonLike,
);

const policy = fc
  .tuple(fc.array(allowStatement, { minLength: 1, maxLength: 3 }), fc.array(denyStatement, { maxLength: 1 }))
  .map(([allows, denies]) => ({ Version: VERSION, Statement: [...allows, ...denies] }) as JsonLike);

describe('property: TA001 finds nothing once its fixes are applied', () => {
  for (const require of ['external-id-or-mfa', 'external-id', 'mfa', 'external-id-and-mfa']) {
    it(`require ${require}`, () => {
      fc.assert(
        fc.property(policy, fc.boolean(), (doc, ownerKnown) => {
          const role = ownerKnown ? {} : { account: undefined };
          const findings = runCase(TA001, { name: 'p', policy: doc, role, options: { require } });
          const fixed = correctTrustPolicy(doc, fixesOf(findings));
          const after = runCase(TA001, { name: 'p', policy: fixed, role, options: { require } });
          expect(after.map((f) => f.message)).toEqual([]);
          // The finding's own corrected policy removes that finding.
          for (const f of findings) {
            const again = runCase(TA001, {
              name: 'p',
              policy: f.remediation.correctedPolicy!,
              role,
              // The user puts their organization where the corrected policy narrows "*" to one.
              zone: { trustedOrgIds: [ORG_PLACEHOLDER] },
              options: { require },
            });
            expect(again.map((g) => g.evidence.data?.statementIndex)).not.toContain(f.statement?.index);
          }
        }),
        { numRuns: 300, seed: 20261128 },
      );
    });
  }
});
