import { describe, expect, it } from 'vitest';
import { decide, evaluatePolicy, evaluateStatement } from '../../src/eval/evaluate.js';
import { ACCOUNT_A, ACCOUNT_B, aws, cond, policyTable, principal, request, statements } from './harness.js';

const A = ACCOUNT_A;
const B = ACCOUNT_B;
const vendor = aws(`arn:aws:sts::${B}:assumed-role/VendorRole/s1`);
const local = aws(`arn:aws:iam::${A}:user/alice`);
const trustB = [principal('AWS', `arn:aws:iam::${B}:root`)];
const extId = cond('StringEquals', 'sts:ExternalId', 'secret-1');

policyTable('statement and policy evaluation', [
  {
    name: 'plain cross-account trust',
    policy: statements({ principals: trustB, actions: ['sts:AssumeRole'] }),
    request: request(vendor),
    decision: 'allow',
    applies: [0],
  },
  {
    name: 'external id required and supplied',
    policy: statements({ principals: trustB, actions: ['sts:AssumeRole'], conditions: [extId] }),
    request: request(vendor, { 'sts:ExternalId': 'secret-1' }),
    decision: 'allow',
  },
  {
    name: 'external id required but absent',
    policy: statements({ principals: trustB, actions: ['sts:AssumeRole'], conditions: [extId] }),
    request: request(vendor),
    decision: 'implicit-deny',
  },
  {
    name: 'Deny wins over Allow',
    policy: statements(
      { principals: trustB, actions: ['sts:AssumeRole'] },
      { effect: 'Deny', principals: [principal('*', '*')], actions: ['sts:*'] },
    ),
    request: request(vendor),
    decision: 'explicit-deny',
    applies: [0, 1],
  },
  {
    name: 'Deny that does not apply (condition not met) leaves the Allow',
    policy: statements(
      { principals: trustB, actions: ['sts:AssumeRole'] },
      {
        effect: 'Deny',
        principals: [principal('AWS', '*')],
        actions: ['sts:AssumeRole'],
        conditions: [cond('BoolIfExists', 'aws:MultiFactorAuthPresent', 'false')],
      },
    ),
    request: request(vendor, { 'aws:MultiFactorAuthPresent': 'true' }),
    decision: 'allow',
    applies: [0],
  },
  {
    name: 'Deny with BoolIfExists false applies when MFA is absent',
    policy: statements(
      { principals: trustB, actions: ['sts:AssumeRole'] },
      {
        effect: 'Deny',
        principals: [principal('AWS', '*')],
        actions: ['sts:AssumeRole'],
        conditions: [cond('BoolIfExists', 'aws:MultiFactorAuthPresent', 'false')],
      },
    ),
    request: request(vendor),
    decision: 'explicit-deny',
  },
  {
    name: 'NotAction covers actions it does not list',
    policy: statements({ principals: trustB, notActions: ['sts:TagSession'] }),
    request: request(vendor),
    decision: 'allow',
  },
  {
    name: 'NotAction listing the action does not cover it',
    policy: statements({ principals: trustB, notActions: ['sts:Assume*'] }),
    request: request(vendor),
    decision: 'implicit-deny',
  },
  {
    name: 'Deny with NotAction',
    policy: statements(
      { principals: trustB, actions: ['*'] },
      { effect: 'Deny', principals: [principal('*', '*')], notActions: ['sts:TagSession'] },
    ),
    request: request(vendor),
    decision: 'explicit-deny',
  },
  {
    name: 'statement without Principal applies to nobody',
    policy: statements({ actions: ['sts:AssumeRole'] }),
    request: request(vendor),
    decision: 'implicit-deny',
  },
  {
    name: 'statement without Action applies to nothing',
    policy: statements({ principals: trustB }),
    request: request(vendor),
    decision: 'implicit-deny',
  },
  {
    name: 'Allow with NotPrincipal admits everyone else',
    policy: statements({ notPrincipals: [principal('AWS', A)], actions: ['sts:AssumeRole'] }),
    request: request(vendor),
    decision: 'allow',
  },
  {
    name: 'Deny with NotPrincipal exempts the listed account',
    policy: statements(
      { principals: [principal('AWS', '*')], actions: ['sts:AssumeRole'] },
      { effect: 'Deny', notPrincipals: [principal('AWS', A)], actions: ['sts:AssumeRole'] },
    ),
    request: request(local),
    decision: 'allow',
  },
  {
    name: 'Deny with NotPrincipal hits everyone not listed',
    policy: statements(
      { principals: [principal('AWS', '*')], actions: ['sts:AssumeRole'] },
      { effect: 'Deny', notPrincipals: [principal('AWS', A)], actions: ['sts:AssumeRole'] },
    ),
    request: request(vendor),
    decision: 'explicit-deny',
  },
  {
    name: 'other action than the one allowed',
    policy: statements({ principals: trustB, actions: ['sts:AssumeRoleWithSAML'] }),
    request: request(vendor),
    decision: 'implicit-deny',
  },
  {
    name: 'empty policy',
    policy: [],
    request: request(vendor),
    decision: 'implicit-deny',
  },
  {
    name: 'free external id: Allow assumed met',
    policy: statements({ principals: trustB, actions: ['sts:AssumeRole'], conditions: [extId] }),
    request: request(vendor, { 'sts:ExternalId': { kind: 'free' } }),
    decision: 'allow',
  },
  {
    name: 'free source IP: Deny assumed avoided',
    policy: statements(
      { principals: trustB, actions: ['sts:AssumeRole'] },
      {
        effect: 'Deny',
        principals: [principal('*', '*')],
        actions: ['*'],
        conditions: [cond('NotIpAddress', 'aws:SourceIp', '10.0.0.0/8')],
      },
    ),
    request: request(vendor, { 'aws:SourceIp': { kind: 'free' } }),
    decision: 'allow',
  },
]);

