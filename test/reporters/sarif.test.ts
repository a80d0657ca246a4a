import { describe, expect, it } from 'vitest';
import type { SourceLocation } from '../../src/model/types.js';
import { reporters } from '../../src/reporters/all.js';
import {
  AWSROOT,
  artifactLocation,
  FINGERPRINT_KEY,
  type SarifRegion,
  SRCROOT,
  sarifLevel,
  sarifRegion,
  sarifReporter,
  toSarif,
} from '../../src/reporters/sarif.js';
import { wholeText } from '../../src/reporters/types.js';
import { sarifFixtureReport } from './sarif-fixture.js';

describe('sarifRegion: only known, valid positions', () => {
  const cases: [name: string, loc: Omit<SourceLocation, 'file'>, want: SarifRegion | undefined][] = [
    [
      'full range',
      { line: 3, column: 5, endLine: 7, endColumn: 2 },
      { startLine: 3, startColumn: 5, endLine: 7, endColumn: 2 },
    ],
    ['line only', { line: 4 }, { startLine: 4 }],
    ['line and column', { line: 4, column: 9 }, { startLine: 4, startColumn: 9 }],
    ['no line at all', {}, undefined],
    ['line 0 is unknown', { line: 0, column: 3 }, undefined],
    ['negative line', { line: -1 }, undefined],
    ['fractional line', { line: 1.5 }, undefined],
    ['column 0 is dropped', { line: 2, column: 0 }, { startLine: 2 }],
    [
      'end on the same line after the start',
      { line: 2, column: 3, endLine: 2, endColumn: 9 },
      { startLine: 2, startColumn: 3, endColumn: 9 },
    ],
    [
      'end column without end line is on the start line',
      { line: 2, column: 3, endColumn: 9 },
      { startLine: 2, startColumn: 3, endColumn: 9 },
    ],
    [
      'empty or backwards range on one line drops the end',
      { line: 2, column: 5, endLine: 2, endColumn: 5 },
      { startLine: 2, startColumn: 5 },
    ],
    [
      'end column before start column on one line',
      { line: 2, column: 5, endColumn: 1 },
      { startLine: 2, startColumn: 5 },
    ],
    [
      'end line before start line drops the end',
      { line: 9, column: 1, endLine: 3, endColumn: 4 },
      { startLine: 9, startColumn: 1 },
    ],
    ['invalid end line drops the end column too', { line: 9, endLine: 0, endColumn: 4 }, { startLine: 9 }],
    ['end line without end column', { line: 2, endLine: 6 }, { startLine: 2, endLine: 6 }],
    ['end column 0 is dropped', { line: 2, endLine: 6, endColumn: 0 }, { startLine: 2, endLine: 6 }],
    ['end column without start column must pass column 1', { line: 2, endColumn: 1 }, { startLine: 2 }],
  ];
  for (const [name, loc, want] of cases) {
    it(name, () => expect(sarifRegion({ file: 'f', ...loc })).toEqual(want));
  }
});

describe('artifactLocation: relative URIs with forward slashes', () => {
  const cases: [file: string, want: ReturnType<typeof artifactLocation>][] = [
    ['infra/roles.yaml', { uri: 'infra/roles.yaml', uriBaseId: SRCROOT }],
    ['./infra/roles.yaml', { uri: 'infra/roles.yaml', uriBaseId: SRCROOT }],
    ['infra\\windows\\roles.yaml', { uri: 'infra/windows/roles.yaml', uriBaseId: SRCROOT }],
    ['dir with space/#hash%?.tf', { uri: 'dir%20with%20space/%23hash%25%3F.tf', uriBaseId: SRCROOT }],
    ['rôles.json', { uri: 'r%C3%B4les.json', uriBaseId: SRCROOT }],
    ['a:b/c.yaml', undefined], // looks like a URI scheme: not a repository file
    ['<stdin>', { uri: '%3Cstdin%3E', uriBaseId: SRCROOT }],
    ['../outside/x.yaml', { uri: '../outside/x.yaml', uriBaseId: SRCROOT }],
    ['/abs/x.yaml', { uri: 'file:///abs/x.yaml' }],
    ['C:\\repo\\x.yaml', { uri: 'file:///C:/repo/x.yaml' }],
    [
      'arn:aws:iam::111122223333:role/vendor',
      { uri: 'aws/iam/111122223333/role/vendor', uriBaseId: AWSROOT },
    ],
    [
      'arn:aws-cn:iam::111122223333:role/team/x y',
      { uri: 'aws-cn/iam/111122223333/role/team/x%20y', uriBaseId: AWSROOT },
    ],
    ['s3://bucket/key.json', undefined],
    ['', undefined],
  ];
  for (const [file, want] of cases) {
    it(JSON.stringify(file), () => expect(artifactLocation(file)).toEqual(want));
  }
});

