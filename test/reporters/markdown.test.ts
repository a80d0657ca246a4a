import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/findings/types.js';
import { GITHUB_COMMENT_LIMIT, htmlText, mdText, renderMarkdown } from '../../src/reporters/markdown.js';
import { FIXTURE_FILE, HOSTILE_FILE, loadReport, PAYLOADS } from './report-fixture.js';

describe('markdown reporter', () => {
  it('lists open findings only, most severe first, and counts the others', () => {
    const report = loadReport(FIXTURE_FILE);
    report.findings[3]!.severity = 'critical';
    const md = renderMarkdown(report);
    const rows = md.split('\n').filter((l) => l.startsWith('<details><summary>'));
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
    const shown = md.split('\n').filter((l) => l.startsWith('<details><summary>')).length;
    expect(md.split('\n').filter((l) => l === '</details>')).toHaveLength(shown);
    expect(shown).toBeGreaterThan(50);
    expect(md).toContain(`${10_000 - shown} more findings not shown`);
  });

  it('gives each finding its short reason on a summary line that opens on its details and fix', () => {
    const report = loadReport(FIXTURE_FILE);
    const md = renderMarkdown(report);
    const f = report.findings.find((x) => x.resource.name === 'PartnerDeploy')!;
    const block = /<details><summary>[^\n]*PartnerDeploy[^\n]*<\/summary>\n\n([\s\S]*?)\n\n<\/details>/.exec(
      md,
    );
    expect(block?.[0]).toContain(htmlText(f.evidence.summary, 240));
    expect(block?.[1]).toContain(`- Location: ${mdText('infra/partner.json:1:1')}`);
    expect(block?.[1]).toContain(`  - ${mdText(f.evidence.details[0]!, 300)}`);
    expect(block?.[1]).toContain(`- Fix: ${mdText(f.remediation.summary, 400)}`);
  });

  it('htmlText: markup, Markdown, mentions and links are inert in a summary line', () => {
    expect(htmlText('<b>*x*</b> @team http://e [l](u)')).toBe(
      '&#60;b&#62;&#42;x&#42;&#60;/b&#62; @\u200bteam http:\u200b//e &#91;l&#93;&#40;u&#41;',
    );
  });

  it('small reports carry no truncation note', () => {
    expect(renderMarkdown(loadReport(FIXTURE_FILE))).not.toContain('not shown');
  });

  it('hostile names cannot inject HTML, links, mentions or table cells', () => {
    const md = renderMarkdown(loadReport(HOSTILE_FILE));
    expect(md).not.toMatch(/<script|<img|<svg|<!--/i);
    // Raw HTML only where the reporter writes it: the details blocks and their summary lines.
    const tags = [...md.matchAll(/<\/?([a-z]+)/gi)].map((m) => m[1]!.toLowerCase());
    expect(new Set(tags)).toEqual(new Set(['details', 'summary', 'b', 'sub']));
    expect(md.match(/<details>/g)?.length).toBe(md.match(/<\/details>/g)?.length);
    expect(md).toContain(htmlText(`evil${PAYLOADS.script}`, 120));
    expect(md).not.toMatch(/@(?!\u200b)\w/);
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
