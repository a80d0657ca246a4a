/**
 * What the usage evidence asks of a live AWS scan after it ran: which roles need `RoleLastUsed` (those with
 * findings that ListRoles left without it), and the LookupEvents scopes (every scanned account, in every
 * `--usage-region`), each signed with its account's credentials.
 */
import type { Role } from '../model/types.js';
import type { Report } from '../reporters/types.js';
import { AccessError, type LiveAccess } from '../sources/aws/access.js';
import type { RoleRef } from '../sources/aws/last-used.js';
import type { AwsCredentials } from '../sources/aws/types.js';
import { roleLastUsedOf } from './last-used.js';
import type { LookupScope } from './live.js';
import { type LookupClient, LookupError } from './lookup.js';

/** Roles read live (source `aws`) that have a finding and no RoleLastUsed yet, once each, in report order. */
export function rolesNeedingLastUsed(report: Report, roles: readonly Role[]): RoleRef[] {
  const byId = new Map<string, Role>();
  for (const r of roles) if (r.source.kind === 'aws' && r.arn && !byId.has(r.arn)) byId.set(r.arn, r);
  const out = new Map<string, RoleRef>();
  for (const f of report.findings) {
    const role = byId.get(f.resource.id) ?? (f.resource.arn ? byId.get(f.resource.arn) : undefined);
    if (!role?.arn || !role.account || out.has(role.arn) || roleLastUsedOf(role)) continue;
    out.set(role.arn, { arn: role.arn, account: role.account, name: role.name });
  }
  return [...out.values()];
}

export type LookupClientMaker = (scope: {
  region: string;
  account?: string;
  /** Undefined: the scan's own credentials. */
  credentials?: AwsCredentials;
}) => LookupClient | Promise<LookupClient>;

/** One scope per account and Region; credentials that cannot be had make that scope fail (LookupError). */
export function lookupScopes(
  accounts: readonly string[],
  regions: readonly string[],
  access: LiveAccess,
  makeClient: LookupClientMaker,
): LookupScope[] {
  const out: LookupScope[] = [];
  for (const account of accounts)
    for (const region of regions)
      out.push({
        account,
        region,
        client: async () => {
          let credentials: AwsCredentials | undefined;
          try {
            credentials = await access.credentialsFor(account);
          } catch (e) {
            if (!(e instanceof AccessError)) throw e;
            throw new LookupError(
              `LookupEvents in account ${account} ${region}: ${e.message}`,
              region,
              e.message,
              account,
            );
          }
          return makeClient({ region, account, ...(credentials ? { credentials } : {}) });
        },
      });
  return out;
}
