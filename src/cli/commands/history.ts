import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { HistoryError } from '../../history/errors.js';
import type { History, ScanRecord } from '../../history/store.js';
import { produceFileAtomic, WriteError, type WriteFs } from '../../util/atomic-write.js';
import { neutraliseLine } from '../../util/neutralise.js';
import { defaultHistoryPath, describeSqliteError } from '../history-db.js';
import type { CliIO } from '../io.js';
import { UsageError } from '../io.js';
import { parsePositiveInt } from '../parse.js';
import { registerDiffCommand } from './diff.js';

// Terminal control characters from stored data are made visible (the one shared helper).
const safe = neutraliseLine;

function scanLine(s: ScanRecord): string {
  const sev = Object.entries(s.summary.bySeverity ?? {})
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return `#${s.id}  ${s.startedAt}  ${safe(s.target)}  ${s.summary.findings} open${sev ? ` (${sev})` : ''}, ${s.summary.suppressed} suppressed${s.complete ? '' : '  INCOMPLETE'}`;
}

/** Timestamp for a backup file name: 20261128T113500Z. */
function stamp(d = new Date()): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

function size(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** `history --prune --keep N`: back the database up, then delete the older scans. Returns the report. */
export async function pruneHistory(
  h: History,
  keep: number,
  target: string | undefined,
  fs?: WriteFs,
): Promise<string> {
  const opts = { keep, ...(target === undefined ? {} : { target }) };
  if (h.planPrune(opts).length === 0) {
    return `nothing to prune: no ${target === undefined ? 'target' : safe(target)} has more than ${keep} scan(s) in ${h.path}\n`;
  }
  const before = size(h.path) + size(`${h.path}-wal`);
  const backup = `${h.path}.backup-${stamp()}`;
  try {
    // A fresh temporary file filled by SQLite's online backup, fsynced, then given its name.
    await produceFileAtomic(backup, (tmp) => h.backup(tmp), {
      mode: 0o600,
      forceMode: true,
      noReplace: true,
      ...(fs ? { fs } : {}),
    });
  } catch (e) {
    if (!(e instanceof WriteError)) throw e;
    throw new HistoryError(`nothing was pruned: the backup could not be written first: ${e.message}`);
  }
  let removed: ReturnType<History['prune']>;
  try {
    removed = h.prune(opts);
  } catch (e) {
    // The deletions run in one transaction: a failure (a full disk for the log) rolls them all back.
    throw new HistoryError(
      `nothing was pruned: ${h.path}: ${describeSqliteError(e)}; the database is unchanged (backup at ${backup})`,
    );
  }
  const after = size(h.path) + size(`${h.path}-wal`);
  const lines = [
    `backup of the database before pruning: ${backup}`,
    `removed ${removed.scans.length} scan(s) and ${removed.findings} finding(s), keeping the newest ${keep} of each target${target === undefined ? '' : ` (${safe(target)} only)`}:`,
    ...removed.scans.map((s) => `  ${scanLine(s)}`),
    removed.compacted
      ? `database ${mb(before)} -> ${mb(after)}`
      : removed.compactError
        ? `the database file could not be compacted (${removed.compactError}); the scans are removed all the same, and the space is reused by later scans`
        : 'the database file could not be compacted now (another process has it open); the space is reused by later scans',
  ];
  return `${lines.join('\n')}\n`;
}

/** `trustaudit history [ID]`: list recorded scans, or show one. */
export function registerHistoryCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('history')
    .description('List the scans recorded in the history database, or show one scan.')
    .argument('[id]', 'show this scan and its findings', parsePositiveInt)
    .option(
      '--db <path>',
      'scan history database (default ~/.trustaudit/history.db or $TRUSTAUDIT_DB)',
      defaultHistoryPath(io.env) || undefined,
    )
    .option('--target <name>', 'only scans of this target')
    .option('-n, --limit <n>', 'at most this many scans', parsePositiveInt, 20)
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option(
      '--prune',
      'delete all but the newest --keep scans of each target (or of --target), after a backup of the database',
    )
    .option('--keep <n>', 'scans kept per target by --prune', parsePositiveInt)
    .action(
      async (
        id: number | undefined,
        opts: { db?: string; target?: string; limit: number; format: string; prune?: boolean; keep?: number },
      ) => {
        let h: History | undefined;
        try {
          if (!opts.db) throw new UsageError('no history database: TRUSTAUDIT_DB is off; pass --db PATH');
          if (opts.keep !== undefined && !opts.prune) {
            throw new UsageError('--keep only applies with --prune (which deletes older scans)');
          }
          if (opts.prune && opts.keep === undefined) {
            throw new UsageError(
              '--prune needs --keep N: how many of the newest scans of each target to keep',
            );
          }
          if (opts.prune && id !== undefined)
            throw new UsageError('--prune works on targets, not on one scan id');
          // The database code is loaded only when the command runs.
          const { openHistory } = await import('../../history/store.js');
          h = openHistory(resolve(io.cwd, opts.db));
          if (opts.prune) {
            io.stdout.write(await pruneHistory(h, opts.keep as number, opts.target, io.writeFs));
          } else if (id !== undefined) {
            const scan = h.getScan(id);
            if (!scan) throw new HistoryError(`no scan #${id} in ${h.path}`);
            if (opts.format === 'json') io.stdout.write(`${JSON.stringify(scan, null, 2)}\n`);
            else {
              const lines = [
                scanLine(scan),
                `tool ${safe(scan.toolVersion)}; sources: ${safe(scan.sources.join(', ') || '-')}`,
              ];
              for (const f of scan.findings)
                lines.push(
                  `  ${f.severity.toUpperCase()} ${safe(f.ruleId)} ${safe(f.resourceName)}: ${safe(f.message)}${f.suppressed ? ' [suppressed]' : ''}`,
                );
              io.stdout.write(`${lines.join('\n')}\n`);
            }
          } else {
            const scans = h.listScans({ ...(opts.target ? { target: opts.target } : {}), limit: opts.limit });
            if (opts.format === 'json') io.stdout.write(`${JSON.stringify(scans, null, 2)}\n`);
            else
              io.stdout.write(
                scans.length ? `${scans.map(scanLine).join('\n')}\n` : `no scans recorded in ${h.path}\n`,
              );
          }
          setExit(0);
        } catch (e) {
          if (e instanceof HistoryError) throw new UsageError(e.message);
          throw e;
        } finally {
          h?.close();
        }
      },
    );
}

/** Registers `history` and `diff`. */
export function registerHistoryCommands(
  program: Command,
  io: CliIO,
  setExit: (code: number) => void = () => {},
): void {
  registerHistoryCommand(program, io, setExit);
  registerDiffCommand(program, io, setExit);
}
