/**
 * The commands of the CLI, built with commander. src/cli/main.ts loads this module only for a command
 * (not for `--version` alone), so that a version check does not load every command's modules.
 */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/load.js';
import { HistoryError } from '../history/errors.js';
import { RuleOptionsError } from '../rules/engine.js';
import { EXIT_ERROR } from '../scan/report.js';
import { describeFsError, WriteError } from '../util/atomic-write.js';
import { neutraliseText } from '../util/neutralise.js';
import { toolVersion } from '../version.js';
import { installAwsFeatures } from './commands/fix.js';
import { registerRuleCommands } from './commands/rules.js';
import { emptyScanHooks, registerScanCommand, type ScanHooks } from './commands/scan.js';
import { installHistory } from './history-options.js';
import { type CliIO, UsageError } from './io.js';
import { installUsageFeature } from './usage-options.js';

/** Feature modules plug into the CLI here (live AWS, history, fix...). */
export function installFeatures(
  program: Command,
  io: CliIO,
  hooks: ScanHooks,
  setExit: (code: number) => void,
): void {
  installAwsFeatures(program, io, hooks, setExit);
  installHistory(program, io, hooks, setExit);
  installUsageFeature(hooks);
}

export function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('trustaudit')
    .description(
      'Find AWS IAM roles that a third party can assume without an external ID or MFA (confused deputy).',
    )
    .version(toolVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  const hooks = emptyScanHooks();
  installFeatures(program, io, hooks, setExit);
  registerScanCommand(program, io, hooks, setExit);
  registerRuleCommands(program, io, setExit);
  return program;
}

/** Parse the command line and run the command; resolves to the exit code (see `main`). */
export async function runProgram(argv: readonly string[], io: CliIO): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv]);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end with exit code 0; anything else commander rejects is a usage error.
      return e.exitCode === 0 ? 0 : EXIT_ERROR;
    }
    const line = knownErrorLine(e);
    if (line !== undefined) {
      // Messages can quote file names and values from the input: no control character reaches the terminal.
      io.stderr.write(`trustaudit: ${neutraliseText(line)}\n`);
      return EXIT_ERROR;
    }
    throw e;
  }
}

/**
 * The one line to print for an error the user can act on (usage, config, a file that cannot be written or
 * read, the history database), or undefined for an internal error (a bug: its stack is worth printing).
 */
export function knownErrorLine(e: unknown): string | undefined {
  if (
    e instanceof UsageError ||
    e instanceof ConfigError ||
    e instanceof RuleOptionsError ||
    e instanceof WriteError ||
    e instanceof HistoryError
  ) {
    return e.message;
  }
  // A file-system call that failed on a path the user named, e.g. "open /x/y: no such file or directory".
  const errno = e as NodeJS.ErrnoException;
  if (e instanceof Error && typeof errno.code === 'string' && typeof errno.path === 'string') {
    return `cannot ${errno.syscall ?? 'use'} ${errno.path}: ${describeFsError(e).reason}`;
  }
  return undefined;
}
