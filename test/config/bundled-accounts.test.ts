import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KnownAccount } from '../../src/analysis/zone.js';
import { loadBundledKnownAccounts, mergeKnownAccounts } from '../../src/config/bundled-accounts.js';
import { parseKnownAccounts } from '../../src/config/known-accounts.js';
import { corpusDir, repoRoot, runJson } from '../helpers/cli.js';

describe('the bundled vendor list', () => {
  let bundled = new Map<string, KnownAccount>();
  beforeAll(async () => {
    bundled = await loadBundledKnownAccounts();
  });

  it('is the fwdcloudsec snapshot named in NOTICE, byte for byte, plus our additions', () => {
    const snapshot = readFileSync(join(repoRoot, 'data/known-aws-accounts.yaml'), 'utf8');
    expect(snapshot).toBe(readFileSync(join(corpusDir, 'known_aws_accounts/accounts.yaml'), 'utf8'));
    expect(readFileSync(join(repoRoot, 'NOTICE'), 'utf8')).toContain(
      'c2922afb0450f63bad28865ff0784cdaa3a8b4e4',
    );
    const list = parseKnownAccounts(snapshot, 'known-aws-accounts.yaml');
    for (const [id, entry] of list) expect(bundled.get(id)).toEqual(entry);
    expect(bundled.size).toBeGreaterThan(list.size);
  });

  it('names the vendor accounts the list lacks, each with the vendor template as its source', () => {
    expect(bundled.get('232136659152')).toMatchObject({
      name: 'Prowler Cloud',
      source: expect.stringContaining('prowler'),
    });
    expect(bundled.get('417141415827')?.name).toBe('Datadog');
    expect(bundled.get('592277296164')?.name).toBe('JupiterOne');
    expect(bundled.get('878070807337')?.name).toBe('Sysdig');
    expect(bundled.get('464622532012')?.name).toBe('Datadog');
  });

  it('lets a later list win', () => {
    const mine = new Map([['464622532012', { id: '464622532012', name: 'Our Datadog org' }]]);
    expect(mergeKnownAccounts(bundled, mine).get('464622532012')?.name).toBe('Our Datadog org');
  });
});

describe('scan names vendors by default', () => {
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::464622532012:root' }, Action: 'sts:AssumeRole' },
    ],
  });
  const dir = mkdtempSync(join(tmpdir(), 'ta-vendors-'));
  writeFileSync(join(dir, 'trust.json'), policy);
  const names = (extra: string[]) => {
    const { report } = runJson(['scan', 'trust.json', '--account', '123456789012', ...extra], { cwd: dir });
    return report.findings.map((f) => f.message).join('\n');
  };

  it('without any flag', () => {
    expect(names([])).toContain('Datadog (464622532012)');
  });

  it('not with --no-known-accounts', () => {
    expect(names(['--no-known-accounts'])).not.toContain('Datadog');
  });

  it('with a user list that overrides a bundled name', () => {
    writeFileSync(
      join(dir, 'mine.yaml'),
      "- name: 'Monitoring vendor (prod org)'\n  accounts: ['464622532012']\n",
    );
    expect(names(['--known-accounts', 'mine.yaml'])).toContain('Monitoring vendor (prod org) (464622532012)');
  });
});
