import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addHistoryOptions, applyBaseline, recordScan } from '../../src/cli/history-options.js';
import type { CliIO } from '../../src/cli/io.js';
import { UsageError } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { openHistory } from '../../src/history/store.js';
import { finding, report, tempDir } from './helpers.js';

function fakeIO(cwd: string, env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    readStdin: async () => '',
    stdinIsTTY: true,
    env: { HOME: cwd, ...env },
    cwd,
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

async function cli(cwd: string, args: string[], env: Record<string, string> = {}) {
  const f = fakeIO(cwd, env);
  const code = await main(['node', 'trustaudit', ...args], f.io);
  return { code, stdout: f.out(), stderr: f.err() };
}

const trust = (account: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' },
    ],
  });

describe('addHistoryOptions', () => {
  const parse = (argv: string[], env: Record<string, string | undefined> = { HOME: '/home/u' }) => {
    const cmd = addHistoryOptions(new Command('scan').exitOverride(), env);
    cmd.parse(argv, { from: 'user' });
    return cmd.opts();
  };
  const cases: [
    name: string,
    argv: string[],
    env: Record<string, string | undefined>,
    expected: Record<string, unknown>,
  ][] = [
    ['default under HOME', [], { HOME: '/home/u' }, { db: '/home/u/.trustaudit/history.db' }],
    ['--db PATH', ['--db', 'x.db'], { HOME: '/home/u' }, { db: 'x.db' }],
    ['--no-db', ['--no-db'], { HOME: '/home/u' }, { db: false }],
    ['TRUSTAUDIT_DB', [], { HOME: '/home/u', TRUSTAUDIT_DB: '/tmp/t.db' }, { db: '/tmp/t.db' }],
    ['TRUSTAUDIT_DB=off', [], { HOME: '/home/u', TRUSTAUDIT_DB: 'off' }, { db: false }],
    ['--baseline', ['--baseline', 'old.json'], { HOME: '/h' }, { baseline: 'old.json' }],
  ];
  it.each(cases)('%s', (_n, argv, env, expected) => {
    expect(parse(argv, env)).toMatchObject(expected);
  });
});

describe('applyBaseline', () => {
  const dir = tempDir();
  const r = report([finding(1), finding(2), finding(3)]);
  const write = (name: string, text: string) => {
    writeFileSync(resolve(dir, name), text);
    return resolve(dir, name);
  };
  const valid: [name: string, text: string][] = [
    ['JSON report', JSON.stringify({ findings: [{ fingerprint: 'fp-1' }, { fingerprint: 'fp-3' }] })],
    ['array of findings', JSON.stringify([{ fingerprint: 'fp-1' }, { fingerprint: 'fp-3' }])],
    [
      'SARIF log',
      JSON.stringify({
        runs: [
          {
            results: [
              { partialFingerprints: { 'trustaudit/v1': 'fp-1' } },
              { partialFingerprints: { 'trustaudit/v1': 'fp-3', other: 'fp-2' } },
            ],
          },
        ],
      }),
    ],
  ];
  it.each(valid)('marks findings already in a %s', (name, text) => {
    const out = applyBaseline(r, write(`${name}.json`, text));
    expect(out.findings.map((f) => f.inBaseline)).toEqual([true, false, true]);
    expect(r.findings.every((f) => f.inBaseline === undefined)).toBe(true); // input untouched
  });
  const invalid: [name: string, text: string | undefined, message: RegExp][] = [
    ['missing file', undefined, /cannot read baseline .*missing\.json: ENOENT/],
    ['not JSON', '{oops', /not valid JSON/],
    ['not a report', '{"hello": 1}', /not a trustaudit report/],
  ];
  it.each(invalid)('refuses a baseline that is %s', (name, text, message) => {
    const file = text === undefined ? resolve(dir, 'missing.json') : write(`${name}.json`, text);
    expect(() => applyBaseline(r, file)).toThrow(UsageError);
    expect(() => applyBaseline(r, file)).toThrow(message);
  });
});

