import { describe, expect, it } from 'vitest';
import { emptyZone } from '../../src/analysis/zone.js';
import { parseTrustDocument } from '../../src/model/normalise.js';
import type { Role } from '../../src/model/types.js';
import { runRules } from '../../src/rules/engine.js';
import { allRules } from '../../src/rules/index.js';
import type { AnyRule } from '../../src/rules/types.js';

const DOC = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:AssumeRole' },
  ],
};

function role(name: string, account: string, line: number, path = '/'): Role {
  const file = 'export.json';
  return {
    id: `arn:aws:iam::${account}:role${path}${name}`,
    arn: `arn:aws:iam::${account}:role${path}${name}`,
    name,
    account,
    path,
    partition: 'aws',
    source: { kind: 'account-authorization-details', location: { file, line } },
    // A fresh copy per role, as a real export gives: equal content, different objects.
    trustPolicy: parseTrustDocument(structuredClone(DOC), { file, base: { file, line } }),
  };
}

describe('per-scan memo of analyses for roles with the same trust policy', () => {
  it('same document, different owner: each role gets its own verdict', () => {
    const findings = runRules(
      [role('A', '999988887777', 10), role('B', '111122223333', 20), role('C', '999988887777', 30)],
      allRules,
      { zone: emptyZone() },
    ).filter((f) => f.ruleId === 'TA001');
    // B's own account is the trusted one: no finding for B, one each for A and C.
    expect(findings.map((f) => f.resource.name)).toEqual(['A', 'C']);
  });

  it('a memoised analysis still carries each role’s own name, location and fingerprint', () => {
    const findings = runRules([role('A', '999988887777', 10), role('C', '999988887777', 30)], allRules, {
      zone: emptyZone(),
    }).filter((f) => f.ruleId === 'TA001');
    expect(findings.map((f) => [f.resource.name, f.location.line])).toEqual([
      ['A', 10],
      ['C', 30],
    ]);
    expect(findings[0]?.message).toMatch(/Role A /);
    expect(findings[1]?.message).toMatch(/Role C /);
    expect(findings[1]?.remediation.command).toMatch(/--role-name C /);
    expect(findings[0]?.fingerprint).not.toBe(findings[1]?.fingerprint);
  });

  it('the role path is part of the key (trusted accounts may be scoped to paths)', () => {
    const zone = emptyZone();
    zone.trusted.set('111122223333', { id: '111122223333', rolePaths: ['/platform/'] });
    const findings = runRules(
      [role('P', '999988887777', 10, '/platform/'), role('Q', '999988887777', 20, '/apps/')],
      allRules,
      { zone },
    ).filter((f) => f.ruleId === 'TA001');
    expect(findings.map((f) => f.resource.name)).toEqual(['Q']);
  });
});

describe('engine: perPolicy rules are not asked again about a policy that gave no finding', () => {
  function counting(perPolicy: boolean, findFor: string) {
    const seen: string[] = [];
    const rule: AnyRule = {
      ...allRules[1],
      meta: { ...(allRules[1] as AnyRule).meta, id: 'TX900' },
      ...(perPolicy ? { perPolicy: true } : { perPolicy: false }),
      options: (allRules[1] as AnyRule).options,
      check(r) {
        seen.push(r.name);
        if (r.name !== findFor) return [];
        return [
          {
            message: `m ${r.name}`,
            principals: [],
            evidence: { summary: 's', details: [] },
            remediation: { summary: 'r', steps: [] },
          },
        ];
      },
    };
    return { rule, seen };
  }
  const roles = [
    role('A', '999988887777', 10),
    role('B', '999988887777', 20),
    role('C', '111122223333', 30),
    role('D', '999988887777', 40, '/ops/'),
  ];

  it('same document, account and path as a quiet role: skipped; another account or path: asked', () => {
    const { rule, seen } = counting(true, 'none');
    expect(runRules(roles, [rule], { zone: emptyZone() })).toEqual([]);
    expect(seen).toEqual(['A', 'C', 'D']);
  });

  it('a policy that gave a finding is asked again for every role', () => {
    const { rule, seen } = counting(true, 'A');
    const findings = runRules(roles, [rule], { zone: emptyZone() });
    expect(findings.map((f) => f.resource.name)).toEqual(['A']);
    expect(seen).toEqual(['A', 'B', 'C', 'D']);
  });

  it('a rule that is not perPolicy is asked about every role', () => {
    const { rule, seen } = counting(false, 'none');
    runRules(roles, [rule], { zone: emptyZone() });
    expect(seen).toEqual(['A', 'B', 'C', 'D']);
  });
});

describe('policy keys of documents too deep to serialise', () => {
  it('the role is still judged, alone (no shared key, no crash)', () => {
    let v: unknown = 'x';
    for (let i = 0; i < 200_000; i++) v = [v];
    const doc = { Version: '2012-10-17', Statement: v };
    expect(() => JSON.stringify(doc)).toThrow(RangeError);
    const r: Role = {
      ...role('Deep', '999988887777', 5),
      trustPolicy: parseTrustDocument(doc as never, { file: 'export.json' }),
    };
    const findings = runRules([r, role('A', '999988887777', 10)], allRules, { zone: emptyZone() });
    expect(findings.find((f) => f.resource.name === 'Deep')?.ruleId).toBe('TA000');
    expect(findings.some((f) => f.resource.name === 'A' && f.ruleId === 'TA001')).toBe(true);
  });
});
