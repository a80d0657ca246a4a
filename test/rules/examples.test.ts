/**
 * The files in examples/ show every verdict of TA001; this keeps them (and examples/EXPECTED.md) honest.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runRules } from '../../src/rules/engine.js';
import { allRules } from '../../src/rules/index.js';
import { TA001 } from '../../src/rules/TA001.js';
import { loadExportFile } from '../../src/sources/export/load.js';
import { makeZone } from '../helpers/rule-tester.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const examples = path.join(repoRoot, 'examples');
const OWN = '123456789012';

function load(rel: string) {
  const abs = path.join(examples, rel);
  const res = loadExportFile(
    { path: `examples/${rel}`, absPath: abs, text: readFileSync(abs, 'utf8'), explicit: true },
    { maxFileBytes: 10_000_000 },
  );
  expect(res.errors).toEqual([]);
  return res.roles;
}

/** TA001 statement indices per policy file: [owner unknown, --account 123456789012]. */
const policies: Record<string, [number[], number[]]> = {
  'unprotected-vendor-account.json': [[0], [0]],
  'protected-external-id.json': [[], []],
  'protected-mfa.json': [[], []],
  'protected-mfa-age.json': [[], []],
  'protected-by-deny.json': [[], []],
  'ineffective-boolifexists-mfa.json': [[0], [0]],
  'ineffective-deny-without-ifexists.json': [[0], [0]],
  'ineffective-ifexists-external-id.json': [[0], [0]],
  'ineffective-principal-arn-narrowing.json': [[0], [0]],
  'ineffective-source-ip.json': [[0], [0]],
  'ineffective-wildcard-external-id.json': [[0], [0]],
  'invalid-notprincipal.json': [[0], [0]],
  'same-account-root.json': [[0], []],
  'service-principal.json': [[], []],
  // A deleted principal's unique id names nobody: TA006 reports it as stale, TA001 does not.
  'unique-id-principal.json': [[], []],
  'wildcard-principal-anyone.json': [[0], [0]],
  'wildcard-principal-own-account-only.json': [[0], []],
};

/** Roles of examples/account-export.json with TA001 findings (statement indices); every other role has none. */
const exportFindings: Record<string, number[]> = {
  MonitoringVendorReadOnly: [0],
  PartnerEngineersMfaIfExists: [0],
  SharedServicesMixed: [0],
};

function ta001(roles: ReturnType<typeof load>, zone = makeZone()) {
  return runRules(roles, [TA001], { zone });
}

describe('examples/policies', () => {
  it('has exactly the files this table knows', () => {
    expect(readdirSync(path.join(examples, 'policies')).sort()).toEqual(Object.keys(policies).sort());
  });
  for (const [file, [unknownOwner, knownOwner]] of Object.entries(policies)) {
    it(`${file}: ${unknownOwner.length ? 'finding' : 'no finding'} without --account, ${knownOwner.length ? 'finding' : 'no finding'} with it`, () => {
      const roles = load(`policies/${file}`);
      expect(roles).toHaveLength(1);
      const a = ta001(roles);
      expect(a.map((f) => f.statement?.index)).toEqual(unknownOwner);
      for (const f of a) expect(f.evidence.ownerKnown).toBe(false);
      const b = ta001(roles, makeZone({ defaultOwner: OWN }));
      expect(b.map((f) => f.statement?.index)).toEqual(knownOwner);
    });
  }
  it('invalid-notprincipal.json is also reported as an invalid trust policy', () => {
    const f = runRules(load('policies/invalid-notprincipal.json'), allRules, { zone: makeZone() });
    const ids = f.map((x) => x.ruleId);
    expect(ids).toContain('TA000');
    expect(ids).toContain('TA001');
  });
});

describe('examples/account-export.json', () => {
  const roles = load('account-export.json');
  it('holds URL-encoded and object documents, service and same-account roles', () => {
    expect(roles.length).toBeGreaterThanOrEqual(8);
    expect(roles.every((r) => r.account === OWN)).toBe(true);
  });
  it('reports exactly the expected roles', () => {
    const got: Record<string, number[]> = {};
    for (const f of ta001(roles)) {
      got[f.resource.name] ??= [];
      got[f.resource.name]!.push(f.statement!.index);
    }
    expect(got).toEqual(exportFindings);
  });
  it('reports the deleted principal of LegacyDeployTarget as stale (TA006), not as a third party', () => {
    const f = runRules(roles, allRules, { zone: makeZone() }).filter(
      (x) => x.resource.name === 'LegacyDeployTarget',
    );
    expect(f.map((x) => x.ruleId)).toEqual(['TA006']);
  });
  it('names only the vendor in the mixed statement and splits it in the corrected policy', () => {
    const f = ta001(roles).find((x) => x.resource.name === 'SharedServicesMixed')!;
    expect(f.principals.map((p) => p.value)).toEqual(['arn:aws:iam::464622532012:root']);
    const st = (f.remediation.correctedPolicy as { Statement: unknown[] }).Statement;
    expect(st).toHaveLength(2);
  });
});

describe('examples/EXPECTED.md', () => {
  const text = readFileSync(path.join(examples, 'EXPECTED.md'), 'utf8');
  it('lists every example file and every export role', () => {
    for (const file of Object.keys(policies)) expect(text).toContain(`policies/${file}`);
    expect(text).toContain('account-export.json');
    for (const r of load('account-export.json')) expect(text).toContain(r.name);
  });
});
