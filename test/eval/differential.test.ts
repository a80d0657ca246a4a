// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables (`${aws:username}`) are literal policy text here
/**
 * Differential test: our evaluator against @cloud-copilot/iam-simulate (an independent implementation;
 * AGPL, imported here only) on generated trust policies and concrete requests.
 *
 * Each generated policy is evaluated by iam-simulate as the resource (trust) policy of a role in account
 * 111111111111 for `sts:AssumeRole`, with an allow-everything identity policy so that only the trust
 * policy decides; we compare its resource-policy verdict with `decide` and `evaluatePolicy`.
 *
 * Generated on purpose, within what both implementations agree AWS does: canonical operator spelling,
 * single-valued keys with one value, multivalued keys (aws:TagKeys, aws:PrincipalOrgPaths) with two or
 * more values, callers that are IAM users, account roots, role sessions and a service.
 * Cases where the two implementations legitimately differ are excluded explicitly by `knownDifference`
 * below (each with the AWS documentation it relies on) and counted.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeContext } from '../../src/eval/context.js';
import { compilePolicy, decide, decideCompiled, evaluatePolicy } from '../../src/eval/evaluate.js';
import type { Decision, Request, RequestPrincipal } from '../../src/eval/types.js';
import type { Condition, Principal, PrincipalType, Statement } from '../../src/model/types.js';

const ROLE_ACCOUNT = '111111111111';
const ACCOUNTS = [ROLE_ACCOUNT, '222222222222', '333333333333'];
const ROLE_ARN = `arn:aws:iam::${ROLE_ACCOUNT}:role/Target`;

// ------------------------------------------------------------------------------------------ policies

type Json = string | string[] | Record<string, unknown>;
interface JsonStatement {
  Effect: 'Allow' | 'Deny';
  Principal?: Json;
  NotPrincipal?: Json;
  Action?: string | string[];
  NotAction?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

const accountArb = fc.constantFrom(...ACCOUNTS);

const awsPrincipalArb = fc.oneof(
  fc.constant('*'),
  accountArb,
  accountArb.map((a) => `arn:aws:iam::${a}:root`),
  accountArb.map((a) => `arn:aws:iam::${a}:user/alice`),
  accountArb.map((a) => `arn:aws:iam::${a}:role/R1`),
  accountArb.map((a) => `arn:aws:iam::${a}:role/team/R2`),
  accountArb.map((a) => `arn:aws:sts::${a}:assumed-role/R1/s1`),
);

const principalElementArb: fc.Arbitrary<Json> = fc.oneof(
  { weight: 1, arbitrary: fc.constant('*') },
  {
    weight: 6,
    arbitrary: fc
      .record({
        AWS: fc.option(fc.uniqueArray(awsPrincipalArb, { minLength: 1, maxLength: 3 }), { nil: undefined }),
        Service: fc.option(fc.constantFrom('ec2.amazonaws.com', 'lambda.amazonaws.com'), { nil: undefined }),
      })
      .filter((p) => p.AWS !== undefined || p.Service !== undefined)
      .map((p) => {
        const out: Record<string, unknown> = {};
        if (p.AWS) out.AWS = p.AWS.length === 1 ? p.AWS[0]! : p.AWS;
        if (p.Service) out.Service = p.Service;
        return out;
      }),
  },
);

const actionArb = fc.constantFrom(
  'sts:AssumeRole',
  'sts:*',
  '*',
  'sts:Assume*',
  'sts:AssumeRol?',
  'STS:assumerole',
  'sts:TagSession',
  'sts:AssumeRoleWithSAML',
);

interface KeySpec {
  key: string;
  ops: string[];
  values: string[];
  /** Multivalued keys get set operators more often. */
  multi?: boolean;
}

const STRING_OPS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
];
const NUMERIC_OPS = [
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
];
const DATE_OPS = [
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
];
const ARN_OPS = ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike'];

