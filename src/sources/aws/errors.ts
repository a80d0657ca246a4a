import type { ScanError } from '../../model/types.js';
import type { Redactor } from '../../util/redact.js';

/** Stable codes for an account or call that failed. */
export type AwsErrorCode =
  | 'access-denied'
  | 'expired-credentials'
  | 'invalid-credentials'
  | 'no-credentials'
  | 'throttled'
  | 'service-error'
  | 'network'
  | 'not-in-organization'
  | 'aws-error';

const BY_NAME: Record<string, AwsErrorCode> = {
  AccessDenied: 'access-denied',
  AccessDeniedException: 'access-denied',
  AccessDeniedFault: 'access-denied',
  UnauthorizedOperation: 'access-denied',
  NoSuchEntity: 'access-denied',
  ExpiredToken: 'expired-credentials',
  ExpiredTokenException: 'expired-credentials',
  RequestExpired: 'expired-credentials',
  TokenRefreshRequired: 'expired-credentials',
  InvalidClientTokenId: 'invalid-credentials',
  SignatureDoesNotMatch: 'invalid-credentials',
  UnrecognizedClientException: 'invalid-credentials',
  InvalidAccessKeyId: 'invalid-credentials',
  CredentialsProviderError: 'no-credentials',
  Throttling: 'throttled',
  ThrottlingException: 'throttled',
  TooManyRequestsException: 'throttled',
  RequestLimitExceeded: 'throttled',
  ServiceUnavailable: 'service-error',
  ServiceUnavailableException: 'service-error',
  ServiceFailure: 'service-error',
  InternalFailure: 'service-error',
  InternalError: 'service-error',
  AWSOrganizationsNotInUseException: 'not-in-organization',
  TimeoutError: 'network',
  RequestTimeout: 'network',
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  $fault?: 'client' | 'server';
}

/** Classify an SDK (or network) error into a stable code. */
export function classifyAwsError(err: unknown): AwsErrorCode {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkErrorShape;
  const byName = e.name ? BY_NAME[e.name] : undefined;
  if (byName) return byName;
  if (e.code && NETWORK_CODES.has(e.code)) return 'network';
  const status = e.$metadata?.httpStatusCode;
  if (status === 403) return 'access-denied';
  if (status === 429) return 'throttled';
  if (status !== undefined && status >= 500) return 'service-error';
  if (e.$fault === 'server') return 'service-error';
  return 'aws-error';
}

/** Remove every secret (access key secret, session token) from a text, whatever put it there. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length >= 8) out = out.split(s).join('[redacted]');
  }
  return out;
}

/** `AccessDenied: User ... is not authorized ... (after 5 attempts)` */
export function describeAwsError(err: unknown): string {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkErrorShape;
  const name = e.name && e.name !== 'Error' ? e.name : e.code;
  const msg = (e.message ?? String(err)).split('\n')[0]!.trim();
  const attempts = e.$metadata?.attempts;
  const head = name && !msg.startsWith(name) ? `${name}: ${msg}` : msg;
  return attempts && attempts > 1 ? `${head} (after ${attempts} attempts)` : head;
}

export function awsScanError(
  err: unknown,
  what: string,
  account: string | undefined,
  redactor: Pick<Redactor, 'text'>,
): ScanError {
  const code = classifyAwsError(err);
  const hint = HINTS[code];
  const message = redactor.text(`${what}: ${describeAwsError(err)}${hint ? ` (${hint})` : ''}`);
  return { source: 'aws', code, message, ...(account ? { account } : {}) };
}

const HINTS: Partial<Record<AwsErrorCode, string>> = {
  'access-denied': 'see docs/aws-permissions.md for the permissions trustaudit needs',
  'expired-credentials': 'refresh your credentials (aws sso login, new session token) and scan again',
  'invalid-credentials':
    'the credentials were not accepted; check --profile and the AWS_* environment variables',
  'no-credentials':
    'no credentials found: set --profile, AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY',
  throttled: 'AWS kept throttling after every retry; raise --max-attempts or lower --concurrency',
  'not-in-organization': 'the account is not in an AWS Organization; scan without --org',
};
