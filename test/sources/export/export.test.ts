import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { emptyZone } from '../../../src/analysis/zone.js';
import type { Role } from '../../../src/model/types.js';
import { exportSource } from '../../../src/sources/export/index.js';
import { loadExportFile } from '../../../src/sources/export/load.js';
import { arnParts } from '../../../src/sources/export/roles.js';
import { fileSources } from '../../../src/sources/index.js';
import type { InputFile, SourceContext } from '../../../src/sources/types.js';
import { testSourceContext } from '../../helpers/source-context.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = path.join(repoRoot, 'test/fixtures/export');
const corpus = path.resolve(repoRoot, '../shared/corpus/account-authorization-details');

const ctx: SourceContext = testSourceContext({ maxFileBytes: 10 * 1024 * 1024 });

function fixture(name: string, explicit = true): InputFile {
  const absPath = path.join(fixtures, name);
  return { path: `test/fixtures/export/${name}`, absPath, text: readFileSync(absPath, 'utf8'), explicit };
}

function inline(name: string, value: unknown, explicit = true): InputFile {
  return {
    path: name,
    absPath: `/tmp/${name}`,
    text: typeof value === 'string' ? value : JSON.stringify(value, null, 2),
    explicit,
  };
}

const byName = (roles: Role[], name: string): Role => {
  const r = roles.find((x) => x.name === name);
  if (!r) throw new Error(`no role ${name}`);
  return r;
};

