import { describe, expect, it } from 'vitest';
import { MAX_LISTED_IDS, UsageCollector, windowEndingAt } from '../../src/usage/aggregate.js';
import type { AssumeRoleCall } from '../../src/usage/types.js';

const NOW = Date.parse('2026-12-01T00:00:00Z');
const DAY = 86_400_000;
let n = 0;

function call(caller: string, extra: Partial<AssumeRoleCall> = {}): AssumeRoleCall {
  n++;
  const at = extra.at ?? NOW - DAY;
  return {
    key: `k${n}`,
    roleAccount: '111122223333',
    roleName: 'vendoraccess',
    roleArn: 'arn:aws:iam::111122223333:role/VendorAccess',
    callerAccount: caller,
    identityType: 'AWSAccount',
    time: new Date(at).toISOString(),
    at,
    mfa: false,
    ...extra,
  };
}

function collector(days = 90) {
  return new UsageCollector(windowEndingAt(NOW, days));
}

describe('verdicts per (role, third party)', () => {
  it('safe-to-enforce: every call sent the same id', () => {
    const c = collector();
    c.add(call('999988887777', { externalId: 'id-1', at: NOW - 3 * DAY }));
    c.add(call('999988887777', { externalId: 'id-1', at: NOW - DAY }));
    const u = c.usageOf('111122223333', 'VendorAccess', '999988887777');
    expect(u.verdict).toBe('safe-to-enforce');
    expect(u.externalIds).toEqual([{ value: 'id-1', count: 2 }]);
    expect(u.calls).toBe(2);
    expect(u.firstSeen).toBe(new Date(NOW - 3 * DAY).toISOString());
    expect(u.lastSeen).toBe(new Date(NOW - DAY).toISOString());
    expect(u.advice).toContain('"id-1"');
  });

  it('sends-several-ids: two ids', () => {
    const c = collector();
    c.add(call('777788889999', { externalId: 'a' }));
    c.add(call('777788889999', { externalId: 'b' }));
    expect(c.usageOf('111122223333', 'vendoraccess', '777788889999').verdict).toBe('sends-several-ids');
  });

  it('sends-several-ids: one id on some calls and none on others (enforcing would break the others)', () => {
    const c = collector();
    c.add(call('777788889999', { externalId: 'a' }));
    c.add(call('777788889999'));
    const u = c.usageOf('111122223333', 'vendoraccess', '777788889999');
    expect(u.verdict).toBe('sends-several-ids');
    expect(u.callsWithoutExternalId).toBe(1);
  });

  it('sends-none: calls without any id, MFA counted', () => {
    const c = collector();
    c.add(call('444455556666'));
    c.add(call('444455556666', { mfa: true }));
    const u = c.usageOf('111122223333', 'vendoraccess', '444455556666');
    expect(u.verdict).toBe('sends-none');
    expect(u.callsWithMfa).toBe(1);
    expect(u.advice).toMatch(/configure one/);
  });

  it('unused-in-window: no call, or only denied calls', () => {
    const c = collector();
    c.add(call('222233334444', { errorCode: 'AccessDenied', externalId: 'guess' }));
    const u = c.usageOf('111122223333', 'vendoraccess', '222233334444');
    expect(u.verdict).toBe('unused-in-window');
    expect(u.deniedCalls).toBe(1);
    expect(u.errorCodes).toEqual({ AccessDenied: 1 });
    expect(u.externalIds).toEqual([]);
    const never = c.usageOf('111122223333', 'vendoraccess', '555566667777', { lastUsedDate: null });
    expect(never.verdict).toBe('unused-in-window');
    expect(never.advice).toMatch(/no record of the role ever being used/);
  });

  it('a denied call does not spoil a safe-to-enforce verdict', () => {
    const c = collector();
    c.add(call('999988887777', { externalId: 'id-1' }));
    c.add(call('999988887777', { externalId: 'wrong', errorCode: 'AccessDenied' }));
    const u = c.usageOf('111122223333', 'vendoraccess', '999988887777');
    expect(u.verdict).toBe('safe-to-enforce');
    expect(u.deniedCalls).toBe(1);
  });
});

describe('counting', () => {
  it('counts both copies of one cross-account call once', () => {
    const c = collector();
    expect(c.add(call('999988887777', { key: 'shared-1', externalId: 'x' }))).toBe(true);
    expect(c.add(call('999988887777', { key: 'shared-1', externalId: 'x', identityType: 'IAMUser' }))).toBe(
      false,
    );
    expect(c.usageOf('111122223333', 'vendoraccess', '999988887777').calls).toBe(1);
  });

  it('leaves out calls outside the window', () => {
    const c = collector(7);
    c.add(call('999988887777', { externalId: 'x', at: NOW - 8 * DAY }));
    c.add(call('999988887777', { externalId: 'x', at: NOW + DAY }));
    expect(c.outsideWindow).toBe(2);
    expect(c.usageOf('111122223333', 'vendoraccess', '999988887777').verdict).toBe('unused-in-window');
  });

  it('lists at most MAX_LISTED_IDS ids and counts the rest; long ids are cut', () => {
    const c = collector();
    for (let i = 0; i < MAX_LISTED_IDS + 5; i++) c.add(call('777788889999', { externalId: `id-${i}` }));
    c.add(call('777788889999', { externalId: 'L'.repeat(1000) }));
    const u = c.usageOf('111122223333', 'vendoraccess', '777788889999');
    expect(u.externalIds).toHaveLength(MAX_LISTED_IDS);
    expect(u.externalIdsNotListed).toBe(6);
    const c2 = collector();
    c2.add(call('777788889999', { externalId: 'L'.repeat(1000) }));
    expect(
      c2.usageOf('111122223333', 'vendoraccess', '777788889999').externalIds[0]?.value.length,
    ).toBeLessThan(300);
  });

  it('names the callers of a role', () => {
    const c = collector();
    c.add(call('999988887777'));
    c.add(call('111122223333'));
    expect(c.callersOf('111122223333', 'VendorAccess')).toEqual(['111122223333', '999988887777']);
    expect(c.callersOf('111122223333', 'Other')).toEqual([]);
  });
});
