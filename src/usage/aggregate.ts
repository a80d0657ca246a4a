/** Counting AssumeRole calls per (role, caller account) and the verdict for each third party. */
import type {
  AssumeRoleCall,
  ExternalIdCount,
  RoleLastUsed,
  ThirdPartyUsage,
  UnreadScope,
  UsageVerdict,
} from './types.js';

/** At most this many distinct external ids are listed per third party (the rest are counted). */
export const MAX_LISTED_IDS = 50;
/** An external id longer than this is cut in the report (IAM allows 1,224 characters). */
export const MAX_ID_LENGTH = 256;

interface Tally {
  calls: number;
  denied: number;
  errorCodes: Map<string, number>;
  first?: number;
  last?: number;
  ids: Map<string, number>;
  withoutId: number;
  withMfa: number;
}

function newTally(): Tally {
  return { calls: 0, denied: 0, errorCodes: new Map(), ids: new Map(), withoutId: 0, withMfa: 0 };
}

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

/** Window of the count, in milliseconds since the epoch (inclusive). */
export interface UsageWindow {
  from: number;
  to: number;
  days: number;
}

/**
 * RoleLastUsed reports the role's latest use: its sessions' requests, which come up to 12 hours (the
 * longest role session) after the AssumeRole call, and IAM may report it some hours late. A logged call this
 * long before the last use explains it.
 */
export const LAST_USE_EXPLAINED_MS = 36 * 3_600_000;

export function windowEndingAt(now: number, days: number): UsageWindow {
  return { from: now - days * 86_400_000, to: now, days };
}

/**
 * Collects calls from every source of one run. Both copies of a cross-account call (the caller's and the
 * role owner's) and the same call read from files and from LookupEvents count once.
 */
export class UsageCollector {
  private readonly seen = new Set<string>();
  private readonly roles = new Map<string, Map<string, Tally>>();
  /** Accounts whose logs were read (`recipientAccountId`, the S3 folder of a log file). */
  readonly accounts = new Set<string>();
  /** Regions whose logs were read, per account (S3 layout folders, records' `awsRegion`, LookupEvents Regions). */
  private readonly regions = new Map<string, Set<string>>();
  /** The latest successful call of each role (any caller), ms. */
  private readonly roleLast = new Map<string, number>();
  /** Calls outside the window that were not counted. */
  outsideWindow = 0;
  counted = 0;

  constructor(readonly window: UsageWindow) {}

  /** The logs of `account` in `region` were read. */
  markRead(account: string, region: string): void {
    this.accounts.add(account);
    let set = this.regions.get(account);
    if (!set) {
      set = new Set();
      this.regions.set(account, set);
    }
    set.add(region);
  }

  /** Regions known to be read for `account`, sorted. */
  regionsOf(account: string): string[] {
    return [...(this.regions.get(account) ?? [])].sort();
  }

  add(call: AssumeRoleCall): boolean {
    if (call.recipientAccount) {
      this.accounts.add(call.recipientAccount);
      if (call.region) this.markRead(call.recipientAccount, call.region);
    }
    if (call.at < this.window.from || call.at > this.window.to) {
      this.outsideWindow++;
      return false;
    }
    if (this.seen.has(call.key)) return false;
    this.seen.add(call.key);
    const roleKey = `${call.roleAccount}:${call.roleName}`;
    let callers = this.roles.get(roleKey);
    if (!callers) {
      callers = new Map();
      this.roles.set(roleKey, callers);
    }
    let t = callers.get(call.callerAccount);
    if (!t) {
      t = newTally();
      callers.set(call.callerAccount, t);
    }
    this.counted++;
    if (call.errorCode !== undefined) {
      t.denied++;
      bump(t.errorCodes, call.errorCode);
      return true;
    }
    t.calls++;
    const latest = this.roleLast.get(roleKey);
    if (latest === undefined || call.at > latest) this.roleLast.set(roleKey, call.at);
    if (t.first === undefined || call.at < t.first) t.first = call.at;
    if (t.last === undefined || call.at > t.last) t.last = call.at;
    if (call.externalId === undefined) t.withoutId++;
    else bump(t.ids, call.externalId);
    if (call.mfa) t.withMfa++;
    return true;
  }

  /** Accounts seen calling the role (successfully or not), sorted. */
  callersOf(roleAccount: string, roleName: string): string[] {
    const callers = this.roles.get(`${roleAccount}:${roleName.toLowerCase()}`);
    return callers ? [...callers.keys()].sort() : [];
  }