describe('export source: shapes', () => {
  it('list-roles: object and URL-encoded documents, ARN-derived account/partition, tags, description', () => {
    const { roles, errors } = loadExportFile(fixture('list-roles.json'), ctx);
    expect(errors).toEqual([]);
    expect(roles.map((r) => r.name)).toEqual(['vendor-audit', 'emulated']);
    const v = byName(roles, 'vendor-audit');
    expect(v).toMatchObject({
      id: 'arn:aws:iam::123456789012:role/vendor-audit',
      arn: 'arn:aws:iam::123456789012:role/vendor-audit',
      roleId: 'AROAEXAMPLEVENDOR0001',
      account: '123456789012',
      partition: 'aws',
      path: '/',
      description: 'Read-only access for the audit vendor',
      source: {
        kind: 'list-roles',
        location: { file: 'test/fixtures/export/list-roles.json', line: 5, column: 13 },
      },
    });
    expect(v.trustPolicy.statements[0]?.principals?.[0]?.value).toBe('arn:aws:iam::444455556666:root');
    // Exports give no position inside a document: the policy is where its role is, and neither it nor
    // its elements have a location of their own (one parse is shared by roles with the same document).
    expect(v.trustPolicy.location).toBeUndefined();
    expect(v.trustPolicy.statements[0]?.location).toBeUndefined();
    expect(v.tags).toBeUndefined();
    const e = byName(roles, 'emulated');
    expect(e).toMatchObject({
      account: '210987654321',
      partition: 'aws-cn',
      path: '/service-role/',
      tags: { team: 'payments' },
    });
    expect(e.trustPolicy.issues).toEqual([]);
    expect(e.trustPolicy.statements[0]?.principals?.[0]).toMatchObject({
      type: 'Service',
      value: 'lambda.amazonaws.com',
    });
    // The document exactly as it appeared: still URL-encoded.
    expect(e.extra?.rawTrustDocument).toMatch(/^%7B%22Version/);
    expect(e.source.location.line).toBe(26);
  });

  it('get-role: single Statement object, Resource reported as an issue', () => {
    const { roles, errors } = loadExportFile(fixture('get-role.json'), ctx);
    expect(errors).toEqual([]);
    expect(roles).toHaveLength(1);
    const r = roles[0] as Role;
    expect(r).toMatchObject({
      name: 'ci-deployer',
      source: { kind: 'get-role', location: { line: 4 } },
      tags: { owner: 'platform' },
    });
    expect(r.trustPolicy.issues.map((i) => i.code)).toEqual(['resource-in-trust-policy']);
    expect(r.trustPolicy.issues[0]?.location).toBeUndefined();
    expect(r.source.location.line).toBe(4);
    expect(r.trustPolicy.statements[0]?.principals).toEqual([
      expect.objectContaining({ type: 'AWS', value: '*' }),
    ]);
  });

  it('account-authorization-details: bad entries become errors with lines, the rest is read', () => {
    const { roles, errors } = loadExportFile(fixture('authz-small.json'), ctx);
    expect(roles.map((r) => r.name)).toEqual(['broken', 'admin']);
    expect(roles.every((r) => r.source.kind === 'account-authorization-details')).toBe(true);
    // The role's ARN also appears earlier in a user policy and in another trust policy: the location is the role's own.
    expect(byName(roles, 'admin').source.location.line).toBe(36);
    expect(byName(roles, 'broken').tags).toBeUndefined();
    expect(errors.map((e) => [e.code, e.line])).toEqual([
      ['invalid-role-entry', undefined],
      ['missing-trust-policy', 30],
    ]);
    expect(errors[0]?.message).toContain('RoleDetailList[1]');
  });

  it('bare trust policy: id is the file path', () => {
    const { roles, errors } = loadExportFile(fixture('bare-trust.json'), ctx);
    expect(errors).toEqual([]);
    expect(roles).toHaveLength(1);
    expect(roles[0]).toMatchObject({
      id: 'test/fixtures/export/bare-trust.json',
      name: 'bare-trust',
      partition: 'aws',
      source: { kind: 'policy-file', location: { line: 1, column: 1 } },
    });
    expect(roles[0]?.arn).toBeUndefined();
    expect(roles[0]?.trustPolicy.statements[0]?.conditions[0]).toMatchObject({
      operator: 'StringEquals',
      key: 'sts:ExternalId',
    });
  });

  it('bare URL-encoded trust policy file', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }],
    };
    const { roles, errors } = loadExportFile(
      inline('enc.json', encodeURIComponent(JSON.stringify(doc))),
      ctx,
    );
    expect(errors).toEqual([]);
    expect(roles[0]?.trustPolicy.statements[0]?.principals?.[0]?.value).toBe('*');
  });

  it('a top-level list of roles (jq .Roles output)', () => {
    const { roles } = loadExportFile(
      inline('roles.json', [{ RoleName: 'x', AssumeRolePolicyDocument: { Statement: [] } }]),
      ctx,
    );
    expect(roles).toMatchObject([{ id: 'roles.json#x', name: 'x', source: { kind: 'list-roles' } }]);
    expect(roles[0]?.trustPolicy.issues.map((i) => i.code)).toEqual(['empty-statement']);
  });

  it('identity policy: read when named explicitly, skipped quietly when walked', () => {
    const explicit = loadExportFile(fixture('identity-policy.json'), ctx);
    expect(explicit.roles).toHaveLength(1);
    expect(explicit.roles[0]?.trustPolicy.issues.map((i) => i.code).sort()).toEqual([
      'no-principal',
      'resource-in-trust-policy',
    ]);
    const walked = loadExportFile(fixture('identity-policy.json', false), ctx);
    expect(walked).toEqual({ roles: [], errors: [] });
  });

  it('JSON that is no export: error when explicit, skipped when walked', () => {
    const e = loadExportFile(fixture('not-an-export.json'), ctx);
    expect(e.roles).toEqual([]);
    expect(e.errors).toMatchObject([
      { code: 'unrecognised', file: 'test/fixtures/export/not-an-export.json' },
    ]);
    expect(loadExportFile(fixture('not-an-export.json', false), ctx)).toEqual({ roles: [], errors: [] });
  });

  it('malformed JSON gives file, line and column', () => {
    const { roles, errors } = loadExportFile(fixture('malformed.json'), ctx);
    expect(roles).toEqual([]);
    expect(errors).toEqual([
      expect.objectContaining({
        source: 'export',
        code: 'json-syntax',
        file: 'test/fixtures/export/malformed.json',
        line: 5,
        column: 7,
      }),
    ]);
    expect(errors[0]?.message).toContain('comma');
  });

  const syntax: [string, string, number, number][] = [
    ['empty file', '', 1, 1],
    ['trailing comma', '{"Roles": [],\n}', 2, 1],
    ['unterminated string', '{\n  "Roles": [\n    "abc', 3, 5],
    ['comment', '// x\n{}', 1, 1],
  ];
  for (const [name, text, line, column] of syntax) {
    it(`syntax error position: ${name}`, () => {
      const { errors } = loadExportFile(inline('s.json', text), ctx);
      expect(errors).toMatchObject([{ code: 'json-syntax', line, column }]);
    });
  }

  it('a file over maxFileBytes is a clear error', () => {
    const { roles, errors } = loadExportFile(fixture('list-roles.json'), { maxFileBytes: 100 });
    expect(roles).toEqual([]);
    expect(errors).toMatchObject([{ code: 'file-too-large', file: 'test/fixtures/export/list-roles.json' }]);
    expect(errors[0]?.message).toMatch(/over the 100-byte limit/);
  });

  it('minified export (one line): every role on line 1, at its own "RoleName" column', () => {
    const entries = [0, 1, 2].map((i) => ({
      RoleName: `r${i}`,
      RoleId: `AROAEXAMPLE0000000000${i}`,
      Arn: `arn:aws:iam::123456789012:role/r${i}`,
      AssumeRolePolicyDocument: { Statement: [] },
    }));
    const text = JSON.stringify({ RoleDetailList: entries });
    const { roles } = loadExportFile(inline('min.json', text), ctx);
    expect(roles.map((r) => r.source.location.line)).toEqual([1, 1, 1]);
    expect(roles.map((r) => r.source.location.column)).toEqual(
      [0, 1, 2].map((i) => text.indexOf(`"RoleName":"r${i}"`) + 1),
    );
  });

  it('names written with escapes: falls back to the RoleId, then gives up on that needle without failing', () => {
    const text = [
      '{"Roles": [',
      '  {"RoleName": "caf\\u00e9", "RoleId": "AROAEXAMPLECAFE000001", "Arn": "arn:aws:iam::123456789012:role\\/caf\\u00e9",',
      '   "AssumeRolePolicyDocument": {"Statement": []}},',
      '  {"RoleName": "b\\u00e9", "Arn": "arn:aws:iam::123456789012:role\\/b\\u00e9",',
      '   "AssumeRolePolicyDocument": {"Statement": []}}',
      ']}',
    ].join('\n');
    const { roles, errors } = loadExportFile(inline('esc.json', text), ctx);
    expect(errors).toEqual([]);
    expect(roles.map((r) => r.name)).toEqual(['café', 'bé']);
    expect(roles[0]?.source.location).toMatchObject({
      line: 2,
      column: text.split('\n')[1]!.indexOf('"AROA') + 1,
    });
    // Neither its name nor its ARN appears verbatim: the role keeps the file, without a line.
    expect(roles[1]?.source.location).toEqual({ file: 'esc.json' });
  });

  it('BOM is tolerated', () => {
    const text = `\uFEFF${readFileSync(path.join(fixtures, 'bare-trust.json'), 'utf8')}`;
    expect(loadExportFile(inline('bom.json', text), ctx).roles).toHaveLength(1);
  });
});

