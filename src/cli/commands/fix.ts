import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import type { RollbackOptions } from '../../fix/run-rollback.js';
import { DEFAULT_BACKUP_DIR, REQUIREMENTS, type Requirement } from '../../fix/types.js';
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
import { type AskFn, fixIO, registerRollbackCommand } from './rollback.js';
import type { ScanHooks } from './scan.js';

/** Registers `fix` and `rollback`. */
export function registerFixCommands(
  program: Command,
  io: CliIO,
  setExit: (code: number) => void = (c) => {
    process.exitCode = c;
  },
  ask?: AskFn,
): void {
  const cmd = program
    .command('fix')
    .description(
      'Correct the trust policy of roles a third party can assume without an external id or MFA: a dry run writes a plan, --apply PLAN applies exactly that plan (docs/fix.md).',
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
      'external id to require: ACCOUNT=ID for one account (a vendor-issued id for a known vendor), or ID for every third party you control (repeatable); default: the id CloudTrail shows the account sending (fix --from a report of scan --cloudtrail), else a new random id, never for a known vendor',
      collect,
    )
    .option(
      '--narrow-to <account|o-id>',
      'narrow a Principal "*" to these accounts or this organization (repeatable) instead of skipping the role',
      collect,
    )
    .option(
      '--plan <file>',
      'where the dry run writes its plan (default: plan-<time>.json in the backup folder)',
    )
    .option(
      '--apply [plan]',
      'change the roles: with PLAN, exactly the plan a dry run wrote (each role is skipped if its policy changed since); alone, plan and apply in one run. Asks role by role unless --yes; a backup of each trust policy is written before',
    )
    .option('-y, --yes', 'do not ask for confirmation (scripts)')
    .option(
      '--backup-dir <dir>',
      `where backups are written (default ./${DEFAULT_BACKUP_DIR}/)`,
      DEFAULT_BACKUP_DIR,
    )
    .option(
      '-c, --config <file>',
      'config file for the re-scan (trusted accounts, rule settings, suppressions)',
    )
    .option('--patch <file>', 'template findings of --from: write the patch here (default: stdout)')
    .option('--write', 'template findings of --from: change the templates in place, after a backup');
  addAwsConnectionOptions(cmd, { externalIdFlag: '--assume-role-external-id' });
  cmd.action(async (opts: Record<string, unknown>) => {
    silenceSdkNodeWarning();
    checkAwsFlags(opts, true);
    // A report of CloudFormation/Terraform roles: the templates are patched (docs/fix.md#template-fixes).
    if (typeof opts.from === 'string') {
      const tf = await import('../../fix/template/run.js');
      if (tf.reportHasTemplateFindings(resolve(io.cwd, opts.from))) {
        const patch = typeof opts.patch === 'string' ? { patch: opts.patch } : {};
        const o = {
          from: opts.from,
          ...patch,
          ...(Array.isArray(opts.role) ? { roles: opts.role as string[] } : {}),
          write: Boolean(opts.write),
          externalIds: (opts.externalId as string[] | undefined) ?? [],
          backupDir: String(opts.backupDir ?? DEFAULT_BACKUP_DIR),
        };
        setExit(await tf.runTemplateFix(o, io));
        return;
      }
    }
    // Loaded on demand: the fixer pulls in the AWS SDK.
    const { runFix } = await import('../../fix/run.js');
    const code = await runFix(
      {
        ...(typeof opts.from === 'string' ? { from: opts.from } : {}),
        ...(Array.isArray(opts.role) ? { roles: opts.role as string[] } : {}),
        require: opts.require as Requirement,
        externalIds: (opts.externalId as string[] | undefined) ?? [],
        narrowTo: (opts.narrowTo as string[] | undefined) ?? [],
        apply: opts.apply !== undefined && opts.apply !== false,
        ...(typeof opts.apply === 'string' ? { applyPlan: opts.apply } : {}),
        ...(typeof opts.plan === 'string' ? { plan: opts.plan } : {}),
        yes: Boolean(opts.yes),
        backupDir: String(opts.backupDir ?? DEFAULT_BACKUP_DIR),
        aws: awsOptionsFrom(opts, 'assumeRoleExternalId'),
        ...(typeof opts.config === 'string' ? { config: opts.config } : {}),
        color: useColor(io, undefined),
      },
      fixIO(io, ask),
    );
    setExit(code);
  });
  registerRollbackCommand(program, io, setExit, ask, async (o: RollbackOptions, fio) => {
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
