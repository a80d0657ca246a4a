/**
 * Issue 11 item 5 (CSV, Markdown, HTML): values from the input cannot become spreadsheet formulas,
 * Markdown links, mentions or table cells, or HTML markup.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvField, guardFormula } from '../../src/reporters/csv.js';
import { mdText } from '../../src/reporters/markdown.js';
import { runCli } from '../helpers/cli.js';
import { dirWith, template } from './output-helpers.js';

function scan(roles: Parameters<typeof template>[0], formats: string): string {
  const dir = dirWith({ 'stack.json': template(roles) });
  const r = runCli(
    [
      'scan',
      'stack.json',
      '--account',
      '123456789012',
      '--no-db',
      '--format',
      formats,
      '--output-dir',
      'out',
    ],
    { cwd: dir },
  );
  expect(r.code, r.stderr).toBe(1);
  return dir;
}

/** RFC 4180 cells of a CSV text (quoted fields may hold commas, quotes and line breaks). */
function csvCells(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

const FORMULAS = [
  '=HYPERLINK("https://evil.example","x")',
  '+1+cmd',
  '-2+3',
  '@SUM(A1)',
  '\tcmd',
  '\rcmd',
  ' =1+1',
  '\u00a0=1+1',
];

describe('CSV cells cannot run as formulas', () => {
  it('a cell starting with = + - @ tab or CR (also after leading spaces) is prefixed with a quote', () => {
    for (const f of FORMULAS) expect(guardFormula(f).startsWith("'"), JSON.stringify(f)).toBe(true);
    expect(guardFormula('Vendor')).toBe('Vendor');
    expect(guardFormula('2 statements')).toBe('2 statements');
    expect(csvField('=1,2')).toBe(`"'=1,2"`);
  });

  it('through the CLI: role names and Sids that look like formulas are inert in every cell', () => {
    const roles = FORMULAS.map((f, i) => ({ logicalId: `R${i}`, roleName: f, sid: `${f}` }));
    const dir = scan(roles, 'csv');
    const rows = csvCells(readFileSync(join(dir, 'out/trustaudit.csv'), 'utf8'));
    // One TA001 finding per role, and a TA000 finding for each invalid Sid.
    expect(rows.length).toBeGreaterThan(FORMULAS.length);
    expect(rows.slice(1).filter((r) => r[1] === 'TA001')).toHaveLength(FORMULAS.length);
    for (const row of rows.slice(1)) {
      for (const cell of row) expect(/^[\s\u00a0]*[=+\-@\t\r]/.test(cell), JSON.stringify(cell)).toBe(false);
    }
  });
});

describe('Markdown cells are inert', () => {
  it('pipes, backticks, links, images, HTML, mentions and autolinks are escaped', () => {
    const s = mdText('a|b `code` [x](https://evil.example) ![i](y) <b>h</b> @team www.evil.example');
    expect(s).not.toMatch(/(^|[^\\])\|/);
    expect(s).not.toMatch(/(^|[^\\])`/);
    expect(s).not.toMatch(/(^|[^\\])\[/);
    expect(s).not.toContain('<b>');
    expect(s).not.toContain('@team');
    expect(s).not.toContain('www.evil');
    expect(s).not.toContain('https://');
  });

  it('through the CLI: a role name with table and link syntax stays inert', () => {
    const dir = scan(
      [{ logicalId: 'R', roleName: 'a|b|c`x`[click](https://evil.example)www.evil.example', sid: 'S' }],
      'markdown',
    );
    const md = readFileSync(join(dir, 'out/trustaudit.md'), 'utf8');
    // The finding's summary line is raw HTML: every character Markdown or HTML reads is a character reference.
    const summary = md.split('\n').find((l) => l.startsWith('<details><summary>')) ?? '';
    expect(summary).toContain(
      'a&#124;b&#124;c&#96;x&#96;&#91;click&#93;&#40;https:\u200b//evil.example&#41;www\u200b.evil.example',
    );
    expect(md).not.toContain('](https://');
    expect(md).not.toContain('www.evil');
  });
});

describe('HTML escapes every value', () => {
  it('a <script> in a role name and a Sid is text, not markup', () => {
    const dir = scan(
      [{ logicalId: 'R', roleName: '<script>alert(1)</script>', sid: '</script><script>alert(2)</script>' }],
      'html',
    );
    const html = readFileSync(join(dir, 'out/trustaudit.html'), 'utf8');
    // Only the page's own two script elements (the data block and the inline script).
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).not.toContain('alert(1)</script>');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    const data = /<script type="application\/json" id="ta-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    expect(data).not.toMatch(/[<>]/);
    const parsed = JSON.parse(data) as { f: { role: string }[] };
    expect(parsed.f[0]?.role).toBe('<script>alert(1)</script>');
  });
});
