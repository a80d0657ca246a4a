import { mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { Finding, Severity } from '../findings/types.js';
import type { Report, Summary } from '../reporters/types.js';
import { HistoryError } from './errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from './schema.js';

export { HistoryError } from './errors.js';

export interface ScanMeta {
  /** What was scanned, as the user would name it: `aws:123456789012`, `./infra`... Diffs compare scans of one target. */
  target: string;
  /** Inputs (files, accounts) the scan read. */
  sources: string[];
  /** The options that shaped the result (rules, config path...), for later reference. */
  options: Record<string, unknown>;
  toolVersion: string;
  /** ISO 8601. */
  startedAt: string;
  /** ISO 8601; defaults to the time of recording. */
  finishedAt?: string;
}

export interface ScanRecord {
  id: number;
  target: string;
  startedAt: string;
  finishedAt?: string;
  toolVersion: string;
  sources: string[];
  options: Record<string, unknown>;
  summary: Summary;
  complete: boolean;
  /** Findings recorded for the scan (suppressed included). */
  findingCount: number;
}

export interface StoredFinding {
  fingerprint: string;
  ruleId: string;
  severity: Severity;
  resourceId: string;
  resourceName: string;
  message: string;
  suppressed: boolean;
  inBaseline: boolean;
  /** The finding as recorded: everything but its evidence, remediation and title (see `RecordedFinding`). */
  finding: RecordedFinding;
}

/**
 * What the history keeps of a finding. Evidence and remediation are left out: they are about four
 * fifths of a finding's JSON (steps, corrected policy, example request), they follow from the trust
 * policy and the rule version, and neither `history` nor `diff` shows them. Keeping them made every
 * recorded scan of a large account weigh tens of megabytes. The rule title is left out too (it belongs
 * to the rule). Scans recorded before this change still carry all three.
 */
export type RecordedFinding = Omit<Finding, 'evidence' | 'remediation' | 'title'> &
  Partial<Pick<Finding, 'evidence' | 'remediation' | 'title'>>;

/**
 * The JSON kept in a finding row: only what the row's columns do not hold (rule, severity, message,
 * fingerprint and the suppressed and baseline marks are columns).
 */
function findingDetail(f: Finding): Partial<RecordedFinding> {
  const d: Partial<RecordedFinding> = {
    resource: f.resource,
    location: f.location,
    principals: f.principals,
  };
  if (f.statement !== undefined) d.statement = f.statement;
  if (f.suppression !== undefined) d.suppression = f.suppression;
  return d;
}

export interface HistoryDiff {
  from: ScanRecord;
  to: ScanRecord;
  /** In `to`, not in `from`. */
  new: StoredFinding[];
  /** In `from`, gone from `to`. */
  fixed: StoredFinding[];
  unchanged: StoredFinding[];
}

export interface History {
  readonly path: string;
  /** Records the scan and all its findings in one transaction; returns the scan id. */
  recordScan(report: Report, meta: ScanMeta): number;
  /** Newest first. */
  listScans(filter?: { target?: string; limit?: number }): ScanRecord[];
  getScan(id: number): (ScanRecord & { findings: StoredFinding[] }) | undefined;
  /**
   * Compare two scans. Without ids: the last two scans of `opts.target` (default: the target of the newest
   * scan). With only `a`: `a` against the newest scan of its target.
   */
  diff(a?: number, b?: number, opts?: { target?: string }): HistoryDiff;
  schemaVersion(): number;
  /**
   * Removes all but the newest `keep` scans of each target (of `target` only, when given) and their
   * findings, in one transaction, then compacts the file. `planPrune` tells what would go.
   */
  prune(opts: PruneOptions): PruneResult;
  /** The scans `prune` would remove, oldest first. */
  planPrune(opts: PruneOptions): ScanRecord[];
  /**
   * A consistent copy of the whole database into `file` (SQLite's online backup), made before a prune. The
   * CLI gives it a fresh temporary file and renames it into place once complete (`produceFileAtomic`).
   */
  backup(file: string): Promise<void>;
  close(): void;
}

export interface PruneOptions {
  /** Newest scans kept per target (at least 1). */
  keep: number;
  target?: string;
}

export interface PruneResult {
  /** The scans removed, oldest first. */
  scans: ScanRecord[];
  /** Findings removed with them. */
  findings: number;
  /** False when the file could not be compacted (another process had it open): it shrinks on a later prune. */
  compacted: boolean;
  /** Why compacting failed, when it was an error rather than a reader holding the log (a full disk...). */
  compactError?: string;
}

export interface OpenOptions {
  /** Milliseconds to wait for another process's write lock. */
  busyTimeoutMs?: number;
  /** Test hook: called after each finding row is written, inside the transaction. */
  onFindingWritten?: (n: number) => void;
}

interface ScanRow {
  id: number;
  target: string;
  started_at: string;
  finished_at: string | null;
  tool_version: string;
  sources: string;
  options: string;
  summary: string;
  complete: number;
  finding_count: number;
}

interface FindingRow {
  fingerprint: string;
  rule_id: string;
  severity: string;
  resource_id: string;
  resource_name: string;
  message: string;
  suppressed: number;
  in_baseline: number;
  finding: string;
}

function toScan(r: ScanRow): ScanRecord {
  return {
    id: r.id,
    target: r.target,
    startedAt: r.started_at,
    ...(r.finished_at ? { finishedAt: r.finished_at } : {}),
    toolVersion: r.tool_version,
    sources: JSON.parse(r.sources) as string[],
    options: JSON.parse(r.options) as Record<string, unknown>,
    summary: JSON.parse(r.summary) as Summary,
    complete: r.complete === 1,
    findingCount: r.finding_count,
  };
}

function toFinding(r: FindingRow): StoredFinding {
  return {
    fingerprint: r.fingerprint,
    ruleId: r.rule_id,
    severity: r.severity as Severity,
    resourceId: r.resource_id,
    resourceName: r.resource_name,
    message: r.message,
    suppressed: r.suppressed === 1,
    inBaseline: r.in_baseline === 1,
    // Rows written before the detail was trimmed hold the whole finding; the columns agree with it.
    finding: {
      ruleId: r.rule_id,
      severity: r.severity as Severity,
      message: r.message,
      fingerprint: r.fingerprint,
      suppressed: r.suppressed === 1,
      ...(r.in_baseline === 1 ? { inBaseline: true } : {}),
      ...(JSON.parse(r.finding) as Partial<RecordedFinding>),
    } as RecordedFinding,
  };
}

/**
 * Create `dir` and its missing parents one level at a time (this module imports only Node and SQLite).
 * Node's `mkdirSync(dir, {recursive: true})` never returns on a path such as `/proc/x` (ENOENT although
 * the parent exists, retried forever); here each level is tried once and a failure names the folder.
 */
function makeParentFolders(dir: string): void {
  const missing: string[] = [];
  for (let p = dir; ; p = dirname(p)) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch (e) {
      if ((e as { code?: unknown }).code !== 'ENOENT') throw e;
      missing.push(p);
      if (dirname(p) === p) break;
      continue;
    }
    if (!isDir) throw new Error(`cannot create folder ${dir}: ${p} is not a folder`);
    break;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === 'EEXIST') continue;
      const why = code === 'ENOENT' ? 'the file system does not allow a folder here' : (e as Error).message;
      throw Object.assign(new Error(`cannot create folder ${d}: ${why}`), { code });
    }
  }
}

