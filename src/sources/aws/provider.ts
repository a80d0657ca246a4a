import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import pLimit from 'p-limit';
import type { TrustedAccount } from '../../analysis/zone.js';
import type { Role, ScanError } from '../../model/types.js';
import { append } from '../../util/append.js';
import { createRedactor, type Redactor, secretsFromEnvironment } from '../../util/redact.js';
import type { RoleProvider, SourceResult } from '../types.js';
import { listAccountRoles } from './account.js';
import { type AwsClientFactory, createClientFactory, resolveRegion } from './clients.js';
import { awsScanError } from './errors.js';
import { assumeRole, assumeRoleArn, defaultSessionName, listOrgAccounts, type OrgAccount } from './org.js';
import { type ScanProgress, silentProgress } from './progress.js';
import { partitionOf, roleFromIam } from './roles.js';
import {
  ApiCallStats,
  type AwsCredentials,
  type AwsScanOptions,
  DEFAULT_ASSUME_ROLE_NAME,
  DEFAULT_CONCURRENCY,
} from './types.js';

export interface AwsScanDeps {
  /** Clients to use; default: built from the options. */
  factory?: AwsClientFactory;
  progress?: ScanProgress;
  now?: () => Date;
  /** Receives a count of every logical API call (when the factory is built here). */
  stats?: ApiCallStats;
  /** Environment to take secrets from for redaction (default process.env). */
  env?: NodeJS.ProcessEnv;
  /**
   * Learns every credential this scan resolves (the SDK chain's, assumed roles') so that the caller can
   * keep them out of everything it writes; also redacts the scan's own error messages. Default: a new
   * one seeded from `env`.
   */
  redactor?: Redactor;
}

export interface AwsScanResult extends SourceResult {
  /** The account of the credentials (sts:GetCallerIdentity), when it could be read. */
  callerAccount?: string;
  partition: string;
  /** Organization id (o-...) when `--org` listed the accounts. */
  organizationId?: string;
  stats: ApiCallStats;
}

/** Everything the caller identity and the org listing tell about where to look. */
interface Target {
  id: string;
  name?: string;
  /** Undefined: use the caller's own credentials. */
  assume?: string;
}

/** Scan one account or a whole Organization. Never throws for AWS faults: they come back as errors. */
export async function scanAws(opts: AwsScanOptions, deps: AwsScanDeps = {}): Promise<AwsScanResult> {
  const stats = deps.stats ?? new ApiCallStats();
  const progress = deps.progress ?? silentProgress;
  const env = deps.env ?? process.env;
  const now = deps.now ?? (() => new Date());
  const factory = deps.factory ?? createClientFactory({ ...opts, region: await resolveRegion(opts) }, stats);
  // Every secret we learn is scrubbed from every message we produce (and, through the caller's
  // redactor, from every report, history record and stderr line).
  const secrets = deps.redactor ?? createRedactor(secretsFromEnvironment(env));
  secrets.add(env.AWS_SECRET_ACCESS_KEY, env.AWS_SESSION_TOKEN);
  const roles: Role[] = [];
  const errors: ScanError[] = [];
  const fail = (e: ScanError) => {
    errors.push(e);
    progress.error();
  };
  const result = (extra: Partial<AwsScanResult>): AwsScanResult => ({
    roles,
    errors: errors.map((e) => ({ ...e, message: secrets.text(e.message) })),
    partition: 'aws',
    stats,
    ...extra,
  });

  try {
    const sts = factory.sts();
    await learnCredentials(sts, secrets);
    let callerAccount: string;
    let partition: string;
    try {
      const id = await sts.send(new GetCallerIdentityCommand({}));
      callerAccount = id.Account ?? '';
      partition = partitionOf(id.Arn);
      if (!callerAccount) throw new Error('GetCallerIdentity returned no account');
    } catch (e) {
      fail(awsScanError(e, 'cannot identify the credentials (sts:GetCallerIdentity)', undefined, secrets));
      return result({});
    }

    let targets: Target[] = [{ id: callerAccount }];
    let orgAccounts: OrgAccount[] = [];
    let organizationId: string | undefined;
    if (opts.org) {
      try {
        // Each client resolves the chain on its own: a credential process may hand out new keys each time.
        const orgs = factory.organizations();
        await learnCredentials(orgs, secrets);
        const listed = await listOrgAccounts(orgs);
        orgAccounts = listed.accounts;
        organizationId = listed.organizationId;
        const roleName = opts.assumeRoleName || DEFAULT_ASSUME_ROLE_NAME;
        targets = selectTargets(orgAccounts, opts, errors).map((a) => ({
          id: a.id,
          ...(a.name ? { name: a.name } : {}),
          ...(a.id === callerAccount ? {} : { assume: assumeRoleArn(partition, a.id, roleName) }),
        }));
      } catch (e) {
        fail(
          awsScanError(
            e,
            `cannot list the Organization's accounts (organizations:ListAccounts); scanned only ${callerAccount}`,
            callerAccount,
            secrets,
          ),
        );
      }
    }

    progress.accountsTotal(targets.length);
    const sessionName = opts.sessionName ?? defaultSessionName(now());
    const limit = pLimit(Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY));
    const perAccount = await Promise.all(
      targets.map((t) =>
        limit(async () => {
          const out = await scanTarget(t, factory, sessionName, opts.externalId, secrets, progress);
          progress.accountDone();
          return out;
        }),
      ),
    );
    for (const r of perAccount) {
      append(roles, r.roles);
      for (const e of r.errors) fail(e);
    }

    const trusted: TrustedAccount[] =
      opts.org && !opts.orgAccountsAreThirdParties
        ? orgAccounts.map((a) => ({ id: a.id, ...(a.name ? { name: a.name } : {}) }))
        : [];
    return result({
      callerAccount,
      partition,
      ...(organizationId ? { organizationId } : {}),
      ...(trusted.length ? { trusted } : {}),
      accounts: targets.map((t) => ({ id: t.id, ...(t.name ? { name: t.name } : {}) })),
    });
  } finally {
    progress.end();
    if (!deps.factory) factory.destroy();
  }
}

