import type { IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClientFactory } from '../sources/aws/clients.js';
import { assumeRole, assumeRoleArn, defaultSessionName } from '../sources/aws/org.js';
import { partitionOf } from '../sources/aws/roles.js';
import { DEFAULT_ASSUME_ROLE_NAME } from '../sources/aws/types.js';

/** An IAM client for the account that owns a role. */
export type IamResolver = (account: string | undefined) => Promise<IAMClient>;

/**
 * Roles in the caller's own account use the caller's credentials; roles in other accounts of the
 * Organization are reached by assuming `assumeRoleName` there (once per account).
 */
export function createIamResolver(
  factory: AwsClientFactory,
  opts: { assumeRoleName?: string; externalId?: string; now?: () => Date; secrets?: string[] },
): IamResolver {
  let caller: Promise<{ account: string; partition: string }> | undefined;
  const clients = new Map<string, Promise<IAMClient>>();
  const whoAmI = () => {
    caller ??= factory
      .sts()
      .send(new GetCallerIdentityCommand({}))
      .then((id) => ({ account: id.Account ?? '', partition: partitionOf(id.Arn) }));
    return caller;
  };
  return async (account) => {
    const me = await whoAmI();
    const key = !account || account === me.account ? '' : account;
    let c = clients.get(key);
    if (!c) {
      c = (async () => {
        if (!key) return factory.iam();
        const arn = assumeRoleArn(me.partition, key, opts.assumeRoleName || DEFAULT_ASSUME_ROLE_NAME);
        const creds = await assumeRole(
          factory.sts(),
          arn,
          defaultSessionName((opts.now ?? (() => new Date()))()),
          opts.externalId,
        );
        opts.secrets?.push(creds.secretAccessKey, ...(creds.sessionToken ? [creds.sessionToken] : []));
        return factory.iam(creds);
      })();
      clients.set(key, c);
    }
    return c;
  };
}
