import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/**
 * Notes on standard error quote paths from the scanned tree (the config file a scan picked up, a
 * report it wrote): a folder name the attacker chose must not reach the terminal as escape sequences.
 */
it('the config note names a hostile folder without its control characters', () => {
  const base = mkdtempSync(join(tmpdir(), 'ta-stderr-'));
  const evil = join(base, 'repo\u001b]0;owned\u0007\u001b[2J');
  mkdirSync(join(evil, '.git'), { recursive: true });
  writeFileSync(join(evil, 'trustaudit.config.yaml'), 'trustedAccounts: ["111111111111"]\n');
  writeFileSync(
    join(evil, 'trust.json'),
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    }),
  );
  const r = runCli([
    'scan',
    evil,
    '--account',
    '123456789012',
    '--format',
    'json',
    '--output',
    join(evil, 'out.json'),
  ]);
  expect(r.stderr).toContain('trustaudit.config.yaml');
  expect(r.stderr).toContain('\\x1b]0;owned\\x07');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters
  expect(r.stderr).not.toMatch(/[\u001b\u0007]/);
});
