/**
 * `--cloudtrail live` over several accounts and Regions: one LookupEvents sequence per account and
 * Region (each paced on its own to the 2 requests per second LookupEvents allows per account and Region),
 * a few of them at once. A scope that fails is a warning naming its account and Region, and is recorded as
 * not read so that no role of that account is called unused on its silence.
 */
import pLimit from 'p-limit';
import type { ScanError } from '../model/types.js';
import type { UsageCollector } from './aggregate.js';
import {
  type LookupClient,
  type LookupDeps,
  LookupError,
  lookupAssumeRoleEvents,
  scopeLabel,
} from './lookup.js';
import type { UnreadScope } from './types.js';

export interface LookupScope {
  region: string;
  /** The account whose event history is read; undefined when it is not known (a file scan). */
  account?: string;
  /** The client for this account and Region; throws LookupError when it cannot be had (e.g. AssumeRole denied). */
  client(): Promise<LookupClient>;
}

export interface LiveLookupOutcome {
  /** What was read, in the order of the scopes (for `evidence.usage.sources`). */
  sources: string[];
  unread: UnreadScope[];
  warnings: ScanError[];
  requests: number;
}

export async function lookupEverywhere(
  scopes: readonly LookupScope[],
  collector: UsageCollector,
  deps: Omit<LookupDeps, 'client'>,
  range: { from: number; to: number; days: number },
  concurrency: number,
): Promise<LiveLookupOutcome> {
  const limit = pLimit(Math.max(1, concurrency));
  const done = await Promise.all(
    scopes.map((s) =>
      limit(
        async (): Promise<{
          source?: string;
          unread?: UnreadScope;
          warning?: ScanError;
          requests: number;
        }> => {
          const where = scopeLabel(s);
          try {
            const client = await s.client();
            const r = await lookupAssumeRoleEvents({ ...deps, client }, collector, {
              region: s.region,
              from: range.from,
              to: range.to,
              ...(s.account ? { account: s.account } : {}),
            });
            if (r.throttled) deps.progress?.(`LookupEvents ${where}: throttled ${r.throttled} times`);
            return {
              source: `cloudtrail:LookupEvents in ${s.account ? `account ${s.account}, ` : ''}${s.region} (management events of the last ${range.days} days, in that Region only: LookupEvents keeps no more)`,
              requests: r.requests,
            };
          } catch (e) {
            // A failed request or credentials that could not be had; anything else is a bug.
            if (!(e instanceof LookupError)) throw e;
            deps.progress?.(`LookupEvents ${where}: not read (${e.reason})`);
            return {
              unread: { ...(s.account ? { account: s.account } : {}), region: s.region, reason: e.reason },
              warning: {
                source: 'usage',
                code: 'lookup-events-failed',
                ...(s.account ? { account: s.account } : {}),
                message: `${e.message}: no role of ${s.account ? `account ${s.account}` : 'this account'} is called unused on the evidence of ${s.region}`,
              },
              requests: 0,
            };
          }
        },
      ),
    ),
  );
  const out: LiveLookupOutcome = { sources: [], unread: [], warnings: [], requests: 0 };
  for (const d of done) {
    if (d.source) out.sources.push(d.source);
    if (d.unread) out.unread.push(d.unread);
    if (d.warning) out.warnings.push(d.warning);
    out.requests += d.requests;
  }
  return out;
}
