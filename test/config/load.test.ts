import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyConfig } from '../../src/config/empty.js';
import { buildZone, ConfigError, loadConfig, ruleSettingsFrom } from '../../src/config/load.js';
import { parseConfigText } from '../../src/config/parse.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { tempDir } from '../helpers/cli.js';

describe('config loading', () => {
  it('finds no file and returns defaults', async () => {
    const dir = tempDir();
    const { config, file } = await loadConfig(dir);
    expect(file).toBeUndefined();
    expect(config.trustedAccounts).toEqual([]);
    expect(config.suppressions).toEqual([]);
  });

  it('writes out the empty config exactly as the defaults of the schema give it', () => {
    expect(emptyConfig()).toStrictEqual(ConfigSchema.parse({}));
  });

  it('discovers trustaudit.config.yaml in the folder', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'trustaudit.config.yaml'),
      'account: "123456789012"\ntrustedAccounts: ["210987654321"]\n',
    );
    const { config, file } = await loadConfig(dir);
    expect(file).toBe(join(dir, 'trustaudit.config.yaml'));
    expect(config.account).toBe('123456789012');
  });

  const invalid: { name: string; file: string; text: string; expect: RegExp }[] = [
    {
      name: 'YAML: bad account id names line, column and field',
      file: 'c.yaml',
      text: 'account: "123456789012"\ntrustedAccounts:\n  - "12345"\n',
      expect: /c\.yaml:3:5: trustedAccounts\.0: .*12-digit/,
    },
    {
      name: 'YAML: unknown key is rejected',
      file: 'c.yaml',
      text: 'acount: "123456789012"\n',
      expect: /c\.yaml.*Unrecognized key.*acount/i,
    },
    {
      name: 'YAML: suppression without reason',
      file: 'c.yml',
      text: 'suppressions:\n  - rule: TA001\n    resource: "*"\n',
      expect: /c\.yml:2:\d+: suppressions\.0\.reason/,
    },
    {
      name: 'YAML: syntax error has a position',
      file: 'c.yaml',
      text: 'account: [unclosed\n',
      expect: /c\.yaml:\d+:\d+: /,
    },
    {
      name: 'JSON: syntax error has line and column',
      file: 'c.json',
      text: '{\n  "account": "123456789012",\n  oops\n}\n',
      expect: /c\.json:3:3: not valid JSON/,
    },
    {
      name: 'JSON: bad severity names the field and line',
      file: 'c.json',
      text: '{\n  "failOn": "urgent"\n}\n',
      expect: /c\.json:2:13: failOn: /,
    },
    {
      name: 'YAML: bad organization id',
      file: 'c.yaml',
      text: 'trustedOrganizations: ["org-1"]\n',
      expect: /trustedOrganizations\.0: must be an organization id/,
    },
    {
      name: 'YAML: expiry must be a date',
      file: 'c.yaml',
      text: 'suppressions:\n  - {rule: TA001, resource: "*", reason: r, expires: "next week"}\n',
      expect: /suppressions\.0\.expires/,
    },
  ];
  for (const c of invalid) {
    it(`rejects: ${c.name}`, () => {
      expect(() => parseConfigText(c.text, c.file)).toThrow(ConfigError);
      expect(() => parseConfigText(c.text, c.file)).toThrow(c.expect);
    });
  }

  it('refuses YAML aliases', () => {
    expect(() => parseConfigText('a: &x ["111111111111"]\ntrustedAccounts: *x\n', 'c.yaml')).toThrow();
  });

  it('builds the zone of trust from config and flags', () => {
    const config = parseConfigText(
      'account: "123456789012"\ntrustedAccounts:\n  - "210987654321"\n  - {id: "333344445555", name: shared, rolePaths: ["/platform/"]}\ntrustedOrganizations: ["o-abcde12345"]\n',
      'c.yaml',
    );
    const zone = buildZone(config, { account: '999999999999', trustedAccounts: ['444455556666'] });
    expect(zone.defaultOwner).toBe('999999999999');
    expect([...zone.trusted.keys()].sort()).toEqual(['210987654321', '333344445555', '444455556666']);
    expect(zone.trusted.get('333344445555')?.rolePaths).toEqual(['/platform/']);
    expect(zone.trustedOrgIds.has('o-abcde12345')).toBe(true);
  });

  it('turns rule settings into engine settings', () => {
    const config = parseConfigText(
      'rules:\n  TA002: off\n  ta001: high\n  TA003: {enabled: true, options: {x: 1}}\n  TA004: false\n',
      'c.yaml',
    );
    const s = ruleSettingsFrom(config);
    expect(s.get('TA002')).toEqual({ enabled: false });
    expect(s.get('TA001')).toEqual({ enabled: true, severity: 'high' });
    expect(s.get('TA003')).toEqual({ enabled: true, options: { x: 1 } });
    expect(s.get('TA004')).toEqual({ enabled: false });
  });

  it('reads an explicit config path relative to cwd', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'cfg'));
    writeFileSync(join(dir, 'cfg', 'x.json'), '{"account": "123456789012"}');
    expect((await loadConfig(dir, 'cfg/x.json')).config.account).toBe('123456789012');
    await expect(loadConfig(dir, 'cfg/missing.json')).rejects.toThrow(/cannot read config/);
  });
});
