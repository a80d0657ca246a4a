import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SERVICES_WITHOUT_SOURCE_KEYS } from '../../src/data/services-without-source-keys.js';
import type { JsonLike } from '../../src/model/types.js';
import { DEPLOYING_ACCOUNT } from '../../src/model/types.js';
import { TA002 } from '../../src/rules/TA002.js';
import { OWNER, ruleTester, runCase } from '../helpers/rule-tester.js';

const VERSION = '2012-10-17';
type Obj = { [k: string]: JsonLike };

function service(name: JsonLike, extra: Obj = {}): JsonLike {
  return {
    Version: VERSION,
    Statement: [{ Effect: 'Allow', Principal: { Service: name }, Action: 'sts:AssumeRole', ...extra }],
  };
}
function statesWith(condition: Obj): JsonLike {
  return service('states.amazonaws.com', { Condition: condition });
}

ruleTester(TA002, {
  valid: [
    // ------------------------------------------------------------ pinned
    {
      name: 'SourceAccount pinned to the owner',
      policy: statesWith({ StringEquals: { 'aws:SourceAccount': OWNER } }),
    },
    {
      name: 'SourceArn pinned to an owner resource (ArnLike with a wildcard only in the name)',
      policy: statesWith({
        ArnLike: { 'aws:SourceArn': `arn:aws:states:us-east-1:${OWNER}:stateMachine:*` },
      }),
    },
    {
      name: 'SourceArn pinned exactly (ArnEquals)',
      policy: statesWith({
        ArnEquals: { 'aws:SourceArn': `arn:aws:states:us-east-1:${OWNER}:stateMachine:x` },
      }),
    },
    {
      name: 'SourceOrgID pinned to a literal organization',
      policy: statesWith({ StringEquals: { 'aws:SourceOrgID': 'o-abc123def4' } }),
    },
    {
      name: 'SourceOrgPaths pinned to a literal path',
      policy: statesWith({
        'ForAnyValue:StringLike': { 'aws:SourceOrgPaths': 'o-abc123def4/r-ab12/ou-ab12-11111111/*' },
      }),
    },
    {
      name: 'SourceAccount pinned to a trusted account',
      policy: statesWith({ StringEquals: { 'aws:SourceAccount': '777788889999' } }),
      zone: { trusted: ['777788889999'] },
    },
    {
      name: 'SourceAccount from an IaC parameter (a fixed value known at deploy time)',
      policy: statesWith({
        StringEquals: { 'aws:SourceAccount': { symbolic: true, description: 'AWS::AccountId' } },
      }),
      role: { account: DEPLOYING_ACCOUNT },
    },
    {
      name: 'SourceAccount literal third-party account: pinned to a known value',
      policy: statesWith({ StringEquals: { 'aws:SourceAccount': '111122223333' } }),
    },
    {
      name: 'a Deny refuses every other source account',
      policy: {
        Version: VERSION,
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' },
          {
            Effect: 'Deny',
            Principal: { Service: 'states.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringNotEquals: { 'aws:SourceAccount': OWNER } },
          },
        ],
      },
    },
    // ------------------------------------------------------------ exempt / out of scope
    ...SERVICES_WITHOUT_SOURCE_KEYS.map((e) => ({
      name: `exempt service: ${e.service}`,
      policy: service(e.service),
    })),
    { name: 'exempt service in the cn partition form', policy: service('ec2.amazonaws.com.cn') },
    { name: 'exempt service in upper case', policy: service('Lambda.amazonaws.com') },
    {
      name: 'exempt service written with an unresolved URL suffix',
      policy: service({ symbolic: true, description: 'Fn::Sub', text: 'ec2.${AWS::URLSuffix}' }),
    },
    {
      name: 'option exemptServices (short form)',
      policy: service('states.amazonaws.com'),
      options: { exemptServices: ['states'] },
    },
    {
      name: 'option exemptServices (principal form)',
      policy: service('states.amazonaws.com'),
      options: { exemptServices: ['states.amazonaws.com'] },
    },
    {
      name: 'service-linked role (path /aws-service-role/)',
      policy: service('states.amazonaws.com'),
      role: { path: '/aws-service-role/states.amazonaws.com/' },
    },
    {
      name: 'service-linked role (ARN)',
      policy: service('elasticmapreduce.amazonaws.com'),
      role: {
        arn: `arn:aws:iam::${OWNER}:role/aws-service-role/elasticmapreduce.amazonaws.com/AWSServiceRoleForEMR`,
      },
    },
    {
      name: 'condition block computed at deploy time (not judged)',
      policy: service('states.amazonaws.com', {
        Condition: { symbolic: true, description: 'var.assume_role_conditions' },
      }),
    },
    {
      name: 'action does not admit AssumeRole',
      policy: service('states.amazonaws.com', { Action: 'sts:TagSession' }),
    },
    {
      name: 'only an AWS account principal (TA001 territory)',
      policy: {
        Version: VERSION,
        Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'sts:AssumeRole' }],
      },
    },
    {
      name: 'service only in a Deny',
      policy: {
        Version: VERSION,
        Statement: [
          { Effect: 'Deny', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      },
    },
  ],
  invalid: [
    {
      name: 'no condition at all',
      policy: service('states.amazonaws.com'),
      expect: [
        {
          statementIndex: 0,
          principals: ['states.amazonaws.com'],
          evidenceIncludes: ['has no condition on aws:SourceAccount'],
        },
      ],
    },
    {
      name: 'sts:* and a list of services, one exempt',
      policy: service(['ec2.amazonaws.com', 'firehose.amazonaws.com'], { Action: 'sts:*' }),
      expect: [{ statementIndex: 0, principals: ['firehose.amazonaws.com'] }],
    },
    {
      name: 'SourceAccount wildcard only',
      policy: statesWith({ StringLike: { 'aws:SourceAccount': '*' } }),
      expect: [{ statementIndex: 0, evidenceIncludes: ['StringLike aws:SourceAccount "*" still admits'] }],
    },
    {
      name: 'SourceArn with a wildcard account',
      policy: statesWith({ ArnLike: { 'aws:SourceArn': 'arn:aws:states:*:*:stateMachine:*' } }),
      expect: [
        {
          statementIndex: 0,
          evidenceIncludes: ['arn:aws:states:trustaudit-probe:999999999999:stateMachine:trustaudit-probe'],
        },
      ],
    },
    {
      name: 'SourceArn of S3 with a wildcard bucket (S3 ARNs carry no account)',
      policy: service('s3.amazonaws.com', { Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::*' } } }),
      expect: [{ statementIndex: 0 }],
    },
    {
      name: 'SourceAccount pinned with IfExists',
      policy: statesWith({ StringEqualsIfExists: { 'aws:SourceAccount': OWNER } }),
      expect: [{ statementIndex: 0, evidenceIncludes: ['IfExists', 'without any source key'] }],
    },
    {
      name: 'SourceOrgID wildcard only',
      policy: statesWith({ StringLike: { 'aws:SourceOrgID': 'o-*' } }),
      expect: [{ statementIndex: 0 }],
    },
    {
      name: 'Null check on SourceAccount only',
      policy: statesWith({ Null: { 'aws:SourceAccount': 'false' } }),
      expect: [{ statementIndex: 0 }],
    },
    {
      name: 'Deny that the stranger avoids (it names another service)',
      policy: {
        Version: VERSION,
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' },
          {
            Effect: 'Deny',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringNotEquals: { 'aws:SourceAccount': OWNER } },
          },
        ],
      },
      expect: [{ statementIndex: 0, evidenceIncludes: ['does not name this caller'] }],
    },
    {
      name: 'option reportServices takes a service off the built-in list (short form)',
      policy: service('lambda.amazonaws.com'),
      options: { reportServices: ['lambda'] },
      expect: [{ statementIndex: 0 }],
    },
    {
      name: 'option reportServices (principal form, other case)',
      policy: service('Lambda.amazonaws.com'),
      options: { reportServices: ['lambda.amazonaws.com'] },
      expect: [{ statementIndex: 0 }],
    },
    {
      name: 'reportServices leaves the rest of the list exempt',
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com'] },
            Action: 'sts:AssumeRole',
          },
        ],
      },
      options: { reportServices: ['lambda'] },
      expect: [{ statementIndex: 0, principals: ['lambda.amazonaws.com'] }],
    },
    {
      name: 'exemptServices does not cover other services',
      policy: service('states.amazonaws.com'),
      options: { exemptServices: ['events.amazonaws.com'] },
      expect: [{ statementIndex: 0 }],
    },
    {
      name: 'owner unknown',
      policy: service('states.amazonaws.com'),
      role: { account: undefined },
      expect: [{ statementIndex: 0, ownerKnown: false }],
    },
  ],
});