describe('export source: claim and registration', () => {
  const cases: [string, InputFile, boolean][] = [
    ['explicit .json', inline('x.json', '{}'), true],
    ['explicit .JSON (case)', inline('X.JSON', '{}'), true],
    ['stdin JSON', { path: '-', text: ' {"Roles": []}', explicit: true }, true],
    ['stdin as the scanner names it', { path: '<stdin>', text: '{"Statement": []}', explicit: true }, true],
    ['stdin YAML', { path: '-', text: 'Resources: {}', explicit: true }, false],
    ['explicit .yaml', inline('x.yaml', '{}'), false],
    ['walked package.json', inline('package.json', { name: 'x', dependencies: {} }, false), false],
    ['walked export', inline('e.json', { RoleDetailList: [] }, false), true],
    ['walked policy', inline('p.json', { Statement: [] }, false), true],
  ];
  for (const [name, file, expected] of cases) {
    it(`claim: ${name}`, () => expect(exportSource.claim(file)).toBe(expected));
  }

  it('is registered last among file sources', () => {
    expect(fileSources[fileSources.length - 1]).toBe(exportSource);
  });

  it('load() reads several files and never throws', async () => {
    const r = await exportSource.load(
      [fixture('list-roles.json'), fixture('malformed.json'), fixture('get-role.json')],
      ctx,
    );
    expect(r.roles).toHaveLength(3);
    expect(r.errors).toHaveLength(1);
  });
});

