/**
 * `scan --cloudtrail PATH|live --usage-days N --usage-region R`: usage evidence on findings. Installed from
 * `installFeatures` in src/cli/main.ts; everything it needs from outside (clock, sleep, CloudTrail client)
 * can be passed in.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Role, ScanError } from '../model/types.js';
import type { Report } from '../reporters/types.js';
import type { LiveAccess } from '../sources/aws/access.js';
import type { AwsClientFactory } from '../sources/aws/clients.js';
import { type AwsCredentials, type AwsScanOptions, DEFAULT_CONCURRENCY } from '../sources/aws/types.js';
import { UsageCollector, windowEndingAt } from '../usage/aggregate.js';
import { attachUsage, type UsageRun } from '../usage/attach.js';
import { DEFAULT_LOG_LIMITS, readCloudTrailPath } from '../usage/files.js';
import { type LookupScope, lookupEverywhere } from '../usage/live.js';
import { LOOKUP_MAX_DAYS, type LookupClient } from '../usage/lookup.js';
import { createRedactor, secretsFromEnvironment } from '../util/redact.js';
import { awsOptionsFrom, endpointSecrets } from './aws-options.js';
import type { ScanCliOptions, ScanHooks } from './commands/scan.js';
import { type CliIO, UsageError } from './io.js';
import { collect, parsePositiveInt } from './parse.js';

export const DEFAULT_USAGE_DAYS = 90;
/** Calls to the global STS endpoint are recorded in US East (N. Virginia). */
const DEFAULT_LOOKUP_REGION = 'us-east-1';

export interface UsageFeatureDeps {
  now(): number;
  sleep(ms: number): Promise<void>;
  /**
   * A CloudTrail client for one Region (and, after `scan --aws --org`, one member account, signed with its
   * `credentials`; none means the scan's own). Default: the AWS SDK's, with --profile/--endpoint-url.
   */
  lookupClient?(
    scope: { region: string; account?: string; credentials?: AwsCredentials },
    opts: ScanCliOptions,
  ): LookupClient | Promise<LookupClient>;
  /** AWS clients for the steps after a live scan (GetRole, AssumeRole). Default: built from the scan's flags. */
  awsClients?(opts: AwsScanOptions & { region: string }): AwsClientFactory;
}

