import { type IAMClient, type Role as IamRole, paginateListRoles } from '@aws-sdk/client-iam';
import { append } from '../../util/append.js';
import { LIST_ROLES_PAGE_SIZE } from './types.js';

/**
 * Every role of one account, page by page (ListRoles returns the trust document of each role, so no
 * GetRole call is needed). `onPage` sees the running count.
 */
export async function listAccountRoles(
  iam: IAMClient,
  onPage?: (rolesSoFar: number) => void,
): Promise<IamRole[]> {
  const roles: IamRole[] = [];
  for await (const page of paginateListRoles({ client: iam, pageSize: LIST_ROLES_PAGE_SIZE }, {})) {
    append(roles, page.Roles ?? []);
    onPage?.(roles.length);
  }
  return roles;
}
