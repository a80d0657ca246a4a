import { describe, expect, it } from 'vitest';
import { principalMatches } from '../../src/eval/principals.js';
import type { RequestPrincipal } from '../../src/eval/types.js';
import { DEPLOYING_ACCOUNT, type Principal, type PrincipalType } from '../../src/model/types.js';
import { ACCOUNT_A, ACCOUNT_B, aws, principal, statements, sym } from './harness.js';

const A = ACCOUNT_A;
const B = ACCOUNT_B;
const userA = aws(`arn:aws:iam::${A}:user/alice`);
const rootA = aws(`arn:aws:iam::${A}:root`);
const sessionA = aws(`arn:aws:sts::${A}:assumed-role/Deploy/ci-run`);
const sessionB = aws(`arn:aws:sts::${B}:assumed-role/Deploy/ci-run`);
const roleA = aws(`arn:aws:iam::${A}:role/ops/Deploy`);
const fedUserA = aws(`arn:aws:sts::${A}:federated-user/bob`);
const ec2: RequestPrincipal = { type: 'service', id: 'ec2.amazonaws.com' };
const cognito: RequestPrincipal = { type: 'federated', id: 'cognito-identity.amazonaws.com' };
const saml: RequestPrincipal = { type: 'federated', id: `arn:aws:iam::${A}:saml-provider/Okta` };
const anon: RequestPrincipal = { type: 'anonymous', id: 'anonymous' };
const cnUser = aws(`arn:aws-cn:iam::${A}:user/alice`);

type Case = [name: string, principals: [PrincipalType, Principal['value']][], caller: RequestPrincipal];

const valid: Case[] = [
  ['"*" names an IAM user', [['*', '*']], userA],
  ['"*" names an anonymous caller', [['*', '*']], anon],
  ['{"AWS":"*"} names a role session', [['AWS', '*']], sessionB],
  ['{"AWS":"*"} names a service', [['AWS', '*']], ec2],
  ['account id names its users', [['AWS', A]], userA],
  ['account id names its role sessions', [['AWS', A]], sessionA],
  ['account id names its root', [['AWS', A]], rootA],
  ['root ARN names the account users', [['AWS', `arn:aws:iam::${A}:root`]], userA],
  ['root ARN names federated users', [['AWS', `arn:aws:iam::${A}:root`]], fedUserA],
  ['role ARN (with path) names its sessions', [['AWS', `arn:aws:iam::${A}:role/ops/Deploy`]], sessionA],
  ['role ARN names the role itself', [['AWS', `arn:aws:iam::${A}:role/ops/Deploy`]], roleA],
  [
    'role name compares case-insensitively for sessions',
    [['AWS', `arn:aws:iam::${A}:role/deploy`]],
    sessionA,
  ],
  ['user ARN names the user', [['AWS', `arn:aws:iam::${A}:user/alice`]], userA],
  ['session ARN names that session', [['AWS', `arn:aws:sts::${A}:assumed-role/Deploy/ci-run`]], sessionA],
  ['federated-user ARN names it', [['AWS', `arn:aws:sts::${A}:federated-user/bob`]], fedUserA],
  ['service principal', [['Service', 'ec2.amazonaws.com']], ec2],
  ['service name is case-insensitive', [['Service', 'EC2.AmazonAWS.com']], ec2],
  ['web identity provider', [['Federated', 'cognito-identity.amazonaws.com']], cognito],
  ['SAML provider ARN', [['Federated', `arn:aws:iam::${A}:saml-provider/Okta`]], saml],
  [
    'one of several values',
    [
      ['AWS', B],
      ['AWS', A],
    ],
    userA,
  ],
  [
    'deploying-account marker equals itself',
    [['AWS', DEPLOYING_ACCOUNT]],
    aws(`arn:aws:iam::${DEPLOYING_ACCOUNT}:root`),
  ],
  ['same symbolic value', [['AWS', sym('parameter Vendor')]], aws(sym('parameter Vendor'))],
  [
    'symbolic account of the caller',
    [['AWS', sym('parameter Vendor')]],
    aws(sym('x'), sym('parameter Vendor')),
  ],
  ['bare account id ignores partition', [['AWS', A]], cnUser],
  ['caller given as bare account id', [['AWS', `arn:aws:iam::${A}:root`]], aws(A)],
];

