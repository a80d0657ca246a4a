import { isDeepStrictEqual } from 'node:util';
import { GetRoleCommand, type IAMClient, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { describeAwsError } from '../sources/aws/errors.js';
import type { IamResolver } from './access.js';
import { type BackupFs, writeBackup } from './backup.js';
import { readDocument } from './plan.js';
import type { RolePlan } from './types.js';

export type ApplyStatus =
  /** Updated and confirmed by reading it back. */
  | 'fixed'
  /** The trust policy changed since the plan was made; nothing was written. */
  | 'changed-since-plan'
  /** Nothing was changed (the error says why). */
  | 'failed'
  /** The update was sent but reading it back did not show the corrected document. */
  | 'unconfirmed';

export interface ApplyResult {
  roleName: string;
  arn?: string;
  account?: string;
  status: ApplyStatus;
  /** Where the backup of the previous document was written (before any change). */
  backup?: string;
  message: string;
}

export interface ApplyDeps {
  iamFor: IamResolver;
  backupDir: string;
  /** File-system calls for the backup (tests inject short writes and ENOSPC). */
  backupFs?: BackupFs;
  now?: () => Date;
  /** Told about each role as soon as it is done. */
  onResult?: (r: ApplyResult) => void;
}

/** The trust document of a role exactly as IAM returns it. */
export async function currentDocument(iam: IAMClient, roleName: string): Promise<string> {
  const out = await iam.send(new GetRoleCommand({ RoleName: roleName }));
  const doc = out.Role?.AssumeRolePolicyDocument;
  if (doc === undefined) throw new Error(`GetRole ${roleName} returned no trust policy`);
  return doc;
}

/**
 * Apply each plan, one role at a time: re-read the current document (stop if it changed since the plan),
 * write the backup atomically and read it back (see `writeBackup`), update, re-read to confirm. A role is never changed without its backup on
 * disk; a failure leaves that role as it was and the next roles are still attempted.
 */
export async function applyPlans(plans: readonly RolePlan[], deps: ApplyDeps): Promise<ApplyResult[]> {
  const results: ApplyResult[] = [];
  const now = deps.now ?? (() => new Date());
  for (const plan of plans) {
    const r = await applyOne(plan, deps, now);
    results.push(r);
    deps.onResult?.(r);
  }
  return results;
}

async function applyOne(plan: RolePlan, deps: ApplyDeps, now: () => Date): Promise<ApplyResult> {
  const base = {
    roleName: plan.roleName,
    ...(plan.arn ? { arn: plan.arn } : {}),
    ...(plan.account ? { account: plan.account } : {}),
  };
  let iam: IAMClient;
  let raw: string;
  try {
    iam = await deps.iamFor(plan.account);
    raw = await currentDocument(iam, plan.roleName);
  } catch (e) {
    return {
      ...base,
      status: 'failed',
      message: `cannot read the current trust policy: ${describeAwsError(e)}`,
    };
  }
  if (raw !== plan.currentRaw && !isDeepStrictEqual(safeRead(raw), plan.current)) {
    return {
      ...base,
      status: 'changed-since-plan',
      message:
        'the trust policy changed since it was scanned; nothing was written (scan again and re-run fix)',
    };
  }
  let backup: string;
  try {
    backup = writeBackup(
      deps.backupDir,
      {
        kind: 'trustaudit-trust-policy-backup',
        version: 1,
        createdAt: now().toISOString(),
        roleName: plan.roleName,
        ...(plan.arn ? { roleArn: plan.arn } : {}),
        ...(plan.account ? { account: plan.account } : {}),
        document: raw,
      },
      deps.backupFs,
    );
  } catch (e) {
    return {
      ...base,
      status: 'failed',
      message: `cannot write the backup, so nothing was changed: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
  try {
    await iam.send(
      new UpdateAssumeRolePolicyCommand({ RoleName: plan.roleName, PolicyDocument: plan.correctedText }),
    );
  } catch (e) {
    // The call may have failed after IAM applied it (a lost answer): look before saying "unchanged".
    const after = await currentDocument(iam, plan.roleName).catch(() => undefined);
    if (after !== undefined && isDeepStrictEqual(safeRead(after), plan.corrected)) {
      return {
        ...base,
        status: 'fixed',
        backup,
        message: 'updated (the answer was lost, reading it back confirms it)',
      };
    }
    return {
      ...base,
      status: 'failed',
      backup,
      message: `update failed, the role is unchanged: ${describeAwsError(e)}`,
    };
  }
  try {
    const after = await currentDocument(iam, plan.roleName);
    if (isDeepStrictEqual(safeRead(after), plan.corrected))
      return { ...base, status: 'fixed', backup, message: 'updated and confirmed' };
    return {
      ...base,
      status: 'unconfirmed',
      backup,
      message: 'updated, but reading it back shows a different document',
    };
  } catch (e) {
    return {
      ...base,
      status: 'unconfirmed',
      backup,
      message: `updated, but it could not be read back: ${describeAwsError(e)}`,
    };
  }
}

function safeRead(raw: string): unknown {
  try {
    return readDocument(raw);
  } catch {
    return undefined;
  }
}
