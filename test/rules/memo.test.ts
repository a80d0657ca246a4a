import { describe, expect, it } from 'vitest';
import { emptyZone } from '../../src/analysis/zone.js';
import { parseTrustDocument } from '../../src/model/normalise.js';
import type { Role } from '../../src/model/types.js';
import { runRules } from '../../src/rules/engine.js';
import { allRules } from '../../src/rules/index.js';

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
