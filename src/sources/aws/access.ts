/**
 * Credentials per account after the scan, for the usage evidence (GetRole for RoleLastUsed, LookupEvents
 * in each member account). The scan's own credentials for its own account; with `--org`, the role
 * `--assume-role-name` assumed in each member account, once per account (the answer is kept). The
 * caller's identity is asked for once, and only when an Organization member needs credentials.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { Redactor } from '../../util/redact.js';
import type { AwsClientFactory } from './clients.js';
import { describeAwsError } from './errors.js';
import { assumeRole, assumeRoleArn, defaultSessionName } from './org.js';
import { partitionOf } from './roles.js';
import { type AwsCredentials, type AwsScanOptions, DEFAULT_ASSUME_ROLE_NAME } from './types.js';

export interface LiveAccessDeps {
  factory: AwsClientFactory;
  /** Learns every credential resolved here; redacts the messages of the errors thrown. */
  redactor: Pick<Redactor, 'add' | 'text'>;
  now?: () => Date;
}

export interface LiveAccess {
  /**
   * Credentials for `account`: undefined means the scan's own (the SDK chain). Throws an `AccessError`
   * naming the account when they cannot be had.
   */
  credentialsFor(account: string): Promise<AwsCredentials | undefined>;
  /** An IAM client signed for `account`. */
  iam(account: string): Promise<IAMClient>;
}

/** Credentials for an account could not be had (GetCallerIdentity or AssumeRole failed); the message is redacted. */
export class AccessError extends Error {
  constructor(
    readonly account: string,
    message: string,
    cause: unknown,
  ) {
    super(message, { cause });
  }
}

export function createLiveAccess(opts: AwsScanOptions, deps: LiveAccessDeps): LiveAccess {
  const now = deps.now ?? (() => new Date());
  const sessionName = opts.sessionName ?? defaultSessionName(now());
  let caller: Promise<{ account: string; partition: string }> | undefined;
  const assumed = new Map<string, Promise<AwsCredentials | undefined>>();
  const identity = () => {
    caller ??= deps.factory
      .sts()
      .send(new GetCallerIdentityCommand({}))
      .then((id) => {
        if (!id.Account) throw new Error('GetCallerIdentity returned no account');
        return { account: id.Account, partition: partitionOf(id.Arn) };
      });
    return caller;
  };
  const resolve = async (account: string): Promise<AwsCredentials | undefined> => {
    // Without --org every role scanned is in the account of the scan's own credentials.
    if (!opts.org) return undefined;
    let me: { account: string; partition: string };
    try {
      me = await identity();
    } catch (e) {
      throw new AccessError(
        account,
        deps.redactor.text(`cannot identify the credentials (sts:GetCallerIdentity): ${describeAwsError(e)}`),
        e,
      );
    }
    if (me.account === account) return undefined;
    const arn = assumeRoleArn(me.partition, account, opts.assumeRoleName || DEFAULT_ASSUME_ROLE_NAME);
    try {
      const c = await assumeRole(deps.factory.sts(), arn, sessionName, opts.externalId);
      deps.redactor.add(c.secretAccessKey, c.sessionToken);
      return c;
    } catch (e) {
      throw new AccessError(account, deps.redactor.text(`cannot assume ${arn}: ${describeAwsError(e)}`), e);
    }
  };
  const credentialsFor = (account: string) => {
    let p = assumed.get(account);
    if (!p) {
      p = resolve(account);
      assumed.set(account, p);
    }
    return p;
  };
  return {
    credentialsFor,
    iam: async (account) => deps.factory.iam(await credentialsFor(account)),
  };
}
