import { describe, expect, it } from 'vitest';
import { loadKnownAccounts, parseKnownAccounts } from '../../src/config/known-accounts.js';
import { ConfigError } from '../../src/config/load.js';
import { corpusDir } from '../helpers/cli.js';

describe('known accounts (vendor list)', () => {
  it('reads the real known_aws_accounts list', () => {
    const m = loadKnownAccounts(`${corpusDir}/known_aws_accounts/accounts.yaml`);
    expect(m.size).toBeGreaterThan(450);
    expect(m.get('464622532012')?.name).toBe('Datadog');
    expect(m.get('454464851268')?.name).toBe('Cloudhealth');
    expect(m.get('081802104111')?.name).toMatch(/Ermetic/);
  });

  const cases: { name: string; yaml: string; expect: Record<string, string> }[] = [
    {
      name: 'plain entry',
      yaml: "- name: Acme\n  accounts: ['111122223333']\n",
      expect: { '111122223333': 'Acme' },
    },
    {
      name: 'AWS-owned service account is prefixed',
      yaml: "- name: ELB logs\n  type: aws\n  accounts: ['127311923021']\n",
      expect: { '127311923021': 'AWS ELB logs' },
    },
    {
      name: 'retired entries stay named',
      yaml: "- name: OldCo\n  enabled: false\n  deprecated_date: '2020-01-01'\n  accounts: ['222233334444']\n",
      expect: { '222233334444': 'OldCo (retired)' },
    },
    {
      name: 'first entry wins on a repeated account',
      yaml: "- name: A\n  accounts: ['111122223333']\n- name: B\n  accounts: ['111122223333']\n",
      expect: { '111122223333': 'A' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const m = parseKnownAccounts(c.yaml, 'k.yaml');
      expect(Object.fromEntries([...m].map(([k, v]) => [k, v.name]))).toEqual(c.expect);
    });
  }

  const bad: { name: string; yaml: string; expect: RegExp }[] = [
    { name: 'not a list', yaml: 'name: x\n', expect: /k\.yaml.*not a known-accounts list/ },
    {
      name: 'entry without accounts',
      yaml: '- name: x\n',
      expect: /k\.yaml:1:3: not a known-accounts list \(0\.accounts/,
    },
    {
      name: 'short account id',
      yaml: "- name: x\n  accounts: ['1234']\n",
      expect: /"1234" \(x\) is not a 12-digit/,
    },
    { name: 'YAML syntax', yaml: '- name: [x\n', expect: /k\.yaml:\d+:\d+/ },
  ];
  for (const c of bad) {
    it(`rejects ${c.name}`, () => {
      expect(() => parseKnownAccounts(c.yaml, 'k.yaml')).toThrow(ConfigError);
      expect(() => parseKnownAccounts(c.yaml, 'k.yaml')).toThrow(c.expect);
    });
  }
});