const KEYS: KeySpec[] = [
  {
    key: 'sts:ExternalId',
    ops: STRING_OPS,
    values: [
      'ext-1',
      'ext-2',
      'EXT-1',
      'ext-*',
      '*',
      'e?t-1',
      'ext-${*}',
      '${aws:PrincipalTag/team}',
      "${aws:PrincipalTag/team, 'ext-1'}",
    ],
  },
  { key: 'aws:MultiFactorAuthPresent', ops: ['Bool'], values: ['true', 'false', 'TRUE'] },
  { key: 'aws:MultiFactorAuthAge', ops: NUMERIC_OPS, values: ['3600', '60', '30', '1.5', '0'] },
  {
    key: 'aws:PrincipalAccount',
    ops: STRING_OPS,
    values: [...ACCOUNTS, '2222*', '*', '${aws:ResourceAccount}'],
  },
  {
    key: 'aws:PrincipalArn',
    ops: [...ARN_OPS, 'StringLike', 'StringEquals'],
    values: [
      'arn:aws:iam::222222222222:role/R1',
      'arn:aws:iam::*:role/R*',
      'arn:aws:iam::*:role/team/*',
      'arn:aws:iam::${aws:PrincipalAccount}:user/alice',
      'arn:aws:iam::111111111111:*',
      'arn:aws:*:*:*:*',
      'arn:aws:iam::33333333333?:root',
    ],
  },
  {
    key: 'aws:SourceIp',
    ops: ['IpAddress', 'NotIpAddress'],
    values: ['10.0.0.0/8', '192.168.1.0/24', '203.0.113.5', '2001:db8::/32', '0.0.0.0/0'],
  },
  { key: 'aws:PrincipalTag/team', ops: STRING_OPS, values: ['blue', 'red', 'BLUE', 'b*', '*'] },
  {
    key: 'aws:CurrentTime',
    ops: DATE_OPS,
    values: ['2024-01-01T00:00:00Z', '2025-06-01', '2023-12-31T23:59:59Z', '1704067200'],
  },
  { key: 'aws:TagKeys', ops: STRING_OPS, values: ['a', 'b', 'team', 't*'], multi: true },
  // Keys of the condition-key table (issue 12): the time as a number, gated keys, the role's account.
  { key: 'aws:EpochTime', ops: NUMERIC_OPS, values: ['1700000000', '1800000000'] },
  { key: 'sts:SourceIdentity', ops: STRING_OPS, values: ['alice', 'a*', '*'] },
  { key: 'aws:RequestTag/team', ops: STRING_OPS, values: ['blue', 'b*'] },
  { key: 'aws:ResourceAccount', ops: STRING_OPS, values: [ROLE_ACCOUNT, '2222*'] },
  {
    key: 'aws:PrincipalOrgPaths',
    ops: ['StringLike', 'StringEquals', 'StringNotLike'],
    values: ['o-1/r-1/*', 'o-2/*', 'o-1/r-1/ou-1/'],
    multi: true,
  },
];

const conditionArb = fc
  .record({
    spec: fc.constantFrom(...KEYS),
    pick: fc.nat(),
    ifExists: fc.boolean(),
    set: fc.constantFrom<(string | undefined)[]>(
      undefined,
      undefined,
      undefined,
      'ForAnyValue',
      'ForAllValues',
    ),
    nullCheck: fc.integer({ min: 0, max: 9 }),
    valueIdx: fc.uniqueArray(fc.nat({ max: 20 }), { minLength: 1, maxLength: 3 }),
  })
  .map(({ spec, pick, ifExists, set, nullCheck, valueIdx }) => {
    if (nullCheck === 0) {
      return { op: 'Null', key: spec.key, values: [pick % 2 === 0 ? 'true' : 'false'] };
    }
    const base = spec.ops[pick % spec.ops.length]!;
    const setOp = spec.multi && set === undefined && pick % 3 !== 0 ? 'ForAnyValue' : set;
    const op = `${setOp ? `${setOp}:` : ''}${base}${ifExists && pick % 3 === 0 ? 'IfExists' : ''}`;
    const values = [...new Set(valueIdx.map((i) => spec.values[i % spec.values.length]!))];
    return { op, key: spec.key, values };
  });

const statementArb: fc.Arbitrary<JsonStatement> = fc
  .record({
    effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Allow', 'Deny'),
    notPrincipal: fc.integer({ min: 0, max: 9 }),
    principal: principalElementArb,
    notAction: fc.integer({ min: 0, max: 4 }),
    actions: fc.uniqueArray(actionArb, { minLength: 1, maxLength: 3 }),
    conditions: fc.array(conditionArb, { maxLength: 3 }),
  })
  .map((r) => {
    const st: JsonStatement = { Effect: r.effect };
    if (r.notPrincipal === 0 && r.principal !== '*') st.NotPrincipal = r.principal;
    else st.Principal = r.principal;
    const acts = r.actions.length === 1 ? r.actions[0]! : r.actions;
    if (r.notAction === 0) st.NotAction = acts;
    else st.Action = acts;
    if (r.conditions.length > 0) {
      const block: Record<string, Record<string, string | string[]>> = {};
      for (const c of r.conditions) {
        block[c.op] ??= {};
        block[c.op]![c.key] = c.values.length === 1 ? c.values[0]! : c.values;
      }
      st.Condition = block;
    }
    return st;
  });

