import { resolve } from 'node:path';
import type { Command } from 'commander';
import { applyBaselineFile, BaselineError } from '../history/baseline.js';
import type { History, ScanMeta } from '../history/store.js';
import type { Report } from '../reporters/types.js';
import { createRedactor, type Redactor, stripUrlCredentials } from '../util/redact.js';
import { registerHistoryCommands } from './commands/history.js';
import type { ScanHooks } from './commands/scan.js';
import { defaultHistoryPath } from './history-db.js';
import type { CliIO } from './io.js';
import { UsageError } from './io.js';

export { defaultHistoryPath, registerHistoryCommands };

/** Options of `scan` that this feature reads (commander turns --db/--no-db into `db: string | false`). */
export interface HistoryCliOptions {
  db?: string | false;
  baseline?: string;
  historyTarget?: string;
}

/** Adds `--db PATH`, `--no-db`, `--baseline FILE` and `--history-target NAME` to a command. */
export function addHistoryOptions(
  cmd: Command,
  env: Record<string, string | undefined> = process.env,
): Command {
  return cmd
    .option(
      '--db <path>',
      'scan history database (SQLite; default ~/.trustaudit/history.db or $TRUSTAUDIT_DB)',
      defaultHistoryPath(env),
    )
    .option('--no-db', 'do not record this scan in the history')
    .option(
      '--baseline <file>',
      'earlier JSON report or SARIF log: findings it already has do not fail the run',
    )
    .option('--history-target <name>', 'name the scan is recorded under (default: the scanned paths)');
}

/**
 * Mark every finding whose fingerprint is in the earlier report (`inBaseline: true`; the exit code ignores
 * those). Throws UsageError naming the file when it cannot be read or is not a trustaudit report.
 */
export function applyBaseline(report: Report, baselineFile: string): Report {
  try {
    return applyBaselineFile(report, baselineFile);
  } catch (e) {
    if (e instanceof BaselineError) throw new UsageError(e.message);
    throw e;
  }
}

export type RecordResult =
  | { recorded: true; scanId: number; path: string }
  | { recorded: false; reason: string };

/**
 * Record the finished scan in the history (`opts.db === false`: do nothing). Never throws: a history
 * problem must not lose the scan's result, so it comes back as `{recorded: false, reason}` for a warning.
 * The database code is loaded only when a scan is recorded.
 */
export async function recordScan(
  report: Report,
  meta: ScanMeta,
  opts: { db: string | false | undefined },
): Promise<RecordResult> {
  if (opts.db === false || opts.db === undefined)
    return { recorded: false, reason: 'history disabled (--no-db)' };
  let h: History | undefined;
  try {
    const { openHistory } = await import('../history/store.js');
    h = openHistory(opts.db);
    const scanId = h.recordScan(report, meta);
    return { recorded: true, scanId, path: opts.db };
  } catch (e) {
    return { recorded: false, reason: (e as Error).message };
  } finally {
    h?.close();
  }
}

/** The target a scan is recorded under: `--history-target`, else the resolved paths, else `live`. */
export function historyTarget(
  paths: readonly string[],
  cwd: string,
  opts: HistoryCliOptions & { account?: string },
): string {
  if (opts.historyTarget) return opts.historyTarget;
  if (paths.length)
    return paths
      .map((p) => (p === '-' ? 'stdin' : resolve(cwd, p)))
      .sort()
      .join(',');
  return opts.account ? `live:${opts.account}` : 'live';
}

/**
 * The scan options worth keeping with a recorded scan (plain values only; history flags left out).
 * URLs lose their user name and password (`--endpoint-url http://user:pass@host`), and every value goes
 * through the scan's redactor (a token passed as `--var token=...`).
 */
export function recordedOptions(
  opts: Record<string, unknown>,
  redactor: Pick<Redactor, 'text'> = createRedactor(),
): Record<string, unknown> {
  const clean = (s: string) => redactor.text(stripUrlCredentials(s));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(opts)) {
    if (k === 'db' || k === 'baseline' || k === 'historyTarget') continue;
    if (typeof v === 'string') out[k] = clean(v);
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out[k] = v.map(clean);
  }
  return out;
}

/**
 * Wire history into `scan` through the lead's hooks: the options, --baseline marking (transformReport)
 * and recording (afterReport), plus the `history` and `diff` commands. Call once from installFeatures.
 */
export function installHistory(
  program: Command,
  io: CliIO,
  hooks: ScanHooks,
  setExit: (code: number) => void,
): void {
  let startedAt = new Date().toISOString();
  hooks.addOptions.push((cmd) => {
    cmd.hook('preAction', () => {
      startedAt = new Date().toISOString();
    });
    return addHistoryOptions(cmd, io.env);
  });
  hooks.transformReport.push((report, opts) => {
    const o = opts as HistoryCliOptions;
    return o.baseline ? applyBaseline(report, resolve(io.cwd, o.baseline)) : report;
  });
  hooks.afterReport.push(async (report, opts, runIo, meta) => {
    const clean = (s: string) => meta.redactor.text(stripUrlCredentials(s));
    const o = opts as HistoryCliOptions & { account?: string; quiet?: boolean };
    const db = typeof o.db === 'string' ? resolve(io.cwd, o.db) : o.db;
    const result = await recordScan(
      report,
      {
        target: clean(historyTarget(meta.paths, io.cwd, o)),
        sources: meta.paths.map((p) => clean(p === '-' ? 'stdin' : resolve(io.cwd, p))),
        options: recordedOptions(opts, meta.redactor),
        toolVersion: report.tool.version,
        startedAt,
      },
      { db },
    );
    // runIo's stderr is the scan's redacting one.
    if (!result.recorded && db !== false)
      runIo.stderr.write(`trustaudit: warning: scan not recorded in history: ${result.reason}\n`);
    else if (result.recorded && !o.quiet && runIo.stderr.isTTY)
      runIo.stderr.write(`recorded scan #${result.scanId} in ${result.path}\n`);
  });
  registerHistoryCommands(program, io, setExit);
}
