/**
 * Reports on a full disk, through the real CLI: a small tmpfs gives a real ENOSPC. A report that does not
 * fit is a one-line error (exit 2) with no "wrote" line, and leaves no partial or temporary file; a report
 * that was there before is left exactly as it was. Before, one-string formats were cut silently ("wrote",
 * exit 1) and pieced ones died with a stack trace after truncating the file.
 */
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { entries, fillDisk, type SmallDisk, smallDiskForSuite, writeBigExport } from './write-helpers.js';

const ROLES = 200;

// Real ENOSPC: a 16 KiB and a 512 KiB tmpfs (write-injected.test.ts covers these where mounting is refused).
const disk = smallDiskForSuite(16);
const bigger = smallDiskForSuite(512);
let input: string;
let reference: string;

beforeAll(() => {
  const work = tempDir('ta-write-reports-');
  input = writeBigExport(work, ROLES);
  // Every format written where there is room, to compare sizes with.
  reference = join(work, 'reference');
  const r = runCli([
    'scan',
    input,
    '-q',
    '--format',
    'text,json,sarif,html,csv,junit,markdown,asff',
    '--output-dir',
    reference,
  ]);
  expect(r.stderr).toBe('');
});

afterAll(() => {
  disk?.release();
  bigger?.release();
});

/** The disk, emptied. */
function mounted(which: SmallDisk | undefined = disk): SmallDisk {
  if (!which) throw new Error('not mounted');
  for (const f of entries(which.dir)) rmSync(join(which.dir, f), { recursive: true, force: true });
  return which;
}

const ONE_LINE = (file: string) =>
  new RegExp(
    `^trustaudit: cannot write ${file.replace(/[.]/g, '\\.')}: no space left on device \\(ENOSPC\\)\\n$`,
  );

describe.skipIf(!disk)('a report larger than the free space', () => {
  it.each([
    ['html', 'trustaudit.html'],
    ['text', 'trustaudit.txt'],
    ['csv', 'trustaudit.csv'],
    ['markdown', 'trustaudit.md'],
    ['json', 'trustaudit.json'],
    ['sarif', 'trustaudit.sarif'],
    ['junit', 'trustaudit.junit.xml'],
    ['asff', 'trustaudit.asff.json'],
  ])('%s --output: exit 2, one line naming the file, no partial file', (format, name) => {
    const d = mounted();
    // The report must really be larger than the disk for the test to mean anything.
    expect(statSync(join(reference, name)).size).toBeGreaterThan(16 * 1024);
    const out = join(d.dir, `report.${format}`);
    const r = runCli(['scan', input, '--format', format, '--output', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ONE_LINE(out));
    expect(r.stderr).not.toContain('wrote');
    expect(r.stdout).toBe('');
    expect(entries(d.dir)).toEqual([]);
  });

  it('leaves the earlier report exactly as it was', () => {
    const d = mounted();
    const out = join(d.dir, 'report.json');
    writeFileSync(out, '{"earlier": "report"}\n');
    const filler = fillDisk(d.dir);
    const r = runCli(['scan', input, '--format', 'json', '--output', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ONE_LINE(out));
    expect(readFileSync(out, 'utf8')).toBe('{"earlier": "report"}\n');
    expect(entries(d.dir)).toEqual(['filler', 'report.json']);
    rmSync(filler);
  });
});

describe.skipIf(!bigger)('--output-dir with several formats on a disk with room for some', () => {
  it('writes what fits whole, one error line per format that does not, exit 2', () => {
    const d = mounted(bigger);
    // Room for the Markdown report, not for the CSV or JSON ones after it.
    const md = statSync(join(reference, 'trustaudit.md')).size;
    fillDisk(d.dir, md + 8 * 1024);
    const out = join(d.dir, 'reports');
    const r = runCli(['scan', input, '--format', 'markdown,csv,json', '--output-dir', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).not.toContain('internal error');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toEqual([
      `wrote ${join(out, 'trustaudit.md')}`,
      `trustaudit: cannot write ${join(out, 'trustaudit.csv')}: no space left on device (ENOSPC)`,
      `trustaudit: cannot write ${join(out, 'trustaudit.json')}: no space left on device (ENOSPC)`,
    ]);
    // The file written is whole (same size as where there is room); no partial or temporary file.
    expect(entries(out)).toEqual(['trustaudit.md']);
    expect(statSync(join(out, 'trustaudit.md')).size).toBe(md);
  });
});