describe('TA002 remediation', () => {
  it('splits the flagged service off a statement shared with an exempt one and pins the owner account', () => {
    const [f] = runCase(TA002, { name: 'x', policy: service(['ec2.amazonaws.com', 'states.amazonaws.com']) });
    expect(f?.remediation.correctedPolicy).toEqual({
      Version: VERSION,
      Statement: [
        { Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com'] }, Action: 'sts:AssumeRole' },
        {
          Effect: 'Allow',
          Principal: { Service: 'states.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': OWNER } },
        },
      ],
    });
  });

  it('a single Statement object becomes a list only when it has to be split', () => {
    const single = (svc: JsonLike) => ({
      Version: VERSION,
      Statement: { Effect: 'Allow', Principal: { Service: svc }, Action: 'sts:AssumeRole' },
    });
    const [kept] = runCase(TA002, { name: 'x', policy: single('states.amazonaws.com') });
    expect(kept?.remediation.correctedPolicy).toEqual({
      Version: VERSION,
      Statement: {
        Effect: 'Allow',
        Principal: { Service: 'states.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': OWNER } },
      },
    });
    const [split] = runCase(TA002, {
      name: 'x',
      policy: single(['ec2.amazonaws.com', 'states.amazonaws.com']),
    });
    const corrected = split?.remediation.correctedPolicy as { Statement: unknown } | undefined;
    expect(Array.isArray(corrected?.Statement)).toBe(true);
  });

  it('replaces an IfExists condition on the source account', () => {
    const [f] = runCase(TA002, {
      name: 'x',
      policy: statesWith({ StringEqualsIfExists: { 'aws:SourceAccount': OWNER } }),
    });
    expect(f?.remediation.correctedPolicy).toEqual(
      statesWith({ StringEquals: { 'aws:SourceAccount': OWNER } }),
    );
  });

  it('uses a placeholder when the owner is unknown', () => {
    const [f] = runCase(TA002, {
      name: 'x',
      policy: service('states.amazonaws.com'),
      role: { account: undefined },
    });
    expect(JSON.stringify(f?.remediation.correctedPolicy)).toContain('<YOUR-ACCOUNT-ID>');
  });

  it('rejects unknown options', () => {
    expect(TA002.options.schema(z).safeParse({ exempt: ['x'] }).success).toBe(false);
  });
});
