/**
 * TA002-TA005 through the same paths users take: the config file's per-rule enable/disable, severity and
 * options (ruleSettingsFrom -> engine), `runScan`, the vendor list for account names, and the built CLI's
 * `rules` listing.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyZone } from '../../src/analysis/zone.js';
import { ruleSettingsFrom } from '../../src/config/load.js';
import { parseConfigText } from '../../src/config/parse.js';
import { RuleOptionsError } from '../../src/rules/engine.js';
import { allRules, findRule } from '../../src/rules/index.js';
import { runScan } from '../../src/scan/run.js';
import { runCli, tempDir } from '../helpers/cli.js';

const OWNER = '123456789012';
const VENDOR_A = '464622532012';
const VENDOR_B = '509560245411';

const policies: Record<string, unknown> = {
  'service.json': {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ],
  },
  'public.json': {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': 'x1' } },
      },
    ],
  },
  'github.json': {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${OWNER}:oidc-provider/token.actions.githubusercontent.com` },
        Action: 'sts:AssumeRoleWithWebIdentity',
      },
    ],
  },
  'vendor-a.json': {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: VENDOR_A },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': 'acme-shared' } },
      },
    ],
  },
  'vendor-b.json': {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: VENDOR_B },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': 'acme-shared' } },
      },
    ],
  },
};

function fixtureDir(): string {
  const dir = tempDir('trustaudit-rules-');
  for (const [name, doc] of Object.entries(policies)) writeFileSync(join(dir, name), JSON.stringify(doc));
  return dir;
}

async function scan(config: string, known: Record<string, string> = {}) {
  const dir = fixtureDir();
  const zone = emptyZone();
  zone.defaultOwner = OWNER;
  for (const [id, name] of Object.entries(known)) zone.known.set(id, { id, name });
  const settings = ruleSettingsFrom(parseConfigText(config, 'trustaudit.config.json'));
  return runScan({ paths: ['.'], cwd: dir, zone, ruleSettings: settings, today: '2026-01-01' });
}

function byRule(findings: { ruleId: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of findings) out[f.ruleId] = (out[f.ruleId] ?? 0) + 1;
  return out;
}

describe('TA002-TA005 configuration', () => {
  it('are registered and found by id and by name', () => {
    for (const [id, name] of [
      ['TA002', 'service-trust-without-source-condition'],
      ['TA003', 'public-trust'],
      ['TA004', 'federation-trust-unrestricted'],
      ['TA005', 'external-id-shared'],
    ] as const) {
      expect(findRule(id)?.meta.name).toBe(name);
      expect(findRule(name)?.meta.id).toBe(id);
    }
    expect(allRules.map((r) => r.meta.id)).toEqual(
      expect.arrayContaining(['TA002', 'TA003', 'TA004', 'TA005']),
    );
  });

  it('all enabled by default, each with its own finding on the fixtures', async () => {
    const r = await scan('{}');
    expect(byRule(r.findings)).toMatchObject({ TA002: 1, TA003: 1, TA004: 1, TA005: 2 });
  });

  it('turned off, re-rated and given options from the config', async () => {
    const r = await scan(
      JSON.stringify({
        rules: {
          TA002: { options: { exemptServices: ['states'] } },
          TA003: 'off',
          TA004: 'medium',
          TA005: { severity: 'high', options: { maxListed: 1 } },
        },
      }),
    );
    const counts = byRule(r.findings);
    expect(counts.TA002).toBeUndefined();
    expect(counts.TA003).toBeUndefined();
    expect(r.findings.find((f) => f.ruleId === 'TA004')?.severity).toBe('medium');
    expect(r.findings.filter((f) => f.ruleId === 'TA005').map((f) => f.severity)).toEqual(['high', 'high']);
  });

  it('invalid options are refused with the rule named', async () => {
    await expect(
      scan(JSON.stringify({ rules: { TA002: { options: { exemptServices: 'states' } } } })),
    ).rejects.toThrow(RuleOptionsError);
    await expect(scan(JSON.stringify({ rules: { TA005: { options: { maxListed: 0 } } } }))).rejects.toThrow(
      /TA005/,
    );
    await expect(
      scan(
        JSON.stringify({
          rules: {
            TA002: { options: { exemptServices: ['lambda'], reportServices: ['lambda.amazonaws.com'] } },
          },
        }),
      ),
    ).rejects.toThrow(/TA002: reportServices: lambda cannot be both exempt and reported/);
  });

  it('--known-accounts names land in FindingPrincipal.accountName', async () => {
    const r = await scan('{}', { [VENDOR_A]: 'Datadog', [VENDOR_B]: 'Dynatrace', [OWNER]: 'Acme' });
    const ta005 = r.findings.filter((f) => f.ruleId === 'TA005').flatMap((f) => f.principals);
    expect(ta005.map((p) => p.accountName).sort()).toEqual(['Datadog', 'Dynatrace']);
    expect(r.findings.find((f) => f.ruleId === 'TA004')?.principals[0]?.accountName).toBe('Acme');
    expect(r.findings.find((f) => f.ruleId === 'TA005')?.message).toMatch(
      /Datadog \(464622532012\)|Dynatrace \(509560245411\)/,
    );
  });

  it('`trustaudit rules` lists them with their severity (built CLI)', () => {
    const r = runCli(['rules', '--format', 'json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { id: string; name: string; severity: string; enabled: boolean }[];
    expect(rows.filter((x) => /^TA00[2-5]$/.test(x.id))).toEqual([
      expect.objectContaining({
        id: 'TA002',
        name: 'service-trust-without-source-condition',
        severity: 'low',
        enabled: true,
      }),
      expect.objectContaining({ id: 'TA003', name: 'public-trust', severity: 'critical', enabled: true }),
      expect.objectContaining({
        id: 'TA004',
        name: 'federation-trust-unrestricted',
        severity: 'high',
        enabled: true,
      }),
      expect.objectContaining({ id: 'TA005', name: 'external-id-shared', severity: 'low', enabled: true }),
    ]);
  });
});
