/** The HTML report's header through the real CLI: the command as typed, and the accounts it was given. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('html report header (real CLI)', () => {
  it('names the command with its options, the owner account and your accounts', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ta-html-')), 'r.html');
    const r = runCli([
      'scan',
      'examples/policies',
      '--account',
      '123456789012',
      '--trusted-account',
      '210987654321',
      '--format',
      'html',
      '-o',
      out,
    ]);
    expect(r.code).toBe(1);
    const html = readFileSync(out, 'utf8');
    const cmd = /<code id="scan-command">([^<]*)<\/code>/.exec(html)?.[1];
    expect(cmd).toBe(
      `trustaudit scan examples/policies --format html --output ${out} --account 123456789012 --trusted-account 210987654321`,
    );
    expect(html).toContain('<dt>Owner account</dt><dd>123456789012</dd>');
    expect(html).toMatch(/<dt>Your accounts<\/dt><dd>210987654321/);
  });
});
