/**
 * TA000 table. The shared `ruleTester` expects one finding per statement with an example sts:AssumeRole
 * request (TA001's shape); TA000 reports once per role, so this table uses the harness's `runCase`
 * and `makeRole` with its own assertions.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { emptyZone } from '../../src/analysis/zone.js';
import type { JsonLike } from '../../src/model/types.js';
import { runRules } from '../../src/rules/engine.js';
import { findRule } from '../../src/rules/index.js';
import { TA000 } from '../../src/rules/TA000.js';
import { makeRole, runCase } from '../helpers/rule-tester.js';

const ok = (extra: Record<string, JsonLike> = {}): JsonLike => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::444455556666:root' },
      Action: 'sts:AssumeRole',
      ...extra,
    },
  ],
});

const valid: { name: string; policy: JsonLike }[] = [
  { name: 'well-formed cross-account trust', policy: ok() },
  {
    name: 'no Version (IAM reads it as 2008-10-17)',
    policy: { Statement: (ok() as { Statement: JsonLike }).Statement },
  },
  {
    name: 'service principal, list Statement with empty Sid',
    policy: ok({ Sid: '', Principal: { Service: 'ec2.amazonaws.com' } }),
  },
  {
    name: 'condition block computed at deploy time is not a defect',
    policy: ok({ Condition: { StringEquals: { symbolic: true, description: 'Fn::GetAtt Custom.Value' } } }),
  },
  { name: 'wide open but valid: Principal "*"', policy: ok({ Principal: '*' }) },
];

const invalid: { name: string; policy: JsonLike | string; codes: string[]; mentions: string[] }[] = [
  {
    name: 'NotPrincipal and misspelt action key (cfn_nag)',
    policy: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', NotPrincipal: { Service: 'ec2.amazonaws.com' }, dAction: 'sts:AssumeRole' },
      ],
    },
    codes: ['not-principal', 'unknown-key', 'no-action'],
    mentions: ['NotPrincipal', 'dAction', 'statement 0'],
  },
  {
    name: 'Resource in a trust policy',
    policy: ok({ Resource: '*' }),
    codes: ['resource-in-trust-policy'],
    mentions: ['Resource'],
  },
  { name: 'unparsable text', policy: '{"Version": ', codes: ['unparsable'], mentions: ['not valid JSON'] },
  {
    name: 'unknown operator',
    policy: ok({ Condition: { StringEqual: { 'sts:ExternalId': 'x' } } }),
    codes: ['unknown-operator'],
    mentions: ['StringEqual'],
  },
  {
    name: 'two statements, problems in both',
    policy: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Permit', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'sts:AssumeRole' },
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::*:root' }, Action: 'sts:AssumeRole' },
      ],
    },
    codes: ['invalid-effect', 'principal-wildcard'],
    mentions: ['statement 0', 'statement 1'],
  },
];

describe('TA000 valid', () => {
  for (const c of valid) {
    it(c.name, () => expect(runCase(TA000, { name: c.name, policy: c.policy })).toEqual([]));
  }
});

describe('TA000 invalid', () => {
  for (const c of invalid) {
    it(c.name, () => {
      const findings = runCase(TA000, { name: c.name, policy: c.policy as JsonLike });
      expect(findings).toHaveLength(1);
      const f = findings[0]!;
      const data = f.evidence.data as { issues: { code: string }[] };
      expect(data.issues.map((i) => i.code).sort()).toEqual([...c.codes].sort());
      expect(f.evidence.details).toHaveLength(c.codes.length);
      const text = [f.message, ...f.evidence.details].join('\n');
      for (const m of c.mentions) expect(text).toContain(m);
      expect(f.principals).toEqual([]);
      expect(f.remediation.steps.length).toBeGreaterThan(0);
      expect(f.remediation.steps.length).toBeLessThanOrEqual(c.codes.length);
      // One finding per role, not per statement: the fingerprint does not depend on which problem came first.
      expect(f.statement).toBeUndefined();
    });
  }
});

describe('TA000 metadata and engine', () => {
  it('is registered, low, with an empty options schema', () => {
    expect(findRule('TA000')).toBe(TA000);
    expect(findRule('invalid-trust-policy')).toBe(TA000);
    expect(TA000.meta.severity).toBe('low');
    expect(TA000.options.schema(z).safeParse({}).success).toBe(true);
    expect(TA000.options.schema(z).safeParse({ anything: 1 }).success).toBe(false);
  });

  it('gives an update-assume-role-policy command only for roles that live in AWS', () => {
    const policy = ok({ Resource: '*' });
    const file = runCase(TA000, { name: 'f', policy });
    expect(file[0]?.remediation.command).toBeUndefined();
    const live = runCase(TA000, {
      name: 'l',
      policy,
      role: { source: { kind: 'list-roles', location: { file: 'r.json' } } },
    });
    expect(live[0]?.remediation.command).toContain('aws iam update-assume-role-policy --role-name TestRole');
  });

  it('runs in the engine; findings are located at the first problem', () => {
    const role = makeRole(ok({ Resource: '*' }));
    role.trustPolicy.issues[0]!.location = { file: 'x.json', line: 9 };
    const fs = runRules([role], [TA000], { zone: emptyZone() });
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ ruleId: 'TA000', severity: 'low', location: { file: 'x.json', line: 9 } });
  });
});
