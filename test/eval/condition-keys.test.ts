import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../src/analysis/callers.js';
import { gatedKeysUsed, type Scenario, scenarioContext } from '../../src/analysis/scenarios.js';
import { CONDITION_KEYS, keyInfo } from '../../src/eval/condition-keys.js';
import type { ContextValue } from '../../src/eval/types.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NOW = Date.parse('2026-06-01T12:00:00Z');
const VENDOR = '111122223333';

const caller: Caller = {
  principal: { type: 'aws', id: `arn:aws:sts::${VENDOR}:assumed-role/r/s`, account: VENDOR },
  principalArn: `arn:aws:iam::${VENDOR}:role/r`,
  principalType: 'AssumedRole',
  account: VENDOR,
};
const scenario = (over: Partial<Scenario> = {}): Scenario => ({
  caller,
  externalId: { known: false },
  mfa: { mfa: false },
  org: {},
  env: { now: NOW, resourceAccount: '123456789012', resourceTags: { Env: 'prod' } },
  ...over,
});

function shown(v: ContextValue): string {
  if (v.kind !== 'present') return v.kind;
  return v.values.map((x) => (typeof x === 'string' ? x : `<${x.description}>`)).join(',');
}

describe('the condition-key table', () => {
  it('lists every key the issue names, once', () => {
    const keys = CONDITION_KEYS.map((r) => r.key.toLowerCase());
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of [
      'aws:CurrentTime',
      'aws:EpochTime',
      'aws:ResourceAccount',
      'aws:ResourceOrgID',
      'aws:ResourceOrgPaths',
      'aws:PrincipalIsAWSService',
      'aws:PrincipalType',
      'aws:userid',
      'aws:SecureTransport',
      'aws:RequestedRegion',
      'aws:SourceIdentity',
      'sts:SourceIdentity',
      'sts:RoleSessionName',
      'aws:RequestTag/',
      'aws:TagKeys',
      'aws:PrincipalTag/',
    ])
      expect(keys, k).toContain(k.toLowerCase());
  });

  it('cites an AWS documentation page for every row, and docs/evaluation.md names every key with it', () => {
    const doc = readFileSync(path.join(repoRoot, 'docs/evaluation.md'), 'utf8');
    for (const row of CONDITION_KEYS) {
      expect(row.doc, row.key).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      const line = doc.split('\n').find((l) => l.includes(`\`${row.key}${row.prefix ? '…' : ''}\``));
      expect(line, `docs/evaluation.md row for ${row.key}`).toBeDefined();
      expect(line).toContain(row.doc);
    }
  });

  it('gives gated keys the action that permits them, and only those', () => {
    for (const row of CONDITION_KEYS) expect(row.scan === 'gated', row.key).toBe(row.gatedBy !== undefined);
    for (const row of CONDITION_KEYS) expect(row.scan === 'constant', row.key).toBe(row.value !== undefined);
  });

  it('looks keys up in any letter case, and tag families by prefix', () => {
    expect(keyInfo('AWS:currenttime')?.scan).toBe('scan-time');
    expect(keyInfo('aws:RequestTag/team')?.gatedBy).toBe('sts:TagSession');
    expect(keyInfo('aws:PrincipalTag/dept')?.setBy).toBe('caller-admin');
    expect(keyInfo('aws:RequestTag/')).toBeUndefined();
    expect(keyInfo('aws:SomethingElse')).toBeUndefined();
  });
});

/** key, what a third-party scenario's request context holds for it (no gates open unless said). */
const CONTEXT: [string, string, Partial<Scenario>?][] = [
  ['aws:CurrentTime', '2026-06-01T12:00:00.000Z'],
  ['aws:EpochTime', String(NOW / 1000)],
  ['aws:ResourceAccount', '123456789012'],
  ['aws:ResourceOrgID', 'free'],
  ['aws:ResourceTag/env', 'prod'],
  ['aws:ResourceTag/team', 'absent'],
  ['aws:PrincipalIsAWSService', 'false'],
  ['aws:ViaAWSService', 'false'],
  ['aws:PrincipalType', 'AssumedRole'],
  ['aws:username', 'absent'],
  ['aws:userid', 'free'],
  ['aws:SecureTransport', 'free'],
  ['aws:RequestedRegion', 'free'],
  ['aws:SourceAccount', 'absent'],
  ['aws:CalledVia', 'absent'],
  ['aws:PrincipalServiceName', 'absent'],
  ['sts:RoleSessionName', 'free'],
  ['aws:PrincipalTag/dept', 'free'],
  ['sts:SourceIdentity', 'absent'],
  ['aws:SourceIdentity', 'absent'],
  ['sts:SourceIdentity', 'free', { gates: { sourceIdentity: true, tags: false } }],
  ['aws:RequestTag/team', 'absent'],
  ['aws:TagKeys', 'absent', { gates: { sourceIdentity: true, tags: false } }],
  ['aws:RequestTag/team', 'free', { gates: { sourceIdentity: false, tags: true } }],
  ['aws:TagKeys', 'free', { gates: { sourceIdentity: false, tags: true } }],
  ['aws:CurrentTime', 'free', { env: {} }],
  ['aws:ResourceAccount', 'free', { env: {} }],
  ['some:unlisted-key', 'free'],
];

describe('a scenario request context follows the table', () => {
  for (const [key, want, over] of CONTEXT) {
    it(`${key}${over ? ` (${JSON.stringify(over)})` : ''}: ${want}`, () => {
      expect(shown(scenarioContext(scenario(over)).get(key))).toBe(want);
    });
  }

  it('gives the role-fact variables a placeholder the caller cannot equal when the scan does not know them', () => {
    const ctx = scenarioContext(scenario({ env: {} }));
    expect(shown(ctx.variable?.('aws:ResourceAccount') ?? { kind: 'free' })).toBe("<the role's own account>");
    expect(shown(ctx.variable?.('aws:ResourceOrgID') ?? { kind: 'free' })).toBe(
      "<the role's own organization>",
    );
    const known = scenarioContext(scenario());
    expect(shown(known.variable?.('aws:ResourceAccount') ?? { kind: 'free' })).toBe('123456789012');
  });

  it('says which gated keys a policy tests', () => {
    expect(gatedKeysUsed(new Set(['sts:sourceidentity']))).toEqual({ sourceIdentity: true, tags: false });
    expect(gatedKeysUsed(new Set(['aws:requesttag/team']))).toEqual({ sourceIdentity: false, tags: true });
    expect(gatedKeysUsed(new Set(['aws:sourceip']))).toEqual({ sourceIdentity: false, tags: false });
  });
});
