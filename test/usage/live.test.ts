// `--cloudtrail live` over several accounts and Regions (aws-sdk-client-mock: moto has no LookupEvents).
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { UsageCollector, windowEndingAt } from '../../src/usage/aggregate.js';
import { type LookupScope, lookupEverywhere } from '../../src/usage/live.js';
import { LookupError, MAX_THROTTLE_RETRIES, MIN_REQUEST_INTERVAL_MS } from '../../src/usage/lookup.js';

const NOW = Date.parse('2026-12-01T00:00:00Z');
const A = '111111111111';
const B = '222222222222';
const VENDOR = '999988887777';

function fakeClock() {
  let t = NOW;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
  };
}

function event(i: number, owner: string, region: string) {
  return {
    EventId: `${owner}-${region}-${i}`,
    CloudTrailEvent: JSON.stringify({
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      eventTime: new Date(NOW - 3_600_000 * (i + 1)).toISOString(),
      eventID: `${owner}-${region}-${i}`,
      awsRegion: region,
      userIdentity: { type: 'AWSAccount', accountId: VENDOR },
      requestParameters: { roleArn: `arn:aws:iam::${owner}:role/Vendor`, externalId: 'id-1' },
      recipientAccountId: owner,
    }),
  };
}

/** One mocked client per account and Region: 3 pages of events each; account B is denied when `denyB`. */
function scopes(clock: ReturnType<typeof fakeClock>, opts: { denyB?: 'access' | 'throttle' } = {}) {
  const sends = new Map<string, number[]>();
  const out: LookupScope[] = [];
  for (const account of [A, B])
    for (const region of ['us-east-1', 'eu-west-1']) {
      const client = new CloudTrailClient({
        region,
        credentials: { accessKeyId: account, secretAccessKey: 'x' },
      });
      const m = mockClient(client);
      const key = `${account} ${region}`;
      sends.set(key, []);
      m.on(LookupEventsCommand).callsFake((input: { NextToken?: string }) => {
        sends.get(key)!.push(clock.now());
        if (account === B && opts.denyB === 'access')
          throw Object.assign(new Error('not authorized to cloudtrail:LookupEvents'), {
            name: 'AccessDeniedException',
          });
        if (account === B && opts.denyB === 'throttle')
          throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
        const page = Number(input.NextToken ?? '0');
        return {
          Events: [event(page, account, region)],
          ...(page < 2 ? { NextToken: String(page + 1) } : {}),
        };
      });
      out.push({ account, region, client: async () => client });
    }
  return { scopes: out, sends };
}

describe('lookupEverywhere', () => {
  it('reads every account and Region, each paced to 2 requests per second, and marks them read', async () => {
    const clock = fakeClock();
    const { scopes: s, sends } = scopes(clock);
    const c = new UsageCollector(windowEndingAt(NOW, 90));
    const lines: string[] = [];
    const r = await lookupEverywhere(
      s,
      c,
      { ...clock, progress: (l) => lines.push(l) },
      { from: NOW - 90 * 86_400_000, to: NOW, days: 90 },
      4,
    );
    expect(r.warnings).toEqual([]);
    expect(r.requests).toBe(12);
    for (const [, times] of sends) {
      expect(times).toHaveLength(3);
      for (let i = 1; i < times.length; i++)
        expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(MIN_REQUEST_INTERVAL_MS);
    }
    expect(c.usageOf(A, 'vendor', VENDOR).calls).toBe(6);
    expect(c.usageOf(B, 'vendor', VENDOR).calls).toBe(6);
    expect(c.regionsOf(A)).toEqual(['eu-west-1', 'us-east-1']);
    expect(r.sources).toHaveLength(4);
    expect(r.sources[0]).toContain(`account ${A}, us-east-1`);
    expect(r.sources[0]).toContain('management events of the last 90 days, in that Region only');
    expect(lines.some((l) => l.startsWith(`LookupEvents account ${B} eu-west-1: 3 requests`))).toBe(true);
  });

  it('an account denied is a warning naming it, recorded as not read; the others are still read', async () => {
    const clock = fakeClock();
    const { scopes: s } = scopes(clock, { denyB: 'access' });
    const c = new UsageCollector(windowEndingAt(NOW, 90));
    const r = await lookupEverywhere(s, c, clock, { from: 0, to: NOW, days: 90 }, 2);
    expect(r.warnings.map((w) => [w.code, w.account])).toEqual([
      ['lookup-events-failed', B],
      ['lookup-events-failed', B],
    ]);
    expect(r.warnings[0]?.message).toContain(`account ${B} us-east-1`);
    expect(r.warnings[0]?.message).toContain('AccessDeniedException');
    expect(r.unread.map((u) => `${u.account} ${u.region}`)).toEqual([`${B} us-east-1`, `${B} eu-west-1`]);
    expect(c.accounts.has(B)).toBe(false);
    expect(c.usageOf(A, 'vendor', VENDOR).calls).toBe(6);
    // The denied account's role is not called unused.
    const gap = c.gapFor(B, 'vendor', undefined, r.unread);
    expect(c.usageOf(B, 'vendor', VENDOR, undefined, gap).verdict).toBe('inconclusive');
  });

  it('throttling to the end is a warning naming the account and saying it was throttled', async () => {
    const clock = fakeClock();
    const { scopes: s, sends } = scopes(clock, { denyB: 'throttle' });
    const c = new UsageCollector(windowEndingAt(NOW, 90));
    const r = await lookupEverywhere(s, c, clock, { from: 0, to: NOW, days: 90 }, 4);
    expect(sends.get(`${B} us-east-1`)).toHaveLength(MAX_THROTTLE_RETRIES + 1);
    expect(r.warnings).toHaveLength(2);
    expect(r.warnings[0]?.message).toContain(`still throttled after ${MAX_THROTTLE_RETRIES} retries`);
    expect(r.unread.every((u) => u.account === B)).toBe(true);
  });

  it('credentials that cannot be had for an account make only that account unread', async () => {
    const clock = fakeClock();
    const { scopes: s } = scopes(clock);
    const broken = s.map((x) =>
      x.account === B
        ? {
            ...x,
            client: async () => {
              throw new LookupError('cannot assume', x.region, 'AccessDenied: cannot assume the role', B);
            },
          }
        : x,
    );
    const c = new UsageCollector(windowEndingAt(NOW, 90));
    const r = await lookupEverywhere(broken, c, clock, { from: 0, to: NOW, days: 90 }, 2);
    expect(r.unread).toHaveLength(2);
    expect(r.unread[0]?.reason).toBe('AccessDenied: cannot assume the role');
    expect(r.sources).toHaveLength(2);
  });
});
