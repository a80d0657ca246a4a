import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageCollector, windowEndingAt } from '../../src/usage/aggregate.js';
import {
  LookupError,
  lookupAssumeRoleEvents,
  MAX_THROTTLE_RETRIES,
  MIN_REQUEST_INTERVAL_MS,
} from '../../src/usage/lookup.js';

const START = Date.parse('2026-12-01T00:00:00Z');
const OWNER = '111122223333';
const mock = mockClient(CloudTrailClient);

afterEach(() => mock.reset());

/** A clock that only moves when the code sleeps (or a request "takes" time). */
function fakeClock(requestMs = 0) {
  let t = START;
  const sends: number[] = [];
  const sleeps: number[] = [];
  return {
    sends,
    sleeps,
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    onSend: () => {
      sends.push(t);
      t += requestMs;
    },
  };
}

function event(i: number, caller: string, externalId?: string) {
  return {
    EventId: `e${i}`,
    EventName: 'AssumeRole',
    CloudTrailEvent: JSON.stringify({
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      eventTime: new Date(START - 3_600_000 * i).toISOString(),
      eventID: `e${i}`,
      sharedEventID: `s${i}`,
      userIdentity: { type: 'AWSAccount', accountId: caller },
      requestParameters: {
        roleArn: `arn:aws:iam::${OWNER}:role/VendorAccess`,
        roleSessionName: 'x',
        ...(externalId ? { externalId } : {}),
      },
      recipientAccountId: OWNER,
    }),
  };
}

function throttle() {
  return Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
}

function setup(clock: ReturnType<typeof fakeClock>) {
  const client = new CloudTrailClient({ region: 'us-east-1' });
  const send = client.send.bind(client);
  // Every request is seen on the injected clock.
  const counting = {
    send: (cmd: LookupEventsCommand) => {
      clock.onSend();
      return send(cmd);
    },
  };
  const collector = new UsageCollector(windowEndingAt(START, 90));
  return { client: counting, collector };
}

