/**
 * Usage evidence through the built CLI (`npx tsc -p tsconfig.build.json` first): `scan --cloudtrail` shows
 * it in the text report with `--verbose`, a hint without, and in the HTML, Markdown and CSV reports.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const FIX = 'test/fixtures/cloudtrail';
// The fixtures' events are dated November 2026: a window of 100 years keeps them in it whenever the test runs.
const SCAN = [
  'scan',
  `${FIX}/account-export.json`,
  '--cloudtrail',
  `${FIX}/org`,
  '--cloudtrail',
  `${FIX}/plain`,
  '--usage-days',
  '36500',
];

describe('usage evidence in the reports (built CLI)', () => {
  it('text --verbose: a usage block under each finding and the caveat once', () => {
    const r = runCli([...SCAN, '--verbose']);
    expect(r.code).toBe(1);
    const out = r.stdout;
    expect(out).toMatch(
      /^ {6}usage: last 36500 days, \S+ to \S+; read: CloudTrail log files under test\/fixtures\/cloudtrail\/org; CloudTrail log files under test\/fixtures\/cloudtrail\/plain$/m,
    );
    expect(out).toContain('        RoleLastUsed: 2026-11-22T09:00:00.000Z in us-east-1\n');
    expect(out).toContain('        RoleLastUsed: never used (IAM has no record of a use)\n');
    expect(out).toContain(
      '        999988887777  safe to enforce: 4 calls, first 2026-11-20T08:00:00.000Z, last 2026-11-22T08:00:00.000Z; ids "vendor-id-1" ×4; 0 without id; 0 with MFA; 1 denied (AccessDenied ×1). Require sts:ExternalId "vendor-id-1" for 999988887777',
    );
    expect(out).toContain('        444455556666  sends none: 2 calls, ');
    expect(out).toContain('; ids none; 2 without id; 1 with MFA. ');
    expect(out).toContain('        777788889999  sends several ids: 3 calls, ');
    expect(out).toContain('ids "second-id" ×2, "first-id" ×1');
    expect(out).toContain(
      '        222233334444  unused in window: 0 calls; ids none; 0 without id; 0 with MFA. ',
    );
    expect(out.match(/^Usage: No events is never proof of no use/gm)).toHaveLength(1);
  });

  it('text without --verbose: one line per finding, with a short usage hint', () => {
    const out = runCli(SCAN).stdout;
    const lines = out.split('\n').filter((l) => l.startsWith('  MEDIUM   TA001'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      / \[usage: 1 safe to enforce, 1 sends several ids, 1 sends none, 1 unused in window\]$/,
    );
    expect(lines[1]).toMatch(/ \[usage: unused in window\]$/);
    expect(out).not.toContain('RoleLastUsed');
  });

  it('HTML: a Usage column with the verdicts and the usage data for the detail panel', () => {
    const html = runCli([...SCAN, '--format', 'html']).stdout;
    expect(html).toContain('<table id="findings-table" class="has-usage">');
    expect(html).toContain(
      '<span class="uv uv-safe-to-enforce">safe to enforce</span> <span class="muted">999988887777</span>',
    );
    expect(html).toContain('"uv":["unused-in-window","sends-none","sends-several-ids","safe-to-enforce"]');
    expect(html).toContain('"ids":[["vendor-id-1",4]]');
  });

  it('Markdown and CSV: the verdict per third party', () => {
    const md = runCli([...SCAN, '--format', 'markdown']).stdout;
    expect(md).toContain(
      '- Usage: 222233334444 unused in window; 444455556666 sends none; 777788889999 sends several ids; 999988887777 safe to enforce "vendor-id-1"\n',
    );
    const csv = runCli([...SCAN, '--format', 'csv']).stdout;
    expect(csv).toContain('Usage: 222233334444 unused in window.');
  });
});
