import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { FixIO } from '../../fix/run.js';
import type { RollbackOptions } from '../../fix/run-rollback.js';
import { addAwsConnectionOptions, awsOptionsFrom, silenceSdkNodeWarning } from '../aws-options.js';
import type { CliIO } from '../io.js';

/** Ask on the terminal (prompt on stderr so stdout stays clean). */
export function terminalConfirm(io: CliIO): (question: string) => Promise<boolean> {
  return async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: io.stdinIsTTY });
    try {
      const answer = await rl.question(question);
      return /^y(es)?$/i.test(answer.trim());
    } finally {
      rl.close();
    }
  };
}

export function fixIO(io: CliIO, confirm?: (q: string) => Promise<boolean>): FixIO {
  return { ...io, confirm: confirm ?? terminalConfirm(io) };
}

/** Registers `rollback BACKUP...` (called by registerFixCommands). */
export function registerRollbackCommand(
  program: Command,
  io: CliIO,
  setExit: (code: number) => void,
  confirm: ((q: string) => Promise<boolean>) | undefined,
  run: (opts: RollbackOptions, io: FixIO) => Promise<number>,
): void {
  const cmd = program
    .command('rollback')
    .description(
      'Restore trust policies exactly as they were before `trustaudit fix --apply`, from its backup files.',
    )
    .argument('<backups...>', 'backup files written by fix --apply, or folders of them')
    .option('-y, --yes', 'do not ask for confirmation');
  addAwsConnectionOptions(cmd, { externalIdFlag: '--assume-role-external-id' });
  cmd.action(async (paths: string[], opts: Record<string, unknown>) => {
    silenceSdkNodeWarning();
    setExit(
      await run(
        { paths, yes: Boolean(opts.yes), aws: awsOptionsFrom(opts, 'assumeRoleExternalId') },
        fixIO(io, confirm),
      ),
    );
  });
}
