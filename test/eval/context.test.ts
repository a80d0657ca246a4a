import { describe, expect, it } from 'vitest';
import { evaluateConditions } from '../../src/eval/conditions.js';
import { emptyContext, makeContext } from '../../src/eval/context.js';
import { cond, sym } from './harness.js';

describe('makeContext', () => {
  it('looks keys up case-insensitively', () => {
    const ctx = makeContext({ 'AWS:SourceIp': '10.0.0.1' });
    expect(ctx.get('aws:sourceip')).toEqual({ kind: 'present', values: ['10.0.0.1'] });
    expect(ctx.get('aws:SourceIP')).toEqual({ kind: 'present', values: ['10.0.0.1'] });
  });
  it('accepts one value, a list, a ContextValue or a symbolic value', () => {
    const s = sym('parameter X');
    const ctx = makeContext({ a: 'x', b: ['x', 'y'], c: { kind: 'free' }, d: { kind: 'absent' }, e: s });
    expect(ctx.get('a')).toEqual({ kind: 'present', values: ['x'] });
    expect(ctx.get('b')).toEqual({ kind: 'present', values: ['x', 'y'] });
    expect(ctx.get('c')).toEqual({ kind: 'free' });
    expect(ctx.get('d')).toEqual({ kind: 'absent' });
    expect(ctx.get('e')).toEqual({ kind: 'present', values: [s] });
  });
  it('unlisted keys are absent by default and free on request', () => {
    expect(makeContext({}).get('sts:ExternalId')).toEqual({ kind: 'absent' });
    expect(makeContext({}, 'free').get('sts:ExternalId')).toEqual({ kind: 'free' });
    expect(emptyContext().get('x')).toEqual({ kind: 'absent' });
  });
  it('accepts a Map', () => {
    expect(makeContext(new Map([['K', 'v']])).get('k')).toEqual({ kind: 'present', values: ['v'] });
  });
});

describe('evaluateConditions', () => {
  const conds = [
    cond('StringEquals', 'sts:ExternalId', 'e-1'),
    cond('Bool', 'aws:MultiFactorAuthPresent', 'true'),
  ];
  it('ANDs the conditions and traces each', () => {
    const r = evaluateConditions(conds, makeContext({ 'sts:ExternalId': 'e-1' }), 'Allow');
    expect(r.met).toBe(false);
    expect(r.traces.map((t) => t.result)).toEqual([true, false]);
  });
  it('is met when every condition is', () => {
    const ctx = makeContext({ 'sts:ExternalId': 'e-1', 'aws:MultiFactorAuthPresent': 'true' });
    expect(evaluateConditions(conds, ctx, 'Allow').met).toBe(true);
  });
  it('no conditions: met', () => {
    expect(evaluateConditions([], emptyContext(), 'Deny').met).toBe(true);
  });
});
