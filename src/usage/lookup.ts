/**
 * Live `cloudtrail:LookupEvents` for `EventName=AssumeRole`
 * (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html): at most 50 events
 * a page, events of the last 90 days only, and two requests per second per account and Region, so
 * requests are paced and a ThrottlingException is retried after a growing pause. The client, the clock
 * and the sleep are passed in.
 */
import type {
  LookupEventsCommand,
  LookupEventsCommandInput,
  LookupEventsCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import type { UsageCollector } from './aggregate.js';
import { assumeRoleCallOf } from './events.js';

/** What LookupEvents needs of a CloudTrail client (an SDK client, or a mock). */
export interface LookupClient {
  send(command: LookupEventsCommand): Promise<LookupEventsCommandOutput>;
}

export interface LookupDeps {
  client: LookupClient;
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
  /** One line of progress (the caller decides whether it is shown). */
  progress?(line: string): void;
}

/** LookupEvents allows two requests per second per account and Region. */
export const MIN_REQUEST_INTERVAL_MS = 500;
/** LookupEvents only returns events of the last 90 days. */
export const LOOKUP_MAX_DAYS = 90;
export const MAX_THROTTLE_RETRIES = 8;
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30_000;

export interface LookupResult {
  requests: number;
  events: number;
  throttled: number;
}

/** A LookupEvents request failed for good; `reason` is the error, `account` set when known. */
export class LookupError extends Error {
  constructor(
    message: string,
    readonly region: string,
    readonly reason: string,
    readonly account?: string,
  ) {
    super(message);
  }
}

/** `123456789012 us-east-1`, or the Region alone when the account is not known. */
export function scopeLabel(scope: { region: string; account?: string }): string {
  return scope.account ? `account ${scope.account} ${scope.region}` : scope.region;
}

function isThrottling(e: unknown): boolean {
  const n = (e as { name?: string; Code?: string } | undefined)?.name;
  return n === 'ThrottlingException' || n === 'Throttling' || n === 'TooManyRequestsException';
}

/**
 * Every AssumeRole event of one account and Region from `from` to `to` (ms), into the collector; the
 * account (when given) is then marked read in that Region, even when it had no event. Throws LookupError
 * when a request fails (after the throttling retries), naming the account and Region.
 */
export async function lookupAssumeRoleEvents(
  deps: LookupDeps,
  collector: UsageCollector,
  scope: { region: string; from: number; to: number; account?: string },
): Promise<LookupResult> {
  // Loaded here, not at the top: every scan imports this module, and only a live lookup needs the SDK.
  const { LookupEventsCommand } = await import('@aws-sdk/client-cloudtrail');
  const result: LookupResult = { requests: 0, events: 0, throttled: 0 };
  const where = scopeLabel(scope);
  let lastStart: number | undefined;
  const paced = async (input: LookupEventsCommandInput): Promise<LookupEventsCommandOutput> => {
    for (let attempt = 0; ; attempt++) {
      if (lastStart !== undefined) {
        const wait = lastStart + MIN_REQUEST_INTERVAL_MS - deps.now();
        if (wait > 0) await deps.sleep(wait);
      }
      lastStart = deps.now();
      result.requests++;
      try {
        return await deps.client.send(new LookupEventsCommand(input));
      } catch (e) {
        if (!isThrottling(e) || attempt >= MAX_THROTTLE_RETRIES) {
          const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
          const reason = isThrottling(e) ? `${why} (still throttled after ${attempt} retries)` : why;
          throw new LookupError(
            `LookupEvents in ${where} failed: ${reason}`,
            scope.region,
            reason,
            scope.account,
          );
        }
        result.throttled++;
        const pause = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** attempt);
        deps.progress?.(`LookupEvents ${where}: throttled, waiting ${pause} ms`);
        await deps.sleep(pause);
      }
    }
  };
  const base: LookupEventsCommandInput = {
    LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRole' }],
    StartTime: new Date(scope.from),
    EndTime: new Date(scope.to),
    MaxResults: 50,
  };
  let token: string | undefined;
  const seenTokens = new Set<string>();
  do {
    const out = await paced(token ? { ...base, NextToken: token } : base);
    for (const ev of out.Events ?? []) {
      result.events++;
      if (typeof ev.CloudTrailEvent !== 'string') continue;
      let record: unknown;
      try {
        record = JSON.parse(ev.CloudTrailEvent);
      } catch {
        continue;
      }
      const call = assumeRoleCallOf(record);
      if (call) collector.add(call);
    }
    token = out.NextToken || undefined;
    // A service that hands back a token it already gave would loop forever.
    if (token !== undefined) {
      if (seenTokens.has(token))
        throw new LookupError(
          `LookupEvents in ${where} returned the same NextToken twice`,
          scope.region,
          'the same NextToken came back twice',
          scope.account,
        );
      seenTokens.add(token);
    }
    if (result.requests % 10 === 0 || token === undefined)
      deps.progress?.(
        `LookupEvents ${where}: ${result.requests} requests, ${result.events} AssumeRole events`,
      );
  } while (token !== undefined);
  if (scope.account) collector.markRead(scope.account, scope.region);
  return result;
}