export function defaultUsageDeps(): UsageFeatureDeps {
  return {
    now: () => Date.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
}

/** Adds the flags to `scan`. */
export function addUsageOptions(cmd: Command): Command {
  return cmd
    .option(
      '--cloudtrail <path|live>',
      'usage evidence: a folder of CloudTrail log files (*.json.gz, *.json, the S3 layout), or "live" for cloudtrail:LookupEvents (repeatable)',
      collect,
    )
    .option(
      '--usage-days <n>',
      `count AssumeRole calls of the last N days (default ${DEFAULT_USAGE_DAYS}; LookupEvents keeps 90)`,
      parsePositiveInt,
    )
    .option(
      '--usage-region <region>',
      `Region for --cloudtrail live (repeatable; default AWS_REGION, else ${DEFAULT_LOOKUP_REGION})`,
      collect,
    );
}

async function sdkLookupClient(
  scope: { region: string; credentials?: AwsCredentials },
  opts: ScanCliOptions,
): Promise<LookupClient> {
  const { CloudTrailClient } = await import('@aws-sdk/client-cloudtrail');
  // Pacing and throttling retries are done by lookupAssumeRoleEvents, not by the SDK as well.
  return new CloudTrailClient({
    region: scope.region,
    maxAttempts: 1,
    ...(scope.credentials
      ? { credentials: scope.credentials }
      : typeof opts.profile === 'string'
        ? { profile: opts.profile }
        : {}),
    ...(typeof opts.endpointUrl === 'string' ? { endpoint: opts.endpointUrl } : {}),
  });
}

function usageError(code: string, message: string): ScanError {
  return { source: 'usage', code, message };
}

/** The live AWS access of the steps after a scan, made on first use (no AWS call before that). */
function liveAws(opts: ScanCliOptions, io: CliIO, deps: UsageFeatureDeps) {
  const redactor = createRedactor(secretsFromEnvironment(io.env));
  redactor.add(...endpointSecrets(opts));
  let made: { factory: AwsClientFactory; access: LiveAccess } | undefined;
  return {
    redactor,
    access: async (): Promise<LiveAccess> => {
      if (!made) {
        const [{ createClientFactory, resolveRegion }, { createLiveAccess }, { ApiCallStats }] =
          await Promise.all([
            import('../sources/aws/clients.js'),
            import('../sources/aws/access.js'),
            import('../sources/aws/types.js'),
          ]);
        const o = awsOptionsFrom(opts);
        const withRegion = { ...o, region: await resolveRegion(o) };
        const factory = deps.awsClients?.(withRegion) ?? createClientFactory(withRegion, new ApiCallStats());
        made = { factory, access: createLiveAccess(o, { factory, redactor }) };
      }
      return made.access;
    },
    destroy: () => made?.factory.destroy(),
  };
}

/** `--usage-region` not given: the scan's Region (`--region`, then the SDK's environment and profile). */
async function defaultLookupRegion(opts: ScanCliOptions, io: CliIO, live: boolean): Promise<string> {
  if (typeof opts.region === 'string') return opts.region;
  if (live) {
    const { resolveRegion } = await import('../sources/aws/clients.js');
    return resolveRegion(awsOptionsFrom(opts));
  }
  return io.env.AWS_REGION || io.env.AWS_DEFAULT_REGION || DEFAULT_LOOKUP_REGION;
}

/**
 * Read every `--cloudtrail` source, and after a live scan RoleLastUsed of the roles with findings, and
 * attach the evidence. Unreadable files are errors (exit code 2); a LookupEvents scope or GetRole that
 * failed is a warning naming the account, and no role of it is called unused on that silence.
 */
export async function applyUsage(
  report: Report,
  roles: readonly Role[],
  opts: ScanCliOptions,
  io: CliIO,
  deps: UsageFeatureDeps,
): Promise<Report> {
  const given = Array.isArray(opts.cloudtrail) ? (opts.cloudtrail as string[]) : [];
  const days = typeof opts.usageDays === 'number' ? opts.usageDays : DEFAULT_USAGE_DAYS;
  // A flag that would be silently ignored is a usage error instead.
  if (opts.usageDays !== undefined && given.length === 0)
    throw new UsageError('--usage-days only applies with --cloudtrail PATH or --cloudtrail live');
  if (opts.usageRegion !== undefined && !given.includes('live'))
    throw new UsageError('--usage-region only applies with --cloudtrail live');
  const say = (line: string) => {
    if (!opts.quiet) io.stderr.write(`trustaudit: ${line}\n`);
  };
  const errors: ScanError[] = [];
  const warnings: ScanError[] = [];
  const run: UsageRun = { sources: [] };
  const live = Boolean(opts.aws || opts.org);
  const aws = liveAws(opts, io, deps);
  try {
    if (given.length > 0) {
      const now = deps.now();
      const collector = new UsageCollector(windowEndingAt(now, days));
      run.collector = collector;
      const maxFile =
        typeof opts.maxFileSize === 'number'
          ? Math.max(opts.maxFileSize, DEFAULT_LOG_LIMITS.maxFileBytes)
          : DEFAULT_LOG_LIMITS.maxFileBytes;
      for (const src of given) {
        if (src === 'live') continue;
        const path = resolve(io.cwd, src);
        if (!existsSync(path)) throw new UsageError(`--cloudtrail ${src}: no such file or folder`);
        const before = collector.counted;
        const r = readCloudTrailPath(path, collector, { ...DEFAULT_LOG_LIMITS, maxFileBytes: maxFile });
        errors.push(...r.errors);
        run.sources.push(`CloudTrail log files under ${src}`);
        say(
          `CloudTrail: ${r.filesRead} log file${r.filesRead === 1 ? '' : 's'} read under ${src} (${collector.counted - before} AssumeRole calls in the last ${days} days${r.filesOutsideWindow ? `; ${r.filesOutsideWindow} files outside the window not opened` : ''})`,
        );
        if (r.filesRead === 0 && r.errors.length === 0)
          warnings.push({
            source: 'usage',
            code: 'cloudtrail-no-files',
            file: src,
            message: `--cloudtrail ${src}: no CloudTrail log file (*.json.gz, *.json) in the window was found there`,
          });
        if (r.notRegular > 0)
          warnings.push({
            source: 'usage',
            code: 'cloudtrail-not-regular',
            file: src,
            message: `--cloudtrail ${src}: ${r.notRegular} entries are not regular files (symbolic links, devices) and were not read`,
          });
      }
      if (given.includes('live')) {
        const regions = Array.isArray(opts.usageRegion)
          ? [...new Set(opts.usageRegion as string[])]
          : [await defaultLookupRegion(opts, io, live)];
        const lookupDays = Math.min(days, LOOKUP_MAX_DAYS);
        if (days > LOOKUP_MAX_DAYS)
          warnings.push(
            usageError(
              'lookup-events-90-days',
              `--usage-days ${days}: LookupEvents only returns the last ${LOOKUP_MAX_DAYS} days; older calls need the trail's log files (--cloudtrail PATH)`,
            ),
          );
        const makeClient = deps.lookupClient ?? sdkLookupClient;
        // After a live scan, every scanned account (each Organization member with its own credentials).
        const accounts = live ? (report.scan?.scannedAccounts ?? []).map((a) => a.id) : [];
        let scopes: LookupScope[];
        if (accounts.length > 0) {
          const { lookupScopes } = await import('../usage/live-aws.js');
          scopes = lookupScopes(accounts, regions, await aws.access(), (scope) => makeClient(scope, opts));
        } else {
          scopes = regions.map((region) => ({ region, client: async () => makeClient({ region }, opts) }));
        }
        say(
          `LookupEvents: ${accounts.length > 1 ? `${accounts.length} accounts x ` : ''}${regions.length} Region${regions.length === 1 ? '' : 's'}, at most 2 requests per second each`,
        );
        const r = await lookupEverywhere(
          scopes,
          collector,
          { now: deps.now, sleep: deps.sleep, progress: say },
          { from: now - lookupDays * 86_400_000, to: now, days: lookupDays },
          typeof opts.concurrency === 'number' ? opts.concurrency : DEFAULT_CONCURRENCY,
        );
        run.sources.push(...r.sources);
        // Messages can quote AWS answers: keep the assumed-role credentials learned here out of them.
        run.unread = r.unread.map((u) => ({ ...u, reason: aws.redactor.text(u.reason) }));
        warnings.push(...r.warnings.map((w) => ({ ...w, message: aws.redactor.text(w.message) })));
      }
    }
    if (live) {
      // ListRoles carries no RoleLastUsed: GetRole for each role with a finding (none without findings).
      const { rolesNeedingLastUsed } = await import('../usage/live-aws.js');
      const need = rolesNeedingLastUsed(report, roles);
      if (need.length > 0) {
        const { fetchRoleLastUsed } = await import('../sources/aws/last-used.js');
        const got = await fetchRoleLastUsed(await aws.access(), need, {
          ...(typeof opts.concurrency === 'number' ? { concurrency: opts.concurrency } : {}),
          redactor: aws.redactor,
        });
        // A clean scan writes nothing to stderr: the count is only shown with --verbose.
        if (opts.verbose)
          say(
            `RoleLastUsed: ${got.requests} GetRole call${got.requests === 1 ? '' : 's'} for ${need.length} role${need.length === 1 ? '' : 's'} with findings`,
          );
        run.lastUsed = got.lastUsed;
        warnings.push(...got.warnings);
      }
    }
  } finally {
    aws.destroy();
  }
  let out = attachUsage(report, roles, run);
  if (errors.length || warnings.length) {
    out = {
      ...out,
      errors: [...out.errors, ...errors],
      warnings: [...out.warnings, ...warnings],
      summary: {
        ...out.summary,
        errors: out.summary.errors + errors.length,
        complete: out.summary.complete && errors.length === 0,
      },
    };
  }
  return out;
}

/** Installs the usage-evidence feature (called once from `installFeatures`). */
export function installUsageFeature(
  hooks: Pick<ScanHooks, 'addOptions' | 'transformReport'>,
  deps: UsageFeatureDeps = defaultUsageDeps(),
): void {
  hooks.addOptions.push(addUsageOptions);
  hooks.transformReport.push((report, opts, io, scan) => applyUsage(report, scan.roles, opts, io, deps));
}
