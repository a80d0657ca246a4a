import { type Command, InvalidArgumentError, Option } from 'commander';
import { createProgress } from '../sources/aws/progress.js';
import {
  type AwsConnectionOptions,
  type AwsScanOptions,
  DEFAULT_ASSUME_ROLE_NAME,
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_REQUEST_TIMEOUT_MS,
} from '../sources/aws/types.js';
import type { RoleProvider } from '../sources/types.js';
import {
  createRedactor,
  type Redactor,
  secretsFromEnvironment,
  stripUrlCredentials,
  urlSecrets,
} from '../util/redact.js';
import { type CliIO, UsageError } from './io.js';
import { collectAccountIds, parsePositiveInt } from './parse.js';

function parseEndpoint(value: string): string {
  try {
    const u = new URL(value);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
    return value;
  } catch {
    // Never echo a password written into the URL.
    throw new InvalidArgumentError(`"${stripUrlCredentials(value)}" is not an http(s) URL.`);
  }
}

/** Connection flags shared by `scan --aws`, `fix` and `rollback`. */
export function addAwsConnectionOptions(cmd: Command, opts: { externalIdFlag: string }): Command {
  return cmd
    .option(
      '--profile <name>',
      'AWS named profile (default: the SDK credential chain: env, SSO, profile, instance role)',
    )
    .option(
      '--region <region>',
      'AWS region: for a live scan, of STS and Organizations (IAM is global; default from env/profile, else us-east-1); for every scan, the region ASFF reports and console links name',
    )
    .option(
      '--endpoint-url <url>',
      'send every AWS call to this endpoint (e.g. a local emulator); AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_IAM/_STS/_ORGANIZATIONS also work',
      parseEndpoint,
    )
    .option(
      '--max-attempts <n>',
      `attempts per AWS call with adaptive retry (default ${DEFAULT_MAX_ATTEMPTS})`,
      parsePositiveInt,
    )
    .option(
      '--request-timeout <ms>',
      `abandon one AWS request after this many milliseconds and retry it (default ${DEFAULT_REQUEST_TIMEOUT_MS})`,
      parsePositiveInt,
    )
    .option(
      '--org',
      'scan every active account of the AWS Organization (run with management or delegated-admin credentials)',
    )
    .option(
      '--assume-role-name <name>',
      `role assumed in each member account (default ${DEFAULT_ASSUME_ROLE_NAME})`,
    )
    .option(`${opts.externalIdFlag} <id>`, 'external id to send when assuming the role in member accounts')
    .option(
      '--concurrency <n>',
      `accounts scanned at once with --org (default ${DEFAULT_CONCURRENCY})`,
      parsePositiveInt,
    )
    .option(
      '--accounts <ids>',
      'with --org: only these accounts (comma-separated, repeatable)',
      collectAccountIds,
    )
    .option(
      '--exclude-accounts <ids>',
      'with --org: skip these accounts (comma-separated, repeatable)',
      collectAccountIds,
    )
    .option(
      '--org-accounts-are-third-parties',
      "with --org: do not trust the Organization's own accounts (by default every member account is in the zone of trust)",
    );
}

/** Adds the live-AWS flags to `scan`. */
export function addAwsScanOptions(cmd: Command): Command {
  return addAwsConnectionOptions(
    cmd.addOption(
      new Option('--aws', 'scan the roles of the live AWS account (or, with --org, the Organization)'),
    ),
    {
      externalIdFlag: '--external-id',
    },
  );
}

const ORG_ONLY: [key: string, flag: string][] = [
  ['accounts', '--accounts'],
  ['excludeAccounts', '--exclude-accounts'],
  ['orgAccountsAreThirdParties', '--org-accounts-are-third-parties'],
  ['concurrency', '--concurrency'],
];
const AWS_ONLY: [key: string, flag: string][] = [
  ['profile', '--profile'],
  ['endpointUrl', '--endpoint-url'],
  ['maxAttempts', '--max-attempts'],
  ['requestTimeout', '--request-timeout'],
  ['assumeRoleName', '--assume-role-name'],
  ['externalId', '--external-id'],
];