describe('statement traces', () => {
  it('records each part and every condition with a reason', () => {
    const [st] = statements({
      principals: trustB,
      actions: ['sts:AssumeRole'],
      conditions: [extId, cond('BoolIfExists', 'aws:MultiFactorAuthPresent', 'true')],
    });
    const t = evaluateStatement(st!, request(vendor, { 'sts:ExternalId': 'nope' }));
    expect(t).toMatchObject({ index: 0, effect: 'Allow', principalMatches: true, actionMatches: true });
    expect(t.conditionsMatch).toBe(false);
    expect(t.applies).toBe(false);
    expect(t.conditions.map((c) => c.result)).toEqual([false, true]);
    expect(t.conditions[1]!.reason).toBe('BoolIfExists is met when aws:MultiFactorAuthPresent is absent');
  });
  it('marks assumed outcomes', () => {
    const policy = statements({ principals: trustB, actions: ['sts:AssumeRole'], conditions: [extId] });
    const ev = evaluatePolicy(policy, request(vendor, { 'sts:ExternalId': { kind: 'free' } }));
    expect(ev.statements[0]!.conditions[0]!.assumed).toBe(true);
  });
});

describe('policies edited in place after an evaluation', () => {
  it('notice an added statement, condition and value', () => {
    const policy = statements({ principals: trustB, actions: ['sts:AssumeRole'] });
    const req = request(vendor, { 'sts:ExternalId': 'other' });
    expect(decide(policy, req)).toBe('allow');
    policy[0]!.conditions.push(cond('StringEquals', 'sts:ExternalId', 'secret-1'));
    expect(decide(policy, req)).toBe('implicit-deny');
    policy[0]!.conditions[0]!.values.push('other');
    expect(decide(policy, req)).toBe('allow');
    policy.push(...statements({ effect: 'Deny', principals: [principal('*', '*')], actions: ['*'] }));
    expect(decide(policy, req)).toBe('explicit-deny');
  });
});
