import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { HistoryError, openHistory, type ScanRecord } from '../../history/store.js';
import { defaultHistoryPath } from '../history-db.js';
import type { CliIO } from '../io.js';
import { UsageError } from '../io.js';
import { parsePositiveInt } from '../parse.js';
import { registerDiffCommand } from './diff.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal control characters from stored data are replaced.
const safe = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

function scanLine(s: ScanRecord): string {
  const sev = Object.entries(s.summary.bySeverity ?? {})
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return `#${s.id}  ${s.startedAt}  ${safe(s.target)}  ${s.summary.findings} open${sev ? ` (${sev})` : ''}, ${s.summary.suppressed} suppressed${s.complete ? '' : '  INCOMPLETE'}`;
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
    .action(
      (id: number | undefined, opts: { db?: string; target?: string; limit: number; format: string }) => {
        let h: ReturnType<typeof openHistory> | undefined;
        try {
          if (!opts.db) throw new UsageError('no history database: TRUSTAUDIT_DB is off; pass --db PATH');
          h = openHistory(resolve(io.cwd, opts.db));
          if (id !== undefined) {
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
