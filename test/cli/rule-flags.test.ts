import { describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';

/** Rule selection and the display filter, through the real CLI on the bundled examples. */
const EXAMPLES = ['scan', 'examples/', '--account', '123456789012'];
const ruleIds = (extra: string[]) =>
  [...new Set(runJson([...EXAMPLES, ...extra]).report.findings.map((f) => f.ruleId))].sort();

describe('scan rule flags', () => {
  it('--rules runs only the named rules', () => {
    const all = ruleIds([]);
    expect(all.length).toBeGreaterThan(2);
    expect(ruleIds(['--rules', 'TA001,TA003'])).toEqual(all.filter((id) => id === 'TA001' || id === 'TA003'));
  });

  it('--skip-rules leaves the named rules out, repeatable', () => {
    const skipped = ruleIds(['--skip-rules', 'TA002', '--skip-rules', 'ta003']);
    expect(skipped).not.toContain('TA002');
    expect(skipped).not.toContain('TA003');
    expect(skipped).toContain('TA001');
  });

  it.each([
    [
      ['--rule', 'TA001=foo'],
      '--rule TA001=foo: the setting must be off, on, or a severity (info, low, medium, high, critical)',
    ],
    [['--rule', 'TA999=off'], '--rule: unknown rule "TA999"; the rules are TA000, TA001, TA002'],
    [['--rules', 'TA001,XX1'], '--rules: unknown rule "XX1"; the rules are TA000, TA001, TA002'],
    [['--skip-rules', 'TA02'], '--skip-rules: unknown rule "TA02"; the rules are TA000, TA001, TA002'],
  ])('%j is a usage error that says why', (flags, message) => {
    const r = runCli([...EXAMPLES, ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('--severity shows only findings at or above it and counts the rest in a warning', () => {
    const all = runJson(EXAMPLES).report;
    const { report } = runJson([...EXAMPLES, '--severity', 'high']);
    const hidden = all.findings.filter((f) => f.severity !== 'high' && f.severity !== 'critical').length;
    expect(hidden).toBeGreaterThan(0);
    expect(report.findings.every((f) => f.severity === 'high' || f.severity === 'critical')).toBe(true);
    expect(report.findings.length).toBe(all.findings.length - hidden);
    expect(report.warnings.map((w) => w.message)).toContain(
      `${hidden} finding(s) below high are not shown (--severity high)`,
    );
  });
});
