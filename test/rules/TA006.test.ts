// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are literal policy text here
import { describe, expect, it } from 'vitest';
import { DEPLOYING_ACCOUNT, type JsonLike } from '../../src/model/types.js';
import { TA006 } from '../../src/rules/TA006.js';
import { makeZone, type RuleCase, runCase } from '../helpers/rule-tester.js';

const V = '2012-10-17';
const VENDOR = '111122223333';
const SCAN_TIME = Date.parse('2026-06-01T12:00:00Z');
type Obj = { [k: string]: JsonLike };

const zone = { ...makeZone(), scanTime: SCAN_TIME };
const doc = (...statements: Obj[]): JsonLike => ({ Version: V, Statement: statements });
const allow = (principal: JsonLike, condition?: Obj): Obj => ({
  Effect: 'Allow',
  Principal: principal,
  Action: 'sts:AssumeRole',
  ...(condition ? { Condition: condition } : {}),
});
const vendor = (condition: Obj) => doc(allow({ AWS: VENDOR }, condition));

/** Every case at the fixed scan time (TA006 findings carry no example request, so no RuleTester here). */
function cases(xs: RuleCase[]): RuleCase[] {
  return xs.map((c) => ({ ...c, zone }));
}

describe('TA006 unusable trust entries', () => {
  const valid: RuleCase[] = cases([
    { name: 'a live vendor account', policy: doc(allow({ AWS: VENDOR })) },
    { name: 'a real external id', policy: vendor({ StringEquals: { 'sts:ExternalId': 'Agreed-Id-123' } }) },
    {
      name: 'the deploying account (${AWS::AccountId} in a template) stands for a 12-digit id',
      policy: vendor({ StringEquals: { 'sts:ExternalId': DEPLOYING_ACCOUNT } }),
    },
    {
      name: 'an external id wildcard real ids can meet',
      policy: vendor({ StringLike: { 'sts:ExternalId': 'ab*' } }),
    },
    {
      name: 'a policy variable under 2012-10-17 is substituted, not judged as text',
      policy: vendor({ StringEquals: { 'sts:ExternalId': '${aws:PrincipalAccount}' } }),
    },
    {
      name: 'a time window still open at the scan time',
      policy: vendor({ DateLessThan: { 'aws:CurrentTime': '2099-01-01T00:00:00Z' } }),
    },
    {
      name: 'an aws-cn principal on an aws-cn role',
      policy: doc(allow({ AWS: `arn:aws-cn:iam::${VENDOR}:root` })),
      role: { partition: 'aws-cn' },
    },
    {
      name: 'an impossible value under a negated operator (that is a different mistake)',
      policy: vendor({ StringNotEquals: { 'sts:ExternalId': '' } }),
    },
  ]);
  for (const c of valid) it(`reports nothing for ${c.name}`, () => expect(runCase(TA006, c)).toEqual([]));

  const kinds: [string, JsonLike, string, string[], Record<string, unknown>?][] = [
    [
      'a deleted role',
      doc(allow({ AWS: 'AROAEXAMPLEUNIQUEID01' })),
      'stale-principal',
      ['AROAEXAMPLEUNIQUEID01'],
    ],
    [
      'a deleted user next to a live account',
      doc(allow({ AWS: ['AIDAEXAMPLEUNIQUEID02', VENDOR] })),
      'stale-principal',
      ['AIDAEXAMPLEUNIQUEID02'],
    ],
    [
      'an aws-cn principal on an aws role',
      doc(allow({ AWS: `arn:aws-cn:iam::${VENDOR}:root` })),
      'other-partition',
      [`arn:aws-cn:iam::${VENDOR}:root`],
    ],
    [
      'an empty external id',
      vendor({ StringEquals: { 'sts:ExternalId': '' } }),
      'impossible-external-id',
      [''],
    ],
    [
      'a spaced id among real ones',
      vendor({ StringEquals: { 'sts:ExternalId': ['Agreed-Id-123', 'my id'] } }),
      'impossible-external-id',
      ['my id'],
    ],
    [
      'a one-character pattern',
      vendor({ StringLike: { 'sts:ExternalId': '?' } }),
      'impossible-external-id',
      ['?'],
    ],
    [
      'a variable under 2008-10-17 is literal text with $ and braces',
      {
        Version: '2008-10-17',
        Statement: [
          allow({ AWS: VENDOR }, { StringEquals: { 'sts:ExternalId': '${aws:PrincipalAccount}' } }),
        ],
      },
      'impossible-external-id',
      ['${aws:PrincipalAccount}'],
    ],
    [
      'a time window closed before the scan',
      vendor({ DateLessThan: { 'aws:CurrentTime': '2025-01-01T00:00:00Z' } }),
      'expired',
      ['2025-01-01T00:00:00Z'],
    ],
    [
      'an epoch window closed before the scan',
      vendor({ NumericLessThan: { 'aws:EpochTime': '1700000000' } }),
      'expired',
      ['1700000000'],
    ],
  ];
  for (const [name, policy, kind, values] of kinds) {
    it(`reports ${name} (${kind})`, () => {
      const f = runCase(TA006, { name, policy, zone });
      expect(f.map((x) => (x.evidence.data as { kind: string }).kind)).toEqual([kind]);
      expect((f[0]?.evidence.data as { values: string[] } | undefined)?.values).toEqual(values);
      expect(f[0]?.remediation.steps.length).toBeGreaterThan(1);
      expect(f[0]?.message).not.toContain('without an external ID');
    });
  }

  it('the corrected policy drops stale and other-partition principals and keeps the rest', () => {
    const policy = doc(
      allow({ AWS: ['AROAEXAMPLEUNIQUEID01', VENDOR] }),
      allow({ AWS: `arn:aws-cn:iam::${VENDOR}:root` }),
    );
    const f = runCase(TA006, { name: 'x', policy, zone });
    expect(f).toHaveLength(2);
    const corrected = f[0]?.remediation.correctedPolicy as { Statement: Obj[] };
    expect(corrected).toEqual({ Version: V, Statement: [allow({ AWS: VENDOR })] });
    expect(f[1]?.remediation.correctedPolicy).toEqual(corrected);
    // The corrected policy itself has nothing left to report.
    expect(runCase(TA006, { name: 'y', policy: corrected as unknown as JsonLike, zone })).toEqual([]);
  });

  it('gives no corrected policy when nothing would remain', () => {
    const [f] = runCase(TA006, { name: 'x', policy: doc(allow({ AWS: 'AROAEXAMPLEUNIQUEID01' })), zone });
    expect(f?.remediation.correctedPolicy).toBeUndefined();
  });
});
