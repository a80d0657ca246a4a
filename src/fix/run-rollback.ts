import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type AwsClientFactory, createClientFactory, resolveRegion } from '../sources/aws/clients.js';
import { redact } from '../sources/aws/errors.js';
import { learnCredentials } from '../sources/aws/provider.js';
import type { AwsScanOptions } from '../sources/aws/types.js';
import { neutraliseText } from '../util/neutralise.js';
import { createIamResolver } from './access.js';
import { readBackup, type TrustBackup } from './backup.js';
import { rollbackOne } from './rollback.js';
import { EXIT_FAILED, EXIT_OK, type FixIO } from './run.js';

export interface RollbackOptions {
  /** Backup files, or folders holding them. */
  paths: string[];
  yes: boolean;
  aws: AwsScanOptions;
}

/** `trustaudit rollback BACKUP...`: put each role's trust policy back exactly as it was backed up. */
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
    for (const f of files) {
      try {
        loaded.push({ file: f, backup: readBackup(f) });
      } catch (e) {
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
  if (!opts.yes) {
    if (!io.stdinIsTTY) {
      err(
        'trustaudit rollback: refusing to change roles without confirmation: there is no terminal to ask on; add --yes\n',
      );
      return EXIT_FAILED;
    }
    if (!(await io.confirm(`Restore the trust policy of ${todo.length} role(s)? [y/N] `))) {
      out('Cancelled: nothing was changed.\n');
      return EXIT_FAILED;
    }
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
    for (const l of todo) {
      const r = await rollbackOne(l.file, l.backup, iamFor);
      const ok = r.status === 'restored' || r.status === 'unchanged';
      if (!ok) failed = true;
      out(
        `${ok ? 'restored:' : 'FAILED:'} ${r.roleName}${r.account ? ` (account ${r.account})` : ''}: ${r.message}\n`,
      );
    }
  } finally {
    if (!deps.factory) factory.destroy();
  }
  return failed ? EXIT_FAILED : EXIT_OK;
}
