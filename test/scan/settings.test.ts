import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/io.js';
import { emptyConfig } from '../../src/config/empty.js';
import { parseConfigText } from '../../src/config/parse.js';
import { scanPolicies } from '../../src/index.js';
import { reporters } from '../../src/reporters/all.js';
import { FORMAT_NAMES, outputFormats } from '../../src/reporters/index.js';
import { outputFormatsFor, scanSettings } from '../../src/scan/settings.js';

/** The settings step (options + config → what a scan runs with), shared by the CLI and the library. */
const config = parseConfigText(
  JSON.stringify({
    account: '111111111111',
    trustedAccounts: ['222222222222', { id: '333333333333', name: 'Shared services' }],
    trustedOrganizations: ['o-abcdefghij'],
    failOn: 'high',
    rules: { TA002: 'off', TA001: { severity: 'medium', options: { require: 'mfa' } } },
  }),
  'trustaudit.config.json',
);

describe('scanSettings', () => {
  it('with no options and no config: an empty zone, no rule settings, no limits, fail on low', () => {
    const s = scanSettings({});
    expect(s.zone.defaultOwner).toBeUndefined();
    expect([...s.zone.trusted.keys()]).toEqual([]);
    expect(s.zone.known.size).toBe(0);
    expect([...s.ruleSettings]).toEqual([]);
    expect(s.budgets).toEqual({});
    expect(s.failOn).toBe('low');
  });

  it('takes the config; options win for the owner and failOn and add trusted accounts and organizations', () => {
    const fromConfig = scanSettings({}, config);
    expect(fromConfig.zone.defaultOwner).toBe('111111111111');
    expect(fromConfig.failOn).toBe('high');
    const s = scanSettings(
      {
        account: '444444444444',
        trustedAccounts: ['555555555555', '222222222222'],
        trustedOrgs: ['o-zyxwvutsrq'],
        failOn: 'none',
        knownAccounts: new Map([['666666666666', { id: '666666666666', name: 'Vendor' }]]),
      },
      config,
    );
    expect(s.zone.defaultOwner).toBe('444444444444');
    expect([...s.zone.trusted.keys()].sort()).toEqual(['222222222222', '333333333333', '555555555555']);
    expect(s.zone.trusted.get('333333333333')?.name).toBe('Shared services');
    expect([...s.zone.trustedOrgIds].sort()).toEqual(['o-abcdefghij', 'o-zyxwvutsrq']);
    expect(s.zone.known.get('666666666666')?.name).toBe('Vendor');
    expect(s.failOn).toBe('none');
  });

  it('rule flags go on top of the config: --rule, --rules, --skip-rules, --require keeps other options', () => {
    const s = scanSettings({ rule: ['ta002=on', 'TA001=critical'], require: 'external-id' }, config);
    expect(s.ruleSettings.get('TA002')).toEqual({ enabled: true });
    expect(s.ruleSettings.get('TA001')).toEqual({
      enabled: true,
      severity: 'critical',
      options: { require: 'external-id' },
    });
    const only = scanSettings({ rules: ['TA001'], skipRules: ['TA001'] }, emptyConfig());
    expect(only.ruleSettings.get('TA001')?.enabled).toBe(false);
    expect(only.ruleSettings.get('TA002')?.enabled).toBe(false);
  });

  it('refuses unknown rules, bad rule values and bad limits with a usage error naming them', () => {
    expect(() => scanSettings({ rule: ['TA999=off'] })).toThrow(UsageError);
    expect(() => scanSettings({ rule: ['TA999=off'] })).toThrow(/--rule: unknown rule "TA999"/);
    expect(() => scanSettings({ rule: ['TA001=loud'] })).toThrow(/must be off, on, or a severity/);
    expect(() => scanSettings({ skipRules: ['nope'] })).toThrow(/--skip-rules: unknown rule "nope"/);
    expect(() => scanSettings({ limitFlags: ['depth=3'] })).toThrow(UsageError);
    expect(() => scanSettings({ limitFlags: ['depth=3'] })).toThrow(/--limit "depth=3": unknown limit/);
  });

  it('limits: numbers given, then --limit flags win over them', () => {
    const s = scanSettings({ limits: { 'message-length': 100 }, limitFlags: ['message-length=50'] });
    expect(s.budgets).toEqual({ 'message-length': 50 });
  });

  it('does not change the config it is given', () => {
    const before = JSON.stringify(config);
    scanSettings({ rule: ['TA002=on'], require: 'external-id', trustedOrgs: ['o-zyxwvutsrq'] }, config);
    expect(JSON.stringify(config)).toBe(before);
  });
});

describe('outputFormatsFor', () => {
  it('splits, trims and lower-cases the names, and checks them against the format table', () => {
    expect(outputFormatsFor({ format: ' JSON , sarif,', outputDir: 'out' })).toEqual(['json', 'sarif']);
    expect(() => outputFormatsFor({ format: 'pdf' })).toThrow(
      `unknown format "pdf"; available: ${[...FORMAT_NAMES].sort().join(', ')}`,
    );
    // A name every object has is still not a format.
    expect(() => outputFormatsFor({ format: 'constructor' })).toThrow(/unknown format "constructor"/);
  });

  it('several formats need --output-dir; --output and --output-dir exclude each other', () => {
    expect(() => outputFormatsFor({ format: 'json,sarif' })).toThrow(/several formats need --output-dir/);
    expect(() => outputFormatsFor({ format: 'json', output: 'a', outputDir: 'b' })).toThrow(
      /either --output or --output-dir/,
    );
  });
});

describe('the format table', () => {
  it('has one entry per reporter, each with its own file name', async () => {
    expect(Object.keys(reporters)).toEqual([...FORMAT_NAMES]);
    const files = FORMAT_NAMES.map((f) => outputFormats[f]!.fileName);
    expect(new Set(files).size).toBe(files.length);
    // The table loads the same reporter that the library renders with.
    for (const f of FORMAT_NAMES) expect(await outputFormats[f]!.load()).toBe(reporters[f]);
  });
});

describe('the format table, against the reporters', () => {
  const vendor = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::464622532012:root' }, Action: 'sts:AssumeRole' },
    ],
  };

  it('streams says truly which formats come back in pieces', async () => {
    const report = await scanPolicies([{ policy: vendor }], { account: '123456789012' });
    for (const f of FORMAT_NAMES) {
      const text = (await outputFormats[f]!.load())(report, {
        color: false,
        generatedAt: '2026-01-01T00:00:00Z',
        account: '123456789012',
        piecesOver: 0,
      });
      expect([f, typeof text !== 'string']).toEqual([f, outputFormats[f]!.streams]);
    }
  });

  it('the library goes through the same rule checks as the CLI', async () => {
    await expect(scanPolicies([{ policy: vendor }], { rules: { TA999: 'off' } })).rejects.toThrow(
      /unknown rule "TA999"/,
    );
  });
});
