import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { JsonLike } from '../../src/model/types.js';
import { DEPLOYING_ACCOUNT } from '../../src/model/types.js';
import { TA001 } from '../../src/rules/TA001.js';
import { OWNER, ruleTester, runCase } from '../helpers/rule-tester.js';

const VENDOR = '111122223333';
const VENDOR2 = '444455556666';
const TRUSTED = '777788889999';
const VERSION = '2012-10-17';

type Obj = { [k: string]: JsonLike };

/** A one-statement trust policy: Allow `principal` sts:AssumeRole, plus `extra` statement keys. */
function allow(principal: JsonLike, extra: Obj = {}): JsonLike {
  return {
    Version: VERSION,
    Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...extra }],
  };
}

/** Allow the vendor account with one condition block. */
function vendorWith(condition: Obj): JsonLike {
  return allow({ AWS: `arn:aws:iam::${VENDOR}:root` }, { Condition: condition });
}

/** Allow the vendor account (no condition) followed by `deny` statements. */
function vendorDenied(...deny: Obj[]): JsonLike {
  return {
    Version: VERSION,
    Statement: [
      { Effect: 'Allow', Principal: { AWS: VENDOR }, Action: 'sts:AssumeRole' },
      ...deny.map((d) => ({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', ...d })),
    ],
  };
}

const ownOrg = 'o-ownorg1234';

ruleTester(TA001, {
  valid: [
    // ---------------------------------------------------------------- actions
    {
      name: 'action: NotAction sts:AssumeRole excludes it',
      policy: {
        Version: VERSION,
        Statement: [{ Effect: 'Allow', Principal: { AWS: VENDOR }, NotAction: 'sts:AssumeRole' }],
      },
    },
    {
      name: 'action: NotAction sts:* excludes it',
      policy: {
        Version: VERSION,
        Statement: [{ Effect: 'Allow', Principal: { AWS: VENDOR }, NotAction: 'sts:*' }],
      },
    },
    {
      name: 'action: only sts:AssumeRoleWithSAML',
      policy: allow({ AWS: VENDOR }, { Action: 'sts:AssumeRoleWithSAML' }),
    },
    {
      name: 'action: only sts:TagSession',
      policy: allow({ AWS: VENDOR }, { Action: ['sts:TagSession', 'sts:SetSourceIdentity'] }),
    },
    // ---------------------------------------------------------------- principals
    { name: 'principal: own account bare id', policy: allow({ AWS: OWNER }) },
    { name: 'principal: own account root ARN', policy: allow({ AWS: `arn:aws:iam::${OWNER}:root` }) },
    { name: 'principal: role in own account', policy: allow({ AWS: `arn:aws:iam::${OWNER}:role/admin` }) },
    { name: 'principal: trusted account', policy: allow({ AWS: TRUSTED }), zone: { trusted: [TRUSTED] } },
    {
      name: 'principal: trusted account limited to a path the role is under',
      policy: allow({ AWS: TRUSTED }),
      zone: { trusted: [{ id: TRUSTED, rolePaths: ['/platform/'] }] },
      role: { path: '/platform/ci/' },
    },
    {
      name: 'principal: deploying-account marker is the owner',
      policy: allow({ AWS: `arn:aws:iam::${DEPLOYING_ACCOUNT}:root` }),
      role: { account: DEPLOYING_ACCOUNT },
    },
    {
      name: 'principal: deploying-account role with --account: that account is the owner',
      policy: allow({ AWS: OWNER }),
      role: { account: DEPLOYING_ACCOUNT },
      zone: { defaultOwner: OWNER },
    },
    {
      name: 'principal: owner unknown in the role but given by the zone',
      policy: allow({ AWS: OWNER }),
      role: { account: undefined },
      zone: { defaultOwner: OWNER },
    },
    {
      name: 'principal: symbolic value whose account is the deploying account',
      policy: allow({
        AWS: {
          symbolic: true,
          description: 'Fn::Sub',
          text: 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root',
        },
      }),
      role: { account: DEPLOYING_ACCOUNT },
    },
    {
      name: 'principal: symbolic partition, literal own account',
      policy: allow({
        AWS: { symbolic: true, description: 'Fn::Sub', text: `arn:\${AWS::Partition}:iam::${OWNER}:root` },
      }),
    },
    {
      name: 'principal: partial wildcard role name in the own account',
      policy: allow({ AWS: `arn:aws:iam::${OWNER}:role/ci-*` }),
    },
    { name: 'principal: service only', policy: allow({ Service: 'ec2.amazonaws.com' }) },
    {
      name: 'principal: federated only',
      policy: allow(
        { Federated: `arn:aws:iam::${OWNER}:oidc-provider/token.actions.githubusercontent.com` },
        { Action: 'sts:AssumeRoleWithWebIdentity' },
      ),
    },
    {
      name: 'principal: third party only in a Deny statement',
      policy: {
        Version: VERSION,
        Statement: [{ Effect: 'Deny', Principal: { AWS: VENDOR }, Action: 'sts:AssumeRole' }],
      },
    },
    {
      name: 'principal: mixed list, own and trusted only',
      policy: allow({ AWS: [OWNER, TRUSTED], Service: 'lambda.amazonaws.com' }),
      zone: { trusted: [TRUSTED] },
    },
    // ---------------------------------------------------------------- external id
    {
      name: 'external id: StringEquals fixed value',
      policy: vendorWith({ StringEquals: { 'sts:ExternalId': 'a1b2c3d4e5' } }),
    },
    {
      name: 'external id: StringEquals list of fixed values',
      policy: vendorWith({ StringEquals: { 'sts:ExternalId': ['id-one', 'id-two'] } }),
    },
    {
      name: 'external id: StringLike without wildcard is a fixed value',
      policy: vendorWith({ StringLike: { 'sts:ExternalId': 'a1b2c3d4e5' } }),
    },
    {
      name: 'external id: StringEqualsIgnoreCase fixed value',
      policy: vendorWith({ StringEqualsIgnoreCase: { 'sts:ExternalId': 'A1B2C3' } }),
    },
    {
      name: 'external id: key in odd case',
      policy: vendorWith({ StringEquals: { 'STS:externalID': 'a1b2c3d4e5' } }),
    },
    {
      name: 'external id: symbolic IaC parameter pins it',
      policy: vendorWith({
        StringEquals: { 'sts:ExternalId': { symbolic: true, description: 'parameter ExternalId' } },
      }),
    },
    {
      name: 'external id: ForAnyValue:StringEquals fixed (absent key fails)',
      policy: vendorWith({ 'ForAnyValue:StringEquals': { 'sts:ExternalId': 'a1b2c3' } }),
    },
    {
      name: 'external id: conditions are ANDed, a fixed id plus a free key still protects',
      policy: vendorWith({
        StringEquals: { 'sts:ExternalId': 'a1b2c3' },
        IpAddress: { 'aws:SourceIp': '203.0.113.0/24' },
      }),
    },
    // ---------------------------------------------------------------- MFA
    {
      name: 'mfa: Bool "true" string',
      policy: vendorWith({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }),
    },
    {
      name: 'mfa: Bool true JSON boolean',
      policy: vendorWith({ Bool: { 'aws:MultiFactorAuthPresent': true } }),
    },
    { name: 'mfa: key in odd case', policy: vendorWith({ Bool: { 'AWS:multifactorauthpresent': 'true' } }) },
    {
      name: 'mfa: MultiFactorAuthAge NumericLessThan bound',
      policy: vendorWith({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }),
    },
    // ---------------------------------------------------------------- identity conditions
    {
      name: 'condition: wildcard principal pinned to own account',
      policy: allow('*', { Condition: { StringEquals: { 'aws:PrincipalAccount': OWNER } } }),
    },
    {
      name: 'condition: vendor principal with PrincipalAccount pinned to own account',
      policy: vendorWith({ StringEquals: { 'aws:PrincipalAccount': OWNER } }),
    },
    {
      name: 'condition: wildcard principal narrowed to own roles by PrincipalArn',
      policy: allow(
        { AWS: '*' },
        { Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${OWNER}:role/*` } } },
      ),
    },
    {
      name: 'condition: wildcard principal limited to own organization',
      policy: allow({ AWS: '*' }, { Condition: { StringEquals: { 'aws:PrincipalOrgID': ownOrg } } }),
      zone: { trustedOrgIds: [ownOrg] },
    },
    {
      name: 'condition: wildcard principal limited to own org paths',
      policy: allow(
        { AWS: '*' },
        {
          Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': `${ownOrg}/r-ab12/ou-ab12-*` } },
        },
      ),
      zone: { trustedOrgIds: [ownOrg] },
    },
    {
      name: 'condition: vendor principal but ArnEquals aws:PrincipalArn pinned to an own role',
      policy: vendorWith({ ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${OWNER}:role/deployer` } }),
    },
    {
      name: 'condition: aws:SourceAccount is never sent by a direct caller',
      policy: vendorWith({ StringEquals: { 'aws:SourceAccount': VENDOR } }),
    },
    // ---------------------------------------------------------------- Deny statements
    {
      name: 'deny: Deny unless the external id equals the agreed value protects',
      policy: vendorDenied({ Condition: { StringNotEquals: { 'sts:ExternalId': 'a1b2c3d4e5' } } }),
    },
    {
      name: 'deny: Deny BoolIfExists MFA false protects (long-term keys are denied)',
      policy: vendorDenied({ Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } }),
    },
    {
      name: 'deny: Allow needs id "a" but a Deny refuses anything but "b": nobody gets in, even knowing the ids',
      policy: {
        Version: VERSION,
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: VENDOR },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'sts:ExternalId': 'a1' } },
          },
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 'sts:AssumeRole',
            Condition: { StringNotEquals: { 'sts:ExternalId': 'b2' } },
          },
        ],
      },
      options: { require: 'mfa' },
    },
    // ---------------------------------------------------------------- require modes
    {
      name: 'require default: MFA alone is enough',
      policy: vendorWith({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }),
    },
    {
      name: 'require external-id: pinned external id',
      policy: vendorWith({ StringEquals: { 'sts:ExternalId': 'x1y2z3' } }),
      options: { require: 'external-id' },
    },
    {
      name: 'require mfa: Bool MFA true',
      policy: vendorWith({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }),
      options: { require: 'mfa' },
    },
    {
      name: 'require external-id-and-mfa: both present',
      policy: vendorWith({
        StringEquals: { 'sts:ExternalId': 'x1y2z3' },
        Bool: { 'aws:MultiFactorAuthPresent': 'true' },
      }),
      options: { require: 'external-id-and-mfa' },
    },
  ],
  invalid: [
    // ---------------------------------------------------------------- actions
    {
      name: 'action: sts:AssumeRole',
      policy: allow({ AWS: VENDOR }),
      expect: [
        { statementIndex: 0, principals: [VENDOR], missing: ['external-id', 'mfa'], accounts: [VENDOR] },
      ],
    },
    {
      name: 'action: sts:*',
      policy: allow({ AWS: VENDOR }, { Action: 'sts:*' }),
      expect: [{ statementIndex: 0 }],
    },
    { name: 'action: *', policy: allow({ AWS: VENDOR }, { Action: '*' }), expect: [{ statementIndex: 0 }] },
    {
      name: 'action: sts:Assume*',
      policy: allow({ AWS: VENDOR }, { Action: 'sts:Assume*' }),
      expect: [{ statementIndex: 0 }],
    },
    {
      name: 'action: list with sts:AssumeRole',
      policy: allow({ AWS: VENDOR }, { Action: ['sts:TagSession', 'sts:AssumeRole'] }),
      expect: [{ statementIndex: 0 }],
    },
    {
      name: 'action: odd case STS:assumerole',
      policy: allow({ AWS: VENDOR }, { Action: 'STS:assumerole' }),
      expect: [{ statementIndex: 0 }],
    },
    {
      name: 'action: NotAction that does not exclude sts:AssumeRole',
      policy: {
        Version: VERSION,
        Statement: [{ Effect: 'Allow', Principal: { AWS: VENDOR }, NotAction: 'sts:TagSession' }],
      },
      expect: [{ statementIndex: 0 }],
    },
    // ---------------------------------------------------------------- principals
    {
      name: 'principal: bare account id',
      policy: allow({ AWS: VENDOR }),
      expect: [
        { statementIndex: 0, principals: [VENDOR], evidenceIncludes: ['has no condition on sts:ExternalId'] },
      ],
    },
    {
      name: 'principal: root ARN',
      policy: allow({ AWS: `arn:aws:iam::${VENDOR}:root` }),
      expect: [{ statementIndex: 0, principals: [`arn:aws:iam::${VENDOR}:root`], accounts: [VENDOR] }],
    },
    {
      name: 'principal: user ARN',
      policy: allow({ AWS: `arn:aws:iam::${VENDOR}:user/ops` }),
      expect: [
        { statementIndex: 0, accounts: [VENDOR], evidenceIncludes: [`arn:aws:iam::${VENDOR}:user/ops`] },
      ],
    },
    {
      name: 'principal: role ARN',
      policy: allow({ AWS: `arn:aws:iam::${VENDOR}:role/integration` }),
      expect: [{ statementIndex: 0, evidenceIncludes: ['assumed-role/integration/'] }],
    },
    {
      name: 'principal: role ARN with a path',
      policy: allow({ AWS: `arn:aws:iam::${VENDOR}:role/team/integration` }),
      expect: [{ statementIndex: 0, accounts: [VENDOR] }],
    },
    {
      name: 'principal: assumed-role session ARN',
      policy: allow({ AWS: `arn:aws:sts::${VENDOR}:assumed-role/integration/worker` }),
      expect: [
        { statementIndex: 0, evidenceIncludes: [`arn:aws:sts::${VENDOR}:assumed-role/integration/worker`] },
      ],
    },
    {
      name: 'principal: bare "*"',
      policy: allow('*'),
      expect: [{ statementIndex: 0, principals: ['*'], accounts: ['*'] }],
    },
    {
      name: 'principal: aws-cn partition root ARN',
      policy: allow({ AWS: `arn:aws-cn:iam::${VENDOR}:root` }),
      role: { partition: 'aws-cn' },
      expect: [{ statementIndex: 0, accounts: [VENDOR], evidenceIncludes: ['arn:aws-cn:sts::'] }],
    },
    {
      name: 'principal: ["*"] in a list',
      policy: allow({ AWS: ['*'] }),
      expect: [{ statementIndex: 0, principals: ['*'] }],
    },
    {
      name: 'principal: {"AWS": "*"}',
      policy: allow({ AWS: '*' }),
      expect: [{ statementIndex: 0, principals: ['*'], accounts: ['*'] }],
    },
    {
      name: 'principal: list mixing own account and two vendors',
      policy: allow({ AWS: [OWNER, `arn:aws:iam::${VENDOR}:root`, VENDOR2] }),
      expect: [
        {
          statementIndex: 0,
          principals: [`arn:aws:iam::${VENDOR}:root`, VENDOR2],
          accounts: [VENDOR, VENDOR2],
        },
      ],
    },
    {
      name: 'principal: mixed types (service and vendor account)',
      policy: allow({ Service: 'ec2.amazonaws.com', AWS: VENDOR }),
      expect: [{ statementIndex: 0, principals: [VENDOR] }],
    },
    {
      name: 'principal: symbolic account (IaC parameter)',
      policy: allow({
        AWS: {
          symbolic: true,
          description: 'parameter VendorAccountId',
          text: 'arn:aws:iam::${VendorAccountId}:root',
        },
      }),
      expect: [
        {
          statementIndex: 0,
          principals: ['${parameter VendorAccountId}'],
          evidenceIncludes: ['parameter VendorAccountId', 'may be a third-party account'],
        },
      ],
    },
    {
      name: 'principal: symbolic partition, literal vendor account',
      policy: allow({
        AWS: { symbolic: true, description: 'Fn::Sub', text: `arn:\${AWS::Partition}:iam::${VENDOR}:root` },
      }),
      expect: [{ statementIndex: 0, accounts: [VENDOR] }],
    },
    {
      name: 'principal: partial wildcard account (invalid) read as any account',
      policy: allow({ AWS: 'arn:aws:iam::*:root' }),
      expect: [
        {
          statementIndex: 0,
          principals: ['arn:aws:iam::*:root'],
          accounts: ['*'],
          evidenceIncludes: ['partial wildcard'],
        },
      ],
    },
    {
      name: 'principal: partial wildcard role name in a vendor account (invalid) read as that account',
      policy: allow({ AWS: `arn:aws:iam::${VENDOR}:role/vendor-*` }),
      expect: [{ statementIndex: 0, accounts: [VENDOR], evidenceIncludes: ['partial wildcard'] }],
    },
    {
      name: 'principal: trusted account, but not for this role path',
      policy: allow({ AWS: TRUSTED }),
      zone: { trusted: [{ id: TRUSTED, rolePaths: ['/platform/'] }] },
      role: { path: '/app/' },
      expect: [{ statementIndex: 0, principals: [TRUSTED] }],
    },
    {
      name: 'principal: owner unknown, own-looking account is possibly third party',
      policy: allow({ AWS: OWNER }),
      role: { account: undefined },
      expect: [{ statementIndex: 0, ownerKnown: false, evidenceIncludes: ['owns this role is not known'] }],
    },
    {
      name: 'principal: deploying-account role without --account: a literal account may be a third party',
      policy: allow({ AWS: OWNER }),
      role: { account: DEPLOYING_ACCOUNT },
      expect: [{ statementIndex: 0, ownerKnown: false }],
    },
    {
      name: 'principal: named vendor gets its name',
      policy: allow({ AWS: VENDOR }),
      zone: { known: { [VENDOR]: 'Example Vendor' } },
      expect: [{ statementIndex: 0, evidenceIncludes: ['Example Vendor (111122223333)'] }],
    },
    {
      name: 'principal: NotPrincipal in an Allow admits everyone else',
      policy: {
        Version: VERSION,
        Statement: [
          { Effect: 'Allow', NotPrincipal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: 'sts:AssumeRole' },
        ],
      },
      expect: [
        { statementIndex: 0, principals: ['*'], evidenceIncludes: ['NotPrincipal', 'AWS would reject'] },
      ],
    },
    // ---------------------------------------------------------------- external id not effective
    {
      name: 'external id: StringLike "*"',
      policy: vendorWith({ StringLike: { 'sts:ExternalId': '*' } }),
      expect: [
        {
          statementIndex: 0,
          evidenceIncludes: [
            'a wildcard pattern accepts values the caller makes up',
            '"sts:ExternalId":"trustaudit-probe-external-id"',
          ],
        },
      ],
    },
    {
      name: 'external id: StringLike fixed prefix with *',
      policy: vendorWith({ StringLike: { 'sts:ExternalId': 'customer-*' } }),
      expect: [{ statementIndex: 0, evidenceIncludes: ['wildcard', 'customer-trustaudit-probe'] }],
    },
    {
      name: 'external id: StringEqualsIfExists',
      policy: vendorWith({ StringEqualsIfExists: { 'sts:ExternalId': 'a1b2c3d4e5' } }),
      expect: [{ statementIndex: 0, evidenceIncludes: ['IfExists passes when the key is absent'] }],
    },
    {
      name: 'external id: Null false only checks presence',
      policy: vendorWith({ Null: { 'sts:ExternalId': 'false' } }),
      expect: [{ statementIndex: 0, evidenceIncludes: ['Null only tests whether the key is present'] }],
    },
    {
      name: 'external id: value made of a policy variable the caller knows',
      policy: vendorWith({ StringEquals: { 'sts:ExternalId': '${aws:PrincipalAccount}' } }),
      expect: [
        { statementIndex: 0, evidenceIncludes: ['policy variables', '"sts:ExternalId":"111122223333"'] },
      ],
    },
    {
      name: 'external id: ForAnyValue:StringLike "*" matches a made-up id',
      policy: vendorWith({ 'ForAnyValue:StringLike': { 'sts:ExternalId': '*' } }),
      expect: [{ statementIndex: 0, evidenceIncludes: ['wildcard'] }],
    },
    {
      name: 'external id: StringNotEquals passes when absent',
      policy: vendorWith({ StringNotEquals: { 'sts:ExternalId': 'a1b2c3' } }),
      expect: [{ statementIndex: 0, evidenceIncludes: ['negated operator'] }],
    },
    {
      name: 'external id: ForAllValues passes when absent',
      policy: vendorWith({ 'ForAllValues:StringEquals': { 'sts:ExternalId': 'a1b2c3' } }),
      expect: [{ statementIndex: 0, evidenceIncludes: ['ForAllValues passes when the key is absent'] }],
    },
    // ---------------------------------------------------------------- MFA not effective
    {
      name: 'mfa: BoolIfExists true',
      policy: vendorWith({ BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } }),
      expect: [
        {
          statementIndex: 0,
          evidenceIncludes: ['BoolIfExists passes when the key is absent', 'aws:MultiFactorAuthPresent'],
        },
      ],
    },
    {
      name: 'mfa: Bool false',
      policy: vendorWith({ Bool: { 'aws:MultiFactorAuthPresent': 'false' } }),
      expect: [{ statementIndex: 0, evidenceIncludes: ['admits callers without MFA'] }],
    },
    {
      name: 'mfa: MultiFactorAuthAge with IfExists',
      policy: vendorWith({ NumericLessThanIfExists: { 'aws:MultiFactorAuthAge': '3600' } }),
      expect: [
        { statementIndex: 0, evidenceIncludes: ['NumericLessThanIfExists passes when the key is absent'] },
      ],
    },
    // ---------------------------------------------------------------- keys that are no protection
    {
      name: 'free key: aws:SourceIp is not a protection',
      policy: vendorWith({ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }),
      expect: [{ statementIndex: 0, evidenceIncludes: ['aws:SourceIp', 'is no protection'] }],
    },
    {
      name: 'free key: aws:PrincipalTag is not a protection',
      policy: vendorWith({ StringEquals: { 'aws:PrincipalTag/team': 'integrations' } }),
      expect: [{ statementIndex: 0, evidenceIncludes: ['aws:PrincipalTag/team'] }],
    },
    {
      name: 'free key: aws:UserAgent is not a protection',
      policy: vendorWith({ StringLike: { 'aws:UserAgent': '*vendor-sdk*' } }),
      expect: [{ statementIndex: 0, evidenceIncludes: ['aws:UserAgent'] }],
    },
    {
      name: 'free key: time window is not a protection',
      policy: vendorWith({ DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } }),
      expect: [{ statementIndex: 0 }],
    },
    // ---------------------------------------------------------------- identity conditions
    {
      name: 'condition: PrincipalArn narrowing inside the vendor account still lets it in',
      policy: vendorWith({ ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${VENDOR}:role/deploy-*` } }),
      expect: [
        {
          statementIndex: 0,
          evidenceIncludes: [
            'still admits this caller',
            `arn:aws:iam::${VENDOR}:role/deploy-trustaudit-probe`,
          ],
        },
      ],
    },
    {
      name: 'condition: wildcard principal with PrincipalAccount naming a vendor',
      policy: allow('*', { Condition: { StringEquals: { 'aws:PrincipalAccount': [OWNER, VENDOR] } } }),
      expect: [{ statementIndex: 0, principals: ['*'], accounts: [VENDOR] }],
    },
    {
      name: 'condition: wildcard principal with an organization that is not trusted',
      policy: allow(
        { AWS: '*' },
        { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-someoneelse1' } } },
      ),
      zone: { trustedOrgIds: [ownOrg] },
      expect: [
        { statementIndex: 0, evidenceIncludes: ['o-someoneelse1', 'not one of your trusted organizations'] },
      ],
    },
    // ---------------------------------------------------------------- Deny statements that do not protect
    {
      name: 'deny: presence-only Deny (Null true) is avoided with any external id',
      policy: vendorDenied({ Condition: { Null: { 'sts:ExternalId': 'true' } } }),
      expect: [{ statementIndex: 0, evidenceIncludes: ['Deny statement 1 can be avoided'] }],
    },
    {
      name: 'deny: Deny Bool MFA false without IfExists is avoided by long-term keys',
      policy: vendorDenied({ Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } }),
      expect: [{ statementIndex: 0, evidenceIncludes: ['Deny statement 1 can be avoided'] }],
    },
    {
      name: 'deny: Deny that also needs a free key is avoided',
      policy: vendorDenied({
        Condition: {
          StringNotEquals: { 'sts:ExternalId': 'a1b2c3' },
          NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' },
        },
      }),
      expect: [{ statementIndex: 0, evidenceIncludes: ['aws:SourceIp'] }],
    },
    {
      name: 'deny: Deny of another action does not help',
      policy: vendorDenied({
        Action: 'sts:TagSession',
        Condition: { StringNotEquals: { 'sts:ExternalId': 'a1b2c3' } },
      }),
      expect: [{ statementIndex: 0, evidenceIncludes: ['does not cover sts:AssumeRole'] }],
    },
    {
      name: 'deny: Deny naming another principal does not help',
      policy: vendorDenied({ Principal: { AWS: VENDOR2 } }),
      expect: [{ statementIndex: 0, evidenceIncludes: ['does not name this caller'] }],
    },
    // ---------------------------------------------------------------- several statements
    {
      name: 'statements: only the unprotected one is reported, with its Sid',
      policy: {
        Version: VERSION,
        Statement: [
          {
            Sid: 'Protected',
            Effect: 'Allow',
            Principal: { AWS: VENDOR },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'sts:ExternalId': 'a1b2' } },
          },
          { Sid: 'Open', Effect: 'Allow', Principal: { AWS: VENDOR2 }, Action: 'sts:AssumeRole' },
        ],
      },
      expect: [{ statementIndex: 1, principals: [VENDOR2], evidenceIncludes: ['statement 1 (Sid "Open")'] }],
    },
    {
      name: 'statements: a large policy, only statement 16 is open',
      policy: {
        Version: VERSION,
        Statement: [
          ...Array.from({ length: 20 }, (_, i) => ({
            Sid: `S${i}`,
            Effect: 'Allow',
            Principal: { AWS: ['*', VENDOR, VENDOR2] },
            Action: 'sts:AssumeRole',
            Condition: (i === 16
              ? { StringEqualsIfExists: { 'sts:ExternalId': [`id-${i}-a`, `id-${i}-b`] } }
              : {
                  StringEquals: { 'sts:ExternalId': [`id-${i}-a`, `id-${i}-b`] },
                  StringLike: { 'aws:PrincipalOrgID': ['o-aaaaaaaaaa', 'o-bbbbbbbbbb'] },
                }) as Obj,
          })),
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 'sts:AssumeRole',
            Condition: { StringNotEquals: { 'aws:PrincipalAccount': [VENDOR, VENDOR2] } },
          },
        ],
      },
      expect: [{ statementIndex: 16, principals: [VENDOR, VENDOR2, '*'], accounts: [VENDOR, VENDOR2] }],
    },
    // ---------------------------------------------------------------- require modes
    {
      name: 'require external-id: MFA alone is not enough',
      policy: vendorWith({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }),
      options: { require: 'external-id' },
      expect: [
        {
          statementIndex: 0,
          missing: ['external-id'],
          evidenceIncludes: ['"aws:MultiFactorAuthPresent":"true"'],
        },
      ],
    },
    {
      name: 'require mfa: external id alone is not enough',
      policy: vendorWith({ StringEquals: { 'sts:ExternalId': 'x1y2z3' } }),
      options: { require: 'mfa' },
      expect: [
        {
          statementIndex: 0,
          missing: ['mfa'],
          evidenceIncludes: [
            '"sts:ExternalId":"x1y2z3"',
            'is met by a caller that has the agreed external ID',
          ],
        },
      ],
    },
    {
      name: 'require mfa: symbolic external id alone is not enough',
      policy: vendorWith({
        StringEquals: { 'sts:ExternalId': { symbolic: true, description: 'parameter ExternalId' } },
      }),
      options: { require: 'mfa' },
      expect: [{ statementIndex: 0, missing: ['mfa'] }],
    },
    {
      name: 'require external-id-and-mfa: external id only',
      policy: vendorWith({ StringEquals: { 'sts:ExternalId': 'x1y2z3' } }),
      options: { require: 'external-id-and-mfa' },
      expect: [{ statementIndex: 0, missing: ['mfa'] }],
    },
    {
      name: 'require external-id-and-mfa: MFA only',
      policy: vendorWith({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }),
      options: { require: 'external-id-and-mfa' },
      expect: [{ statementIndex: 0, missing: ['external-id'] }],
    },
    {
      name: 'require external-id-and-mfa: neither',
      policy: allow({ AWS: VENDOR }),
      options: { require: 'external-id-and-mfa' },
      expect: [{ statementIndex: 0, missing: ['external-id', 'mfa'] }],
    },
  ],
});

describe('TA001 finding shape', () => {
  const [f] = runCase(TA001, {
    name: 'shape',
    policy: allow({ AWS: [OWNER, VENDOR] }, { Sid: 'Vendor' }),
    zone: { known: { [VENDOR]: 'Example Vendor' } },
  });

  it('names role, statement, principal and the missing protection', () => {
    expect(f?.message).toBe(
      'Role TestRole can be assumed by account Example Vendor (111122223333) without an external ID or MFA through statement 0 (Sid "Vendor").',
    );
    expect(f?.statement).toEqual({ index: 0, sid: 'Vendor' });
    expect(f?.principals).toEqual([
      { value: VENDOR, kind: 'account', account: VENDOR, accountName: 'Example Vendor' },
    ]);
  });

  it('carries machine-readable data for the fix command', () => {
    expect(f?.evidence.data).toEqual({
      statementIndex: 0,
      thirdPartyPrincipals: [VENDOR],
      accounts: [VENDOR],
      require: 'external-id-or-mfa',
      missing: ['external-id', 'mfa'],
    });
    expect(f?.evidence.ownerKnown).toBe(true);
  });

  it('gives a concrete allowed request without external id or MFA', () => {
    expect(f?.evidence.request).toEqual({
      action: 'sts:AssumeRole',
      principal: `arn:aws:sts::${VENDOR}:assumed-role/trustaudit-probe/trustaudit`,
      context: {
        'aws:PrincipalAccount': VENDOR,
        'aws:PrincipalArn': `arn:aws:iam::${VENDOR}:role/trustaudit-probe`,
      },
      absentKeys: ['sts:ExternalId', 'aws:MultiFactorAuthPresent', 'aws:MultiFactorAuthAge'],
    });
  });

  it('remediates with console steps, the control notes, the CLI command and a split corrected policy', () => {
    const r = f!.remediation;
    expect(r.command).toBe(
      'aws iam update-assume-role-policy --role-name TestRole --policy-document file://trust-policy.json',
    );
    expect(r.steps.join('\n')).toMatch(/Trust relationships/);
    expect(r.steps.join('\n')).toMatch(/unique external ID/);
    expect(r.steps.join('\n')).toMatch(/must set the external ID/);
    expect(r.correctedPolicy).toEqual({
      Version: VERSION,
      Statement: [
        { Sid: 'Vendor', Effect: 'Allow', Principal: { AWS: [OWNER] }, Action: 'sts:AssumeRole' },
        {
          Sid: 'VendorThirdParty',
          Effect: 'Allow',
          Principal: { AWS: VENDOR },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': `<EXTERNAL-ID-FOR-${VENDOR}>` } },
        },
      ],
    });
  });

  it('rejects an unknown require option', () => {
    expect(TA001.options.schema(z).safeParse({ require: 'sometimes' }).success).toBe(false);
    expect(TA001.options.schema(z).parse({})).toEqual({ require: 'external-id-or-mfa' });
  });
});
