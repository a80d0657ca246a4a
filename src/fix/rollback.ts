import { isDeepStrictEqual } from 'node:util';
import { type IAMClient, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import type { JsonLike } from '../model/types.js';
import { documentText } from '../sources/aws/document.js';
import { describeAwsError } from '../sources/aws/errors.js';
import type { IamResolver } from './access.js';
import { currentDocument } from './apply.js';
import type { TrustBackup } from './backup.js';
import { readDocument, trustDiff } from './plan.js';

export interface RollbackResult {
  roleName: string;
  account?: string;
  file: string;
  status: 'restored' | 'unchanged' | 'failed' | 'unconfirmed' | 'refused';
  message: string;
}

/**
 * What the role holds now against the backup:
 * - `unchanged`: already the backed-up document;
 * - `as-applied`: exactly the policy `fix` applied (backup version 2), safe to put back;
 * - `changed-since-fix`: something else; someone changed the role after `fix` (refused without --force);
 * - `not-recorded`: a version 1 backup does not record what `fix` applied, so this cannot be told.
 */
export type RollbackState = 'unchanged' | 'as-applied' | 'changed-since-fix' | 'not-recorded';

export interface RollbackCheck {
  file: string;
  backup: TrustBackup;
  iam: IAMClient;
  state: RollbackState;
  /** The change rollback makes: the current document to the backed-up one. */
  diff: string;
  /** `changed-since-fix`: what changed, the applied policy to the current one (changed lines only). */
  changes?: string;
}

const base = (file: string, b: TrustBackup) => ({
  roleName: b.roleName,
  ...(b.account ? { account: b.account } : {}),
  file,
});

function read(raw: string): JsonLike | undefined {
  try {
    return readDocument(raw);
  } catch {
    return undefined;
  }
}

function parsedApplied(text: string): JsonLike | undefined {
  try {
    return JSON.parse(text) as JsonLike;
  } catch {
    return undefined;
  }
}

/** The changed lines of a diff (headers and context left out), at most `max` of them. */
export function changedLines(diff: string, max = 12): string {
  const lines = diff
    .split('\n')
    .filter((l) => (l.startsWith('+') || l.startsWith('-')) && !l.startsWith('+++') && !l.startsWith('---'));
  const shown = lines.slice(0, max);
  if (lines.length > max) shown.push(`… ${lines.length - max} more changed lines`);
  return shown.join('\n');
}

/** Read the role's current document and compare it with the backup and with what `fix` applied. */
export async function checkRollback(
  file: string,
  b: TrustBackup,
  iamFor: IamResolver,
): Promise<RollbackCheck | RollbackResult> {
  try {
    const iam = await iamFor(b.account);
    const now = await currentDocument(iam, b.roleName);
    const current = read(now);
    const wanted = read(b.document);
    const diff = trustDiff(b.roleName, current ?? now, wanted ?? b.document).replace(
      `+++ ${b.roleName} (corrected)`,
      `+++ ${b.roleName} (backup)`,
    );
    if (now === b.document) return { file, backup: b, iam, state: 'unchanged', diff };
    if (b.applied === undefined) return { file, backup: b, iam, state: 'not-recorded', diff };
    const applied = parsedApplied(b.applied);
    if (applied !== undefined && current !== undefined && isDeepStrictEqual(current, applied))
      return { file, backup: b, iam, state: 'as-applied', diff };
    const changes = changedLines(
      trustDiff(b.roleName, applied ?? b.applied, current ?? now)
        .replace(`--- ${b.roleName} (current)`, `--- ${b.roleName} (as fix applied it)`)
        .replace(`+++ ${b.roleName} (corrected)`, `+++ ${b.roleName} (now)`),
    );
    return { file, backup: b, iam, state: 'changed-since-fix', diff, changes };
  } catch (e) {
    return { ...base(file, b), status: 'failed', message: describeAwsError(e) };
  }
}

/**
 * Put the backed-up document back exactly: the decoded text of what AWS returned is sent as is, and the
 * document read back must equal the backup byte for byte. A role changed since `fix` is refused unless
 * `force`.
 */
export async function restoreBackup(c: RollbackCheck, opts: { force: boolean }): Promise<RollbackResult> {
  const b = c.backup;
  const at = base(c.file, b);
  if (c.state === 'unchanged')
    return { ...at, status: 'unchanged', message: 'already identical to the backup' };
  if (c.state === 'changed-since-fix' && !opts.force)
    return {
      ...at,
      status: 'refused',
      message:
        'the trust policy changed after fix applied it; nothing was written (restoring would undo that change too: check it, then add --force)',
    };
  try {
    await c.iam.send(
      new UpdateAssumeRolePolicyCommand({ RoleName: b.roleName, PolicyDocument: documentText(b.document) }),
    );
    const after = await currentDocument(c.iam, b.roleName);
    if (after === b.document)
      return { ...at, status: 'restored', message: 'restored, identical to the backup' };
    return {
      ...at,
      status: 'unconfirmed',
      message: 'updated, but the document read back differs from the backup',
    };
  } catch (e) {
    return { ...at, status: 'failed', message: describeAwsError(e) };
  }
}

/** Check, then restore (refusing a role changed since `fix` unless `force`). */
export async function rollbackOne(
  file: string,
  b: TrustBackup,
  iamFor: IamResolver,
  opts: { force?: boolean } = {},
): Promise<RollbackResult> {
  const c = await checkRollback(file, b, iamFor);
  if ('status' in c) return c;
  return restoreBackup(c, { force: opts.force === true });
}
