import { describe, expect, it } from 'vitest';
import type { JsonLike } from '../../src/model/types.js';
import { TA003 } from '../../src/rules/TA003.js';
import { OWNER, ruleTester, runCase } from '../helpers/rule-tester.js';

const VERSION = '2012-10-17';
const VENDOR = '111122223333';
const TRUSTED = '777788889999';
const OWN_ORG = 'o-ownorg1234';
type Obj = { [k: string]: JsonLike };

function anyone(extra: Obj = {}, principal: JsonLike = { AWS: '*' }): JsonLike {
  return {
    Version: VERSION,
    Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...extra }],
  };
}
function anyoneWith(condition: Obj): JsonLike {
  return anyone({ Condition: condition });
}

ruleTester(TA003, {
  valid: [
    { name: 'specific third-party account (TA001 territory)', policy: anyone({}, { AWS: VENDOR }) },
    { name: 'own account', policy: anyone({}, { AWS: `arn:aws:iam::${OWNER}:root` }) },
    { name: 'service principal', policy: anyone({}, { Service: 'ec2.amazonaws.com' }) },
    {
      name: '* narrowed by aws:PrincipalAccount to the owner',
      policy: anyoneWith({ StringEquals: { 'aws:PrincipalAccount': OWNER } }),
    },
    {
      name: '* narrowed by aws:PrincipalAccount to a trusted account',
      policy: anyoneWith({ StringEquals: { 'aws:PrincipalAccount': TRUSTED } }),
      zone: { trusted: [TRUSTED] },
    },
    {
      name: '* narrowed by aws:PrincipalAccount to a named vendor: not public (TA001 judges the vendor)',
      policy: anyoneWith({ StringEquals: { 'aws:PrincipalAccount': VENDOR } }),
    },
    {
      name: '* narrowed by aws:PrincipalArn to a role of the owner',
      policy: anyoneWith({ ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${OWNER}:role/deploy-*` } }),
    },
    {
      name: '* narrowed by aws:PrincipalOrgID to a trusted organization',
      policy: anyoneWith({ StringEquals: { 'aws:PrincipalOrgID': OWN_ORG } }),
      zone: { trustedOrgIds: [OWN_ORG] },
    },
    {
      name: '* narrowed by aws:PrincipalOrgPaths under a trusted organization',
      policy: anyoneWith({
        'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': `${OWN_ORG}/r-ab12/ou-ab12-11111111/*` },
      }),
      zone: { trustedOrgIds: [OWN_ORG] },
    },
    {
      name: 'a Deny refuses everyone outside the organization',
      policy: {
        Version: VERSION,
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' },
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 'sts:AssumeRole',
            Condition: { StringNotEquals: { 'aws:PrincipalOrgID': OWN_ORG } },
          },
        ],
      },
      zone: { trustedOrgIds: [OWN_ORG] },
    },
    { name: '* for an action that is not an assume', policy: anyone({ Action: 'sts:TagSession' }) },
    {
      name: '* for sts:AssumeRoleWithSAML only (needs a provider in your own account; see TA004)',
      policy: anyone({ Action: 'sts:AssumeRoleWithSAML' }, '*'),
    },
    {
      name: '* for web identity pinned to your own Cognito identity pool',
      policy: anyone(
        {
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              'cognito-identity.amazonaws.com:aud': 'us-east-1:11111111-2222-3333-4444-555555555555',
            },
          },
        },
        '*',
      ),
    },
    {
      name: '* with a condition block computed at deploy time (not judged)',
      policy: anyone({ Condition: { symbolic: true, description: 'var.trust_conditions' } }),
    },
    {
      name: '* with an operator block computed at deploy time (not judged)',
      policy: anyone({ Condition: { StringEquals: { symbolic: true, description: 'var.conditions' } } }),
    },
    {
      name: '* only in a Deny',
      policy: { Version: VERSION, Statement: [{ Effect: 'Deny', Principal: '*', Action: 'sts:*' }] },
    },
  ],
  invalid: [
    {
      name: 'bare "*" without conditions',
      policy: anyone({}, '*'),
      expect: [{ statementIndex: 0, principals: ['*'], evidenceIncludes: ['every AWS account'] }],
    },
    {
      name: '{"AWS": "*"} without conditions',
      policy: anyone(),
      expect: [{ statementIndex: 0, principals: ['*'] }],
    },
    {
      name: '{"AWS": ["*", own account]}',
      policy: anyone({}, { AWS: ['*', OWNER] }),
      expect: [{ statementIndex: 0 }],
    },
    {
      name: '* narrowed only by an external ID: still public, and the evidence says so',
      policy: anyoneWith({ StringEquals: { 'sts:ExternalId': 'shared-secret-1' } }),
      expect: [
        {
          statementIndex: 0,
          evidenceIncludes: ['does not make the role private', 'anyone can try', 'shared-secret-1'],
        },
      ],
    },
    {
      name: '* narrowed only by MFA: still public',
      policy: anyoneWith({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }),
      expect: [{ statementIndex: 0, evidenceIncludes: ['anyone can create an account with an MFA device'] }],
    },
    {
      name: '* narrowed by a source IP (the caller controls it)',
      policy: anyoneWith({ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }),
      expect: [{ statementIndex: 0, evidenceIncludes: ['is no protection'] }],
    },
    {
      name: '* with aws:PrincipalArn matching roles of any account',
      policy: anyoneWith({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/ci-*' } }),
      expect: [{ statementIndex: 0 }],
    },
    {
      name: '* with aws:PrincipalAccount wildcard',
      policy: anyoneWith({ StringLike: { 'aws:PrincipalAccount': '*' } }),
      expect: [{ statementIndex: 0 }],
    },
    {
      name: '* with aws:PrincipalOrgID of an organization not declared as yours (high, not critical)',
      policy: anyoneWith({ StringEquals: { 'aws:PrincipalOrgID': 'o-someoneelse1' } }),
      expect: [{ statementIndex: 0, evidenceIncludes: ['o-someoneelse1', 'trustedOrganizations'] }],
    },
    {
      name: '* with aws:PrincipalOrgID wildcard',
      policy: anyoneWith({ StringLike: { 'aws:PrincipalOrgID': 'o-*' } }),
      expect: [{ statementIndex: 0 }],
    },
    {
      name: 'NotPrincipal in an Allow',
      policy: {
        Version: VERSION,
        Statement: [{ Effect: 'Allow', NotPrincipal: { AWS: VENDOR }, Action: 'sts:AssumeRole' }],
      },
      expect: [{ statementIndex: 0, principals: ['NotPrincipal'] }],
    },
    {
      name: 'a Deny the stranger avoids (it only covers one account)',
      policy: {
        Version: VERSION,
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' },
          { Effect: 'Deny', Principal: { AWS: VENDOR }, Action: 'sts:AssumeRole' },
        ],
      },
      expect: [{ statementIndex: 0, evidenceIncludes: ['does not name this caller'] }],
    },
    {
      name: '* for web identity without a pinned audience',
      policy: anyone({ Action: 'sts:AssumeRoleWithWebIdentity' }, '*'),
      expect: [{ statementIndex: 0, action: 'sts:AssumeRoleWithWebIdentity', evidenceIncludes: ['Cognito'] }],
    },
    {
      name: 'sts:* with "*" (AssumeRole proof first)',
      policy: anyone({ Action: 'sts:*' }, '*'),
      expect: [{ statementIndex: 0 }],
    },
  ],
});

describe('TA003 details', () => {
  it('an undeclared organization gives severity high; an open role keeps the rule severity', () => {
    const [org] = runCase(TA003, {
      name: 'x',
      policy: anyoneWith({ StringEquals: { 'aws:PrincipalOrgID': 'o-someoneelse1' } }),
    });
    expect(org?.severity).toBe('high');
    expect(org?.evidence.data?.reach).toBe('organization');
    const [open] = runCase(TA003, { name: 'x', policy: anyone() });
    expect(open?.severity).toBeUndefined();
    expect(open?.evidence.data?.reach).toBe('any');
  });

  it('IfExists on aws:PrincipalAccount still narrows (the key is always present for AWS callers)', () => {
    expect(
      runCase(TA003, {
        name: 'x',
        policy: anyoneWith({ StringEqualsIfExists: { 'aws:PrincipalAccount': OWNER } }),
      }),
    ).toEqual([]);
  });

  it('corrected policy pins the trusted organization and keeps other principals', () => {
    const [f] = runCase(TA003, {
      name: 'x',
      policy: anyone({}, { AWS: ['*', OWNER] }),
      zone: { trustedOrgIds: [OWN_ORG] },
    });
    expect(f?.remediation.correctedPolicy).toEqual({
      Version: VERSION,
      Statement: [
        { Effect: 'Allow', Principal: { AWS: [OWNER] }, Action: 'sts:AssumeRole' },
        {
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:PrincipalOrgID': OWN_ORG } },
        },
      ],
    });
  });

  it('corrected policy uses a placeholder without a declared organization', () => {
    const [f] = runCase(TA003, { name: 'x', policy: anyone({}, '*') });
    expect(JSON.stringify(f?.remediation.correctedPolicy)).toContain('<YOUR-ORGANIZATION-ID>');
  });
});
