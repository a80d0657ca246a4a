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
import { UsageCollector, windowEndingAt } from '../usage/aggregate.js';
import { attachUsage, type UsageRun } from '../usage/attach.js';
import { DEFAULT_LOG_LIMITS, readCloudTrailPath } from '../usage/files.js';
import { LOOKUP_MAX_DAYS, type LookupClient, LookupError, lookupAssumeRoleEvents } from '../usage/lookup.js';
import type { ScanCliOptions, ScanHooks } from './commands/scan.js';
import { type CliIO, UsageError } from './io.js';
import { collect, parsePositiveInt } from './parse.js';

export const DEFAULT_USAGE_DAYS = 90;
/** Calls to the global STS endpoint are recorded in US East (N. Virginia). */
const DEFAULT_LOOKUP_REGION = 'us-east-1';

export interface UsageFeatureDeps {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** A CloudTrail client for one Region (default: the AWS SDK's, with the scan's --profile/--endpoint-url). */
  lookupClient?(region: string, opts: ScanCliOptions): LookupClient | Promise<LookupClient>;
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

async function sdkLookupClient(region: string, opts: ScanCliOptions): Promise<LookupClient> {
  const { CloudTrailClient } = await import('@aws-sdk/client-cloudtrail');
  // Pacing and throttling retries are done by lookupAssumeRoleEvents, not by the SDK as well.
  return new CloudTrailClient({
    region,
    maxAttempts: 1,
    ...(typeof opts.profile === 'string' ? { profile: opts.profile } : {}),
    ...(typeof opts.endpointUrl === 'string' ? { endpoint: opts.endpointUrl } : {}),
  });
}

function usageError(code: string, message: string): ScanError {
  return { source: 'usage', code, message };
}

/** Read every `--cloudtrail` source and attach the evidence; errors go into the report (exit code 2). */
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
        : [io.env.AWS_REGION || io.env.AWS_DEFAULT_REGION || DEFAULT_LOOKUP_REGION];
      const lookupDays = Math.min(days, LOOKUP_MAX_DAYS);
      if (days > LOOKUP_MAX_DAYS)
        warnings.push(
          usageError(
            'lookup-events-90-days',
            `--usage-days ${days}: LookupEvents only returns the last ${LOOKUP_MAX_DAYS} days; older calls need the trail's log files (--cloudtrail PATH)`,
          ),
        );
      const makeClient = deps.lookupClient ?? sdkLookupClient;
      for (const region of regions) {
        try {
          const client = await makeClient(region, opts);
          const r = await lookupAssumeRoleEvents(
            { client, now: deps.now, sleep: deps.sleep, progress: say },
            collector,
            { region, from: now - lookupDays * 86_400_000, to: now },
          );
          run.sources.push(`cloudtrail:LookupEvents in ${region} (last ${lookupDays} days)`);
          if (r.throttled) say(`LookupEvents ${region}: throttled ${r.throttled} times`);
        } catch (e) {
          // A failed request (credentials, permissions, throttling to the end) is a LookupError; anything else is a bug.
          if (!(e instanceof LookupError)) throw e;
          errors.push(usageError('lookup-events-failed', e.message));
        }
      }
    }
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
