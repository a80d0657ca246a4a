import { isDeepStrictEqual } from 'node:util';
import { GetRoleCommand, type IAMClient, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { describeAwsError } from '../sources/aws/errors.js';
import type { IamResolver } from './access.js';
import { BACKUP_VERSION, type BackupFs, writeBackup } from './backup.js';
import { readDocument } from './plan.js';
import { sha256 } from './plan-file.js';
import type { RolePlan } from './types.js';
import type { Verifier } from './verify.js';

export type ApplyStatus =
  /** Updated and confirmed by reading it back. */
  | 'fixed'
  /** The trust policy changed since the plan was made; nothing was written. */
  | 'changed-since-plan'
  /** Nothing was changed (the error says why). */
  | 'failed'
  /** The update was sent but reading it back did not show the corrected document. */
  | 'unconfirmed'
  /** Updated as planned, but the re-scan of the document read back still has a finding. */
  | 'still-open';

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
  /** Re-scan of the document read back: a role is `fixed` only when it finds nothing. */
  verify?: Verifier;
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
  for (const plan of plans) results.push(await applyPlan(plan, deps));
  return results;
}

/** Apply one plan (see `applyPlans`), then re-scan the document read back when `deps.verify` is given. */
export async function applyPlan(plan: RolePlan, deps: ApplyDeps): Promise<ApplyResult> {
  let r = await applyOne(plan, deps, deps.now ?? (() => new Date()));
  if (r.status === 'fixed' && deps.verify) {
    try {
      const left = await deps.verify(plan, plan.correctedText);
      if (left.length > 0) {
        const before = new Set(await deps.verify(plan, plan.currentRaw));
        const said = left.map((f) =>
          before.has(f) ? `${f} (there before the fix too; fix does not correct it)` : f,
        );
        r = {
          ...r,
          status: 'still-open',
          message: `${r.message}, but the re-scan still finds: ${said.join('; ')}`,
        };
      }
    } catch (e) {
      r = {
        ...r,
        status: 'still-open',
        message: `${r.message}, but the re-scan failed: ${e instanceof Error ? e.message : String(e)}`,
      };
    }
  }
  deps.onResult?.(r);
  return r;
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
  // Applied already (an earlier run of this plan that stopped midway): nothing to write.
  if (isDeepStrictEqual(safeRead(raw), plan.corrected))
    return { ...base, status: 'fixed', message: 'already as planned; nothing was written' };
  // The same document encoded another way (ListRoles and GetRole may differ) is not a change.
  if (sha256(raw) !== sha256(plan.currentRaw) && !isDeepStrictEqual(safeRead(raw), plan.current)) {
    return {
      ...base,
      status: 'changed-since-plan',
      message:
        'the trust policy changed since the plan was made (its sha256 differs); nothing was written (run fix again for a new plan)',
    };
  }
  let backup: string;
  try {
    backup = writeBackup(
      deps.backupDir,
      {
        kind: 'trustaudit-trust-policy-backup',
        version: BACKUP_VERSION,
        createdAt: now().toISOString(),
        roleName: plan.roleName,
        ...(plan.arn ? { roleArn: plan.arn } : {}),
        ...(plan.account ? { account: plan.account } : {}),
        document: raw,
        applied: plan.correctedText,
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