const policyArb = fc.array(statementArb, { minLength: 1, maxLength: 4 });

// ------------------------------------------------------------------------------------------ requests

interface Caller {
  /** As iam-simulate takes it. */
  sim: string;
  ours: RequestPrincipal;
  /** aws:PrincipalAccount / aws:PrincipalArn for AWS callers. */
  account?: string;
  principalArn?: string;
}

const callerArb: fc.Arbitrary<Caller> = fc.oneof(
  accountArb.map((a): Caller => {
    const arn = `arn:aws:iam::${a}:user/alice`;
    return { sim: arn, ours: { type: 'aws', id: arn }, account: a, principalArn: arn };
  }),
  accountArb.map((a): Caller => {
    const arn = `arn:aws:iam::${a}:root`;
    return { sim: arn, ours: { type: 'aws', id: arn }, account: a, principalArn: arn };
  }),
  fc
    .tuple(accountArb, fc.constantFrom(['R1', '/'], ['R2', '/team/'], ['R3', '/']))
    .map(([a, [name, path]]): Caller => {
      const arn = `arn:aws:sts::${a}:assumed-role/${name}/s1`;
      return {
        sim: arn,
        ours: { type: 'aws', id: arn },
        account: a,
        principalArn: `arn:aws:iam::${a}:role${path}${name}`,
      };
    }),
  fc.constant<Caller>({ sim: 'ec2.amazonaws.com', ours: { type: 'service', id: 'ec2.amazonaws.com' } }),
);

function opt<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arb, { nil: undefined, freq: 3 });
}

const contextArb = fc.record({
  'sts:ExternalId': opt(fc.constantFrom('ext-1', 'ext-2', 'EXT-1', 'other', 'ext-*', '', 'e-t-1')),
  'aws:MultiFactorAuthPresent': opt(fc.constantFrom('true', 'false', 'TRUE')),
  'aws:MultiFactorAuthAge': opt(fc.constantFrom('30', '3600', '7200', '1.5', 'abc', '60.0')),
  'aws:SourceIp': opt(
    fc.constantFrom('10.1.2.3', '192.168.1.7', '203.0.113.5', '8.8.8.8', '2001:db8::5', 'bogus'),
  ),
  'aws:PrincipalTag/team': opt(fc.constantFrom('blue', 'red', 'Blue', 'b*', 'ext-1')),
  'aws:CurrentTime': opt(
    fc.constantFrom('2024-06-01T12:00:00Z', '2023-01-01T00:00:00Z', '2024-01-01', '1717243200'),
  ),
  'aws:TagKeys': opt(fc.uniqueArray(fc.constantFrom('a', 'b', 'team', 'c'), { minLength: 2, maxLength: 3 })),
  'aws:EpochTime': opt(fc.constantFrom('1717243200', '1600000000')),
  'sts:SourceIdentity': opt(fc.constantFrom('alice', 'bob')),
  'aws:RequestTag/team': opt(fc.constantFrom('blue', 'red')),
  // AWS sets it on every request: the role's own account.
  'aws:ResourceAccount': fc.constant(ROLE_ACCOUNT),
  'aws:PrincipalOrgPaths': opt(
    fc.uniqueArray(fc.constantFrom('o-1/r-1/', 'o-1/r-1/ou-1/', 'o-2/r-2/', 'o-3/'), {
      minLength: 2,
      maxLength: 3,
    }),
  ),
});

type Ctx = Record<string, string | string[]>;

function requestContext(caller: Caller, extra: Record<string, string | string[] | undefined>): Ctx {
  const ctx: Ctx = {};
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) ctx[k] = v;
  if (caller.account) ctx['aws:PrincipalAccount'] = caller.account;
  if (caller.principalArn) ctx['aws:PrincipalArn'] = caller.principalArn;
  return ctx;
}

// ------------------------------------------------------------------------------------- our side

function list<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function toPrincipals(p: Json): Principal[] {
  if (p === '*') return [{ type: '*', value: '*' }];
  const out: Principal[] = [];
  for (const [type, vals] of Object.entries(p as Record<string, string | string[]>)) {
    for (const value of list(vals)) out.push({ type: type as PrincipalType, value });
  }
  return out;
}