describe('LookupEvents', () => {
  it('asks for AssumeRole events of the window and follows NextToken to the last page', async () => {
    mock
      .on(LookupEventsCommand)
      .resolvesOnce({
        Events: [event(1, '999988887777', 'id-1'), event(2, '999988887777', 'id-1')],
        NextToken: 't1',
      })
      .resolvesOnce({ Events: [event(3, '444455556666')], NextToken: 't2' })
      .resolvesOnce({ Events: [event(4, '999988887777', 'id-1')] });
    const clock = fakeClock();
    const { client, collector } = setup(clock);
    const lines: string[] = [];
    const r = await lookupAssumeRoleEvents(
      { client, now: clock.now, sleep: clock.sleep, progress: (l) => lines.push(l) },
      collector,
      { region: 'us-east-1', from: START - 90 * 86_400_000, to: START },
    );
    expect(r).toEqual({ requests: 3, events: 4, throttled: 0 });
    const inputs = mock.commandCalls(LookupEventsCommand).map((c) => c.args[0].input);
    expect(inputs[0]).toMatchObject({
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRole' }],
      StartTime: new Date(START - 90 * 86_400_000),
      EndTime: new Date(START),
      MaxResults: 50,
    });
    expect(inputs[0]?.NextToken).toBeUndefined();
    expect(inputs.map((i) => i.NextToken)).toEqual([undefined, 't1', 't2']);
    expect(collector.usageOf(OWNER, 'VendorAccess', '999988887777')).toMatchObject({
      calls: 3,
      verdict: 'safe-to-enforce',
    });
    expect(collector.usageOf(OWNER, 'VendorAccess', '444455556666').verdict).toBe('sends-none');
    expect(lines.at(-1)).toMatch(/us-east-1: 3 requests, 4 AssumeRole events/);
  });

  it('paces requests to two per second on the injected clock', async () => {
    const pages = 6;
    const m = mock.on(LookupEventsCommand);
    for (let i = 0; i < pages - 1; i++)
      m.resolvesOnce({ Events: [event(i, '999988887777', 'x')], NextToken: `t${i}` });
    m.resolvesOnce({ Events: [] });
    // Requests that take 100 ms: the pause tops each interval up to 500 ms.
    const clock = fakeClock(100);
    const { client, collector } = setup(clock);
    await lookupAssumeRoleEvents({ client, now: clock.now, sleep: clock.sleep }, collector, {
      region: 'eu-west-1',
      from: START - 86_400_000,
      to: START,
    });
    expect(clock.sends).toHaveLength(pages);
    const gaps = clock.sends.slice(1).map((t, i) => t - clock.sends[i]!);
    for (const g of gaps) expect(g).toBeGreaterThanOrEqual(MIN_REQUEST_INTERVAL_MS);
    // ...and no slower than needed.
    expect(gaps.every((g) => g === MIN_REQUEST_INTERVAL_MS)).toBe(true);
    expect(clock.sleeps.every((s) => s === MIN_REQUEST_INTERVAL_MS - 100)).toBe(true);
  });

  it('backs off on ThrottlingException and then carries on', async () => {
    mock
      .on(LookupEventsCommand)
      .rejectsOnce(throttle())
      .rejectsOnce(throttle())
      .resolvesOnce({ Events: [event(1, '999988887777', 'id-1')] });
    const clock = fakeClock();
    const { client, collector } = setup(clock);
    const lines: string[] = [];
    const r = await lookupAssumeRoleEvents(
      { client, now: clock.now, sleep: clock.sleep, progress: (l) => lines.push(l) },
      collector,
      { region: 'us-east-1', from: START - 86_400_000, to: START },
    );
    expect(r).toMatchObject({ requests: 3, throttled: 2, events: 1 });
    // Growing pauses: 1 s, then 2 s.
    expect(clock.sends[1]! - clock.sends[0]!).toBeGreaterThanOrEqual(1000);
    expect(clock.sends[2]! - clock.sends[1]!).toBeGreaterThanOrEqual(2000);
    expect(lines.filter((l) => l.includes('throttled'))).toHaveLength(2);
    expect(collector.usageOf(OWNER, 'VendorAccess', '999988887777').calls).toBe(1);
  });

  it('gives up after the retries with an error naming the Region', async () => {
    mock.on(LookupEventsCommand).rejects(throttle());
    const clock = fakeClock();
    const { client, collector } = setup(clock);
    await expect(
      lookupAssumeRoleEvents({ client, now: clock.now, sleep: clock.sleep }, collector, {
        region: 'ap-south-1',
        from: START - 86_400_000,
        to: START,
      }),
    ).rejects.toThrow(/LookupEvents in ap-south-1 failed: ThrottlingException/);
    expect(clock.sends).toHaveLength(MAX_THROTTLE_RETRIES + 1);
  });

  it('does not retry other errors', async () => {
    mock
      .on(LookupEventsCommand)
      .rejectsOnce(Object.assign(new Error('no permission'), { name: 'AccessDeniedException' }));
    const clock = fakeClock();
    const { client, collector } = setup(clock);
    const scope = { region: 'us-east-1', from: START - 86_400_000, to: START };
    const deps = { client, now: clock.now, sleep: clock.sleep };
    await expect(lookupAssumeRoleEvents(deps, collector, scope)).rejects.toBeInstanceOf(LookupError);
    expect(clock.sends).toHaveLength(1);
  });

  it('stops with an error when the service repeats a NextToken (no endless loop)', async () => {
    mock.on(LookupEventsCommand).resolves({ Events: [], NextToken: 'same' });
    const clock = fakeClock();
    const { client, collector } = setup(clock);
    const scope = { region: 'us-east-1', from: START - 86_400_000, to: START };
    await expect(
      lookupAssumeRoleEvents({ client, now: clock.now, sleep: clock.sleep }, collector, scope),
    ).rejects.toThrow(/same NextToken twice/);
    expect(clock.sends).toHaveLength(2);
  });
});
