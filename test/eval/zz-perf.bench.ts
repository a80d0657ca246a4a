import { bench } from 'vitest';
import { makeContext } from '/work/main/src/eval/context.js';
import { decide } from '/work/main/src/eval/evaluate.js';
import { classifyPrincipal } from '/work/main/src/model/arn.js';
import { conditionsMet } from '/work/main/src/eval/conditions.js';
import type { Statement } from '/work/main/src/model/types.js';
function policy(i: number): Statement[] {
  return [
    { index: 0, effect: 'Allow', principals: [{ type: 'AWS', value: 'arn:aws:iam::222222222222:root' }, { type: 'AWS', value: `arn:aws:iam::333333333333:role/team/Vendor${i % 7}` }],
      actions: ['sts:AssumeRole', 'sts:TagSession'],
      conditions: [{ operator: 'StringEquals', key: 'sts:ExternalId', values: [`ext-${i}`] }, { operator: 'BoolIfExists', key: 'aws:MultiFactorAuthPresent', values: ['true'] }] },
    { index: 1, effect: 'Deny', principals: [{ type: '*', value: '*' }], actions: ['sts:*'],
      conditions: [{ operator: 'NotIpAddress', key: 'aws:SourceIp', values: ['10.0.0.0/8', '192.168.0.0/16'] }, { operator: 'StringNotLike', key: 'aws:PrincipalArn', values: ['arn:aws:iam::*:role/Admin*'] }] },
    { index: 2, effect: 'Allow', principals: [{ type: 'Service', value: 'ec2.amazonaws.com' }], actions: ['sts:AssumeRole'], conditions: [] },
  ];
}
const callers = [
  { type: 'aws', id: 'arn:aws:sts::222222222222:assumed-role/Probe/s' },
  { type: 'aws', id: 'arn:aws:sts::333333333333:assumed-role/Vendor/s' },
  { type: 'aws', id: 'arn:aws:iam::444444444444:user/x' },
] as const;
const contexts = [makeContext({ 'aws:SourceIp': '10.1.1.1' }), makeContext({ 'sts:ExternalId': 'ext-123', 'aws:SourceIp': { kind: 'free' } }, 'free')];
const reqs = callers.flatMap((principal) => contexts.map((context) => ({ principal: { ...principal }, action: 'sts:AssumeRole', context })));
const N = 20000;
const pols = Array.from({ length: N }, (_, i) => policy(i));
function timeit(name: string, f: () => void) {
  let best = Infinity;
  for (let k = 0; k < 7; k++) { const t = performance.now(); f(); best = Math.min(best, performance.now() - t); }
  console.log(`${name}: ${(N / best * 1000).toFixed(0)} roles/s (${(best / N * 1000).toFixed(2)} us/role)`);
}
bench('x', () => {
  const fresh = () => Array.from({ length: N }, (_, i) => policy(i));
  let p = fresh();
  timeit('decide 6 scen fresh roles', () => { for (const pol of p) for (const r of reqs) decide(pol, r); p = fresh(); });
  timeit('build only', () => { p = fresh(); });
  timeit('decide 6 scen compiled', () => { for (const pol of pols) for (const r of reqs) decide(pol, r); });
  timeit('classify 3 principals', () => { for (let i = 0; i < N; i++) { classifyPrincipal('AWS', 'arn:aws:iam::222222222222:root'); classifyPrincipal('AWS', `arn:aws:iam::333333333333:role/team/Vendor`); classifyPrincipal('Service', 'ec2.amazonaws.com'); } });
}, { iterations: 1, time: 0 });
