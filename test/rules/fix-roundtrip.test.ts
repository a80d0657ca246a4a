/**
 * Round trip of every corrected policy: for generated trust policies, each finding's corrected policy is
 * scanned again with the same role and zone. The rule that produced it must then report nothing, and no
 * other rule may report something it did not report on the original policy.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FindingDraft } from '../../src/findings/types.js';
import type { JsonLike } from '../../src/model/types.js';
import { makeRuleContext } from '../../src/rules/engine.js';
import { allRules } from '../../src/rules/index.js';
import { TA001 } from '../../src/rules/TA001.js';
import { ORG_PLACEHOLDER } from '../../src/rules/TA003.js';
import { makeRole, makeZone, OWNER, runCase, type ZoneSpec } from '../helpers/rule-tester.js';

type Obj = { [k: string]: JsonLike };

const VENDORS = ['111122223333', '444455556666', '210987654321'];
const TRUSTED = '777788889999';
/** Two organizations of your own: TA003 then cannot pick one and writes its placeholder. */
const ORGS = ['o-ownorg1234', 'o-ownorg5678'];
const ZONE: ZoneSpec = { trusted: [TRUSTED], trustedOrgIds: ORGS };

/**
 * The corrected policy as the user applies it: each placeholder replaced by the value it stands for,
 * the organization placeholder by your organization and each distinct external-id placeholder by its
 * own agreed id (one shared placeholder would so become one id shared between third parties).
 */
function filledIn(v: JsonLike, ids: Map<string, string>): JsonLike {
  if (typeof v === 'string') {
    if (v === ORG_PLACEHOLDER) return ORGS[0] as string;
    if (!v.startsWith('<EXTERNAL-ID')) return v;
    let id = ids.get(v);
    if (id === undefined) {
      id = `agreed-id-${ids.size + 1}-k8Qz`;
      ids.set(v, id);
    }
    return id;
  }
  if (Array.isArray(v)) return v.map((x) => filledIn(x, ids));
  if (typeof v !== 'object' || v === null) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) out[k] = filledIn(x as JsonLike, ids);
  return out;
}

/** Every rule's findings on `policy` for one role in account OWNER. */
function scanAll(policy: JsonLike): Map<string, readonly FindingDraft[]> {
  const role = makeRole(policy);
  const zone = makeZone(ZONE);
  const out = new Map<string, readonly FindingDraft[]>();
  for (const rule of allRules) {
    const ctx = makeRuleContext(zone, rule.options.defaults, [role]);
    if (rule.prepare && !rule.prepare(ctx)) {
      out.set(rule.meta.id, []);
      continue;
    }
    out.set(rule.meta.id, rule.check(role, ctx));
  }
  return out;
}

/**
 * What a finding is about, one key per principal it names, independent of statement positions (a fix
 * may split a statement, so one finding may become two with fewer principals each).
 */
function subjects(ruleId: string, f: FindingDraft): string[] {
  const data = f.evidence.data as { kind?: string } | undefined;
  const values = f.principals.length > 0 ? [...new Set(f.principals.map((p) => p.value))] : [''];
  return values.map((v) => `${ruleId}|${data?.kind ?? ''}|${v}`);
}

/**
 * The principals exactly one statement names: for those, a finding after a fix is about the same
 * statement as before, however the fix split statements.
 */
function namedOnce(doc: JsonLike): Set<string> {
  const count = new Map<string, number>();
  const statements = (doc as { Statement: Obj[] }).Statement;
  for (const st of statements) {
    const p = st.Principal;
    const aws = typeof p === 'string' ? p : (p as Obj).AWS;
    for (const v of new Set(Array.isArray(aws) ? aws : [aws]))
      count.set(String(v), (count.get(String(v)) ?? 0) + 1);
  }
  return new Set([...count].filter(([, n]) => n === 1).map(([v]) => v));
}

const principal = fc.oneof(
  fc.constantFrom(...VENDORS).map((v) => `arn:aws:iam::${v}:root`),
  fc.constantFrom(...VENDORS),
  fc.constantFrom(...VENDORS).map((v) => `arn:aws:iam::${v}:role/Integration`),
  fc.constant('*'),
  fc.constant('AROAEXAMPLEUNKNOWNID1'),
  fc.constant('arn:aws-cn:iam::210987654321:root'),
  fc.constant(`arn:aws:iam::${OWNER}:root`),
  fc.constant(TRUSTED),
);

