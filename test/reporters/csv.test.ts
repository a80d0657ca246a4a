import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvField, csvReporter, guardFormula } from '../../src/reporters/csv.js';
import { wholeText } from '../../src/reporters/types.js';
import { FIXTURE_FILE, HOSTILE_FILE, loadReport, PAYLOADS } from './report-fixture.js';

const opts = { color: false };

describe('csv reporter', () => {
  it('round-trips through csv-parse: header, one row per finding, values intact', () => {
    const report = loadReport(FIXTURE_FILE);
    const rows = parse(wholeText(csvReporter(report, opts)), {
      bom: false,
      relax_column_count: false,
    }) as string[][];
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(report.findings.length + 1);
    const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    report.findings.forEach((f, i) => {
      const row = rows[i + 1]!;
      expect(row[col('fingerprint')]).toBe(f.fingerprint);
      expect(row[col('message')]).toBe(f.message);
      expect(row[col('role')]).toBe(f.resource.name);
      expect(row[col('status')]).toBe(f.suppressed ? 'suppressed' : f.inBaseline ? 'baseline' : 'open');
    });
  });

  it('hostile values survive the round trip, with formulas neutralised', () => {
    const report = loadReport(HOSTILE_FILE);
    const text = wholeText(csvReporter(report, opts));
    const rows = parse(text) as string[][];
    expect(rows).toHaveLength(report.findings.length + 1);
    const roleCol = CSV_COLUMNS.indexOf('role');
    const names = rows.slice(1).map((r) => r[roleCol]);
    expect(names).toContain(`'${PAYLOADS.formula}`);
    expect(names).toContain(`evil${PAYLOADS.script}`);
    // No cell may start with a formula trigger after parsing.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  const guardCases: [name: string, input: string, expected: string][] = [
    ['equals', '=1+1', "'=1+1"],
    ['plus', '+cmd', "'+cmd"],
    ['minus', '-2+3', "'-2+3"],
    ['at', '@SUM(A1)', "'@SUM(A1)"],
    ['tab', '\t=1', "'\t=1"],
    ['carriage return', '\r=1', "'\r=1"],
    ['plain', 'role-name', 'role-name'],
    ['inner equals', 'a=b', 'a=b'],
    ['empty', '', ''],
  ];
  it.each(guardCases)('formula guard: %s', (_n, input, expected) => {
    expect(guardFormula(input)).toBe(expected);
  });

  const quoteCases: [name: string, input: string, expected: string][] = [
    ['comma', 'a,b', '"a,b"'],
    ['quote', 'say "hi"', '"say ""hi"""'],
    ['newline', 'a\nb', '"a\nb"'],
    ['crlf', 'a\r\nb', '"a\r\nb"'],
    ['plain', 'abc', 'abc'],
    ['formula with comma', '=A1,B1', `"'=A1,B1"`],
  ];
  it.each(quoteCases)('RFC 4180 quoting: %s', (_n, input, expected) => {
    expect(csvField(input)).toBe(expected);
  });

  it('ends every record with CRLF', () => {
    const text = wholeText(csvReporter(loadReport(FIXTURE_FILE), opts));
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
  });
});
