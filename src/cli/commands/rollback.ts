import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { FixIO } from '../../fix/run.js';
import type { RollbackOptions } from '../../fix/run-rollback.js';
import { addAwsConnectionOptions, awsOptionsFrom, silenceSdkNodeWarning } from '../aws-options.js';
import { type CliIO, useColor } from '../io.js';

/** A question with a fixed set of one-letter answers (`y`, `n`, `a`, `q`). */
export type AskFn = (question: string, choices: readonly string[]) => Promise<string>;

const WORDS: Record<string, string> = { yes: 'y', no: 'n', all: 'a', quit: 'q' };

/** The choice an answer names (`y` or `yes` -> `y`), or '' for anything else (taken as no). */
export function choiceOf(answer: string, choices: readonly string[]): string {
  const a = answer.trim().toLowerCase();
  const letter = WORDS[a] ?? a;
  return choices.includes(letter) ? letter : '';
}

/** Ask on the terminal (prompt on stderr so stdout stays clean). */
export function terminalAsk(io: CliIO): AskFn {
  return async (question, choices) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: io.stdinIsTTY });
    try {
      return choiceOf(await rl.question(question), choices);
    } finally {
      rl.close();
    }
  };
}

export function fixIO(io: CliIO, ask?: AskFn): FixIO {
  return { ...io, ask: ask ?? terminalAsk(io) };
}

/** Registers `rollback BACKUP...` (called by registerFixCommands). */
export function registerRollbackCommand(
  program: Command,
  io: CliIO,
  setExit: (code: number) => void,
  ask: AskFn | undefined,
  run: (opts: RollbackOptions, io: FixIO) => Promise<number>,
): void {
  const cmd = program
    .command('rollback')
    .description(
      'Restore trust policies exactly as they were before `trustaudit fix --apply`, from its backup files; shows each diff first and refuses a role changed since fix applied it.',
    )
    .argument('<backups...>', 'backup files written by fix --apply, or folders of them')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--force', 'restore even a role whose trust policy changed after fix applied it');
  addAwsConnectionOptions(cmd, { externalIdFlag: '--assume-role-external-id' });
  cmd.action(async (paths: string[], opts: Record<string, unknown>) => {
    silenceSdkNodeWarning();
    setExit(
      await run(
        {
          paths,
          yes: Boolean(opts.yes),
          force: Boolean(opts.force),
          aws: awsOptionsFrom(opts, 'assumeRoleExternalId'),
          color: useColor(io, undefined),
        },
        fixIO(io, ask),
      ),
    );
  });
}