const condition: fc.Arbitrary<Obj> = fc.oneof(
  fc.constant({}),
  fc.constant({ StringEquals: { 'sts:ExternalId': 'vendor-id-4242' } }),
  fc.constant({ StringEqualsIfExists: { 'sts:ExternalId': 'vendor-id-4242' } }),
  fc.constant({ StringLike: { 'sts:ExternalId': '*' } }),
  fc.constant({ StringLikeIfExists: { 'sts:ExternalId': 'abc*' } }),
  fc.constant({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }),
  fc.constant({ BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } }),
  fc.constant({ Bool: { 'aws:MultiFactorAuthPresent': 'false' } }),
  fc.constant({ Null: { 'sts:ExternalId': 'false' } }),
  fc.constant({ StringEquals: { 'aws:PrincipalOrgID': 'o-ownorg1234' } }),
  fc.constant({ StringEquals: { 'sts:ExternalId': '' } }),
);

const allowStatement: fc.Arbitrary<Obj> = fc
  .record({
    principals: fc.uniqueArray(principal, { minLength: 1, maxLength: 3 }),
    bare: fc.boolean(),
    condition,
    sid: fc.option(fc.constantFrom('Vendor', 'Trust', 'X1'), { nil: undefined }),
  })
  .map(({ principals, bare, condition: c, sid }) => {
    const p: JsonLike =
      bare && principals.length === 1 && principals[0] === '*'
        ? '*'
        : { AWS: principals.length === 1 ? (principals[0] as string) : principals };
    const st: Obj = { Effect: 'Allow', Principal: p, Action: 'sts:AssumeRole' };
    if (sid !== undefined) st.Sid = sid;
    if (Object.keys(c).length > 0) st.Condition = c;
    return st;
  });

const denyStatement: fc.Arbitrary<Obj> = fc.constantFrom<Obj>(
  {
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: 'sts:AssumeRole',
    Condition: { Null: { 'sts:ExternalId': 'true' } },
  },
  {
    Effect: 'Deny',
    Principal: { AWS: `arn:aws:iam::${VENDORS[0]}:root` },
    Action: 'sts:AssumeRole',
  },
  {
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: 'sts:AssumeRole',
    Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
  },
);

const policy: fc.Arbitrary<JsonLike> = fc
  .record({
    allow: fc.array(allowStatement, { minLength: 1, maxLength: 3 }),
    deny: fc.array(denyStatement, { maxLength: 1 }),
  })
  // Each statement pins its own id: TA005 counts the accounts one statement names as one party, so an id
  // shared between statements that a split separates is a pre-existing share the fix only makes visible.
  .map(({ allow, deny }) => ({
    Version: '2012-10-17',
    Statement: [
      ...allow.map((st, i) =>
        JSON.parse(JSON.stringify(st).replaceAll('vendor-id-4242', `vendor-id-424${i}`)),
      ),
      ...deny,
    ],
  }));

describe('corrected policies fix what they claim to fix', () => {
  it('re-scanning a corrected policy: its rule reports nothing, no rule gains a finding', () => {
    fc.assert(
      fc.property(policy, (doc) => {
        const before = scanAll(doc);
        const once = namedOnce(doc);
        const beforeSubjects = new Set<string>();
        for (const [id, fs] of before)
          for (const f of fs) for (const k of subjects(id, f)) beforeSubjects.add(k);
        // Each corrected policy with the rule that wrote it and what its findings were about.
        const corrected = new Map<
          JsonLike,
          { ruleId: string; fixes: Set<string>; principals: Set<string> }
        >();
        // Every subject some rule gives a corrected policy for: one fix per statement means each of those
        // policies also clears the other rules' fixable findings on the principals it changes.
        const fixable = new Set<string>();
        for (const [id, fs] of before)
          for (const f of fs) {
            const p = f.remediation.correctedPolicy;
            if (p === undefined) continue;
            const entry = corrected.get(p) ?? {
              ruleId: id,
              fixes: new Set<string>(),
              principals: new Set<string>(),
            };
            for (const k of subjects(id, f)) {
              entry.fixes.add(k);
              fixable.add(k);
            }
            for (const x of f.principals) entry.principals.add(x.value);
            corrected.set(p, entry);
          }
        for (const [fixed, { ruleId, fixes, principals }] of corrected) {
          const text = JSON.stringify(fixed);
          const after = scanAll(filledIn(fixed, new Map()));
          for (const [id, fs] of after)
            for (const f of fs)
              for (const s of subjects(id, f)) {
                const value = s.slice(s.lastIndexOf('|') + 1);
                expect(
                  fixable.has(s) && principals.has(value) && once.has(value),
                  `${ruleId} and ${id} fix ${value} differently: ${text} leaves ${f.message}`,
                ).toBe(false);
                expect(fixes.has(s), `${ruleId}'s corrected policy ${text} does not fix: ${f.message}`).toBe(
                  false,
                );
                expect(
                  beforeSubjects.has(s),
                  `${id} gains a finding on ${ruleId}'s corrected policy ${text}: ${f.message}`,
                ).toBe(true);
              }
        }
      }),
      { numRuns: 3000, seed: 1213 },
    );
  });
});

