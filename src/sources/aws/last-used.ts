/**
 * `RoleLastUsed` of the roles that have findings, from `iam:GetRole`
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html). `ListRoles`, which the scan
 * uses, does not return it (https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRoles.html), so
 * one GetRole per role with a finding is made after the scan: none for a scan without findings.
 */
import { GetRoleCommand } from '@aws-sdk/client-iam';
import pLimit from 'p-limit';
import type { ScanError } from '../../model/types.js';
import { LAST_USED_KEY, readRoleLastUsed } from '../../usage/last-used.js';
import type { RoleLastUsed } from '../../usage/types.js';
import type { Redactor } from '../../util/redact.js';
import { AccessError, type LiveAccess } from './access.js';
import { awsScanError } from './errors.js';
import { DEFAULT_CONCURRENCY } from './types.js';

export { LAST_USED_KEY };

export interface RoleRef {
  arn: string;
  account: string;
  /** The role name without its path (what GetRole takes). */
  name: string;
}

export interface LastUsedResult {
  /** By role ARN. */
  lastUsed: Map<string, RoleLastUsed>;
  /**
   * A role whose GetRole failed; one per account whose credentials could not be had or whose GetRole is
   * denied (its other roles are then not asked).
   */
  warnings: ScanError[];
  /** GetRole requests made. */
  requests: number;
}

export async function fetchRoleLastUsed(
  access: LiveAccess,
  roles: readonly RoleRef[],
  opts: { concurrency?: number; redactor: Pick<Redactor, 'text'> },
): Promise<LastUsedResult> {
  const out: LastUsedResult = { lastUsed: new Map(), warnings: [], requests: 0 };
  const deniedAccounts = new Set<string>();
  /** Accounts where GetRole is denied: the warning given, and how many roles were then not asked. */
  const getRoleDenied = new Map<string, { warning: ScanError; skipped: number }>();
  const limit = pLimit(Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY));
  await Promise.all(
    roles.map((r) =>
      limit(async () => {
        const denied = getRoleDenied.get(r.account);
        if (denied) {
          denied.skipped++;
          return;
        }
        try {
          const iam = await access.iam(r.account);
          out.requests++;
          const got = await iam.send(new GetRoleCommand({ RoleName: r.name }));
          // GetRole always answers with RoleLastUsed; an empty one (no date) means no use IAM knows of.
          const lastUsed = readRoleLastUsed(got.Role?.RoleLastUsed ?? {});
          if (lastUsed) out.lastUsed.set(r.arn, lastUsed);
        } catch (e) {
          if (e instanceof AccessError) {
            if (deniedAccounts.has(r.account)) return;
            deniedAccounts.add(r.account);
            out.warnings.push({
              source: 'aws',
              code: 'role-last-used-unavailable',
              account: r.account,
              message: `account ${r.account}: RoleLastUsed not read (${e.message})`,
            });
            return;
          }
          const warning: ScanError = {
            ...awsScanError(e, `${r.arn}: RoleLastUsed not read (iam:GetRole)`, r.account, opts.redactor),
            file: r.arn,
          };
          if (isAccessDenied(e)) {
            const seen = getRoleDenied.get(r.account);
            if (seen) {
              seen.skipped++;
              return;
            }
            getRoleDenied.set(r.account, { warning, skipped: 0 });
          }
          out.warnings.push(warning);
        }
      }),
    ),
  );
  for (const { warning, skipped } of getRoleDenied.values())
    if (skipped > 0)
      warning.message += `; ${skipped} more role${skipped === 1 ? '' : 's'} of account ${warning.account} with findings not asked`;
  return out;
}

/** GetRole itself is refused (not a role that vanished, which IAM answers with NoSuchEntity). */
function isAccessDenied(e: unknown): boolean {
  const x = e as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return (
    x?.name === 'AccessDenied' || x?.name === 'AccessDeniedException' || x?.$metadata?.httpStatusCode === 403
  );
}