  /**
   * What the logs read are known to miss for a role, in words, or undefined: LookupEvents that failed for
   * the role's account (`unread`, unless another source read that Region), or a use in the window that
   * IAM's RoleLastUsed reports and that no logged call of the role explains.
   */
  gapFor(
    roleAccount: string,
    roleName: string,
    lastUsed: RoleLastUsed | undefined,
    unread: readonly UnreadScope[] = [],
  ): string | undefined {
    const gaps: string[] = [];
    const failed = unread.filter(
      (u) =>
        (u.account === undefined || u.account === roleAccount) &&
        !this.regions.get(roleAccount)?.has(u.region),
    );
    for (const u of failed)
      gaps.push(
        `the CloudTrail event history of ${u.account ? `account ${u.account}` : "the credentials' account"} in ${u.region} could not be read (${u.reason})`,
      );
    const at = lastUsed?.lastUsedDate ? Date.parse(lastUsed.lastUsedDate) : Number.NaN;
    if (!Number.isNaN(at) && at >= this.window.from) {
      const latest = this.roleLast.get(`${roleAccount}:${roleName.toLowerCase()}`);
      if (latest === undefined || latest < at - LAST_USE_EXPLAINED_MS) {
        const where = lastUsed?.region ? ` in ${lastUsed.region}` : '';
        const read = this.regionsOf(roleAccount);
        const regionHint =
          lastUsed?.region && read.length > 0 && !read.includes(lastUsed.region)
            ? ` The logs read hold only ${read.join(', ')} for account ${roleAccount}, not ${lastUsed.region}; the AssumeRole call is logged in the Region of the STS endpoint the caller used, which may be another one.`
            : '';
        gaps.push(
          `IAM's RoleLastUsed shows the role used on ${lastUsed!.lastUsedDate}${where}, but no AssumeRole call of it from the day and a half before is in the logs read (a Region or account not read, a trail that was not logging, files missing, or a call not recorded in the role owner's account).${regionHint}`,
        );
      }
    }
    return gaps.length ? gaps.join('; ') : undefined;
  }

  /** `gap`: what `gapFor` said; a third party without successful calls is then `inconclusive`, not unused. */
  usageOf(
    roleAccount: string,
    roleName: string,
    callerAccount: string,
    lastUsed?: RoleLastUsed,
    gap?: string,
  ): ThirdPartyUsage {
    const t = this.roles.get(`${roleAccount}:${roleName.toLowerCase()}`)?.get(callerAccount) ?? newTally();
    return summarise(callerAccount, t, this.window.days, lastUsed, gap);
  }
}

function cut(id: string): string {
  return id.length > MAX_ID_LENGTH ? `${id.slice(0, MAX_ID_LENGTH)}… (${id.length} characters)` : id;
}

function summarise(
  account: string,
  t: Tally,
  days: number,
  lastUsed: RoleLastUsed | undefined,
  gap: string | undefined,
): ThirdPartyUsage {
  const sorted: ExternalIdCount[] = [...t.ids.entries()]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  const listed = sorted.slice(0, MAX_LISTED_IDS).map((e) => ({ value: cut(e.value), count: e.count }));
  const seen = verdictOf(t);
  const verdict: UsageVerdict = seen === 'unused-in-window' && gap ? 'inconclusive' : seen;
  return {
    account,
    calls: t.calls,
    deniedCalls: t.denied,
    ...(t.errorCodes.size ? { errorCodes: Object.fromEntries([...t.errorCodes].sort()) } : {}),
    ...(t.first !== undefined ? { firstSeen: new Date(t.first).toISOString() } : {}),
    ...(t.last !== undefined ? { lastSeen: new Date(t.last).toISOString() } : {}),
    externalIds: listed,
    ...(sorted.length > listed.length ? { externalIdsNotListed: sorted.length - listed.length } : {}),
    callsWithoutExternalId: t.withoutId,
    callsWithMfa: t.withMfa,
    verdict,
    advice: adviceFor(verdict, account, t, sorted, days, lastUsed, gap),
  };
}

/** The verdict from successful calls only; failed calls never show what the vendor really sends. */
export function verdictOf(t: { calls: number; ids: Map<string, number>; withoutId: number }): UsageVerdict {
  if (t.calls === 0) return 'unused-in-window';
  if (t.ids.size === 0) return 'sends-none';
  if (t.ids.size === 1 && t.withoutId === 0) return 'safe-to-enforce';
  return 'sends-several-ids';
}

function adviceFor(
  verdict: UsageVerdict,
  account: string,
  t: Tally,
  ids: ExternalIdCount[],
  days: number,
  lastUsed: RoleLastUsed | undefined,
  gap: string | undefined,
): string {
  const times = (n: number) => (n === 1 ? '1 call' : `${n} calls`);
  switch (verdict) {
    case 'safe-to-enforce':
      return `Require sts:ExternalId ${JSON.stringify(cut(ids[0]!.value))} for ${account}: all ${times(t.calls)} in the last ${days} days sent it.`;
    case 'sends-none':
      return `${account} made ${times(t.calls)} in the last ${days} days without an external id: have the third party configure one (vendors usually issue it) before you require it, or the integration breaks.`;
    case 'sends-several-ids': {
      const none = t.withoutId ? ` and ${times(t.withoutId)} without one` : '';
      return `${account} sent ${ids.length} different external ids${none} in the last ${days} days: ask the third party which id to require before enforcing one.`;
    }
    case 'unused-in-window': {
      const never =
        lastUsed && lastUsed.lastUsedDate === null
          ? ' IAM also has no record of the role ever being used.'
          : '';
      const denied = t.denied ? ` (${times(t.denied)} failed)` : '';
      return `No successful AssumeRole call from ${account} in the last ${days} days of the logs read${denied}: consider removing this principal instead of adding an external id. No events is not proof of no use (see docs/usage.md).${never}`;
    }
    case 'inconclusive': {
      const denied = t.denied ? ` (${times(t.denied)} failed)` : '';
      return `No successful AssumeRole call from ${account} was found in the last ${days} days${denied}, but the logs read are incomplete for this role: ${gap}. Do not remove the principal on this evidence; read the missing logs first.`;
    }
  }
}