/** The corrected policy `rule` gives for `doc` (every finding of a rule on one document shares it). */
function correctionOf(ruleId: string, doc: JsonLike, zone: ZoneSpec = ZONE): JsonLike {
  const rule = allRules.find((r) => r.meta.id === ruleId);
  if (!rule) throw new Error(ruleId);
  const found = runCase(rule, { name: ruleId, policy: doc, zone });
  const policies = new Set(found.map((f) => f.remediation.correctedPolicy));
  expect(policies.size, `${ruleId} gives one corrected policy`).toBe(1);
  const [p] = [...policies];
  if (p === undefined) throw new Error(`${ruleId} gives no corrected policy`);
  return p;
}

/** The statements of a document, a single Statement object as a list of one. */
function listOf(doc: JsonLike): Obj[] {
  const st = (doc as { Statement: Obj | Obj[] }).Statement;
  return Array.isArray(st) ? st : [st];
}

function statementsOf(doc: JsonLike): Obj[] {
  return (doc as { Statement: Obj[] }).Statement;
}

const vendorRoot = (v: string): string => `arn:aws:iam::${v}:root`;
const trust = (...statements: Obj[]): JsonLike => ({ Version: '2012-10-17', Statement: statements });
const allowOf = (principal: JsonLike, condition?: Obj): Obj => ({
  Effect: 'Allow',
  Principal: principal,
  Action: 'sts:AssumeRole',
  ...(condition ? { Condition: condition } : {}),
});

