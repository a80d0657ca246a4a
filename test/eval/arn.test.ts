import { describe, expect, it } from 'vitest';
import { classifyPrincipal, isKnownPartition, parseArn } from '../../src/model/arn.js';
import { DEPLOYING_ACCOUNT, type PrincipalType } from '../../src/model/types.js';
import { sym } from './harness.js';

type Row = [string, PrincipalType, string | ReturnType<typeof sym>, Record<string, unknown>];

const rows: Row[] = [
  ['bare account id is the account', 'AWS', '111122223333', { kind: 'account', account: '111122223333' }],
  [
    'account root ARN',
    'AWS',
    'arn:aws:iam::111122223333:root',
    { kind: 'root', account: '111122223333', partition: 'aws' },
  ],
  [
    'deploying-account marker as bare account',
    'AWS',
    DEPLOYING_ACCOUNT,
    { kind: 'account', account: DEPLOYING_ACCOUNT },
  ],
  [
    'deploying-account marker in an ARN',
    'AWS',
    `arn:aws:iam::${DEPLOYING_ACCOUNT}:root`,
    { kind: 'root', account: DEPLOYING_ACCOUNT },
  ],
  [
    'user with path',
    'AWS',
    'arn:aws:iam::111122223333:user/ops/alice',
    { kind: 'user', name: 'alice', path: '/ops/' },
  ],
  [
    'role without path',
    'AWS',
    'arn:aws-cn:iam::111122223333:role/Deploy',
    { kind: 'role', name: 'Deploy', path: '/', partition: 'aws-cn' },
  ],
  [
    'role in GovCloud with path',
    'AWS',
    'arn:aws-us-gov:iam::111122223333:role/a/b/R',
    { kind: 'role', name: 'R', path: '/a/b/', partition: 'aws-us-gov' },
  ],
  [
    'assumed-role session',
    'AWS',
    'arn:aws:sts::111122223333:assumed-role/R/sess',
    { kind: 'assumed-role', name: 'R', session: 'sess' },
  ],
  [
    'federated user',
    'AWS',
    'arn:aws:sts::111122223333:federated-user/bob',
    { kind: 'federated-user', name: 'bob' },
  ],
  ['wildcard under AWS', 'AWS', '*', { kind: 'wildcard' }],
  ['bare wildcard', '*', '*', { kind: 'wildcard' }],
  ['role unique id', 'AWS', 'AROAEXAMPLEID1234567', { kind: 'unique-id' }],
  ['user unique id', 'AWS', 'AIDAJQABLZS4A3QDU576Q', { kind: 'unique-id' }],
  [
    'service principal (case folded)',
    'Service',
    'EC2.amazonaws.com',
    { kind: 'service', name: 'ec2.amazonaws.com' },
  ],
  ['China service principal', 'Service', 'ec2.amazonaws.com.cn', { kind: 'service' }],
  [
    'SAML provider',
    'Federated',
    'arn:aws:iam::111122223333:saml-provider/Okta',
    { kind: 'federated', account: '111122223333' },
  ],
  ['web identity provider', 'Federated', 'cognito-identity.amazonaws.com', { kind: 'federated' }],
  ['canonical user', 'CanonicalUser', 'a'.repeat(64), { kind: 'canonical-user' }],
  ['symbolic value', 'AWS', sym('parameter TrustedAccount'), { kind: 'symbolic' }],
  ['ISO partition', 'AWS', 'arn:aws-iso-b:iam::111122223333:root', { kind: 'root', partition: 'aws-iso-b' }],
  [
    'EU sovereign partition',
    'AWS',
    'arn:aws-eusc:iam::111122223333:root',
    { kind: 'root', partition: 'aws-eusc' },
  ],
  // invalid
  ['11-digit account', 'AWS', '11112222333', { kind: 'invalid' }],
  ['wildcard inside an ARN', 'AWS', 'arn:aws:iam::*:root', { kind: 'invalid' }],
  ['unknown partition', 'AWS', 'arn:aws-moon:iam::111122223333:root', { kind: 'invalid' }],
  ['group cannot be a principal', 'AWS', 'arn:aws:iam::111122223333:group/Admins', { kind: 'invalid' }],
  ['ARN with a region', 'AWS', 'arn:aws:iam:us-east-1:111122223333:root', { kind: 'invalid' }],
  ['S3 ARN', 'AWS', 'arn:aws:s3:::bucket', { kind: 'invalid' }],
  ['session ARN without session', 'AWS', 'arn:aws:sts::111122223333:assumed-role/R', { kind: 'invalid' }],
  ['provider under AWS', 'AWS', 'arn:aws:iam::111122223333:saml-provider/X', { kind: 'invalid' }],
  ['bare Principal other than *', '*', 'foo', { kind: 'invalid' }],
  ['service name with spaces', 'Service', 'ec2 amazonaws com', { kind: 'invalid' }],
  ['random text under AWS', 'AWS', 'root', { kind: 'invalid' }],
];

describe('classifyPrincipal', () => {
  for (const [name, type, value, want] of rows) {
    it(name, () => {
      expect(classifyPrincipal(type, value)).toMatchObject(want);
    });
  }
});

describe('parseArn', () => {
  it('splits six parts and keeps colons of the resource', () => {
    expect(parseArn('arn:aws:logs:us-east-1:1:log-group:x:*')).toEqual({
      partition: 'aws',
      service: 'logs',
      region: 'us-east-1',
      account: '1',
      resource: 'log-group:x:*',
    });
  });
  it('rejects fewer than six parts', () => {
    expect(parseArn('arn:aws:iam::1')).toBeUndefined();
    expect(parseArn('nope')).toBeUndefined();
  });
  it('knows the partitions', () => {
    for (const p of ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-f', 'aws-eusc']) {
      expect(isKnownPartition(p)).toBe(true);
    }
    expect(isKnownPartition('aws-xyz')).toBe(false);
  });
});
