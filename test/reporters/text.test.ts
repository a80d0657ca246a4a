import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/findings/types.js';
import { textReporter } from '../../src/reporters/text.js';
import { type Report, wholeText } from '../../src/reporters/types.js';
import { FIXTURE_FILE, loadReport } from './report-fixture.js';
import { scaleReport } from './scale-report.js';

const plain = (r: Report, verbose = false) => wholeText(textReporter(r, { color: false, verbose }));

describe('text reporter: one line per finding', () => {
  it('prints each finding on one line under its role, the location once per role', () => {
    const report = loadReport(FIXTURE_FILE);
    const out = plain(report);
    for (const f of report.findings) {
      const line = out.split('\n').find((l) => l.includes(f.evidence.summary));
      expect(line, f.evidence.summary).toBeDefined();
      expect(line).toMatch(new RegExp(`^ {2}${f.severity.toUpperCase()}\\s+${f.ruleId} {2}`));
    }
    // The vendor name from the known-accounts list, not only the id.
    expect(out).toMatch(/TA001 {2}Datadog \(464622532012\) {2}No effective external ID/);
    // The role header carries the location; finding lines do not repeat it.
    expect(out).toMatch(
      /^DatadogIntegration {2}infra\/datadog\.json:1:1 {2}arn:aws:iam::111111111111:role\/DatadogIntegration$/m,
    );
    expect(out.match(/infra\/datadog\.json/g)).toHaveLength(1);
    // No evidence, request or fix without --verbose.
    expect(out).not.toMatch(/fix:|allowed:|has no condition on sts:ExternalId/);
    expect(out).toMatch(/Give --verbose for the evidence/);
  });

  it('--verbose adds the evidence, the allowed request and the fix under each finding', () => {
    const report = loadReport(FIXTURE_FILE);
    const out = plain(report, true);
    const f = report.findings[0]!;
    expect(out).toContain(`      - ${f.evidence.details[0]}`);
    expect(out).toContain(`      allowed: ${f.evidence.request?.action} by ${f.evidence.request?.principal}`);
    expect(out).toContain(`      fix: ${f.remediation.summary}`);
    expect(out.match(/ fix: /g)).toHaveLength(report.findings.length);
    expect(out).not.toMatch(/Give --verbose/);
  });

  it('ends with the summary by rule and by vendor', () => {
    const out = plain(loadReport(FIXTURE_FILE));
    expect(out).toMatch(/Findings by rule:\n {2}TA001 {2}\d+ {2}Third-party account can assume the role/);
    expect(out).toMatch(/Third parties that can get in:\n {2}Datadog \(464622532012\): /);
    expect(out).toMatch(/\d+ findings? \(.*\) in \d+ roles? from \d+ inputs?\./);
  });

  it('says once, not per finding, that the owner account is unknown', () => {
    const report = loadReport(FIXTURE_FILE);
    const note =
      'The account that owns this role is not known, so every account principal is treated as a possible third party (give the owner with --account or "account" in the config).';
    report.findings = report.findings.map(
      (f): Finding => ({
        ...f,
        evidence: { ...f.evidence, ownerKnown: false, details: [...f.evidence.details, note] },
      }),
    );
    expect(report.findings.length).toBeGreaterThan(1);
    for (const verbose of [false, true]) {
      const out = plain(report, verbose);
      expect(out.match(/--account/g), `verbose ${verbose}`).toHaveLength(1);
      expect(out).toMatch(/^Note: the account that owns \d+ of the roles above is not known/m);
    }
  });

  it('stays about one line per finding at 500 findings (it used to be ten)', () => {
    const report = scaleReport(500);
    const lines = plain(report).split('\n').length;
    expect(lines).toBeLessThan(500 * 2 + 100);
    expect(plain(report, true).split('\n').length).toBeGreaterThan(500 * 4);
  });

  it('keeps hostile text inert on the one-line form too', () => {
    const report = loadReport(FIXTURE_FILE);
    const f = report.findings[0]!;
    report.findings[0] = {
      ...f,
      evidence: { ...f.evidence, summary: 'evil\u001b]0;pwned\u0007\nNEXT' },
      principals: [{ ...f.principals[0]!, accountName: 'Ven\u001b[2Jdor' }],
    };
    const out = plain(report);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for raw escapes on purpose
    expect(out).not.toMatch(/\u001b|\u0007/);
    expect(out).not.toMatch(/^NEXT/m);
  });
});
