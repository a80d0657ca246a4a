import { it } from 'vitest';
import { TA001 } from '../../src/rules/TA001.js';
import { makeRole, makeZone } from '../helpers/rule-tester.js';
it('adversarial', () => {
  const accts = Array.from({length: 10}, (_, i) => String(100000000000 + i));
  const st = (i: number) => ({ Effect: 'Allow', Principal: { AWS: ['*', ...accts] }, Action: 'sts:AssumeRole', Condition: {
    StringEqualsIfExists: { 'sts:ExternalId': accts.map(a => 'id' + a + i) },
    StringLike: { 'aws:PrincipalArn': accts.map(a => `arn:aws:iam::${a}:role/x${i}*`), 'aws:PrincipalOrgID': accts.map(a => 'o-' + a) },
    Bool: { 'aws:MultiFactorAuthPresent': 'true' },
  }});
  const p = { Version: '2012-10-17', Statement: [...Array.from({length: 20}, (_, i) => st(i)), { Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole', Condition: { StringNotEquals: { 'aws:PrincipalAccount': accts } } }] };
  for (const require of ['external-id-or-mfa', 'external-id', 'mfa', 'external-id-and-mfa']) {
    const role = makeRole(p as any);
    const c0 = process.cpuUsage();
    const f = TA001.check(role, { zone: makeZone(), options: { require }, allRoles: [role] } as any);
    const c = process.cpuUsage(c0);
    console.log(require, f.length, 'findings', (c.user + c.system) / 1000, 'ms');
  }
});