/** A flag that would be silently ignored is a usage error instead. */
export function checkAwsFlags(opts: Record<string, unknown>, live: boolean): void {
  const given = (k: string) => opts[k] !== undefined && opts[k] !== false;
  if (!live) {
    const stray = [...AWS_ONLY, ...ORG_ONLY].filter(([k]) => given(k)).map(([, f]) => f);
    if (stray.length)
      throw new UsageError(`${stray.join(', ')} only apply to a live scan: add --aws (or --org)`);
    return;
  }
  if (!opts.org) {
    const stray = ORG_ONLY.filter(([k]) => given(k)).map(([, f]) => f);
    if (stray.length) throw new UsageError(`${stray.join(', ')} only apply with --org`);
  }
}

/** Parsed commander options -> `AwsScanOptions`. `externalIdKey` is the commander key of the assume-role external id. */
export function awsOptionsFrom(opts: Record<string, unknown>, externalIdKey = 'externalId'): AwsScanOptions {
  const str = (k: string) => (typeof opts[k] === 'string' ? (opts[k] as string) : undefined);
  const num = (k: string) => (typeof opts[k] === 'number' ? (opts[k] as number) : undefined);
  const list = (k: string) => (Array.isArray(opts[k]) ? (opts[k] as string[]) : undefined);
  const out: AwsScanOptions = {};
  const conn: AwsConnectionOptions = out;
  const profile = str('profile');
  if (profile) conn.profile = profile;
  const region = str('region');
  if (region) conn.region = region;
  const endpoint = str('endpointUrl');
  if (endpoint) conn.endpointUrl = endpoint;
  const attempts = num('maxAttempts');
  if (attempts) conn.maxAttempts = attempts;
  const timeout = num('requestTimeout');
  if (timeout) conn.requestTimeoutMs = timeout;
  if (opts.org) out.org = true;
  const roleName = str('assumeRoleName');
  if (roleName) out.assumeRoleName = roleName;
  const externalId = str(externalIdKey);
  if (externalId) out.externalId = externalId;
  const concurrency = num('concurrency');
  if (concurrency) out.concurrency = concurrency;
  const accounts = list('accounts');
  if (accounts?.length) out.accounts = accounts;
  const exclude = list('excludeAccounts');
  if (exclude?.length) out.excludeAccounts = exclude;
  if (opts.orgAccountsAreThirdParties) out.orgAccountsAreThirdParties = true;
  return out;
}

/**
 * The AWS SDK prints a multi-line "node >= 22 will be required" warning on Node 20, which trustaudit
 * supports; keep it out of the CLI's stderr unless the user set the variable themselves.
 */
export function silenceSdkNodeWarning(env: NodeJS.ProcessEnv = process.env): void {
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

/** The password of `--endpoint-url http://user:password@host`, for the redactor. */
export function endpointSecrets(opts: Record<string, unknown>): string[] {
  return typeof opts.endpointUrl === 'string' ? urlSecrets(opts.endpointUrl) : [];
}

/**
 * The live AWS provider when `--aws` (or `--org`) was given, else undefined. `run.redactor` learns every
 * credential the scan resolves (default: one of its own, seeded from the environment).
 */
export function awsProviderFromOptions(
  opts: Record<string, unknown>,
  io: CliIO,
  run: { redactor?: Redactor } = {},
): RoleProvider | undefined {
  const live = Boolean(opts.aws || opts.org);
  checkAwsFlags(opts, live);
  if (!live) return undefined;
  silenceSdkNodeWarning();
  const o = awsOptionsFrom(opts);
  const redactor = run.redactor ?? createRedactor(secretsFromEnvironment(io.env));
  redactor.add(...endpointSecrets(opts));
  // The AWS SDK takes a while to load: only pay for it when a live scan actually runs.
  return async (ctx) => {
    const { createAwsProvider } = await import('../sources/aws/provider.js');
    return createAwsProvider(o, {
      progress: createProgress(io.stderr, Boolean(opts.quiet)),
      env: io.env,
      redactor,
    })(ctx);
  };
}
