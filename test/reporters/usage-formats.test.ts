/**
 * Usage evidence (`evidence.usage`) in the text, HTML, Markdown and CSV reports: shown, and every value
 * from a log (external ids are attacker-controlled text) cut and made inert in each format.
 */
import { describe, expect, it } from 'vitest';
import { csvReporter } from '../../src/reporters/csv.js';
import { renderHtml } from '../../src/reporters/html.js';
import { renderMarkdown } from '../../src/reporters/markdown.js';
import { textReporter } from '../../src/reporters/text.js';
import { type ReporterOptions, wholeText } from '../../src/reporters/types.js';
import { FIXTURE_FILE, loadReport } from './report-fixture.js';
import { BIDI_ID, HTML_ID, LONG_ID, usageReport } from './usage-report.js';

const OPTS: ReporterOptions = { color: false, generatedAt: '2026-11-28T06:00:00.000Z' };
const text = (verbose: boolean, piecesOver?: number) =>
  wholeText(
    textReporter(usageReport(), { ...OPTS, verbose, ...(piecesOver !== undefined ? { piecesOver } : {}) }),
  );

describe('text report: usage evidence', () => {
  it('--verbose shows the window, sources, RoleLastUsed, a line per third party and notRead', () => {
    const out = text(true);
    expect(out).toContain(
      '      usage: last 90 days, 2026-09-01T00:00:00.000Z to 2026-11-30T00:00:00.000Z; read: CloudTrail log files under logs/',
    );
    expect(out).toContain('        RoleLastUsed: 2026-11-22T09:00:00.000Z in eu-west-1');
    expect(out).toContain('        RoleLastUsed: never used (IAM has no record of a use)');
    const line = out.split('\n').find((l) => l.startsWith('        464622532012  sends several ids: '));
    expect(line).toBeDefined();
    expect(line).toContain(
      '7 calls, first 2026-10-01T08:00:00.000Z, last 2026-11-22T08:00:00.000Z; ids "\\u001b]0;owned\\u0007\\u001b[2J" ×3, ',
    );
    expect(line).toContain('0 without id; 1 with MFA; 2 denied (AccessDenied ×2).');
    expect(line).toContain('ask the third party.');
    expect(out).toContain(
      '        333333333333  safe to enforce: 4 calls, first 2026-11-20T08:00:00.000Z, last 2026-11-21T08:00:00.000Z; ids "partner-id-1" ×4; 0 without id; 0 with MFA. Require sts:ExternalId "partner-id-1"',
    );
    expect(out).toContain('        not read: Regions us-west-2 were not read.');
  });

  it('--verbose prints the caveat once for the report, not per finding', () => {
    const out = text(true);
    expect(out.split('No events is never proof of no use (test caveat).').length - 1).toBe(1);
    expect(out).toContain('Usage: No events is never proof of no use (test caveat).');
  });

  it('external ids from the logs are cut and inert: no control character, bidi override or 5,000-character id', () => {
    const out = text(true);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for terminal control characters.
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(out).not.toContain(BIDI_ID);
    expect(out).toContain('safe\\u202eevil');
    expect(out).not.toContain(LONG_ID.slice(0, 300));
    expect(out).toMatch(/L{256}…\[4744 more characters\]/);
    // At most five ids are quoted per third party; here all four are, in order of use.
    expect(out).toContain(`"${HTML_ID.replace(/"/g, '\\"')}" ×2`);
  });

  it('without --verbose, one short hint on the finding line, and still one line per finding', () => {
    const out = text(false);
    const lines = out.split('\n');
    const datadog = lines.filter((l) => l.includes('TA001') && l.includes('464622532012'));
    expect(datadog).toHaveLength(1);
    expect(datadog[0]).toMatch(/ \[usage: sends several ids\]$/);
    const partner = lines.filter((l) => l.includes('TA001') && l.includes('333333333333'));
    expect(partner[0]).toMatch(/ \[usage: safe to enforce "partner-id-1"\]$/);
    expect(out).not.toContain('RoleLastUsed');
    expect(out).not.toContain('test caveat');
  });

  it('streamed and whole text are the same', () => {
    expect(text(true, 0)).toBe(text(true));
    expect(text(false, 0)).toBe(text(false));
  });
});

describe('HTML report: usage evidence', () => {
  const html = renderHtml(usageReport(), OPTS);

  it('adds a Usage column with the verdict per third party, escaped', () => {
    expect(html).toContain('<table id="findings-table" class="has-usage">');
    expect(html).toMatch(
      /<th data-col="7" data-type="text"><button type="button">Usage<\/button><\/th><th><\/th>/,
    );
    expect(html).toContain(
      '<td><span class="uv uv-safe-to-enforce">safe to enforce</span> <span class="muted">333333333333</span></td>',
    );
    expect(html).toContain('<td class="muted">none</td>');
  });

  it('puts the usage data in the data block with every hostile id escaped, and the filter and panel in the script', () => {
    expect(html).not.toContain(HTML_ID);
    expect(html).not.toContain('<img');
    expect(html).toContain('\\u003cimg src=x onerror=\\"alert(1)\\"\\u003e');
    expect(html).toContain('"uv":["sends-several-ids"]');
    expect(html).toContain('"uv":["no usage evidence"]');
    expect(html).toContain("key: 'verdict', title: 'Usage verdict'");
    expect(html).toContain("section('Usage')");
    // The long id is cut to the message-length budget.
    expect(html).not.toContain('L'.repeat(300));
    expect(html).toMatch(/L{256}…\[4744 more characters\]/);
  });

  it('a report without usage gets none of it', () => {
    const plain = renderHtml(loadReport(FIXTURE_FILE), OPTS);
    expect(plain).not.toContain('has-usage');
    expect(plain).not.toContain('Usage verdict');
    expect(plain).not.toContain('"uv":');
  });
});

describe('Markdown and CSV: the verdict per third party', () => {
  it('Markdown: one "Usage" line in the finding details, escaped', () => {
    const md = renderMarkdown(usageReport());
    expect(md).toContain('- Usage: 333333333333 safe to enforce "partner-id-1"\n');
    expect(md).toContain('- Usage: 464622532012 sends several ids\n');
    expect(renderMarkdown(loadReport(FIXTURE_FILE))).not.toContain('- Usage:');
  });

  it('CSV: the verdicts end the evidence cell (no new column)', () => {
    const csv = wholeText(csvReporter(usageReport(), OPTS));
    const partner = csv.split('\r\n').find((l) => l.includes('PartnerDeploy'));
    expect(partner).toContain('Usage: 333333333333 safe to enforce ""partner-id-1"".');
    const header = csv.split('\r\n')[0];
    expect(header).toBe(wholeText(csvReporter(loadReport(FIXTURE_FILE), OPTS)).split('\r\n')[0]);
  });
});
