import type { Role as IamRole } from '@aws-sdk/client-iam';
import { parseTrustDocument } from '../../model/normalise.js';
import type { Role, ScanError } from '../../model/types.js';
import { LAST_USED_KEY, readRoleLastUsed } from '../../usage/last-used.js';

/** The partition of an ARN (`arn:aws-cn:...` -> `aws-cn`), `aws` when it cannot be read. */
export function partitionOf(arn: string | undefined): string {
  return arn?.split(':')[1] || 'aws';
}

/**
 * A role as ListRoles returned it -> the normalised model. The trust document is kept exactly as AWS
 * returned it in `extra.rawTrustDocument` (fix and rollback rely on that).
 */
export function roleFromIam(r: IamRole, account: string): { role?: Role; errors: ScanError[] } {
  const arn = r.Arn ?? `arn:aws:iam::${account}:role${r.Path ?? '/'}${r.RoleName ?? ''}`;
  const name = r.RoleName ?? arn.split('/').pop() ?? arn;
  const raw = r.AssumeRolePolicyDocument;
  const location = { file: arn };
  if (raw === undefined) {
    return {
      errors: [
        {
          source: 'aws',
          code: 'no-trust-policy',
          account,
          file: arn,
          message: `${arn}: ListRoles returned no trust policy`,
        },
      ],
    };
  }
  const trustPolicy = parseTrustDocument(raw, { file: arn, base: location });
  // An unreadable document leaves a role with no statements: say so rather than let it pass silently.
  const errors: ScanError[] = trustPolicy.issues
    .filter((i) => i.code === 'unparsable')
    .map((i) => ({
      source: 'aws',
      code: 'unparsable-trust-policy',
      account,
      file: arn,
      message: `${arn}: ${i.message}`,
    }));
  const role: Role = {
    id: arn,
    name,
    arn,
    ...(r.RoleId ? { roleId: r.RoleId } : {}),
    account,
    partition: partitionOf(arn),
    ...(r.Path ? { path: r.Path } : {}),
    ...(r.Description ? { description: r.Description } : {}),
    ...(r.Tags?.length ? { tags: Object.fromEntries(r.Tags.map((t) => [t.Key ?? '', t.Value ?? ''])) } : {}),
    source: { kind: 'aws', location },
    trustPolicy,
    extra: { rawTrustDocument: raw },
  };
  // GetRole and GetAccountAuthorizationDetails return RoleLastUsed; ListRoles does not (then it stays unknown).
  const lastUsed = r.RoleLastUsed ? readRoleLastUsed(r.RoleLastUsed) : undefined;
  if (lastUsed && role.extra) role.extra[LAST_USED_KEY] = lastUsed;
  return { role, errors };
}
