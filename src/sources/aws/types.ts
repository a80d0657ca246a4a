/** Options of a live AWS scan (the `scan --aws` flags, already parsed). */
export interface AwsConnectionOptions {
  /** Named profile from the shared config/credentials files (`--profile`). */
  profile?: string;
  /** Region for the STS and Organizations endpoints (`--region`); IAM is global. */
  region?: string;
  /** One endpoint for every service (`--endpoint-url`). Unset: the SDK reads AWS_ENDPOINT_URL(_<SERVICE>) itself. */
  endpointUrl?: string;
  /** Attempts per API call, retries included (`--max-attempts`, SDK adaptive retry). */
  maxAttempts?: number;
  /** Per-request timeout in milliseconds. */
  requestTimeoutMs?: number;
}

export interface AwsOrgOptions {
  /** Scan every account of the Organization (`--org`). */
  org?: boolean;
  /** Role assumed in each member account (`--assume-role-name`), may include a path (`path/Name`). */
  assumeRoleName?: string;
  /** External id sent with AssumeRole into member accounts (`--external-id`). */
  externalId?: string;
  /** RoleSessionName used for AssumeRole; default `trustaudit-<timestamp>`. */
  sessionName?: string;
  /** Accounts scanned at once (`--concurrency`, default 8). */
  concurrency?: number;
  /** Only these accounts (`--accounts`). */
  accounts?: readonly string[];
  /** Skip these accounts (`--exclude-accounts`). */
  excludeAccounts?: readonly string[];
  /** Do not put the Organization's accounts into the zone of trust (`--org-accounts-are-third-parties`). */
  orgAccountsAreThirdParties?: boolean;
}

export type AwsScanOptions = AwsConnectionOptions & AwsOrgOptions;

export const DEFAULT_ASSUME_ROLE_NAME = 'OrganizationAccountAccessRole';
export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_MAX_ATTEMPTS = 5;
/** One request that has not answered after this long is abandoned and retried. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** IAM returns at most 1000 roles per ListRoles page. */
export const LIST_ROLES_PAGE_SIZE = 1000;

/** Temporary or long-term credentials handed to a client (same shape as the SDK's identity). */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** Counts of logical API calls (retries not included), by operation name, e.g. `ListRolesCommand`. */
export class ApiCallStats {
  readonly byOperation = new Map<string, number>();
  record(operation: string): void {
    this.byOperation.set(operation, (this.byOperation.get(operation) ?? 0) + 1);
  }
  get total(): number {
    let n = 0;
    for (const v of this.byOperation.values()) n += v;
    return n;
  }
  count(operation: string): number {
    return this.byOperation.get(operation) ?? 0;
  }
}