function toStatements(doc: JsonStatement[]): Statement[] {
  return doc.map((s, index) => {
    const conditions: Condition[] = [];
    for (const [operator, kv] of Object.entries(s.Condition ?? {})) {
      for (const [key, vals] of Object.entries(kv)) conditions.push({ operator, key, values: list(vals) });
    }
    const st: Statement = { index, effect: s.Effect, conditions };
    if (s.Principal !== undefined) st.principals = toPrincipals(s.Principal);
    if (s.NotPrincipal !== undefined) st.notPrincipals = toPrincipals(s.NotPrincipal);
    if (s.Action !== undefined) st.actions = list(s.Action);
    if (s.NotAction !== undefined) st.notActions = list(s.NotAction);
    return st;
  });
}

// -------------------------------------------------------------------------------- known differences

const EPOCH = /^\d+$/;

/**
 * Cases where iam-simulate and AWS (as documented) differ, so the comparison would test iam-simulate's
 * bug rather than ours. Returns why the case is excluded, or undefined to compare it.
 */
function knownDifference(doc: JsonStatement[], ctx: Ctx): string | undefined {
  for (const st of doc) {
    for (const [op, kv] of Object.entries(st.Condition ?? {})) {
      // AWS "...IfExists condition operators": "If the key is not present, evaluate the condition element
      // as true", for every operator except Null
      // (docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists).
      // iam-simulate lets the ForAnyValue rule (absent key: not met) win over IfExists.
      if (
        op.startsWith('ForAnyValue:') &&
        op.endsWith('IfExists') &&
        Object.keys(kv).some((k) => ctx[k] === undefined)
      ) {
        return 'ForAnyValue:...IfExists on an absent key';
      }
    }
    for (const [op, kv] of Object.entries(st.Condition ?? {})) {
      if (!op.includes('Date')) continue;
      for (const [key, vals] of Object.entries(kv)) {
        const req = ctx[key];
        if (typeof req !== 'string') continue;
        const mixed = list(vals).some((v) => EPOCH.test(v) !== EPOCH.test(req));
        // AWS "Date condition operators": values may be ISO 8601 or POSIX epoch (seconds) and are compared
        // as points in time (docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date).
        // iam-simulate compares an epoch value in seconds with an ISO value in milliseconds, so comparing
        // the two notations with each other is excluded.
        if (mixed) return 'date: epoch seconds vs ISO 8601';
      }
    }
    for (const [op, kv] of Object.entries(st.Condition ?? {})) {
      if (!op.includes('String')) continue;
      for (const [key, vals] of Object.entries(kv)) {
        // AWS "IAM policy elements: Variables and tags", special characters: `${*}`, `${?}` and `${$}` stand
        // for the literal characters * ? $ (docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-specialchars).
        // iam-simulate leaves them unsubstituted, so `ext-${*}` does not equal a request value `ext-*`
        // there. Excluded when a request value holds one of those characters.
        const req = list(ctx[key]);
        if (
          list(vals).some((v) => /\$\{[*?$]\}/.test(v)) &&
          req.some((r) => typeof r === 'string' && /[*?$]/.test(r))
        )
          return 'string: ${*} escape against a request value with that character';
      }
    }
    for (const [op, kv] of Object.entries(st.Condition ?? {})) {
      if (!op.includes('Arn')) continue;
      for (const [key, vals] of Object.entries(kv)) {
        // AWS "ARN condition operators": policy variables are supported in ARN values
        // (docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN),
        // and a variable names a key such as aws:PrincipalAccount, which contains a colon. iam-simulate
        // splits the policy ARN at colons before substituting, which breaks such a variable apart.
        if (ctx[key] !== undefined && list(vals).some((v) => v.includes('${'))) return 'arn: policy variable';
      }
    }
    for (const [op, kv] of Object.entries(st.Condition ?? {})) {
      if (!op.includes('IpAddress')) continue;
      for (const [key, vals] of Object.entries(kv)) {
        // AWS "IP address condition operators": values are CIDR blocks (RFC 4632), so 0.0.0.0/0 holds every
        // IPv4 address (docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress).
        // iam-simulate builds its mask as `-1 << (32 - prefix)`, and JavaScript shifts by 32 as by 0, so
        // it treats /0 like /32 (0.0.0.0/0 contains only 0.0.0.0).
        const req = ctx[key];
        if (typeof req === 'string' && list(vals).some((v) => /^[\d.]+\/0$/.test(v)))
          return 'ip: IPv4 /0 range';
        // Same page: a value is an address or range, a bare address being the one-address range (/32, /128),
        // and an address of the other IP version lies in no range. iam-simulate follows that for ranges
        // written with a prefix but, for a bare address of the other version, fails NotIpAddress instead
        // of meeting it (`203.0.113.5` vs `203.0.113.5/32` give different answers for an IPv6 caller).
        const v6 = (s: string) => s.includes(':');
        if (
          /(^|:)NotIpAddress/.test(op) &&
          typeof req === 'string' &&
          list(vals).some((v) => !v.includes('/') && v6(v) !== v6(req))
        ) {
          return 'ip: bare address of the other IP version in NotIpAddress';
        }
      }
    }
  }
  return undefined;
}

