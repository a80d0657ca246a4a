/**
 * Reading `sts:AssumeRole` calls out of CloudTrail records, with the field names AWS documents for STS
 * events (https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html) and for the
 * `userIdentity` element
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html).
 */
import type { AssumeRoleCall } from './types.js';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(o: Obj, k: string): string | undefined {
  const v = o[k];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** Account and name of a role ARN (`arn:partition:iam::account:role/path/name`), or undefined. */
export function roleKeyOf(arn: string): { account: string; name: string } | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || parts[2] !== 'iam') return undefined;
  const account = parts[4] ?? '';
  const resource = parts.slice(5).join(':');
  if (!/^\d{12}$/.test(account) || !resource.startsWith('role/')) return undefined;
  const name = resource.slice(resource.lastIndexOf('/') + 1);
  // Role names are unique in an account whatever their case or path.
  return name ? { account, name: name.toLowerCase() } : undefined;
}

/**
 * The AssumeRole call a record describes, or undefined when the record is something else (another event,
 * an AWS service assuming a role, a record without a role ARN or caller account).
 */
export function assumeRoleCallOf(record: unknown): AssumeRoleCall | undefined {
  if (!isObj(record)) return undefined;
  if (record.eventSource !== 'sts.amazonaws.com' || record.eventName !== 'AssumeRole') return undefined;
  const params = isObj(record.requestParameters) ? record.requestParameters : undefined;
  const identity = isObj(record.userIdentity) ? record.userIdentity : undefined;
  if (!params || !identity) return undefined;
  const roleArn = str(params, 'roleArn');
  const role = roleArn ? roleKeyOf(roleArn) : undefined;
  const identityType = str(identity, 'type') ?? 'unknown';
  // A service principal (AWSService) has no account of its own; it is not a third-party account.
  const callerAccount = str(identity, 'accountId');
  const time = str(record, 'eventTime');
  const at = time ? Date.parse(time) : Number.NaN;
  if (!roleArn || !role || !callerAccount || !/^\d{12}$/.test(callerAccount) || Number.isNaN(at))
    return undefined;
  const key = str(record, 'sharedEventID') ?? str(record, 'eventID') ?? `${time}|${roleArn}|${callerAccount}`;
  const externalId = typeof params.externalId === 'string' ? params.externalId : undefined;
  const errorCode = str(record, 'errorCode');
  const recipient = str(record, 'recipientAccountId');
  const region = str(record, 'awsRegion');
  return {
    key,
    roleAccount: role.account,
    roleName: role.name,
    roleArn,
    callerAccount,
    identityType,
    time: new Date(at).toISOString(),
    at,
    ...(externalId !== undefined ? { externalId } : {}),
    mfa: typeof params.serialNumber === 'string' && params.serialNumber.length > 0,
    ...(errorCode ? { errorCode } : {}),
    ...(recipient && /^\d{12}$/.test(recipient) ? { recipientAccount: recipient } : {}),
    ...(region && /^[a-z0-9-]{1,32}$/.test(region) ? { region } : {}),
  };
}
