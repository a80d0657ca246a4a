/**
 * Every format written in pieces (`piecesOver: 0`, as the CLI always asks) is byte for byte the text it
 * gives in one string, on varied reports; where a golden file exists the pieces match it too; and no
 * piece of a large report is more than a batch of it (no format builds the whole report as one string).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/findings/types.js';
import { reporters } from '../../src/reporters/all.js';
import { FORMAT_NAMES } from '../../src/reporters/index.js';
import type { Report, ReporterOptions, ReportText } from '../../src/reporters/types.js';
import { FIXTURE_FILE, HOSTILE_FILE, loadReport, repoRoot } from './report-fixture.js';
import { scaleReport } from './scale-report.js';

const OPTS: ReporterOptions = {
  color: false,
  generatedAt: '2026-11-28T06:00:00.000Z',
  region: 'eu-west-1',
  account: '111111111111',
};

/** The pieces, read once (they are made as they are read), after checking they did not come whole. */
function pieces(text: ReportText): string[] {
  expect(typeof text).not.toBe('string');
  // Not a list made up front either: a generator, made while it is read.
  expect(Array.isArray(text)).toBe(false);
  return Array.from(text as Iterable<string>);
}

function render(format: string, report: Report, opts: Partial<ReporterOptions> = {}): ReportText {
  return reporters[format]!(report, { ...OPTS, ...opts });
}

/** The scale report with baseline marks, usage evidence, errors, warnings and a not-judged role. */
function variedReport(n: number): Report {
  const r = scaleReport(n);
  const findings: Finding[] = r.findings.map((f, i) => ({
    ...f,
    ...(i % 5 === 1 ? { inBaseline: true } : i % 5 === 2 ? { inBaseline: false } : {}),
    ...(i % 17 === 3
      ? {
          evidence: {
            ...f.evidence,
            usage: { verdict: 'sends-none', calls: 3, externalIds: [], window: { days: 90 } },
          } as unknown as Finding['evidence'],
        }
      : {}),
  }));
  return {
    ...r,
    findings,
    errors: [
      {
        source: 'input',
        code: 'json-syntax',
        file: 'broken.json',
        line: 3,
        column: 9,
        message: 'bad <json> & "quotes"',
      },
      {
        source: 'aws',
        code: 'access-denied',
        account: '123456789012',
        message: 'iam:ListRoles denied\u2028',
      },
    ],
    warnings: [
      { source: 'config', code: 'expired-suppression', message: 'a suppression expired on 2026-01-01' },
      {
        source: 'terraform',
        code: 'role-not-judged',
        file: 'main.tf',
        line: 4,
        message: 'trust unknown until apply',
      },
    ],
    summary: {
      ...r.summary,
      complete: false,
      errors: 2,
      rolesNotJudged: 1,
      baseline: { new: 10, inBaseline: 5 },
    },
  };
}

const empty = (): Report => ({
  ...loadReport(FIXTURE_FILE),
  findings: [],
  roles: [],
  errors: [],
  warnings: [],
});
const noRoles = (): Report => {
  const { roles: _roles, ...rest } = loadReport(HOSTILE_FILE);
  return rest;
};

const REPORTS: [name: string, make: () => Report][] = [
  ['the TA001 fixture', () => loadReport(FIXTURE_FILE)],
  ['the hostile report', () => loadReport(HOSTILE_FILE)],
  ['a report without roles', noRoles],
  ['an empty report', empty],
  ['600 findings with baseline, usage, errors and warnings', () => variedReport(600)],
];

describe('every format: the pieces joined are the whole text', () => {
  for (const format of FORMAT_NAMES) {
    it(`${format}`, () => {
      for (const [name, make] of REPORTS) {
        const report = make();
        const whole = render(format, report);
        expect(typeof whole, `${format}, ${name}`).toBe('string');
        expect(pieces(render(format, report, { piecesOver: 0 })).join(''), `${format}, ${name}`).toBe(whole);
      }
    });
  }

  it('text with colour and --verbose, too', () => {
    for (const [, make] of REPORTS) {
      const report = make();
      const opts = { color: true, verbose: true };
      const whole = render('text', report, opts);
      expect(pieces(render('text', report, { ...opts, piecesOver: 0 })).join('')).toBe(whole);
    }
  });
});

describe('the golden files, written in pieces', () => {
  const GOLDEN: [format: string, file: string][] = [
    ['html', 'fixture.html'],
    ['csv', 'fixture.csv'],
    ['junit', 'fixture.junit.xml'],
    ['markdown', 'fixture.md'],
    ['asff', 'fixture.asff.json'],
  ];
  for (const [format, file] of GOLDEN) {
    it(`${format} matches __snapshots__/${file}`, () => {
      const golden = readFileSync(resolve(repoRoot, 'test/reporters/__snapshots__', file), 'utf8');
      expect(pieces(render(format, loadReport(FIXTURE_FILE), { piecesOver: 0 })).join('')).toBe(golden);
    });
  }
});

describe('a large report is never one string', () => {
  // 12,000 findings on 5,455 roles: each format's text is megabytes; a piece is at most a batch of it.
  const report = variedReport(12_000);
  for (const format of FORMAT_NAMES) {
    it(`${format}: the largest piece is a small part of the whole`, () => {
      const list = pieces(render(format, report, { piecesOver: 0 }));
      const total = list.reduce((n, p) => n + p.length, 0);
      const largest = Math.max(...list.map((p) => p.length));
      if (format === 'markdown') {
        // A pull-request comment: bounded by GitHub's limit whatever the report's size.
        expect(total).toBeLessThanOrEqual(65_536);
        return;
      }
      expect(total).toBeGreaterThan(1_500_000);
      expect(largest).toBeLessThan(Math.min(total / 8, 1_500_000));
    });
  }
});
