import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  HistoryError,
  openHistory,
  renderDiffJson,
  renderDiffMarkdown,
  renderDiffText,
  SCHEMA_VERSION,
} from '../../src/history/index.js';
import { finding, range, report, tempDir, transpileHistory } from './helpers.js';

const meta = (target: string, startedAt = '2026-11-28T06:00:00.000Z') => ({
  target,
  sources: ['infra'],
  options: { format: 'text' },
  toolVersion: '0.1.0',
  startedAt,
});

function run(
  args: string[],
): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve(import.meta.dirname, 'child-writer.mjs'), ...args], {
      stdio: 'pipe',
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code, signal) => done({ code, signal, out, err }));
  });
}

describe('history store', () => {
  it('records scans and lists them newest first, with their findings', () => {
    const h = openHistory(resolve(tempDir(), 'h.db'));
    const a = h.recordScan(report([finding(1), finding(2)]), meta('infra'));
    const b = h.recordScan(
      report([finding(2), finding(3, { suppressed: true })], false),
      meta('infra', '2026-11-28T07:00:00.000Z'),
    );
    expect(b).toBeGreaterThan(a);
    const scans = h.listScans();
    expect(scans.map((s) => s.id)).toEqual([b, a]);
    expect(scans[0]).toMatchObject({
      target: 'infra',
      toolVersion: '0.1.0',
      sources: ['infra'],
      complete: false,
      findingCount: 2,
    });
    const got = h.getScan(b)!;
    expect(got.findings.map((f) => [f.fingerprint, f.suppressed])).toEqual([
      ['fp-2', false],
      ['fp-3', true],
    ]);
    expect(got.findings[0]!.finding.principals[0]!.accountName).toBe('Datadog');
    expect(h.getScan(999)).toBeUndefined();
    expect(h.schemaVersion()).toBe(SCHEMA_VERSION);
    h.close();
  });

  it('keeps each finding without its evidence and remediation (they are most of its size)', () => {
    const file = resolve(tempDir(), 'h.db');
    const h = openHistory(file);
    const big = finding(1, {
      evidence: { summary: 'x'.repeat(5000), details: ['y'.repeat(5000)] },
      remediation: { summary: 'z', steps: ['w'.repeat(5000)], correctedPolicy: { Statement: [] } },
    });
    const id = h.recordScan(report([big]), meta('infra'));
    const got = h.getScan(id)!.findings[0]!;
    expect(got.finding).not.toHaveProperty('evidence');
    expect(got.finding).not.toHaveProperty('remediation');
    expect(got.finding).not.toHaveProperty('title');
    // Everything else comes back as it was.
    const { evidence: _e, remediation: _r, title: _t, ...rest } = big;
    expect(got.finding).toEqual(rest);
    h.close();
    const db = new Database(file, { readonly: true });
    const row = db.prepare('SELECT length(finding) AS n FROM findings').get() as { n: number };
    db.close();
    expect(row.n).toBeLessThan(500);
  });

  it('reads finding rows written whole by earlier versions', () => {
    const file = resolve(tempDir(), 'h.db');
    const h = openHistory(file);
    const id = h.recordScan(report([]), meta('infra'));
    h.close();
    const old = finding(7, { inBaseline: true });
    const db = new Database(file);
    db.prepare(
      'INSERT INTO findings (scan_id, fingerprint, rule_id, severity, resource_id, resource_name, message, suppressed, in_baseline, finding) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 1, ?)',
    ).run(
      id,
      old.fingerprint,
      old.ruleId,
      old.severity,
      old.resource.id,
      old.resource.name,
      old.message,
      JSON.stringify(old),
    );
    db.close();
    const again = openHistory(file);
    expect(again.getScan(id)!.findings[0]!.finding).toEqual(old);
    again.close();
  });

  it('prunes even when another process keeps the file open, and says it could not compact it', () => {
    const file = resolve(tempDir(), 'h.db');
    const h = openHistory(file, { busyTimeoutMs: 50 });
    for (let i = 0; i < 3; i++) h.recordScan(report([finding(i)]), meta('infra'));
    // Another connection in the middle of a read: VACUUM cannot rewrite the file under it.
    const reader = new Database(file, { readonly: true });
    reader.prepare('BEGIN').run();
    reader.prepare('SELECT COUNT(*) FROM scans').get();
    const r = h.prune({ keep: 1 });
    expect(r.scans.map((s) => s.id)).toEqual([1, 2]);
    expect(r.compacted).toBe(false);
    reader.prepare('COMMIT').run();
    reader.close();
    expect(h.listScans().map((s) => s.id)).toEqual([3]);
    h.close();
  });

  it('refuses to prune to fewer than one scan', () => {
    const h = openHistory(resolve(tempDir(), 'h.db'));
    h.recordScan(report([finding(1)]), meta('infra'));
    expect(() => h.prune({ keep: 0 })).toThrow(/at least 1/);
    expect(() => h.planPrune({ keep: 1.5 })).toThrow(/whole number/);
    expect(h.listScans()).toHaveLength(1);
    h.close();
  });

  it('diffs the last two scans of the same target by default', () => {
    const h = openHistory(resolve(tempDir(), 'h.db'));
    const s1 = h.recordScan(report([finding(1), finding(2)]), meta('infra'));
    h.recordScan(report([finding(9)]), meta('other'));
    const s2 = h.recordScan(report([finding(2), finding(3)]), meta('infra'));
    h.recordScan(report([finding(8)]), meta('other'));
    const d = h.diff(undefined, undefined, { target: 'infra' });
    expect([d.from.id, d.to.id]).toEqual([s1, s2]);
    expect(d.new.map((f) => f.fingerprint)).toEqual(['fp-3']);
    expect(d.fixed.map((f) => f.fingerprint)).toEqual(['fp-1']);
    expect(d.unchanged.map((f) => f.fingerprint)).toEqual(['fp-2']);
    // Without a target: the newest scan's target ("other").
    const o = h.diff();
    expect(o.from.target).toBe('other');
    expect(o.new.map((f) => f.fingerprint)).toEqual(['fp-8']);
    // Explicit ids, and one id against the newest scan of its target.
    expect(h.diff(s2, s1).new.map((f) => f.fingerprint)).toEqual(['fp-1']);
    expect(h.diff(s1).to.id).toBe(s2);
    h.close();
  });

  const errorCases: [name: string, act: (h: ReturnType<typeof openHistory>) => unknown, message: RegExp][] = [
    ['empty history', (h) => h.diff(), /no scans recorded/],
    [
      'one scan only',
      (h) => {
        h.recordScan(report([]), meta('t'));
        return h.diff();
      },
      /only 1 scan of t/,
    ],
    ['unknown id', (h) => h.diff(41, 42), /no scan #41/],
    ['newest scan alone', (h) => h.diff(h.recordScan(report([]), meta('t'))), /nothing to compare/],
  ];
  it.each(errorCases)('diff refuses clearly: %s', (_n, act, message) => {
    const h = openHistory(resolve(tempDir(), 'h.db'));
    let error: unknown;
    try {
      act(h);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HistoryError);
    expect((error as Error).message).toMatch(message);
    h.close();
  });

  it('renders a diff as text, JSON and Markdown', () => {
    const h = openHistory(resolve(tempDir(), 'h.db'));
    h.recordScan(report([finding(1), finding(2)]), meta('infra'));
    h.recordScan(
      report([
        finding(2),
        finding(3, { resource: { kind: 'aws-iam-role', id: 'x', name: 'Evil|<b>@team' } }),
      ]),
      meta('infra'),
    );
    const d = h.diff();
    const text = renderDiffText(d);
    expect(text).toContain('1 new, 1 fixed, 1 unchanged');
    expect(text).toMatch(/\+ MEDIUM TA001 Evil\|<b>@team <- Datadog \(464622532012\)/);
    expect(text).toMatch(/- MEDIUM TA001 R1/);
    const json = JSON.parse(renderDiffJson(d));
    expect(json.counts).toEqual({ new: 1, fixed: 1, unchanged: 1 });
    expect(json.new[0].fingerprint).toBe('fp-3');
    const md = renderDiffMarkdown(d);
    expect(md).toContain('**1 new**');
    expect(md).toContain('Evil\\|&lt;b&gt;@\u200bteam');
    h.close();
  });

  it('migrates a schema v1 database and keeps its scans', () => {
    const file = resolve(tempDir(), 'v1.db');
    // The first released schema, written out here on purpose: the migration must keep reading it.
    const v1 = new Database(file);
    v1.exec(`CREATE TABLE scans (id INTEGER PRIMARY KEY AUTOINCREMENT, target TEXT NOT NULL, started_at TEXT NOT NULL,
        tool_version TEXT NOT NULL, sources TEXT NOT NULL, options TEXT NOT NULL, summary TEXT NOT NULL);
      CREATE TABLE findings (scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE, fingerprint TEXT NOT NULL,
        rule_id TEXT NOT NULL, severity TEXT NOT NULL, resource_id TEXT NOT NULL, resource_name TEXT NOT NULL,
        message TEXT NOT NULL, suppressed INTEGER NOT NULL, finding TEXT NOT NULL, PRIMARY KEY (scan_id, fingerprint));
      PRAGMA user_version = 1;`);
    const old = finding(1);
    v1.prepare(
      `INSERT INTO scans VALUES (1, 'infra', '2026-01-01T00:00:00.000Z', '0.0.9', '["infra"]', '{}', ?)`,
    ).run(JSON.stringify(report([old]).summary));
    v1.prepare(`INSERT INTO findings VALUES (1, 'fp-1', 'TA001', 'medium', ?, 'R1', 'm', 0, ?)`).run(
      old.resource.id,
      JSON.stringify(old),
    );
    v1.close();

    const h = openHistory(file);
    expect(h.schemaVersion()).toBe(SCHEMA_VERSION);
    const s = h.getScan(1)!;
    expect(s).toMatchObject({
      id: 1,
      target: 'infra',
      toolVersion: '0.0.9',
      complete: true,
      findingCount: 1,
    });
    expect(s.finishedAt).toBeUndefined();
    expect(s.findings[0]!.inBaseline).toBe(false);
    h.recordScan(report([finding(1), finding(2)]), meta('infra'));
    const d = h.diff();
    expect(d.from.id).toBe(1);
    expect(d.new.map((f) => f.fingerprint)).toEqual(['fp-2']);
    h.close();
    // Opening again does not migrate twice.
    const again = openHistory(file);
    expect(again.listScans()).toHaveLength(2);
    again.close();
  });

  it('refuses a database from a newer trustaudit, and a file that is not a database', () => {
    const dir = tempDir();
    const newer = new Database(resolve(dir, 'newer.db'));
    newer.pragma('user_version = 99');
    newer.close();
    expect(() => openHistory(resolve(dir, 'newer.db'))).toThrow(/schema version 99 is newer/);
    writeFileSync(
      resolve(dir, 'junk.db'),
      'this is not sqlite at all, just some text that is long enough'.repeat(20),
    );
    expect(() => openHistory(resolve(dir, 'junk.db'))).toThrow(HistoryError);
    expect(() => openHistory(resolve(dir, 'junk.db'))).toThrow(/junk\.db/);
  });

  it('uses WAL mode', () => {
    const file = resolve(tempDir(), 'h.db');
    openHistory(file).close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });
});

describe('history across processes', () => {
  let store = '';
  beforeAll(() => {
    store = transpileHistory();
  });

  it('two processes writing at once both succeed and nothing is lost or corrupted', async () => {
    const file = resolve(tempDir(), 'shared.db');
    openHistory(file).close(); // schema in place; the children race on writes, not creation
    const [a, b] = await Promise.all([
      run([store, file, 'write', '15', '300']),
      run([store, file, 'write', '15', '300']),
    ]);
    expect(a.err).toBe('');
    expect(b.err).toBe('');
    expect([a.code, b.code]).toEqual([0, 0]);
    const h = openHistory(file);
    const scans = h.listScans();
    expect(scans).toHaveLength(30);
    expect(new Set(scans.map((s) => s.target)).size).toBe(2);
    for (const s of scans) expect(s.findingCount).toBe(300);
    h.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('two processes creating the same new database at once both succeed', async () => {
    const file = resolve(tempDir(), 'fresh.db');
    const results = await Promise.all([
      run([store, file, 'write', '3', '10']),
      run([store, file, 'write', '3', '10']),
    ]);
    expect(results.map((r) => [r.code, r.err])).toEqual([
      [0, ''],
      [0, ''],
    ]);
    const h = openHistory(file);
    expect(h.listScans()).toHaveLength(6);
    h.close();
  });

  const kills: [name: string, mode: string, signal: NodeJS.Signals][] = [
    ['killed (SIGKILL)', 'kill', 'SIGKILL'],
    ['interrupted (SIGINT, Ctrl-C)', 'interrupt', 'SIGINT'],
  ];
  it.each(kills)(
    'a process %s halfway through recording leaves no partial scan',
    async (_n, mode, signal) => {
      const file = resolve(tempDir(), 'killed.db');
      const before = openHistory(file);
      const kept = before.recordScan(report(range(0, 5).map((i) => finding(i))), meta('infra'));
      before.close();

      const r = await run([store, file, mode, '1', '2000', '1000']);
      expect(r.signal).toBe(signal);
      expect(r.out).toBe('');

      const h = openHistory(file);
      expect(h.listScans().map((s) => s.id)).toEqual([kept]);
      expect(h.getScan(kept)!.findings).toHaveLength(5);
      // The database is usable afterwards.
      const next = h.recordScan(report([finding(1)]), meta('infra'));
      expect(h.listScans().map((s) => s.id)).toEqual([next, kept]);
      h.close();
      const db = new Database(file, { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.prepare('SELECT COUNT(*) AS n FROM findings').get()).toEqual({ n: 6 });
      db.close();
    },
  );
});