describe('the fixes issue 12 names', () => {
  const wildcards: { name: string; doc: JsonLike }[] = [
    { name: 'Principal "*"', doc: trust(allowOf('*')) },
    { name: '{"AWS": "*"}', doc: trust(allowOf({ AWS: '*' })) },
    { name: '{"AWS": ["*"]}', doc: trust(allowOf({ AWS: ['*'] })) },
    {
      name: '"*" with MFA',
      doc: trust(allowOf({ AWS: '*' }, { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } })),
    },
    { name: '"*" next to a vendor', doc: trust(allowOf({ AWS: ['*', vendorRoot(VENDORS[0] as string)] })) },
  ];
  for (const c of wildcards) {
    it(`TA001 narrows ${c.name} to your organization, as TA003 does`, () => {
      const ta001 = correctionOf('TA001', c.doc);
      const star = statementsOf(ta001).filter(
        (st) => JSON.stringify(st.Principal).includes('"*"') || st.Principal === '*',
      );
      expect(star).toHaveLength(1);
      expect((star[0]?.Condition as Obj | undefined)?.StringEquals).toMatchObject({
        'aws:PrincipalOrgID': ORG_PLACEHOLDER,
      });
      // Never an external id alone: the "*" statement gets no new placeholder id.
      expect(JSON.stringify(star[0])).not.toContain('<EXTERNAL-ID');
      // One fix per statement: TA003's corrected policy gives the "*" statement the same change.
      const ta003 = correctionOf('TA003', c.doc);
      const star3 = statementsOf(ta003).filter(
        (st) => JSON.stringify(st.Principal).includes('"*"') || st.Principal === '*',
      );
      expect(star3).toEqual(star);
    });
  }

  const stale: { name: string; principal: JsonLike; kept: JsonLike; single?: boolean }[] = [
    {
      name: 'a deleted role id next to a vendor',
      principal: { AWS: ['AROAEXAMPLEUNKNOWNID1', VENDORS[0] as string] },
      kept: { AWS: VENDORS[0] as string },
    },
    {
      name: 'a deleted user id next to a vendor role',
      principal: { AWS: [`arn:aws:iam::${VENDORS[1]}:role/Integration`, 'AIDAEXAMPLEUNKNOWNID2'] },
      kept: { AWS: `arn:aws:iam::${VENDORS[1]}:role/Integration` },
    },
    {
      name: 'an other-partition principal next to a vendor',
      principal: { AWS: [`arn:aws-cn:iam::${VENDORS[2]}:root`, VENDORS[0] as string] },
      kept: { AWS: VENDORS[0] as string },
    },
    {
      name: 'a deleted id next to a vendor and a service',
      principal: { AWS: ['AROAEXAMPLEUNKNOWNID1', VENDORS[0] as string], Service: 'ec2.amazonaws.com' },
      kept: { AWS: VENDORS[0] as string, Service: 'ec2.amazonaws.com' },
    },
    {
      name: 'a deleted id next to a vendor, in a single statement object',
      principal: { AWS: ['AROAEXAMPLEUNKNOWNID1', VENDORS[0] as string] },
      kept: { AWS: VENDORS[0] as string },
      single: true,
    },
  ];
  for (const c of stale) {
    it(`TA001 and TA006 change one statement the same way: ${c.name}`, () => {
      const doc = c.single
        ? { Version: '2012-10-17', Statement: allowOf(c.principal) }
        : trust(allowOf(c.principal));
      const ta006 = listOf(correctionOf('TA006', doc));
      const ta001 = listOf(correctionOf('TA001', doc));
      // TA006 drops the unusable principal; TA001 drops it too (it never keeps it in a split-off copy)
      // and leaves what it does not fix (a service) in the original statement.
      expect(ta006.map((st) => st.Principal)).toEqual([c.kept]);
      const named = ta001.map((st) => JSON.stringify(st.Principal)).join(' ');
      expect(named).not.toMatch(/AROA|AIDA|aws-cn/);
      expect(ta001.filter((st) => st.Condition === undefined).map((st) => st.Principal)).toEqual(
        c.kept && (c.kept as Obj).Service ? [{ Service: 'ec2.amazonaws.com' }] : [],
      );
    });
  }

  const ifExists: { name: string; condition: Obj; expected: Obj }[] = [
    {
      name: 'StringEqualsIfExists',
      condition: { StringEqualsIfExists: { 'sts:ExternalId': 'agreed-4711' } },
      expected: { StringEquals: { 'sts:ExternalId': 'agreed-4711' } },
    },
    {
      name: 'StringLikeIfExists without wildcards',
      condition: { StringLikeIfExists: { 'sts:ExternalId': 'agreed-4711' } },
      expected: { StringEquals: { 'sts:ExternalId': 'agreed-4711' } },
    },
    {
      name: 'StringEqualsIgnoreCaseIfExists, a one-value list',
      condition: { StringEqualsIgnoreCaseIfExists: { 'sts:ExternalId': ['Agreed-4711'] } },
      expected: { StringEquals: { 'sts:ExternalId': 'Agreed-4711' } },
    },
    {
      name: 'StringLikeIfExists with a wildcard (no value to keep: placeholder)',
      condition: { StringLikeIfExists: { 'sts:ExternalId': 'agreed-*' } },
      expected: { StringEquals: { 'sts:ExternalId': `<EXTERNAL-ID-FOR-${VENDORS[0]}>` } },
    },
    {
      name: 'BoolIfExists on MFA',
      condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } },
      expected: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    },
  ];
  for (const c of ifExists) {
    it(`${c.name} is fixed by dropping IfExists and keeping the value`, () => {
      const fixed = correctionOf(
        'TA001',
        trust(allowOf({ AWS: vendorRoot(VENDORS[0] as string) }, c.condition)),
      );
      expect(statementsOf(fixed)).toEqual([allowOf({ AWS: vendorRoot(VENDORS[0] as string) }, c.expected)]);
    });
  }

  it('an IfExists id kept for two accounts would be shared: each gets its own placeholder', () => {
    const doc = trust(
      allowOf(
        { AWS: [VENDORS[0] as string, VENDORS[1] as string] },
        { StringEqualsIfExists: { 'sts:ExternalId': 'agreed-4711' } },
      ),
    );
    const ids = statementsOf(correctionOf('TA001', doc)).map(
      (st) => (st.Condition as { StringEquals: Obj }).StringEquals['sts:ExternalId'],
    );
    expect(ids).toEqual([`<EXTERNAL-ID-FOR-${VENDORS[0]}>`, `<EXTERNAL-ID-FOR-${VENDORS[1]}>`]);
  });

  const accounts: { name: string; doc: JsonLike; statements: number }[] = [
    {
      name: 'two vendor accounts in one statement',
      doc: trust(allowOf({ AWS: VENDORS.slice(0, 2) })),
      statements: 2,
    },
    { name: 'three vendor accounts in one statement', doc: trust(allowOf({ AWS: VENDORS })), statements: 3 },
    {
      name: 'a vendor role and another vendor account',
      doc: trust(allowOf({ AWS: [`arn:aws:iam::${VENDORS[0]}:role/Integration`, VENDORS[1] as string] })),
      statements: 2,
    },
    {
      name: 'two statements, one vendor each',
      doc: trust(allowOf({ AWS: VENDORS[0] as string }), allowOf({ AWS: VENDORS[1] as string })),
      statements: 2,
    },
    {
      name: 'two accounts of one vendor statement and your own account',
      doc: trust(allowOf({ AWS: [OWNER, VENDORS[0] as string, VENDORS[2] as string] })),
      statements: 3,
    },
  ];
  for (const c of accounts) {
    it(`each third-party account gets its own placeholder: ${c.name}`, () => {
      const fixed = correctionOf('TA001', c.doc);
      expect(statementsOf(fixed)).toHaveLength(c.statements);
      const ids = JSON.stringify(fixed).match(/<EXTERNAL-ID[^>]*>/g) ?? [];
      expect(new Set(ids).size).toBe(ids.length);
      // Filled in, the fix trips neither TA005 nor TA001.
      const after = scanAll(filledIn(fixed, new Map()));
      expect(after.get('TA005')).toEqual([]);
      expect(after.get('TA001')).toEqual([]);
    });
  }
});

