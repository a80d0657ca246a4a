import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/findings/types.js';
import { GITHUB_COMMENT_LIMIT, mdText, renderMarkdown } from '../../src/reporters/markdown.js';
import { FIXTURE_FILE, HOSTILE_FILE, loadReport, PAYLOADS } from './report-fixture.js';

describe('markdown reporter', () => {
  it('lists open findings only, most severe first, and counts the others', () => {
    const report = loadReport(FIXTURE_FILE);
    report.findings[3]!.severity = 'critical';
    const md = renderMarkdown(report);
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && l.includes('TA001'));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain('critical');
    expect(md).not.toContain('LegacyAuditor');
    expect(md).not.toContain('KnownPartner');
    expect(md).toContain('Not counted: 1 suppressed, 1 already in the baseline.');
    expect(md).toContain('The scan is incomplete');
  });

  it('stays under the GitHub comment limit with 10,000 findings and says how many were left out', () => {
    const report = loadReport(FIXTURE_FILE);
    const base = report.findings[0]!;
    const many: Finding[] = Array.from({ length: 10_000 }, (_, i) => ({
      ...base,
      fingerprint: `fp${i}`,
      resource: { ...base.resource, name: `Role${i}-${'n'.repeat(40)}` },
    }));
    const md = renderMarkdown({ ...report, findings: many });
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    const shown = md.split('\n').filter((l) => l.includes('| TA001 |')).length;
    expect(shown).toBeGreaterThan(50);
    expect(md).toContain(`${10_000 - shown} more findings not shown`);
  });

  it('small reports carry no truncation note', () => {
    expect(renderMarkdown(loadReport(FIXTURE_FILE))).not.toContain('not shown');
  });

  it('hostile names cannot inject HTML, links, mentions or table cells', () => {
    const md = renderMarkdown(loadReport(HOSTILE_FILE));
    expect(md).not.toMatch(/<script|<img|<svg|<!--/i);
    for (const line of md.split('\n').filter((l) => l.startsWith('| ') && l.includes('TA001'))) {
      // Unescaped pipes delimit cells: exactly 7 per row.
      expect(line.replace(/\\\|/g, '').split('|').length - 1).toBe(7);
    }
    expect(md).toContain(mdText(`evil${PAYLOADS.script}`, 120));
  });

  const cases: [name: string, input: string, expected: string][] = [
    ['pipe', 'a|b', 'a\\|b'],
    ['html', '<b>x</b>', '&lt;b&gt;x&lt;/b&gt;'],
    ['link', '[x](http://e)', '\\[x\\]\\(http:\u200b//e\\)'],
    ['mention', '@org/team', '@\u200borg/team'],
    ['newline', 'a\nb', 'a b'],
    ['emphasis', '*a* _b_', '\\*a\\* \\_b\\_'],
  ];
  it.each(cases)('mdText: %s', (_n, input, expected) => {
    expect(mdText(input)).toBe(expected);
  });
});
