import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type AwsClientFactory, createClientFactory, resolveRegion } from '../sources/aws/clients.js';
import { redact } from '../sources/aws/errors.js';
import { learnCredentials } from '../sources/aws/provider.js';
import type { AwsScanOptions } from '../sources/aws/types.js';
import { neutraliseText } from '../util/neutralise.js';
import { createIamResolver } from './access.js';
import { readBackup, type TrustBackup } from './backup.js';
import { PLAN_KIND } from './plan-file.js';
import { checkRollback, type RollbackCheck, restoreBackup } from './rollback.js';
import { colorDiff, EXIT_FAILED, EXIT_OK, type FixIO } from './run.js';

export interface RollbackOptions {
  /** Backup files, or folders holding them. */
  paths: string[];
  yes: boolean;
  /** Restore even a role whose trust policy changed after `fix` applied it. */
  force?: boolean;
  aws: AwsScanOptions;
  /** Colour the diffs (terminal output). */
  color?: boolean;
}

/**
 * `trustaudit rollback BACKUP...`: put each role's trust policy back exactly as it was backed up. Each
 * role's diff is shown first; a role whose policy is no longer the one `fix` applied is refused (named,
 * with what changed) unless `--force`.
 */
export async function runRollback(
  opts: RollbackOptions,
  io: FixIO,
  deps: { factory?: AwsClientFactory } = {},
): Promise<number> {
  const secrets = [io.env.AWS_SECRET_ACCESS_KEY, io.env.AWS_SESSION_TOKEN].filter((s): s is string =>
    Boolean(s),
  );
  // Role names and file names come from backup files: no control character reaches the terminal.
  const out = (s: string) => io.stdout.write(redact(neutraliseText(s), secrets));
  const err = (s: string) => io.stderr.write(redact(neutraliseText(s), secrets));

  const loaded: { file: string; backup: TrustBackup }[] = [];
  let failed = false;
  for (const p of opts.paths) {
    const abs = resolve(io.cwd, p);
    let files: string[];
    try {
      files = statSync(abs).isDirectory()
        ? readdirSync(abs)
            .filter((f) => f.endsWith('.json'))
            .sort()
            .map((f) => join(abs, f))
        : [abs];
    } catch (e) {
      err(`trustaudit rollback: cannot read ${p}: ${e instanceof Error ? e.message : String(e)}\n`);
      failed = true;
      continue;
    }
    const listed = files.length > 1 || files[0] !== abs;
    for (const f of files) {
      try {
        loaded.push({ file: f, backup: readBackup(f) });
      } catch (e) {
        // The dry run's plan lives in the backup folder too: not a backup, and not an error there.
        if (isPlanFile(f)) {
          if (!listed) {
            err(`trustaudit rollback: ${f} is a fix plan (fix --apply takes it), not a backup\n`);
            failed = true;
          }
          continue;
        }
        err(`trustaudit rollback: ${(e as Error).message}\n`);
        failed = true;
      }
    }
  }
  // Two backups of one role: which state is wanted is not clear, so neither is restored.
  const byRole = new Map<string, string[]>();
  for (const l of loaded) {
    const key = l.backup.roleArn ?? `${l.backup.account ?? ''}/${l.backup.roleName}`;
    byRole.set(key, [...(byRole.get(key) ?? []), l.file]);
  }
  const ambiguous = new Set<string>();
  for (const [role, files] of byRole) {
    if (files.length > 1) {
      err(
        `trustaudit rollback: ${files.length} backups of ${role} (${files.join(', ')}); name the one to restore\n`,
      );
      for (const f of files) ambiguous.add(f);
      failed = true;
    }
  }
  const todo = loaded.filter((l) => !ambiguous.has(l.file));
  if (todo.length === 0) {
    err('trustaudit rollback: no backup to restore\n');
    return EXIT_FAILED;
  }
  for (const l of todo)
    out(
      `will restore ${l.backup.roleName}${l.backup.account ? ` (account ${l.backup.account})` : ''} from ${l.file}\n`,
    );
  // Without a terminal and without --yes nothing can be confirmed: refuse before talking to AWS at all.
  if (!opts.yes && !io.stdinIsTTY) {
    err(
      'trustaudit rollback: refusing to change roles without confirmation: there is no terminal to ask on; add --yes\n',
    );
    return EXIT_FAILED;
  }
  const factory = deps.factory ?? createClientFactory({ ...opts.aws, region: await resolveRegion(opts.aws) });
  // Whatever the SDK chain resolves (profile files, SSO, a credential process) is hidden like the env keys.
  const learn = {
    add: (...v: (string | undefined)[]) => secrets.push(...v.filter((x): x is string => Boolean(x))),
  };
  for (const client of [factory.sts(), factory.iam()]) await learnCredentials(client, learn);
  try {
    const iamFor = createIamResolver(factory, {
      ...(opts.aws.assumeRoleName ? { assumeRoleName: opts.aws.assumeRoleName } : {}),
      ...(opts.aws.externalId ? { externalId: opts.aws.externalId } : {}),
      secrets,
    });
    // First look at every role: what rollback would change, and whether someone changed it after fix.
    const checks: RollbackCheck[] = [];
    for (const l of todo) {
      const c = await checkRollback(l.file, l.backup, iamFor);
      const who = `${l.backup.roleName}${l.backup.account ? ` (account ${l.backup.account})` : ''}`;
      if ('status' in c) {
        failed = true;
        out(`FAILED: ${who}: cannot read the current trust policy: ${c.message}\n`);
        continue;
      }
      if (c.state === 'unchanged') {
        out(`unchanged: ${who}: already identical to the backup ${l.file}\n`);
        continue;
      }
      out(`Role ${who}: the change rollback makes (from ${l.file}):\n`);
      if (c.state === 'not-recorded')
        out(
          '  note: this backup (version 1) does not record the policy fix applied, so a change made since cannot be detected\n',
        );
      if (c.state === 'changed-since-fix') {
        out(
          `  the trust policy changed after fix applied it${opts.force ? ' (--force: it is restored anyway)' : ''}; what changed:\n`,
        );
        out(`${indent(c.changes ?? '')}\n`);
      }
      if (c.state === 'changed-since-fix' && !opts.force) {
        failed = true;
        out(`refused: ${who}: not restored; check the change above, then add --force to restore anyway\n`);
        continue;
      }
      const diff = neutraliseText(c.diff.trimEnd());
      io.stdout.write(redact(`${opts.color ? colorDiff(diff) : diff}\n`, secrets));
      checks.push(c);
    }
    if (checks.length === 0) return failed ? EXIT_FAILED : EXIT_OK;
    if (!opts.yes) {
      const answer = await io.ask(`Restore the trust policy of ${checks.length} role(s)? [y/N] `, ['y', 'n']);
      if (answer !== 'y') {
        out('Cancelled: nothing was changed.\n');
        return EXIT_FAILED;
      }
    }
    for (const c of checks) {
      const r = await restoreBackup(c, { force: opts.force === true });
      const ok = r.status === 'restored' || r.status === 'unchanged';
      if (!ok) failed = true;
      out(
        `${ok ? 'restored:' : r.status === 'refused' ? 'refused:' : 'FAILED:'} ${r.roleName}${r.account ? ` (account ${r.account})` : ''}: ${r.message}\n`,
      );
    }
  } finally {
    if (!deps.factory) factory.destroy();
  }
  return failed ? EXIT_FAILED : EXIT_OK;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

function isPlanFile(file: string): boolean {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { kind?: unknown };
    return data.kind === PLAN_KIND;
  } catch {
    return false;
  }
}