describe('export source: real exports in the corpus', () => {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = path.join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.json')) files.push(p);
    }
  };
  walk(corpus);

  it('finds the corpus', () => expect(files.length).toBeGreaterThanOrEqual(7));

  const load = (rel: string) => {
    const abs = path.join(corpus, rel);
    return loadExportFile({ path: rel, absPath: abs, text: readFileSync(abs, 'utf8'), explicit: true }, ctx);
  };

  it('every export loads without errors and every role is located on a line', () => {
    for (const f of files) {
      const r = load(path.relative(corpus, f));
      expect(r.errors, f).toEqual([]);
      for (const role of r.roles) {
        expect(role.source.location.line, `${f} ${role.name}`).toBeGreaterThan(0);
        expect(role.arn).toBeDefined();
      }
    }
  });

  it('cloudsplaining example.json: 78 roles, distinct lines in file order', () => {
    const { roles } = load('cloudsplaining/examples/files/example.json');
    expect(roles).toHaveLength(78);
    const lines = roles.map((r) => r.source.location.line ?? 0);
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
    expect(new Set(lines).size).toBe(78);
    expect(
      roles.filter((r) =>
        r.trustPolicy.statements.some((s) => s.principals?.some((p) => p.type === 'Federated')),
      ),
    ).toHaveLength(2);
  });

  it('CloudMapper demo: 4 roles, bad_role trusts {"AWS": "*"}', () => {
    const { roles } = load(
      'cloudmapper/account-data/demo/us-east-1/iam-get-account-authorization-details.json',
    );
    expect(roles).toHaveLength(4);
    const bad = byName(roles, 'bad_role');
    expect(bad.account).toBe('123456789012');
    expect(bad.trustPolicy.issues).toEqual([]);
    expect(bad.trustPolicy.statements[0]?.principals).toEqual([
      expect.objectContaining({ type: 'AWS', value: '*' }),
    ]);
    expect(bad.trustPolicy.statements[0]?.conditions).toEqual([]);
  });

  it('managed_policy_mismatch.json (no RoleDetailList): 0 roles, no error', () => {
    expect(load('cloudsplaining/test/files/managed_policy_mismatch.json')).toEqual({ roles: [], errors: [] });
  });
});

describe('export source: roles with the same trust document', () => {
  const doc = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: '999988887777' }, Action: 'sts:AssumeRole', Resource: '*' },
    ],
  };
  const entry = (name: string, d: unknown) => ({
    RoleName: name,
    Arn: `arn:aws:iam::123456789012:role/${name}`,
    Path: '/',
    AssumeRolePolicyDocument: d,
  });
  const file = inline('same-doc.json', {
    Roles: [
      entry('first', doc),
      entry('second', structuredClone(doc)),
      entry('third', encodeURIComponent(JSON.stringify(doc))),
    ],
  });

  it('share one parse but each role keeps its own location, and findings point at their own role', async () => {
    const { roles, errors } = loadExportFile(file, ctx);
    expect(errors).toEqual([]);
    const [a, b, c] = roles as [Role, Role, Role];
    expect(a.trustPolicy).toBe(b.trustPolicy);
    // A URL-encoded copy of the document is parsed on its own (different text), with the same result.
    expect(c.trustPolicy.statements).not.toBe(a.trustPolicy.statements);
    expect(c.trustPolicy.statements).toEqual(a.trustPolicy.statements);
    const lines = roles.map((r) => r.source.location.line);
    expect(new Set(lines).size).toBe(3);
    const { runRules } = await import('../../../src/rules/engine.js');
    const { allRules } = await import('../../../src/rules/index.js');
    const findings = runRules(roles, allRules, { zone: emptyZone() });
    for (const r of roles) {
      const mine = findings.filter((f) => f.resource.id === r.arn);
      // TA000 (Resource in a trust policy) and TA001 (third party without external ID or MFA).
      expect(mine.map((f) => f.ruleId).sort()).toEqual(['TA000', 'TA001']);
      for (const f of mine) expect(f.location).toEqual(r.source.location);
      expect(mine.find((f) => f.ruleId === 'TA001')?.message).toContain(`Role ${r.name} `);
    }
  });
});

describe('arnParts', () => {
  const cases: [string, { partition?: string; account?: string }][] = [
    ['arn:aws:iam::123456789012:role/x', { partition: 'aws', account: '123456789012' }],
    ['arn:aws-us-gov:iam::123456789012:role/a/b', { partition: 'aws-us-gov', account: '123456789012' }],
    ['arn:aws:iam::aws:policy/x', { partition: 'aws' }],
    ['not-an-arn', {}],
    ['arn:', {}],
  ];
  for (const [arn, expected] of cases) it(arn, () => expect(arnParts(arn)).toEqual(expected));
});
