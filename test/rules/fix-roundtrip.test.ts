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
import { ORG_PLACEHOLDER } from '../../src/rules/TA003.js';
import { makeRole, makeZone, OWNER } from '../helpers/rule-tester.js';

type Obj = { [k: string]: JsonLike };

const VENDORS = ['111122223333', '444455556666', '210987654321'];
const TRUSTED = '777788889999';
/** Two organizations of your own: TA003 then cannot pick one and writes its placeholder. */
const ORGS = ['o-ownorg1234', 'o-ownorg5678'];
const ZONE = { trusted: [TRUSTED], trustedOrgIds: ORGS };

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
    const ctx = makeRuleContext(zone, rule.options.parse({}), [role]);
    if (rule.prepare && !rule.prepare(ctx)) {
      out.set(rule.meta.id, []);
      continue;
    }
    out.set(rule.meta.id, rule.check(role, ctx));
  }
  return out;
}

/** What a finding is about, independent of statement positions (a fix may split a statement). */
function subject(ruleId: string, f: FindingDraft): string {
  const data = f.evidence.data as { kind?: string } | undefined;
  const principals = [...new Set(f.principals.map((p) => p.value))].sort().join(',');
  return `${ruleId}|${data?.kind ?? ''}|${principals}`;
}

const principal = fc.oneof(
  fc.constantFrom(...VENDORS).map((v) => `arn:aws:iam::${v}:root`),
  fc.constantFrom(...VENDORS),
  fc.constantFrom(...VENDORS).map((v) => `arn:aws:iam::${v}:role/Integration`),
  fc.constant('*'),
  fc.constant('AROAEXAMPLEUNKNOWNID1'),
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
  .map(({ allow, deny }) => ({ Version: '2012-10-17', Statement: [...allow, ...deny] }));

describe('corrected policies fix what they claim to fix', () => {
  it('re-scanning a corrected policy: its rule reports nothing, no rule gains a finding', () => {
    fc.assert(
      fc.property(policy, (doc) => {
        const before = scanAll(doc);
        const beforeSubjects = new Set<string>();
        for (const [id, fs] of before) for (const f of fs) beforeSubjects.add(subject(id, f));
        // Each corrected policy with the rule that wrote it and what its findings were about.
        const corrected = new Map<JsonLike, { ruleId: string; fixes: Set<string> }>();
        for (const [id, fs] of before)
          for (const f of fs) {
            const p = f.remediation.correctedPolicy;
            if (p === undefined) continue;
            const entry = corrected.get(p) ?? { ruleId: id, fixes: new Set<string>() };
            entry.fixes.add(subject(id, f));
            corrected.set(p, entry);
          }
        for (const [fixed, { ruleId, fixes }] of corrected) {
          const text = JSON.stringify(fixed);
          const after = scanAll(filledIn(fixed, new Map()));
          for (const [id, fs] of after)
            for (const f of fs) {
              const s = subject(id, f);
              expect(fixes.has(s), `${ruleId}'s corrected policy ${text} does not fix: ${f.message}`).toBe(false);
              expect(
                beforeSubjects.has(s),
                `${id} gains a finding on ${ruleId}'s corrected policy ${text}: ${f.message}`,
              ).toBe(true);
            }
        }
      }),
      { numRuns: 300, seed: 1213 },
    );
  });
});
