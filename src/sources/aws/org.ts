import { type OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentials } from './types.js';

export interface OrgAccount {
  id: string;
  name?: string;
  /** ACTIVE, SUSPENDED, PENDING_CLOSURE... */
  status: string;
}

/**
 * Every account of the Organization (all states; callers keep the ACTIVE ones for scanning), and the
 * Organization id read from the account ARNs (`arn:aws:organizations::M:account/o-xxx/A`).
 */
export async function listOrgAccounts(
  org: OrganizationsClient,
): Promise<{ accounts: OrgAccount[]; organizationId?: string }> {
  const out: OrgAccount[] = [];
  let organizationId: string | undefined;
  for await (const page of paginateListAccounts({ client: org, pageSize: 20 }, {})) {
    for (const a of page.Accounts ?? []) {
      if (!a.Id) continue;
      organizationId ??= /:account\/(o-[a-z0-9]+)\//.exec(a.Arn ?? '')?.[1];
      // `State` replaces the deprecated `Status`; accept either.
      const status = String(a.State ?? a.Status ?? 'ACTIVE');
      out.push({ id: a.Id, ...(a.Name ? { name: a.Name } : {}), status });
    }
  }
  return { accounts: out, ...(organizationId ? { organizationId } : {}) };
}

/** `arn:aws:iam::111122223333:role/OrganizationAccountAccessRole` (a name may carry a path: `ops/Audit`). */
export function assumeRoleArn(partition: string, account: string, roleName: string): string {
  return `arn:${partition}:iam::${account}:role/${roleName.replace(/^\/+/, '')}`;
}

/** `trustaudit-20261128T064500Z` (RoleSessionName allows `[\w+=,.@-]`, 2-64 chars). */
export function defaultSessionName(now: Date): string {
  return `trustaudit-${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}`;
}

export async function assumeRole(
  sts: STSClient,
  roleArn: string,
  sessionName: string,
  externalId: string | undefined,
): Promise<AwsCredentials> {
  const out = await sts.send(
    new AssumeRoleCommand({
      RoleArn: roleArn,
      RoleSessionName: sessionName,
      ...(externalId ? { ExternalId: externalId } : {}),
    }),
  );
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole ${roleArn} returned no credentials`);
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
    ...(c.Expiration ? { expiration: c.Expiration } : {}),
  };
}
