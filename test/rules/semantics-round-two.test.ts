// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables (`${aws:ResourceAccount}`) are literal policy text here
/**
 * Issue 12, semantics round two: RuleTester tables per class (TA001 and TA003 here; TA006 has its own
 * table). Every case is judged at a fixed scan time.
 */
import { describe, expect, it } from 'vitest';
import type { JsonLike } from '../../src/model/types.js';
import { TA001 } from '../../src/rules/TA001.js';
import { TA003 } from '../../src/rules/TA003.js';
import {
  makeZone,
  OWNER,
  type RuleCase,
  ruleTester,
  runCase,
  type ZoneSpec,
} from '../helpers/rule-tester.js';

const V = '2012-10-17';
const VENDOR = '111122223333';
const ORG = 'o-vendororg12';
/** 2026-06-01T12:00:00Z */
const SCAN_TIME = Date.parse('2026-06-01T12:00:00Z');
type Obj = { [k: string]: JsonLike };

/** A role read from IAM itself (an authorization-details export), whose tags are complete. */
const FROM_IAM = { kind: 'account-authorization-details' as const, location: { file: 'export.json' } };

/** A zone judged at the fixed scan time. */
function at(spec: ZoneSpec = {}) {
  return { ...makeZone(spec), scanTime: SCAN_TIME };
}
function doc(...statements: Obj[]): JsonLike {
  return { Version: V, Statement: statements };
}
function allow(principal: JsonLike, condition?: Obj, action: JsonLike = 'sts:AssumeRole'): Obj {
  return {
    Effect: 'Allow',
    Principal: principal,
    Action: action,
    ...(condition ? { Condition: condition } : {}),
  };
}
function deny(condition: Obj): Obj {
  return { Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole', Condition: condition };
}
const vendor = (condition?: Obj, action?: JsonLike) => doc(allow({ AWS: VENDOR }, condition, action));
const anyone = (condition?: Obj) => doc(allow('*', condition));

/** Every case at the fixed scan time. */
function timed<T extends RuleCase>(cases: T[]): T[] {
  return cases.map((c) => ({ ...c, zone: c.zone ?? at() }));
}

// ------------------------------------------------------------------- class 2: the condition-key table
describe('class 2: keys the caller cannot choose', () => {
  ruleTester(TA003, {
    valid: timed([
      {
        name: 'data perimeter: Deny unless aws:PrincipalOrgID equals ${aws:ResourceOrgID}',
        policy: doc(allow('*'), deny({ StringNotEquals: { 'aws:PrincipalOrgID': '${aws:ResourceOrgID}' } })),
      },
      {
        name: 'data perimeter: Allow only when aws:PrincipalAccount equals ${aws:ResourceAccount}',
        policy: anyone({ StringEquals: { 'aws:PrincipalAccount': '${aws:ResourceAccount}' } }),
      },
      {
        name: 'data perimeter with the owner unknown: ${aws:ResourceAccount} is still not a third party',
        policy: anyone({ StringEquals: { 'aws:PrincipalAccount': '${aws:ResourceAccount}' } }),
        role: { account: undefined },
      },
      {
        name: 'data perimeter: Deny unless aws:PrincipalAccount equals ${aws:ResourceAccount}',
        policy: doc(
          allow('*'),
          deny({ StringNotEquals: { 'aws:PrincipalAccount': '${aws:ResourceAccount}' } }),
        ),
      },
      {
        name: 'time-boxed public access that ended before the scan',
        policy: anyone({ DateLessThan: { 'aws:CurrentTime': '2025-01-01T00:00:00Z' } }),
      },
      {
        name: 'Allow only AWS services (aws:PrincipalIsAWSService true): no direct caller',
        policy: anyone({ Bool: { 'aws:PrincipalIsAWSService': 'true' } }),
      },
      {
        name: 'Allow only calls made through a service (aws:CalledVia): a direct caller has none',
        policy: anyone({ 'ForAnyValue:StringEquals': { 'aws:CalledVia': 'cloudformation.amazonaws.com' } }),
      },
    ]),
    invalid: timed([
      {
        name: 'aws:ResourceOrgID pins the role, not the caller',
        policy: anyone({ StringEquals: { 'aws:ResourceOrgID': ORG } }),
        expect: [{ statementIndex: 0 }],
      },
      {
        name: 'aws:ResourceAccount equal to the owner is true for every caller',
        policy: anyone({ StringEquals: { 'aws:ResourceAccount': OWNER } }),
        expect: [{ statementIndex: 0, evidenceIncludes: [`"aws:ResourceAccount":"${OWNER}"`] }],
      },
      {
        name: 'time-boxed public access still open at the scan time',
        policy: anyone({ DateLessThan: { 'aws:CurrentTime': '2099-01-01T00:00:00Z' } }),
        expect: [{ statementIndex: 0, evidenceIncludes: ['"aws:CurrentTime":"2026-06-01T12:00:00.000Z"'] }],
      },
      {
        name: 'aws:EpochTime judged at the scan time (numeric)',
        policy: anyone({ NumericGreaterThan: { 'aws:EpochTime': '1700000000' } }),
        expect: [{ statementIndex: 0 }],
      },
      {
        name: 'aws:SecureTransport is the caller choosing HTTPS',
        policy: anyone({ Bool: { 'aws:SecureTransport': 'true' } }),
        expect: [{ statementIndex: 0 }],
      },
    ]),
  });

  ruleTester(TA001, {
    valid: timed([
      {
        name: 'vendor access that expired before the scan',
        policy: vendor({ DateLessThan: { 'aws:CurrentTime': '2025-01-01T00:00:00Z' } }),
      },
      {
        name: 'vendor access that only starts after the scan',
        policy: vendor({ DateGreaterThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } }),
      },
      {
        name: 'aws:SourceAccount required: a direct call carries none',
        policy: vendor({ StringEquals: { 'aws:SourceAccount': VENDOR } }),
      },
      {
        name: 'Deny every call not made through an AWS service (aws:ViaAWSService false)',
        policy: doc(allow({ AWS: VENDOR }), deny({ Bool: { 'aws:ViaAWSService': 'false' } })),
      },
      {
        name: 'role tag the condition needs is not on the role',
        policy: vendor({ StringEquals: { 'aws:ResourceTag/env': 'prod' } }),
        role: { tags: { env: 'dev' }, source: FROM_IAM },
      },
      {
        name: 'aws:username required: a session of the named role has none',
        policy: doc(
          allow({ AWS: `arn:aws:iam::${VENDOR}:role/vendor` }, { StringLike: { 'aws:username': '*' } }),
        ),
      },
    ]),
    invalid: timed([
      {
        name: 'vendor access time-boxed until after the scan: reported, and says when it ends',
        policy: vendor({ DateLessThan: { 'aws:CurrentTime': '2099-01-01T00:00:00Z' } }),
        expect: [
          { statementIndex: 0, evidenceIncludes: ['judged against the scan time', '2099-01-01T00:00:00Z'] },
        ],
      },
      {
        name: 'role tag the condition needs is on the role',
        policy: vendor({ StringEquals: { 'aws:ResourceTag/env': 'prod' } }),
        role: { tags: { env: 'prod' }, source: FROM_IAM },
        expect: [{ statementIndex: 0, evidenceIncludes: ['"aws:ResourceTag/env":"prod"'] }],
      },
      {
        name: 'tags in a template are not complete (deploy-time tags): assumed met',
        policy: vendor({ StringEquals: { 'aws:ResourceTag/env': 'prod' } }),
        role: { tags: { env: 'dev' } },
        expect: [{ statementIndex: 0 }],
      },
      {
        name: 'role tags unknown (no tags in the input): assumed met',
        policy: vendor({ StringEquals: { 'aws:ResourceTag/env': 'prod' } }),
        expect: [{ statementIndex: 0 }],
      },
      {
        name: 'sts:RoleSessionName is the caller’s choice',
        policy: vendor({ StringLike: { 'sts:RoleSessionName': 'vendor-*' } }),
        expect: [{ statementIndex: 0 }],
      },
      {
        name: 'aws:RequestedRegion is the caller’s choice',
        policy: vendor({ StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } }),
        expect: [{ statementIndex: 0 }],
      },
    ]),
  });
});

