import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import pLimit from 'p-limit';
import type { TrustedAccount } from '../../analysis/zone.js';
import type { Role, ScanError } from '../../model/types.js';
import { append } from '../../util/append.js';
import type { RoleProvider, SourceResult } from '../types.js';
import { listAccountRoles } from './account.js';
import { type AwsClientFactory, createClientFactory, resolveRegion } from './clients.js';
import { awsScanError, redact } from './errors.js';
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
  // Every secret we learn is scrubbed from every message we produce.
  const secrets: string[] = [env.AWS_SECRET_ACCESS_KEY, env.AWS_SESSION_TOKEN].filter(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );
  const roles: Role[] = [];
  const errors: ScanError[] = [];
  const fail = (e: ScanError) => {
    errors.push(e);
    progress.error();
  };
  const result = (extra: Partial<AwsScanResult>): AwsScanResult => ({
    roles,
    errors: errors.map((e) => ({ ...e, message: redact(e.message, secrets) })),
    partition: 'aws',
    stats,
    ...extra,
  });

  try {
    const sts = factory.sts();
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
        const listed = await listOrgAccounts(factory.organizations());
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
  secrets: string[],
  progress: ScanProgress,
): Promise<{ roles: Role[]; errors: ScanError[] }> {
  const label = t.name ? `${t.name} (${t.id})` : t.id;
  let credentials: AwsCredentials | undefined;
  if (t.assume) {
    try {
      credentials = await assumeRole(factory.sts(), t.assume, sessionName, externalId);
      secrets.push(
        credentials.secretAccessKey,
        ...(credentials.sessionToken ? [credentials.sessionToken] : []),
      );
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
    const listed = await listAccountRoles(factory.iam(credentials), (n) => {
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