describe('sarifLevel', () => {
  it.each([
    ['critical', 'error'],
    ['high', 'error'],
    ['medium', 'warning'],
    ['low', 'note'],
    ['info', 'note'],
  ] as const)('%s -> %s', (sev, level) => expect(sarifLevel(sev)).toBe(level));
});

describe('toSarif', () => {
  const report = sarifFixtureReport();
  const log = toSarif(report);
  const run = log.runs[0]!;

  it('is registered as --format sarif', () => {
    expect(reporters.sarif).toBe(sarifReporter);
  });

  it('describes the tool and every rule, sorted by id, with GitHub severity', () => {
    expect(log.version).toBe('2.1.0');
    expect(run.tool.driver).toMatchObject({ name: 'trustaudit', version: '0.1.0', semanticVersion: '0.1.0' });
    // No public home yet: no made-up informationUri (the field is optional in SARIF).
    expect(run.tool.driver.informationUri).toBeUndefined();
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(['TA001', 'TA900', 'TA999']);
    const ta001 = run.tool.driver.rules[0]!;
    expect(ta001).toMatchObject({
      name: 'CrossAccountTrustWithoutExternalIdOrMfa',
      shortDescription: { text: 'Third-party account can assume the role without an external ID or MFA.' },
      defaultConfiguration: { enabled: true, level: 'warning' },
      helpUri: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html',
      properties: { 'security-severity': '5.5', tags: expect.arrayContaining(['security']) },
    });
    expect(ta001.help?.markdown).toContain('### Remediation');
    expect(ta001.help?.text).toContain('StringEquals condition on sts:ExternalId');
    expect(ta001.help?.text).not.toContain('not a uri');
    // Informational: no security-severity, so GitHub uses the level.
    expect(run.tool.driver.rules[1]?.properties?.['security-severity']).toBeUndefined();
    expect(run.tool.driver.rules[1]?.defaultConfiguration).toEqual({ enabled: false, level: 'note' });
  });

  it('gives every result a ruleIndex that points at its rule', () => {
    expect(run.results).toHaveLength(report.findings.length);
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex]?.id).toBe(r.ruleId);
    expect(run.results.map((r) => r.level)).toContain('error'); // TA999 high
  });

  it('uses the finding fingerprint as partial fingerprint', () => {
    run.results.forEach((r, i) => {
      expect(r.partialFingerprints).toEqual({ [FINGERPRINT_KEY]: report.findings[i]!.fingerprint });
    });
  });

  it('keeps suppressed findings with inSource / external suppressions', () => {
    const suppressed = run.results.filter((r) => r.suppressions);
    expect(suppressed.map((r) => r.suppressions)).toEqual([
      [
        {
          kind: 'inSource',
          status: 'accepted',
          justification: 'Vendor does not support external IDs',
          location: {
            physicalLocation: {
              artifactLocation: { uri: 'infra/suppressed.yaml', uriBaseId: SRCROOT },
              region: { startLine: 28, startColumn: 7 },
            },
          },
        },
      ],
      [
        {
          kind: 'external',
          status: 'accepted',
          justification: 'Accepted until the vendor migrates (until 2027-01-31)',
          properties: { expires: '2027-01-31' },
        },
      ],
    ]);
  });

  it('marks baseline state only when the report has a baseline', () => {
    expect(run.results.filter((r) => r.baselineState === 'unchanged')).toHaveLength(1);
    const noBaseline = sarifFixtureReport();
    for (const f of noBaseline.findings) delete f.inBaseline;
    expect(toSarif(noBaseline).runs[0]!.results.some((r) => 'baselineState' in r)).toBe(false);
    // A baseline that had none of the findings: every result is new.
    for (const f of noBaseline.findings) f.inBaseline = false;
    expect(new Set(toSarif(noBaseline).runs[0]!.results.map((r) => r.baselineState))).toEqual(
      new Set(['new']),
    );
  });

  it('every location has a physical location (GitHub rejects the upload otherwise)', () => {
    for (const r of run.results) {
      expect(r.locations?.length).toBe(1);
      expect(r.locations?.[0]?.physicalLocation?.artifactLocation.uri).toBeTruthy();
    }
  });

  it('a live role is located by its ARN under AWSROOT; account and principals are in the properties', () => {
    const live = run.results.find(
      (r) => r.locations?.[0]?.physicalLocation?.artifactLocation.uriBaseId === AWSROOT,
    );
    expect(live?.locations?.[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'aws/iam/111122223333/role/vendor', uriBaseId: AWSROOT },
    });
    expect(run.originalUriBaseIds[AWSROOT]).toBeDefined();
    expect(live?.properties).toMatchObject({
      account: '111122223333',
      resource: { id: 'arn:aws:iam::111122223333:role/vendor', arn: 'arn:aws:iam::111122223333:role/vendor' },
      principals: [
        { value: 'arn:aws:iam::464622532012:root', account: '464622532012', accountName: 'Datadog' },
      ],
      principalAccounts: ['464622532012'],
    });
  });

  it('a finding whose "file" is neither a path nor an ARN gets no locations rather than a logical-only one', () => {
    const odd = sarifFixtureReport();
    odd.findings = [{ ...odd.findings[0]!, location: { file: 's3://bucket/policy.json', line: 3 } }];
    const r = toSarif(odd).runs[0]!;
    expect(r.results[0]?.locations).toBeUndefined();
    expect(r.originalUriBaseIds[AWSROOT]).toBeUndefined();
  });

  it('names the role as a logical location next to the file', () => {
    expect(run.results[0]?.locations?.[0]?.logicalLocations).toEqual([
      { name: 'Role1', fullyQualifiedName: 'infra/roles.yaml#Role1', kind: 'resource' },
    ]);
  });

  it('reports errors as execution notifications and config warnings as configuration notifications', () => {
    const inv = run.invocations[0]!;
    expect(inv.executionSuccessful).toBe(false);
    expect(inv.toolExecutionNotifications?.map((n) => [n.level, n.descriptor.id])).toEqual([
      ['error', 'cloudformation/yaml-syntax'],
      ['error', 'input/unreadable'],
      ['error', 'aws/access-denied'],
      ['warning', 'input/skipped'],
    ]);
    expect(inv.toolExecutionNotifications?.[0]?.locations?.[0]?.physicalLocation?.region).toEqual({
      startLine: 3,
      startColumn: 9,
    });
    expect(inv.toolConfigurationNotifications?.map((n) => n.descriptor.id)).toEqual([
      'config/suppression-expired',
    ]);
  });

  it('a clean run is successful and has no notifications', () => {
    const clean = { ...sarifFixtureReport(), errors: [], warnings: [] };
    clean.summary.complete = true;
    expect(toSarif(clean).runs[0]!.invocations).toEqual([{ executionSuccessful: true }]);
  });

  it('is deterministic and independent of rule order in the report', () => {
    const a = wholeText(sarifReporter(sarifFixtureReport(), { color: false }));
    const reordered = sarifFixtureReport();
    reordered.rules.reverse();
    expect(wholeText(sarifReporter(reordered, { color: false }))).toBe(a);
    expect(a).not.toMatch(/Time|"\d{4}-\d\d-\d\dT/); // no timestamps
    expect(a.endsWith('}\n')).toBe(true);
  });

  it('an empty report is still a valid single run', () => {
    const empty = { ...sarifFixtureReport(), findings: [], rules: [], errors: [], warnings: [] };
    const r = toSarif(empty).runs[0]!;
    expect(r.results).toEqual([]);
    expect(r.tool.driver.rules).toEqual([]);
  });
});