/**
 * Resolve the client's credentials (the SDK chain: environment, profile files, SSO, web identity,
 * credential process, container or instance role) and teach their secret parts to the redactor, so an
 * endpoint or error that echoes them never puts them in a report. A chain that cannot resolve is left
 * for the first call to report.
 */
export async function learnCredentials(
  client: { config?: { credentials?: unknown } },
  redactor: Pick<Redactor, 'add'>,
): Promise<void> {
  const provider = client.config?.credentials;
  if (typeof provider !== 'function') return;
  try {
    const c = (await (provider as () => Promise<unknown>)()) as
      | { secretAccessKey?: string; sessionToken?: string }
      | undefined;
    redactor.add(c?.secretAccessKey, c?.sessionToken);
  } catch {
    // No credentials: GetCallerIdentity reports it (no-credentials) with a hint.
  }
}

/** ACTIVE accounts, narrowed by `--accounts` / `--exclude-accounts`. Unknown ids in `--accounts` are errors. */
function selectTargets(accounts: OrgAccount[], opts: AwsScanOptions, errors: ScanError[]): OrgAccount[] {
  const only = opts.accounts?.length ? new Set(opts.accounts) : undefined;
  const skip = new Set(opts.excludeAccounts ?? []);
  if (only) {
    const known = new Set(accounts.map((a) => a.id));
    for (const id of only) {
      if (!known.has(id)) {
        errors.push({
          source: 'aws',
          code: 'unknown-account',
          account: id,
          message: `account ${id} (--accounts) is not in the Organization`,
        });
      }
    }
  }
  return accounts.filter((a) => a.status === 'ACTIVE' && (!only || only.has(a.id)) && !skip.has(a.id));
}

async function scanTarget(
  t: Target,
  factory: AwsClientFactory,
  sessionName: string,
  externalId: string | undefined,
  secrets: Redactor,
  progress: ScanProgress,
): Promise<{ roles: Role[]; errors: ScanError[] }> {
  const label = t.name ? `${t.name} (${t.id})` : t.id;
  let credentials: AwsCredentials | undefined;
  if (t.assume) {
    try {
      credentials = await assumeRole(factory.sts(), t.assume, sessionName, externalId);
      secrets.add(credentials.secretAccessKey, credentials.sessionToken);
    } catch (e) {
      return {
        roles: [],
        errors: [awsScanError(e, `account ${label}: cannot assume ${t.assume}`, t.id, secrets)],
      };
    }
  }
  const roles: Role[] = [];
  const errors: ScanError[] = [];
  let reported = 0;
  try {
    const iam = factory.iam(credentials);
    if (!credentials) await learnCredentials(iam, secrets);
    const listed = await listAccountRoles(iam, (n) => {
      progress.roles(n - reported);
      reported = n;
    });
    for (const r of listed) {
      const c = roleFromIam(r, t.id);
      if (c.role) roles.push(c.role);
      append(errors, c.errors);
    }
  } catch (e) {
    // A half-listed account is reported as failed: its roles are dropped rather than judged incompletely.
    return {
      roles: [],
      errors: [awsScanError(e, `account ${label}: cannot list roles (iam:ListRoles)`, t.id, secrets)],
    };
  }
  return { roles, errors };
}

/** The `RoleProvider` the scan command runs. */
export function createAwsProvider(opts: AwsScanOptions, deps: AwsScanDeps = {}): RoleProvider {
  return async ({ zone }) => {
    const r = await scanAws(opts, deps);
    // A condition pinning aws:PrincipalOrgID to our own Organization keeps third parties out.
    if (r.organizationId && !opts.orgAccountsAreThirdParties) zone.trustedOrgIds.add(r.organizationId);
    return {
      roles: r.roles,
      errors: r.errors,
      ...(r.trusted ? { trusted: r.trusted } : {}),
      ...(r.accounts ? { accounts: r.accounts } : {}),
    };
  };
}