// ------------------------------------------------------------------- class 1: account wildcards
describe('class 1: wildcards in the account field', () => {
  ruleTester(TA001, {
    valid: timed([
      {
        name: 'every account the pattern admits is the owner or trusted: no witness',
        policy: anyone({ StringLike: { 'aws:PrincipalAccount': '1234567890?2' } }),
        zone: at({ trusted: [0, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => `1234567890${d}2`) }),
      },
      {
        name: 'StringEquals treats * as a character: 2* names no account',
        policy: anyone({ StringEquals: { 'aws:PrincipalAccount': '2*' } }),
      },
      {
        name: 'ArnLike pattern whose account part is literal and the owner',
        policy: anyone({ ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${OWNER}:role/ci-*` } }),
      },
      {
        name: 'a pattern with a letter in the account part admits no account',
        policy: anyone({ StringLike: { 'aws:PrincipalAccount': '12345678901x' } }),
      },
      {
        name: 'Deny with ArnNotLike on the owner account only',
        policy: doc(allow('*'), deny({ ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${OWNER}:*` } })),
      },
    ]),
    invalid: timed([
      {
        name: 'ArnLike arn:aws:iam::2*:role/ci admits other accounts',
        policy: anyone({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::2*:role/ci' } }),
        expect: [
          {
            statementIndex: 0,
            accounts: ['299999999999'],
            evidenceIncludes: ['"2*"', '10^11 accounts', 'arn:aws:iam::299999999999:role/ci'],
          },
        ],
      },
      {
        name: 'account id ending in ? admits ten accounts, the witness is not the owner',
        policy: anyone({ StringLike: { 'aws:PrincipalAccount': '12345678901?' } }),
        expect: [{ statementIndex: 0, accounts: ['123456789019'], evidenceIncludes: ['10 accounts'] }],
      },
      {
        name: 'the highest filling is the owner: the next one is taken',
        policy: anyone({ StringLike: { 'aws:PrincipalAccount': '12345678901?' } }),
        role: { account: '123456789019', id: 'arn:aws:iam::123456789019:role/TestRole' },
        expect: [{ statementIndex: 0, accounts: ['123456789018'] }],
      },
      {
        name: 'trusted accounts are skipped when choosing the witness',
        policy: anyone({ StringLike: { 'aws:PrincipalAccount': '1234567890?2' } }),
        zone: at({ trusted: ['123456789092', '123456789082'] }),
        expect: [{ statementIndex: 0, accounts: ['123456789072'] }],
      },
      {
        name: 'through a Deny with ArnNotLike: the witness matches the pattern and avoids it',
        policy: doc(
          allow('*'),
          deny({ ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::12345678901?:role/ci' } }),
        ),
        expect: [{ statementIndex: 0, accounts: ['123456789019'], evidenceIncludes: ['role/ci'] }],
      },
      {
        name: 'through a Deny with StringNotLike on aws:PrincipalAccount',
        policy: doc(allow('*'), deny({ StringNotLike: { 'aws:PrincipalAccount': '4444*' } })),
        expect: [{ statementIndex: 0, accounts: ['444499999999'] }],
      },
    ]),
  });

  ruleTester(TA003, {
    valid: timed([
      {
        name: 'ten accounts are a few third parties (TA001), not the public',
        policy: anyone({ StringLike: { 'aws:PrincipalAccount': '12345678901?' } }),
      },
      {
        name: 'a hundred accounts are still not the public',
        policy: anyone({ StringLike: { 'aws:PrincipalAccount': '1234567890??' } }),
      },
      {
        name: 'pattern on the owner account only',
        policy: anyone({ ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${OWNER}:role/*` } }),
      },
      {
        name: 'StringEquals with a * names no account',
        policy: anyone({ StringEquals: { 'aws:PrincipalAccount': '2*' } }),
      },
      {
        name: 'huge pattern, but a Deny pins the organization to a trusted one',
        policy: doc(
          allow('*', { StringLike: { 'aws:PrincipalAccount': '2*' } }),
          deny({ StringNotEquals: { 'aws:PrincipalOrgID': 'o-ownorg1234' } }),
        ),
        zone: at({ trustedOrgIds: ['o-ownorg1234'] }),
      },
    ]),
    invalid: timed([
      {
        name: 'arn:aws:iam::2*:role/ci is as good as public',
        policy: anyone({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::2*:role/ci' } }),
        expect: [{ statementIndex: 0, evidenceIncludes: ['10^11 accounts matching "2*"', '299999999999'] }],
      },
      {
        name: 'StringLike aws:PrincipalAccount 9* (the probe account would match, still public)',
        policy: anyone({ StringLike: { 'aws:PrincipalAccount': '9*' } }),
        expect: [{ statementIndex: 0 }],
      },
      {
        name: 'Deny with StringNotLike 4444*: 10^8 accounts get in',
        policy: doc(allow('*'), deny({ StringNotLike: { 'aws:PrincipalAccount': '4444*' } })),
        expect: [{ statementIndex: 0, evidenceIncludes: ['"4444*"', '444499999999'] }],
      },
      {
        name: 'thousand accounts (three ? digits) count as huge',
        policy: anyone({ StringLike: { 'aws:PrincipalAccount': '123456789???' } }),
        expect: [{ statementIndex: 0, evidenceIncludes: ['1000 accounts'] }],
      },
      {
        name: 'StringLike on the whole ARN with a wildcard account',
        policy: anyone({ StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/deploy' } }),
        expect: [{ statementIndex: 0 }],
      },
    ]),
  });
});

// ------------------------------------------------------------------- class 3: permission-gated keys
describe('class 3: keys gated by sts:SetSourceIdentity and sts:TagSession', () => {
  const withSourceIdentity = ['sts:AssumeRole', 'sts:SetSourceIdentity'];
  const withTags = ['sts:AssumeRole', 'sts:TagSession'];
  ruleTester(TA001, {
    valid: timed([
      {
        name: 'source identity required but sts:SetSourceIdentity not allowed: unsatisfiable',
        policy: vendor({ StringLike: { 'sts:SourceIdentity': '*' } }),
      },
      {
        name: 'aws:SourceIdentity required but not permitted',
        policy: vendor({ StringEquals: { 'aws:SourceIdentity': 'alice' } }),
      },
      {
        name: 'session tag required but sts:TagSession not allowed',
        policy: vendor({ StringEquals: { 'aws:RequestTag/team': 'ops' } }),
      },
      {
        name: 'aws:TagKeys must be present but sts:TagSession not allowed',
        policy: vendor({ Null: { 'aws:TagKeys': 'false' } }),
      },
      {
        name: 'Deny unless a source identity is set, without sts:SetSourceIdentity: denies everyone',
        policy: doc(allow({ AWS: VENDOR }), deny({ Null: { 'sts:SourceIdentity': 'true' } })),
      },
      {
        name: 'sts:SetSourceIdentity allowed only to another principal',
        policy: doc(
          allow({ AWS: VENDOR }, { StringLike: { 'sts:SourceIdentity': '*' } }),
          allow({ AWS: '444455556666' }, undefined, 'sts:SetSourceIdentity'),
        ),
      },
    ]),
    invalid: timed([
      {
        name: 'source identity required and sts:SetSourceIdentity allowed: caller-controlled',
        policy: vendor({ StringLike: { 'sts:SourceIdentity': 'vendor-*' } }, withSourceIdentity),
        expect: [
          {
            statementIndex: 0,
            evidenceIncludes: ['sts:SetSourceIdentity', '"sts:SourceIdentity":"vendor-trustaudit-probe"'],
          },
        ],
      },
      {
        name: 'session tag required and sts:TagSession allowed',
        policy: vendor({ StringEquals: { 'aws:RequestTag/team': 'ops' } }, withTags),
        expect: [{ statementIndex: 0, evidenceIncludes: ['sts:TagSession', '"aws:RequestTag/team":"ops"'] }],
      },
      {
        name: 'sts:TagSession allowed in a separate statement',
        policy: doc(
          allow({ AWS: VENDOR }, { StringEquals: { 'aws:RequestTag/team': 'ops' } }),
          allow({ AWS: VENDOR }, undefined, 'sts:TagSession'),
        ),
        expect: [{ statementIndex: 0 }],
      },
      {
        name: 'Deny unless a source identity is set, with sts:SetSourceIdentity: the caller sets one',
        policy: doc(
          allow({ AWS: VENDOR }, undefined, withSourceIdentity),
          deny({ Null: { 'sts:SourceIdentity': 'true' } }),
        ),
        expect: [{ statementIndex: 0 }],
      },
      {
        name: 'aws:TagKeys with sts:TagSession allowed via sts:*',
        policy: vendor(
          { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] }, Null: { 'aws:TagKeys': 'false' } },
          'sts:*',
        ),
        expect: [{ statementIndex: 0, evidenceIncludes: ['"aws:TagKeys":["team"]'] }],
      },
    ]),
  });
});

// ------------------------------------------------------------------- class 4: impossible values
describe('class 4: external ids STS never accepts', () => {
  ruleTester(TA001, {
    valid: timed([
      { name: 'empty external id', policy: vendor({ StringEquals: { 'sts:ExternalId': '' } }) },
      { name: 'one-character external id', policy: vendor({ StringEquals: { 'sts:ExternalId': 'x' } }) },
      { name: 'external id with a space', policy: vendor({ StringEquals: { 'sts:ExternalId': 'my id' } }) },
      {
        name: 'a list mixing impossible and real ids is protected by the real one',
        policy: vendor({ StringEquals: { 'sts:ExternalId': ['', 'a b', 'Agreed-Id-123'] } }),
      },
      {
        name: 'StringLike ? admits only one-character ids',
        policy: vendor({ StringLike: { 'sts:ExternalId': '?' } }),
      },
      {
        name: 'longer than 1,224 characters',
        policy: vendor({ StringEquals: { 'sts:ExternalId': 'a'.repeat(1225) } }),
      },
      {
        name: 'require mfa: an impossible external id still admits nobody',
        policy: vendor({ StringEquals: { 'sts:ExternalId': '' } }),
        options: { require: 'mfa' },
      },
    ]),
    invalid: timed([
      {
        name: 'IfExists on an empty id: a caller sending none gets in',
        policy: vendor({ StringEqualsIfExists: { 'sts:ExternalId': '' } }),
        expect: [{ statementIndex: 0 }],
      },
      {
        name: 'StringLike ?* is met by ids of two characters or more',
        policy: vendor({ StringLike: { 'sts:ExternalId': '?*' } }),
        expect: [{ statementIndex: 0, evidenceIncludes: ['anyone can supply'] }],
      },
      {
        name: 'negated operator on an impossible value: any real id passes',
        policy: vendor({ StringNotEquals: { 'sts:ExternalId': '' } }),
        expect: [{ statementIndex: 0 }],
      },
      {
        name: 'require mfa with a real id known to the vendor and an impossible one',
        policy: vendor({ StringEquals: { 'sts:ExternalId': ['', 'Agreed-Id-123'] } }),
        options: { require: 'mfa' },
        expect: [
          { statementIndex: 0, missing: ['mfa'], evidenceIncludes: ['"sts:ExternalId":"Agreed-Id-123"'] },
        ],
      },
      {
        name: 'a wildcard that real ids can meet: the made-up id fills it',
        policy: vendor({ StringLike: { 'sts:ExternalId': 'ab*' } }),
        expect: [{ statementIndex: 0, evidenceIncludes: ['"sts:ExternalId":"abtrustaudit-probe"'] }],
      },
    ]),
  });
});

// ------------------------------------------------------------------- class 5: policy variables
describe('class 5: policy variables only under 2012-10-17', () => {
  const v2008 = (condition: Obj, version?: string): JsonLike => ({
    ...(version ? { Version: version } : {}),
    Statement: [allow({ AWS: VENDOR }, condition)],
  });
  ruleTester(TA001, {
    valid: timed([
      {
        name: '2008-10-17: ${aws:PrincipalAccount} is literal text no STS external id can be',
        policy: v2008({ StringEquals: { 'sts:ExternalId': '${aws:PrincipalAccount}' } }, '2008-10-17'),
      },
      {
        name: 'no Version: ${aws:PrincipalAccount} is literal text',
        policy: v2008({ StringEquals: { 'sts:ExternalId': '${aws:PrincipalAccount}' } }),
      },
      {
        name: '2008-10-17: aws:PrincipalArn must equal the literal text',
        policy: v2008(
          { StringEquals: { 'aws:PrincipalArn': 'arn:aws:iam::${aws:PrincipalAccount}:role/x' } },
          '2008-10-17',
        ),
      },
      {
        name: '${*} is a literal asterisk, which no external id holds',
        policy: vendor({ StringLike: { 'sts:ExternalId': 'vendor-${*}' } }),
      },
      {
        name: '2012-10-17: a Deny on a substituted aws:PrincipalAccount refuses every caller',
        policy: doc(
          allow({ AWS: VENDOR }),
          deny({ StringNotEquals: { 'aws:PrincipalAccount': 'x${aws:PrincipalAccount}' } }),
        ),
      },
      {
        name: '${$} is a literal dollar, which no external id holds',
        policy: vendor({ StringEquals: { 'sts:ExternalId': 'a${$}b' } }),
      },
    ]),
    invalid: timed([
      {
        name: '2012-10-17: ${aws:PrincipalAccount} is substituted and known to the caller',
        policy: vendor({ StringEquals: { 'sts:ExternalId': '${aws:PrincipalAccount}' } }),
        expect: [{ statementIndex: 0, evidenceIncludes: [`"sts:ExternalId":"${VENDOR}"`] }],
      },
      {
        name: '2008-10-17: StringLike wildcards still work',
        policy: v2008({ StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*' } }, '2008-10-17'),
        expect: [{ statementIndex: 0 }],
      },
      {
        name: '2008-10-17: a Deny on literal ${aws:PrincipalAccount} text is avoided',
        policy: {
          Version: '2008-10-17',
          Statement: [
            allow({ AWS: VENDOR }),
            deny({ StringEquals: { 'aws:PrincipalAccount': '${aws:PrincipalAccount}' } }),
          ],
        },
        expect: [{ statementIndex: 0 }],
      },
      {
        name: '${?} is a literal question mark next to a real wildcard',
        policy: vendor({
          StringLike: { 'aws:PrincipalArn': `arn:aws:iam::${VENDOR}:*` },
          StringNotEquals: { 'sts:ExternalId': 'a${?}' },
        }),
        expect: [{ statementIndex: 0 }],
      },
    ]),
  });
});

// ------------------------------------------------------------------- class 6: principals that name nobody
describe('class 6: other partitions and unique ids are not third parties', () => {
  ruleTester(TA001, {
    valid: timed([
      { name: 'unique id of a deleted role', policy: doc(allow({ AWS: 'AROAEXAMPLEUNIQUEID01' })) },
      { name: 'unique id of a deleted user', policy: doc(allow({ AWS: 'AIDAEXAMPLEUNIQUEID02' })) },
      {
        name: 'root of an account in aws-cn on an aws role',
        policy: doc(allow({ AWS: `arn:aws-cn:iam::${VENDOR}:root` })),
      },
      {
        name: 'role in aws-us-gov on an aws role',
        policy: doc(allow({ AWS: `arn:aws-us-gov:iam::${VENDOR}:role/vendor` })),
      },
      {
        name: 'aws principal on an aws-cn role',
        policy: doc(allow({ AWS: `arn:aws:iam::${VENDOR}:root` })),
        role: { partition: 'aws-cn' },
      },
    ]),
    invalid: timed([
      {
        name: 'a unique id next to a live vendor: only the vendor is named',
        policy: doc(allow({ AWS: ['AROAEXAMPLEUNIQUEID01', VENDOR] })),
        expect: [{ statementIndex: 0, principals: [VENDOR] }],
      },
      {
        name: 'aws-cn principal on an aws-cn role',
        policy: doc(allow({ AWS: `arn:aws-cn:iam::${VENDOR}:root` })),
        role: { partition: 'aws-cn' },
        expect: [{ statementIndex: 0, accounts: [VENDOR] }],
      },
      {
        name: 'bare account id takes the role partition',
        policy: doc(allow({ AWS: VENDOR })),
        role: { partition: 'aws-us-gov' },
        expect: [{ statementIndex: 0, evidenceIncludes: ['arn:aws-us-gov:'] }],
      },
      {
        name: 'mixed partitions: only the same-partition principal counts',
        policy: doc(allow({ AWS: [`arn:aws-cn:iam::${VENDOR}:root`, 'arn:aws:iam::444455556666:root'] })),
        expect: [{ statementIndex: 0, principals: ['arn:aws:iam::444455556666:root'] }],
      },
      {
        name: 'a unique id does not hide a wildcard principal in the same statement',
        policy: doc(allow({ AWS: ['AROAEXAMPLEUNIQUEID01', '*'] })),
        expect: [{ statementIndex: 0, principals: ['*'] }],
      },
    ]),
  });
});

// ------------------------------------------------------------------- class 7: acceptable evidence
describe('class 7: evidence STS would accept', () => {
  const message = (policy: JsonLike, options?: Record<string, unknown>) =>
    runCase(TA001, { name: 'x', policy, zone: at(), ...(options ? { options } : {}) }).map((f) => f.message);

  it('a wildcard external id: the headline says the id anyone can supply, not "without an external ID"', () => {
    const [m] = message(vendor({ StringLike: { 'sts:ExternalId': 'vendor-*' } }));
    expect(m).toContain(
      'with only an external ID anyone can supply ("vendor-trustaudit-probe") and without MFA',
    );
    expect(m).not.toContain('without an external ID');
  });
  it('an external id built from a policy variable: the headline names the value the caller derives', () => {
    const [m] = message(vendor({ StringEquals: { 'sts:ExternalId': '${aws:PrincipalAccount}' } }));
    expect(m).toContain(`("${VENDOR}")`);
    expect(m).not.toContain('without an external ID');
  });
  it('require external-id: a negated external id condition that needs an id is met by a made-up one', () => {
    const [m] = message(
      vendor({ StringNotEquals: { 'sts:ExternalId': 'secret-123' }, Null: { 'sts:ExternalId': 'false' } }),
      { require: 'external-id' },
    );
    expect(m).toMatch(/with only an external ID anyone can supply \("[\w+=,.@:/-]{2,}"\) through/);
  });
  it('no condition at all: "without an external ID or MFA" stays', () => {
    const [m] = message(vendor());
    expect(m).toContain('without an external ID or MFA');
  });
  it('every external id in the evidence is one STS accepts', () => {
    const patterns = ['?*', '*', 'a*', '??', 'x?y*', 'vendor-*-id'];
    for (const p of patterns) {
      const [f] = runCase(TA001, {
        name: p,
        policy: vendor({ StringLike: { 'sts:ExternalId': p } }),
        zone: at(),
      });
      const sent = f?.evidence.request?.context['sts:ExternalId'];
      if (sent !== undefined) expect(String(sent), p).toMatch(/^[\w+=,.@:/-]{2,1224}$/);
    }
  });
  it('gated keys appear in the evidence with a value the statement accepts', () => {
    const [f] = runCase(TA001, {
      name: 'x',
      policy: vendor({ StringEquals: { 'sts:SourceIdentity': 'alice' } }, [
        'sts:AssumeRole',
        'sts:SetSourceIdentity',
      ]),
      zone: at(),
    });
    expect(f?.evidence.request?.context['sts:SourceIdentity']).toBe('alice');
  });
});
