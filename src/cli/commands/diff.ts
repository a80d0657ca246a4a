import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { HistoryError } from '../../history/errors.js';
import type { History } from '../../history/store.js';
import { defaultHistoryPath } from '../history-db.js';
import type { CliIO } from '../io.js';
import { UsageError } from '../io.js';
import { parsePositiveInt } from '../parse.js';

/** `trustaudit diff [A] [B]`: new, fixed and unchanged findings between two recorded scans. */
export function registerDiffCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('diff')
    .description(
      'Compare two recorded scans (default: the last two of the same target): new, fixed and unchanged findings.',
    )
    .argument('[from]', 'older scan id (default: the second newest of the target)', parsePositiveInt)
    .argument('[to]', 'newer scan id (default: the newest of the target)', parsePositiveInt)
    .option(
      '--db <path>',
      'scan history database (default ~/.trustaudit/history.db or $TRUSTAUDIT_DB)',
      defaultHistoryPath(io.env) || undefined,
    )
    .option(
      '--target <name>',
      "compare the last two scans of this target (default: the newest scan's target)",
    )
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['text', 'json', 'markdown'])
        .default('text'),
    )
    .option('--fail-on-new', 'exit 1 when the newer scan has findings the older one did not')
    .action(
      async (
        from: number | undefined,
        to: number | undefined,
        opts: { db?: string; target?: string; format: string; failOnNew?: boolean },
      ) => {
        let h: History | undefined;
        try {
          if (!opts.db) throw new UsageError('no history database: TRUSTAUDIT_DB is off; pass --db PATH');
          // The database code and the diff renderers are loaded only when the command runs.
          const [{ openHistory }, { renderDiffJson, renderDiffMarkdown, renderDiffText }] = await Promise.all(
            [import('../../history/store.js'), import('../../history/render.js')],
          );
          h = openHistory(resolve(io.cwd, opts.db));
          const d = h.diff(from, to, opts.target ? { target: opts.target } : {});
          io.stdout.write(
            opts.format === 'json'
              ? renderDiffJson(d)
              : opts.format === 'markdown'
                ? renderDiffMarkdown(d)
                : renderDiffText(d),
          );
          setExit(opts.failOnNew && d.new.some((f) => !f.suppressed) ? 1 : 0);
        } catch (e) {
          if (e instanceof HistoryError) throw new UsageError(e.message);
          throw e;
        } finally {
          h?.close();
        }
      },
    );
}