describe('TA001 text for a "*" principal', () => {
  it('tells to narrow "*" to the organization, not to add an external id', () => {
    const [f] = runCase(TA001, {
      name: 'star',
      policy: trust(allowOf('*')),
      zone: ZONE,
    });
    expect(f?.remediation.summary).toContain('aws:PrincipalOrgID');
    expect(f?.remediation.steps.join('\n')).not.toContain('sts:ExternalId');
  });

  it('with a vendor in the same statement: the vendor gets the id, "*" the organization', () => {
    const [f] = runCase(TA001, {
      name: 'star',
      policy: trust(allowOf({ AWS: ['*', VENDORS[0] as string] })),
      zone: ZONE,
    });
    const steps = f?.remediation.steps.join('\n') ?? '';
    expect(steps).toContain(`"sts:ExternalId": "<EXTERNAL-ID>"} for "${VENDORS[0]}"`);
    expect(steps).toContain('For Principal "*", add "StringEquals": {"aws:PrincipalOrgID"');
  });
});

describe('a trust policy IAM would reject', () => {
  const rejected: { name: string; doc: JsonLike }[] = [
    {
      name: 'an unknown operator in another statement',
      doc: trust(
        allowOf({ AWS: VENDORS[0] as string }),
        allowOf({ AWS: OWNER }, { StringEqualz: { 'aws:PrincipalTag/team': 'a' } }),
      ),
    },
    {
      name: 'a condition value that is an object, in another statement',
      doc: trust(
        allowOf({ AWS: VENDORS[0] as string }),
        allowOf({ AWS: OWNER }, { StringEquals: { 'aws:PrincipalTag/team': { a: 'b' } } }),
      ),
    },
    {
      name: 'a public statement next to a rejected one',
      doc: trust(allowOf('*'), allowOf({ AWS: OWNER }, { StringEqualz: { 'aws:PrincipalTag/team': 'a' } })),
    },
  ];
  for (const c of rejected) {
    it(`gets no corrected policy update-assume-role-policy would refuse: ${c.name}`, () => {
      const found = scanAll(c.doc);
      expect(found.get('TA000')?.length, 'TA000 reports the rejected part (it blocks the fix)').toBe(1);
      const others = [...found].filter(([id]) => id !== 'TA000').flatMap(([, fs]) => fs);
      expect(others.length).toBeGreaterThan(0);
      expect(others.map((f) => f.remediation.correctedPolicy)).toEqual(others.map(() => undefined));
    });
  }
});