describe('recordScan', () => {
  it('records, skips with --no-db, and reports (never throws) an unusable database', async () => {
    const dir = tempDir();
    const m = { target: 't', sources: [], options: {}, toolVersion: '0', startedAt: '2026-01-01T00:00:00Z' };
    const ok = await recordScan(report([finding(1)]), m, { db: resolve(dir, 'h.db') });
    expect(ok).toMatchObject({ recorded: true, scanId: 1 });
    expect(await recordScan(report([]), m, { db: false })).toMatchObject({ recorded: false });
    mkdirSync(resolve(dir, 'adir.db'));
    const bad = await recordScan(report([]), m, { db: resolve(dir, 'adir.db') });
    expect(bad.recorded).toBe(false);
    expect(bad.recorded === false && bad.reason).toMatch(/adir\.db/);
  });
});

describe('trustaudit scan / history / diff (in-process CLI)', () => {
  it('records each scan, lists them, diffs them, and honours --baseline and --no-db', async () => {
    const dir = tempDir();
    const db = resolve(dir, 'h.db');
    mkdirSync(resolve(dir, 'infra'));
    writeFileSync(resolve(dir, 'infra/a.json'), trust('464622532012'));
    writeFileSync(resolve(dir, 'infra/b.json'), trust('333333333333'));

    const first = await cli(dir, [
      'scan',
      'infra',
      '--account',
      '111111111111',
      '--format',
      'json',
      '--db',
      db,
    ]);
    expect(first.code).toBe(1);
    writeFileSync(resolve(dir, 'first.json'), first.stdout);
    const firstFindings = JSON.parse(first.stdout).findings as { fingerprint: string }[];
    expect(firstFindings.length).toBe(2);

    // b.json fixed, c.json new.
    writeFileSync(resolve(dir, 'infra/b.json'), trust('111111111111'));
    writeFileSync(resolve(dir, 'infra/c.json'), trust('777777777777'));
    const second = await cli(dir, [
      'scan',
      'infra',
      '--account',
      '111111111111',
      '--format',
      'json',
      '--db',
      db,
    ]);
    expect(second.code).toBe(1);

    const list = await cli(dir, ['history', '--db', db, '--format', 'json']);
    expect(list.code).toBe(0);
    const scans = JSON.parse(list.stdout) as { id: number; target: string; startedAt: string }[];
    expect(scans.map((s) => s.id)).toEqual([2, 1]);
    expect(scans[0]!.target).toBe(resolve(dir, 'infra'));
    expect(scans[0]!.startedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    const text = await cli(dir, ['history', '--db', db]);
    expect(text.stdout).toMatch(/^#2 {2}\S+ {2}.*infra {2}2 open/m);

    const diff = await cli(dir, ['diff', '--db', db, '--format', 'json']);
    expect(diff.code).toBe(0);
    const d = JSON.parse(diff.stdout);
    expect(d.counts).toEqual({ new: 1, fixed: 1, unchanged: 1 });
    expect(d.new[0].location.file).toMatch(/c\.json$/);
    expect(d.fixed[0].location.file).toMatch(/b\.json$/);
    const failOnNew = await cli(dir, ['diff', '--db', db, '--fail-on-new']);
    expect(failOnNew.code).toBe(1);
    expect(failOnNew.stdout).toContain('1 new, 1 fixed, 1 unchanged');
    const md = await cli(dir, ['diff', '1', '2', '--db', db, '--format', 'markdown']);
    expect(md.stdout).toContain('**1 new**');

    // Baseline: the first report already had a.json's finding; c.json's is new, so the run still fails...
    const withBaseline = await cli(dir, [
      'scan',
      'infra',
      '--account',
      '111111111111',
      '--format',
      'json',
      '--no-db',
      '--baseline',
      'first.json',
    ]);
    const marked = JSON.parse(withBaseline.stdout).findings as {
      location: { file: string };
      inBaseline?: boolean;
    }[];
    expect(marked.map((f) => [f.location.file.replace(/.*\//, ''), f.inBaseline])).toEqual([
      ['a.json', true],
      ['c.json', false],
    ]);
    expect(withBaseline.code).toBe(1);
    // ...and passes once c.json is fixed too.
    rmSync(resolve(dir, 'infra/c.json'));
    const clean = await cli(dir, [
      'scan',
      'infra',
      '--account',
      '111111111111',
      '--no-db',
      '--baseline',
      'first.json',
    ]);
    expect(clean.code).toBe(0);

    // --no-db recorded nothing.
    const h = openHistory(db);
    expect(h.listScans()).toHaveLength(2);
    h.close();
  });

  it('a bad baseline is a usage error (exit 2) naming the file', async () => {
    const dir = tempDir();
    writeFileSync(resolve(dir, 'a.json'), trust('464622532012'));
    writeFileSync(resolve(dir, 'bad.json'), '{"not":"a report"}');
    const r = await cli(dir, ['scan', 'a.json', '--no-db', '--baseline', 'bad.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.json is not a trustaudit report/);
  });

  it('history and diff on an empty database say so', async () => {
    const dir = tempDir();
    const db = resolve(dir, 'empty.db');
    expect((await cli(dir, ['history', '--db', db])).stdout).toMatch(/no scans recorded/);
    const d = await cli(dir, ['diff', '--db', db]);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/no scans recorded/);
  });

  it('the default database lives under HOME', async () => {
    const dir = tempDir();
    writeFileSync(resolve(dir, 'a.json'), trust('464622532012'));
    await cli(dir, ['scan', 'a.json']);
    const h = openHistory(resolve(dir, '.trustaudit/history.db'));
    expect(h.listScans()).toHaveLength(1);
    expect(readFileSync(resolve(dir, '.trustaudit/history.db')).subarray(0, 15).toString()).toBe(
      'SQLite format 3',
    );
    h.close();
  });
});

describe('history --prune', () => {
  function seeded(): { dir: string; db: string } {
    const dir = tempDir();
    const db = resolve(dir, 'h.db');
    const h = openHistory(db);
    const meta = (target: string, i: number) => ({
      target,
      sources: [target],
      options: {},
      toolVersion: '0.1.0',
      startedAt: `2026-11-2${i}T06:00:00.000Z`,
    });
    // Three scans of infra (2 findings each), two of other (1 finding each), interleaved.
    h.recordScan(report([finding(1), finding(2)]), meta('infra', 1));
    h.recordScan(report([finding(9)]), meta('other', 2));
    h.recordScan(report([finding(1), finding(3)]), meta('infra', 3));
    h.recordScan(report([finding(8)]), meta('other', 4));
    h.recordScan(report([finding(3), finding(4)]), meta('infra', 5));
    h.close();
    return { dir, db };
  }

  it('keeps the newest N scans of each target, after a backup that still has every scan', async () => {
    const { dir, db } = seeded();
    const r = await cli(dir, ['history', '--db', db, '--prune', '--keep', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/removed 3 scan\(s\) and 5 finding\(s\), keeping the newest 1 of each target/);
    const h = openHistory(db);
    expect(h.listScans().map((s) => [s.id, s.target])).toEqual([
      [5, 'infra'],
      [4, 'other'],
    ]);
    // The findings of removed scans are gone with them.
    expect(h.getScan(1)).toBeUndefined();
    expect(h.getScan(5)!.findings.map((f) => f.fingerprint)).toEqual(['fp-3', 'fp-4']);
    h.close();
    const backup = /backup of the database before pruning: (.+)/.exec(r.stdout)![1]!;
    const b = openHistory(backup);
    expect(b.listScans().map((s) => s.id)).toEqual([5, 4, 3, 2, 1]);
    expect(b.getScan(1)!.findings).toHaveLength(2);
    b.close();
  });

  it('prunes one target only with --target', async () => {
    const { dir, db } = seeded();
    const r = await cli(dir, ['history', '--db', db, '--prune', '--keep', '2', '--target', 'infra']);
    expect(r.code).toBe(0);
    const h = openHistory(db);
    expect(h.listScans().map((s) => s.id)).toEqual([5, 4, 3, 2]);
    h.close();
  });

  it('changes nothing and writes no backup when there is nothing to remove', async () => {
    const { dir, db } = seeded();
    const r = await cli(dir, ['history', '--db', db, '--prune', '--keep', '3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/nothing to prune/);
    expect(readdirSync(dir).filter((f) => f.includes('backup'))).toEqual([]);
  });

  const usage: [name: string, args: string[], message: RegExp][] = [
    ['--keep without --prune', ['--keep', '1'], /--keep only applies with --prune/],
    ['--prune without --keep', ['--prune'], /--prune needs --keep N/],
    ['--keep 0', ['--prune', '--keep', '0'], /positive whole number/],
    ['--prune with a scan id', ['3', '--prune', '--keep', '1'], /--prune works on targets/],
  ];
  it.each(usage)('refuses %s (exit 2) and leaves the database as it was', async (_n, args, message) => {
    const { dir, db } = seeded();
    const r = await cli(dir, ['history', '--db', db, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    const h = openHistory(db);
    expect(h.listScans()).toHaveLength(5);
    h.close();
  });
});