// ------------------------------------------------------------------------------------------ runner

type SimModule = typeof import('@cloud-copilot/iam-simulate');

async function simulate(
  sim: SimModule,
  doc: JsonStatement[],
  caller: Caller,
  ctx: Ctx,
  role = { arn: ROLE_ARN, account: ROLE_ACCOUNT },
) {
  const res = await sim.runSimulation(
    {
      request: {
        principal: caller.sim,
        action: 'sts:AssumeRole',
        resource: { resource: role.arn, accountId: role.account },
        contextVariables: ctx,
      },
      identityPolicies: [
        {
          name: 'allow-all',
          policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
        },
      ],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: { Version: '2012-10-17', Statement: doc },
    },
    {},
  );
  if (res.resultType !== 'single')
    return { error: JSON.stringify(res.resultType === 'error' ? res.errors : res) };
  if ((res.result.ignoredContextKeys ?? []).length > 0)
    return { error: `ignored ${res.result.ignoredContextKeys}` };
  const r = res.result.analysis.resourceAnalysis?.result;
  const decision: Decision =
    r === 'Allowed' || r === 'AllowedForAccount'
      ? 'allow'
      : r === 'ExplicitlyDenied' || r === 'DeniedForAccount'
        ? 'explicit-deny'
        : 'implicit-deny';
  return { decision, raw: r };
}

const RUNS = 3000;
const SEED = 20261128;

describe('differential: evaluator vs @cloud-copilot/iam-simulate', () => {
  it(`agrees on ${RUNS} generated trust policies (3 requests each)`, async () => {
    const sim = await import('@cloud-copilot/iam-simulate');
    const stats = {
      compared: 0,
      excluded: new Map<string, number>(),
      rejected: 0,
      decisions: new Map<string, number>(),
    };
    const rejectedSamples: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        policyArb,
        fc.array(fc.tuple(callerArb, contextArb), { minLength: 3, maxLength: 3 }),
        async (doc, reqs) => {
          const statements = toStatements(doc);
          for (const [caller, extra] of reqs) {
            const ctx = requestContext(caller, extra);
            const why = knownDifference(doc, ctx);
            if (why) {
              stats.excluded.set(why, (stats.excluded.get(why) ?? 0) + 1);
              continue;
            }
            const theirs = await simulate(sim, doc, caller, ctx);
            if (theirs.error !== undefined) {
              stats.rejected++;
              if (rejectedSamples.length < 3) rejectedSamples.push(theirs.error.slice(0, 300));
              continue;
            }
            const req: Request = {
              principal: caller.ours,
              action: 'sts:AssumeRole',
              context: makeContext(ctx),
            };
            const fast = decide(statements, req);
            const traced = evaluatePolicy(statements, req).decision;
            const compiled = decideCompiled(compilePolicy(statements), req);
            stats.compared++;
            stats.decisions.set(fast, (stats.decisions.get(fast) ?? 0) + 1);
            if (fast !== traced || fast !== compiled || fast !== theirs.decision) {
              throw new Error(
                `divergence: ours=${fast} traced=${traced} compiled=${compiled} iam-simulate=${theirs.decision} (${theirs.raw})\n` +
                  `caller=${caller.sim}\ncontext=${JSON.stringify(ctx)}\npolicy=${JSON.stringify(doc, null, 1)}`,
              );
            }
          }
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    const summary = {
      compared: stats.compared,
      rejectedByIamSimulate: stats.rejected,
      excluded: Object.fromEntries(stats.excluded),
      decisions: Object.fromEntries(stats.decisions),
    };
    console.log(`differential summary: ${JSON.stringify(summary)}`);
    if (rejectedSamples.length) console.log(`rejected samples: ${rejectedSamples.join('\n')}`);
    // the comparison must actually exercise every outcome
    expect(stats.compared).toBeGreaterThan(RUNS);
    expect(stats.decisions.get('allow') ?? 0).toBeGreaterThan(200);
    expect(stats.decisions.get('explicit-deny') ?? 0).toBeGreaterThan(200);
    expect(stats.decisions.get('implicit-deny') ?? 0).toBeGreaterThan(200);
    expect(stats.rejected).toBeLessThan(RUNS / 10);
  }, 120_000);
});

// ------------------------------------------------------------------------ real-world trust policies

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const authzDir = path.resolve(repoRoot, '../shared/corpus/account-authorization-details');

function jsonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...jsonFiles(p));
    else if (name.endsWith('.json')) out.push(p);
  }
  return out;
}

