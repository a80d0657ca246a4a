/**
 * Issue 11 item 2 (message-length budget): a 5 MB Sid or role name is quoted in messages cut to the
 * `message-length` budget with a visible marker, in every format. The old code put the whole value in
 * every message (a 20 MB Sid gave a 63 MB SARIF with a 20 MB message).
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boundId, boundText } from '../../src/findings/bounded-text.js';
import { runCli } from '../helpers/cli.js';
import { dirWith, FILES, FORMATS, template } from './output-helpers.js';

const LONG = 5 * 1024 * 1024;
const MARKER = /…\[\d+ more characters\]/;

describe('long input text is cut in messages', () => {
  it('a 5 MB Sid and a 5 MB role name: every format stays small, with the marker', () => {
    const sid = `S${'a'.repeat(LONG)}`;
    const roleName = `R${'b'.repeat(LONG)}`;
    const dir = dirWith({ 'stack.json': template([{ logicalId: 'Vendor', roleName, sid }]) });
    const r = runCli(
      [
        'scan',
        'stack.json',
        '--account',
        '123456789012',
        '--no-db',
        '--format',
        FORMATS,
        '--output-dir',
        'out',
      ],
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(1);
    for (const [format, file] of Object.entries(FILES)) {
      const size = statSync(join(dir, 'out', file)).size;
      // The HTML page shows the trust policy itself, once. A corrected policy this large could never be
      // applied and is left out; no format repeats the values in its messages.
      const bound = format === 'html' ? 1.5 * LONG + 1024 * 1024 : 256 * 1024;
      expect(size, `${format}: ${size} bytes`).toBeLessThan(bound);
    }
    const sarif = JSON.parse(readFileSync(join(dir, 'out', FILES.sarif!), 'utf8')) as {
      runs: { results: { message: { text: string } }[] }[];
    };
    const message = sarif.runs[0]?.results[0]?.message.text ?? '';
    expect(message.length).toBeLessThan(2000);
    expect(message).toMatch(MARKER);
    const json = JSON.parse(readFileSync(join(dir, 'out', FILES.json!), 'utf8')) as {
      findings: {
        message: string;
        statement?: { sid?: string };
        resource: { name: string };
        fingerprint: string;
      }[];
    };
    const f = json.findings[0];
    expect(f?.message).toMatch(MARKER);
    expect(f?.message.length).toBeLessThan(2000);
    expect(f?.statement?.sid).toMatch(MARKER);
    expect(f?.statement?.sid?.length).toBeLessThan(400);
    expect(f?.resource.name.length).toBeLessThan(400);
    const text = readFileSync(join(dir, 'out', FILES.text!), 'utf8');
    expect(text).toMatch(MARKER);
  }, 120_000);

  it('--limit message-length sets the cut', () => {
    const sid = `Sid${'x'.repeat(100)}`;
    const dir = dirWith({ 'stack.json': template([{ logicalId: 'Vendor', roleName: 'vendor', sid }]) });
    const r = runCli(
      [
        'scan',
        'stack.json',
        '--account',
        '123456789012',
        '--no-db',
        '--format',
        'json',
        '--limit',
        'message-length=20',
      ],
      { cwd: dir },
    );
    const report = JSON.parse(r.stdout) as { findings: { message: string; statement?: { sid?: string } }[] };
    expect(report.findings[0]?.statement?.sid).toBe(`Sid${'x'.repeat(17)}…[83 more characters]`);
    expect(report.findings[0]?.message).toContain(`Sid${'x'.repeat(17)}…[83 more characters]`);
    expect(report.findings[0]?.message).not.toContain('x'.repeat(18));
  });

  it('cut values keep their identity: the marker of an id names a hash of the whole value', () => {
    const a = `${'r'.repeat(300)}a`;
    const b = `${'r'.repeat(300)}b`;
    expect(boundText(a, 256)).toBe(boundText(b, 256));
    expect(boundId(a, 256)).not.toBe(boundId(b, 256));
    expect(boundId(a, 256)).toMatch(/^r{256}…\[45 more characters\]\[sha256 [0-9a-f]{16}\]$/);
    expect(boundId('short', 256)).toBe('short');
    // A surrogate pair is never split.
    expect(boundText(`${'x'.repeat(9)}😀😀`, 10)).toBe(`${'x'.repeat(9)}…[4 more characters]`);
  });
});