/** Bring the database to SCHEMA_VERSION. Runs under a write lock so two processes never migrate twice. */
function migrate(db: BetterSqlite3.Database, file: string): void {
  const current = () => db.pragma('user_version', { simple: true }) as number;
  if (current() > SCHEMA_VERSION) {
    throw new HistoryError(
      `${file}: history schema version ${current()} is newer than this trustaudit understands (${SCHEMA_VERSION}); upgrade trustaudit or use another --db`,
    );
  }
  if (current() === SCHEMA_VERSION) return;
  db.transaction(() => {
    for (let v = current(); v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

/** Run `fn`, retrying while SQLite reports the database busy or locked, for at most `timeoutMs`. */
function retryWhileBusy(timeoutMs: number, fn: () => void): void {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      fn();
      return;
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      const busy = code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || /database is locked/.test(String(e));
      if (!busy || Date.now() >= deadline) throw e;
      // A short synchronous pause (this runs once per process, before any scan is recorded).
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(10 * (attempt + 1), 100));
    }
  }
}

const SCAN_COLUMNS = `s.id, s.target, s.started_at, s.finished_at, s.tool_version, s.sources, s.options, s.summary, s.complete,
  (SELECT COUNT(*) FROM findings f WHERE f.scan_id = s.id) AS finding_count`;

/**
 * better-sqlite3 is an optional dependency (a native module that needs a compiler to build): it is
 * loaded only when a history is opened, and its absence turns history off, never the scan.
 */
function loadSqlite(): typeof BetterSqlite3 {
  try {
    return createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
  } catch (e) {
    const why = ((e as Error).message ?? String(e)).split('\n')[0];
    throw new HistoryError(
      `history is off: the optional module better-sqlite3 is not installed or did not build (${why}); scans work without it. To keep a history, install it (npm install better-sqlite3; building it needs Python 3, make and a C++ compiler)`,
    );
  }
}

/**
 * Open (creating when needed) the scan history at `path`. WAL mode and a busy timeout let several
 * processes use it at once; each scan is written in one transaction, so an interrupted process leaves
 * either the whole scan or nothing.
 */
export function openHistory(path: string, opts: OpenOptions = {}): History {
  let db: BetterSqlite3.Database;
  try {
    if (path !== ':memory:') makeParentFolders(dirname(path));
    const timeout = opts.busyTimeoutMs ?? 10_000;
    const Database = loadSqlite();
    const conn = new Database(path, { timeout });
    db = conn;
    // Two processes creating the same new file race to switch it to WAL; SQLite may then answer BUSY
    // without waiting on the busy handler, so retry (bounded by the same timeout).
    retryWhileBusy(timeout, () => {
      conn.pragma('journal_mode = WAL');
      migrate(conn, path);
    });
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
  } catch (e) {
    if (e instanceof HistoryError) throw e;
    const why = (e as Error).message;
    const code = (e as { code?: unknown }).code;
    throw new HistoryError(
      `cannot open history database ${path}: ${why}${typeof code === 'string' && !why.includes(code) ? ` (${code})` : ''}`,
    );
  }

  const insertScan = db.prepare(
    `INSERT INTO scans (target, started_at, finished_at, tool_version, sources, options, summary, complete)
     VALUES (@target, @started_at, @finished_at, @tool_version, @sources, @options, @summary, @complete)`,
  );
  const insertFinding = db.prepare(
    `INSERT OR IGNORE INTO findings (scan_id, fingerprint, rule_id, severity, resource_id, resource_name, message, suppressed, in_baseline, finding)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectScan = db.prepare(`SELECT ${SCAN_COLUMNS} FROM scans s WHERE s.id = ?`);
  const selectFindings = db.prepare(
    'SELECT fingerprint, rule_id, severity, resource_id, resource_name, message, suppressed, in_baseline, finding FROM findings WHERE scan_id = ? ORDER BY rule_id, resource_id, fingerprint',
  );

  const record = db.transaction((report: Report, meta: ScanMeta): number => {
    const info = insertScan.run({
      target: meta.target,
      started_at: meta.startedAt,
      finished_at: meta.finishedAt ?? new Date().toISOString(),
      tool_version: meta.toolVersion,
      sources: JSON.stringify(meta.sources),
      options: JSON.stringify(meta.options),
      summary: JSON.stringify(report.summary),
      complete: report.summary.complete ? 1 : 0,
    });
    const scanId = Number(info.lastInsertRowid);
    let n = 0;
    for (const f of report.findings) {
      insertFinding.run(
        scanId,
        f.fingerprint,
        f.ruleId,
        f.severity,
        f.resource.id,
        f.resource.name,
        f.message,
        f.suppressed ? 1 : 0,
        f.inBaseline ? 1 : 0,
        JSON.stringify(findingDetail(f)),
      );
      opts.onFindingWritten?.(++n);
    }
    return scanId;
  });

  const deleteScan = db.prepare('DELETE FROM scans WHERE id = ?');
  // Per target, the scans after the newest `keep` (window functions: SQLite 3.25+, bundled is newer).
  const planPrune = (popts: PruneOptions): ScanRow[] => {
    if (!Number.isInteger(popts.keep) || popts.keep < 1) {
      throw new HistoryError(`--keep must be a whole number of at least 1 (got ${popts.keep})`);
    }
    const where = popts.target === undefined ? '' : 'WHERE s.target = @target';
    return db
      .prepare(
        `SELECT ${SCAN_COLUMNS} FROM (
           SELECT s.*, ROW_NUMBER() OVER (PARTITION BY s.target ORDER BY s.id DESC) AS age FROM scans s ${where}
         ) s WHERE s.age > @keep ORDER BY s.id`,
      )
      .all({
        keep: popts.keep,
        ...(popts.target === undefined ? {} : { target: popts.target }),
      }) as ScanRow[];
  };

  const getScanRecord = (id: number): ScanRecord | undefined => {
    const row = selectScan.get(id) as ScanRow | undefined;
    return row ? toScan(row) : undefined;
  };
  const findingsOf = (id: number) => (selectFindings.all(id) as FindingRow[]).map(toFinding);

  const history: History = {
    path,
    recordScan(report, meta) {
      return record.immediate(report, meta);
    },
    listScans(filter = {}) {
      const rows = (
        filter.target === undefined
          ? db
              .prepare(`SELECT ${SCAN_COLUMNS} FROM scans s ORDER BY s.id DESC LIMIT ?`)
              .all(filter.limit ?? -1)
          : db
              .prepare(`SELECT ${SCAN_COLUMNS} FROM scans s WHERE s.target = ? ORDER BY s.id DESC LIMIT ?`)
              .all(filter.target, filter.limit ?? -1)
      ) as ScanRow[];
      return rows.map(toScan);
    },
    getScan(id) {
      const scan = getScanRecord(id);
      return scan ? { ...scan, findings: findingsOf(id) } : undefined;
    },
    diff(a, b, dopts = {}) {
      let from: ScanRecord | undefined;
      let to: ScanRecord | undefined;
      const need = (id: number) => {
        const s = getScanRecord(id);
        if (!s) throw new HistoryError(`no scan #${id} in ${path}`);
        return s;
      };
      if (a !== undefined && b !== undefined) {
        from = need(a);
        to = need(b);
      } else if (a !== undefined) {
        from = need(a);
        to = history.listScans({ target: from.target, limit: 1 })[0];
        if (!to || to.id === from.id)
          throw new HistoryError(
            `scan #${a} is the newest scan of ${from.target}: nothing to compare it with`,
          );
      } else {
        const target = dopts.target ?? history.listScans({ limit: 1 })[0]?.target;
        const last = target === undefined ? [] : history.listScans({ target, limit: 2 });
        if (last.length < 2) {
          throw new HistoryError(
            target === undefined
              ? `no scans recorded in ${path} yet`
              : `only ${last.length} scan of ${target} in ${path}: a diff needs two`,
          );
        }
        to = last[0];
        from = last[1];
      }
      const fa = new Map(findingsOf(from!.id).map((f) => [f.fingerprint, f]));
      const fb = new Map(findingsOf(to!.id).map((f) => [f.fingerprint, f]));
      return {
        from: from!,
        to: to!,
        new: [...fb.values()].filter((f) => !fa.has(f.fingerprint)),
        fixed: [...fa.values()].filter((f) => !fb.has(f.fingerprint)),
        unchanged: [...fb.values()].filter((f) => fa.has(f.fingerprint)),
      };
    },
    schemaVersion() {
      return db.pragma('user_version', { simple: true }) as number;
    },
    planPrune(popts) {
      return planPrune(popts).map(toScan);
    },
    prune(popts) {
      const removed = db
        .transaction(() => {
          const rows = planPrune(popts);
          let findings = 0;
          for (const r of rows) {
            // Findings go with their scan (ON DELETE CASCADE); counted first for the report.
            findings += r.finding_count;
            deleteScan.run(r.id);
          }
          return { scans: rows.map(toScan), findings };
        })
        .immediate();
      // Give the freed pages back to the file system (VACUUM cannot run inside a transaction). Another
      // process reading at the same moment makes it fail: the scans are gone all the same.
      let compacted = false;
      let compactError: string | undefined;
      if (removed.scans.length > 0) {
        try {
          db.exec('VACUUM');
          // In WAL mode the compacted pages go through the log first: write them back and empty it.
          // A reader in the middle of a transaction keeps the log from being emptied (busy).
          const [cp] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
          compacted = cp?.busy === 0;
        } catch (e) {
          compacted = false;
          const code = (e as { code?: unknown }).code;
          // Busy or locked: another process reading. Anything else (SQLITE_FULL...) is worth saying.
          if (code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED') {
            compactError = `${(e as Error).message}${typeof code === 'string' ? ` (${code})` : ''}`;
          }
        }
      }
      return { ...removed, compacted, ...(compactError ? { compactError } : {}) };
    },
    async backup(file) {
      await db.backup(file);
    },
    close() {
      db.close();
    },
  };
  return history;
}
