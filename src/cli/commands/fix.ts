import { type Command, Option } from 'commander';
import { DEFAULT_BACKUP_DIR } from '../../fix/backup.js';
import type { RollbackOptions } from '../../fix/run-rollback.js';
import { REQUIREMENTS, type Requirement } from '../../fix/types.js';
import {
  addAwsConnectionOptions,
  addAwsScanOptions,
  awsOptionsFrom,
  awsProviderFromOptions,
  checkAwsFlags,
  silenceSdkNodeWarning,
} from '../aws-options.js';
import { type CliIO, useColor } from '../io.js';
import { collect } from '../parse.js';
import { fixIO, registerRollbackCommand } from './rollback.js';
import type { ScanHooks } from './scan.js';

/** Registers `fix` and `rollback`. */
export function registerFixCommands(
  program: Command,
  io: CliIO,
  setExit: (code: number) => void = (c) => {
    process.exitCode = c;
  },
  confirm?: (q: string) => Promise<boolean>,
): void {
  const cmd = program
    .command('fix')
    .description(
      'Correct the trust policy of roles a third party can assume without an external id or MFA (dry run unless --apply).',
    )
    .option(
      '--from <report.json>',
      'fix the TA001 findings of a JSON report (default: scan the account again)',
    )
    .option('--role <name>', 'only this role (repeatable)', collect)
    .addOption(
      new Option('--require <what>', 'what the corrected policy demands of each third party')
        .choices([...REQUIREMENTS])
        .default('external-id'),
    )
    .option(
      '--external-id <id>',
      'external id to require: ID for every third party, or ACCOUNT=ID for one (repeatable); default: a new random id per third-party account',
      collect,
    )
    .option(
      '--apply',
      'change the roles (asks first unless --yes); a backup of each trust policy is written before',
    )
    .option('-y, --yes', 'do not ask for confirmation')
    .option(
      '--backup-dir <dir>',
      `where backups are written (default ./${DEFAULT_BACKUP_DIR}/)`,
      DEFAULT_BACKUP_DIR,
    )
    .option(
      '-c, --config <file>',
      'config file for the re-scan (trusted accounts, rule settings, suppressions)',
    );
  addAwsConnectionOptions(cmd, { externalIdFlag: '--assume-role-external-id' });
  cmd.action(async (opts: Record<string, unknown>) => {
    silenceSdkNodeWarning();
    checkAwsFlags(opts, true);
    // Loaded on demand: the fixer pulls in the AWS SDK.
    const { runFix } = await import('../../fix/run.js');
    const code = await runFix(
      {
        ...(typeof opts.from === 'string' ? { from: opts.from } : {}),
        ...(Array.isArray(opts.role) ? { roles: opts.role as string[] } : {}),
        require: opts.require as Requirement,
        externalIds: (opts.externalId as string[] | undefined) ?? [],
        apply: Boolean(opts.apply),
        yes: Boolean(opts.yes),
        backupDir: String(opts.backupDir ?? DEFAULT_BACKUP_DIR),
        aws: awsOptionsFrom(opts, 'assumeRoleExternalId'),
        ...(typeof opts.config === 'string' ? { config: opts.config } : {}),
        color: useColor(io, undefined),
      },
      fixIO(io, confirm),
    );
    setExit(code);
  });
  registerRollbackCommand(program, io, setExit, confirm, async (o: RollbackOptions, fio) => {
    const { runRollback } = await import('../../fix/run-rollback.js');
    return runRollback(o, fio);
  });
}

/**
 * Everything live AWS adds to the CLI: `scan --aws/--org` options and provider, `fix`, `rollback`.
 * Called once from `installFeatures` in main.ts.
 */
export function installAwsFeatures(
  program: Command,
  io: CliIO,
  hooks: Pick<ScanHooks, 'addOptions' | 'providers'>,
  setExit: (code: number) => void,
): void {
  hooks.addOptions.push(addAwsScanOptions);
  hooks.providers.push(awsProviderFromOptions);
  registerFixCommands(program, io, setExit);
}