const invalid: Case[] = [
  ['other account', [['AWS', B]], userA],
  ['{"AWS": account} does not name services', [['AWS', A]], ec2],
  ['role ARN does not name another role session', [['AWS', `arn:aws:iam::${A}:role/Other`]], sessionA],
  ['role ARN of another account', [['AWS', `arn:aws:iam::${B}:role/ops/Deploy`]], sessionA],
  ['role ARN with another path does not name the role', [['AWS', `arn:aws:iam::${A}:role/Deploy`]], roleA],
  ['session ARN names only that session', [['AWS', `arn:aws:sts::${A}:assumed-role/Deploy/other`]], sessionA],
  ['user ARN does not name the root', [['AWS', `arn:aws:iam::${A}:user/alice`]], rootA],
  ['unique id names nobody', [['AWS', 'AROAEXAMPLEID1234567']], sessionA],
  ['invalid value names nobody', [['AWS', 'arn:aws:iam::*:root']], userA],
  ['service vs other service', [['Service', 'lambda.amazonaws.com']], ec2],
  ['service principal does not name AWS callers', [['Service', 'ec2.amazonaws.com']], userA],
  ['federated vs AWS caller', [['Federated', 'cognito-identity.amazonaws.com']], userA],
  ['partition must agree', [['AWS', `arn:aws:iam::${A}:root`]], cnUser],
  ['account principal does not name anonymous', [['AWS', A]], anon],
  ['symbolic principal does not name a concrete caller', [['AWS', sym('parameter Vendor')]], userA],
  ['canonical user names nobody here', [['CanonicalUser', 'a'.repeat(64)]], userA],
];

function st(ps: [PrincipalType, Principal['value']][], not = false) {
  const list = ps.map(([t, v]) => principal(t, v));
  return statements(not ? { notPrincipals: list, actions: ['*'] } : { principals: list, actions: ['*'] })[0]!;
}

describe('principalMatches: Principal', () => {
  for (const [name, ps, caller] of valid)
    it(`names: ${name}`, () => expect(principalMatches(st(ps), caller)).toBe(true));
  for (const [name, ps, caller] of invalid) {
    it(`does not name: ${name}`, () => expect(principalMatches(st(ps), caller)).toBe(false));
  }
  it('a statement without Principal names nobody', () => {
    expect(principalMatches(statements({ actions: ['*'] })[0]!, userA)).toBe(false);
  });
});

describe('principalMatches: NotPrincipal', () => {
  it('applies to callers not listed', () =>
    expect(principalMatches(st([['AWS', B]], true), userA)).toBe(true));
  it('applies to anonymous callers', () => expect(principalMatches(st([['AWS', A]], true), anon)).toBe(true));
  it('does not apply to a listed user', () => {
    expect(principalMatches(st([['AWS', `arn:aws:iam::${A}:user/alice`]], true), userA)).toBe(false);
  });
  it('listing the account root covers its role sessions', () => {
    expect(principalMatches(st([['AWS', `arn:aws:iam::${A}:root`]], true), sessionA)).toBe(false);
  });
  it('listing the role covers its sessions', () => {
    expect(principalMatches(st([['AWS', `arn:aws:iam::${A}:role/ops/Deploy`]], true), sessionA)).toBe(false);
  });
  it('listing another session does not cover this one', () => {
    const other = `arn:aws:sts::${A}:assumed-role/Deploy/other`;
    expect(principalMatches(st([['AWS', other]], true), sessionA)).toBe(true);
  });
});

describe('callers edited in place', () => {
  it('are re-read', () => {
    const caller = aws(`arn:aws:iam::${A}:user/alice`);
    const s = st([['AWS', A]]);
    expect(principalMatches(s, caller)).toBe(true);
    caller.id = `arn:aws:iam::${B}:user/alice`;
    expect(principalMatches(s, caller)).toBe(false);
  });
});