interface CorpusRole {
  arn: string;
  account: string;
  doc: JsonStatement[];
}

function corpusRoles(): CorpusRole[] {
  const seen = new Set<string>();
  const out: CorpusRole[] = [];
  for (const f of jsonFiles(authzDir)) {
    let data: { RoleDetailList?: { Arn?: string; AssumeRolePolicyDocument?: unknown }[] };
    try {
      data = JSON.parse(readFileSync(f, 'utf8'));
    } catch {
      continue;
    }
    for (const r of data.RoleDetailList ?? []) {
      let d = r.AssumeRolePolicyDocument;
      if (typeof d === 'string') d = JSON.parse(decodeURIComponent(d));
      const st = (d as { Statement?: JsonStatement | JsonStatement[] } | undefined)?.Statement;
      if (!st || !r.Arn) continue;
      const doc = Array.isArray(st) ? st : [st];
      const key = JSON.stringify(doc);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ arn: r.Arn, account: r.Arn.split(':')[4]!, doc });
    }
  }
  return out;
}

/** Callers worth asking about: sessions and users of every account the policy names, a stranger, its services. */
function corpusCallers(role: CorpusRole): Caller[] {
  const text = JSON.stringify(role.doc);
  const accounts = new Set([role.account, '999999999999', ...(text.match(/\b\d{12}\b/g) ?? [])]);
  const out: Caller[] = [];
  for (const a of accounts) {
    const session = `arn:aws:sts::${a}:assumed-role/R1/s1`;
    out.push({
      sim: session,
      ours: { type: 'aws', id: session },
      account: a,
      principalArn: `arn:aws:iam::${a}:role/R1`,
    });
    const user = `arn:aws:iam::${a}:user/alice`;
    out.push({ sim: user, ours: { type: 'aws', id: user }, account: a, principalArn: user });
  }
  for (const svc of text.match(/[a-z0-9.-]+\.amazonaws\.com/g) ?? []) {
    out.push({ sim: svc, ours: { type: 'service', id: svc } });
  }
  return out;
}

/** No condition keys, then each condition key set to each of its policy values. */
function corpusContexts(role: CorpusRole): Record<string, string>[] {
  const out: Record<string, string>[] = [{}];
  for (const st of role.doc) {
    for (const kv of Object.values(st.Condition ?? {})) {
      for (const [key, vals] of Object.entries(kv)) for (const v of list(vals)) out.push({ [key]: v });
    }
  }
  return out;
}

describe('differential on real trust policies (account-authorization-details corpus)', () => {
  it.skipIf(!existsSync(authzDir))(
    'agrees with iam-simulate on every corpus trust policy',
    async () => {
      const sim = await import('@cloud-copilot/iam-simulate');
      const roles = corpusRoles();
      expect(roles.length).toBeGreaterThan(5);
      let compared = 0;
      const divergences: string[] = [];
      for (const role of roles) {
        const statements = toStatements(role.doc);
        for (const caller of corpusCallers(role)) {
          for (const extra of corpusContexts(role)) {
            const ctx = requestContext(caller, extra);
            const theirs = await simulate(sim, role.doc, caller, ctx, role);
            if (theirs.error !== undefined) continue;
            const ours = decide(statements, {
              principal: caller.ours,
              action: 'sts:AssumeRole',
              context: makeContext(ctx),
            });
            compared++;
            if (ours !== theirs.decision) {
              divergences.push(
                `${role.arn} caller=${caller.sim} ctx=${JSON.stringify(ctx)}: ours=${ours} theirs=${theirs.decision}`,
              );
            }
          }
        }
      }
      console.log(
        `corpus differential: ${roles.length} distinct trust policies, ${compared} requests compared`,
      );
      expect(divergences).toEqual([]);
      expect(compared).toBeGreaterThan(roles.length);
    },
    60_000,
  );
});
