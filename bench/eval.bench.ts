/**
 * Evaluator throughput: `npx vitest bench bench/eval.bench.ts --run`.
 * One typical trust policy (cross-account Allow with external id + MFA, a Deny on source IP, a service
 * statement) judged for 6 scenarios, as the scanner does per role.
 */
import { bench, describe } from 'vitest';
import { makeContext } from '../src/eval/context.js';
import {
  compilePolicy,
  decide,
  decideCompiled,
  evaluatePolicy,
  statementApplies,
} from '../src/eval/evaluate.js';
import type { Request } from '../src/eval/types.js';
import type { Statement } from '../src/model/types.js';

function policy(): Statement[] {
  return [
    {
      index: 0,
      effect: 'Allow',
      principals: [
        { type: 'AWS', value: 'arn:aws:iam::222222222222:root' },
        { type: 'AWS', value: 'arn:aws:iam::333333333333:role/team/Vendor' },
      ],
      actions: ['sts:AssumeRole', 'sts:TagSession'],
      conditions: [
        { operator: 'StringEquals', key: 'sts:ExternalId', values: ['ext-123'] },
        { operator: 'BoolIfExists', key: 'aws:MultiFactorAuthPresent', values: ['true'] },
      ],
    },
    {
      index: 1,
      effect: 'Deny',
      principals: [{ type: '*', value: '*' }],
      actions: ['sts:*'],
      conditions: [
        { operator: 'NotIpAddress', key: 'aws:SourceIp', values: ['10.0.0.0/8', '192.168.0.0/16'] },
        { operator: 'StringNotLike', key: 'aws:PrincipalArn', values: ['arn:aws:iam::*:role/Admin*'] },
      ],
    },
    {
      index: 2,
      effect: 'Allow',
      principals: [{ type: 'Service', value: 'ec2.amazonaws.com' }],
      actions: ['sts:AssumeRole'],
      conditions: [],
    },
  ];
}

const callers = [
  { type: 'aws', id: 'arn:aws:sts::222222222222:assumed-role/Probe/s' },
  { type: 'aws', id: 'arn:aws:sts::333333333333:assumed-role/Vendor/s' },
  { type: 'aws', id: 'arn:aws:iam::444444444444:user/x' },
] as const;
const contexts = [
  makeContext({ 'aws:SourceIp': '10.1.1.1' }),
  makeContext({ 'sts:ExternalId': 'ext-123', 'aws:SourceIp': { kind: 'free' } }, 'free'),
];
const requests: Request[] = callers.flatMap((principal) =>
  contexts.map((context) => ({ principal: { ...principal }, action: 'sts:AssumeRole', context })),
);

describe('evaluator', () => {
  // a fresh policy object per "role", so per-role compilation is included
  bench('decide: 1 role x 6 scenarios', () => {
    const p = policy();
    for (const r of requests) decide(p, r);
  });
  bench('compilePolicy + decideCompiled: 1 role x 6 scenarios', () => {
    const p = compilePolicy(policy());
    for (const r of requests) decideCompiled(p, r);
  });
  bench('statementApplies per statement + decide: 1 role x 6 scenarios', () => {
    const p = policy();
    for (const r of requests) {
      for (const st of p) statementApplies(st, r);
      decide(p, r);
    }
  });
  bench('baseline: building the policy objects only', () => {
    policy();
  });
  const shared = policy();
  bench('decide: 6 scenarios, policy already compiled', () => {
    for (const r of requests) decide(shared, r);
  });
  bench('evaluatePolicy (traced): 6 scenarios', () => {
    for (const r of requests) evaluatePolicy(shared, r);
  });
});
