import type { Role } from '../model/types.js';

/** An account that belongs to the user's zone of trust (their own organization). */
export interface TrustedAccount {
  id: string;
  name?: string;
  /**
   * When set, the account is trusted only for roles whose path starts with one of these prefixes
   * (e.g. `/platform/`). Unset: trusted for every role.
   */
  rolePaths?: string[];
}

/** An account known to belong to a named third party (vendor list). */
export interface KnownAccount {
  id: string;
  name: string;
  source?: string;
}

export interface ZoneOfTrust {
  /** Owner account for inputs that do not carry one (`--account`). A role's own `account` wins. */
  defaultOwner?: string;
  trusted: Map<string, TrustedAccount>;
  /** Organization ids (o-...) that are the user's own: a condition pinning aws:PrincipalOrgID to one keeps third parties out. */
  trustedOrgIds: Set<string>;
  /** Vendor names for display. */
  known: Map<string, KnownAccount>;
  /**
   * The scan time (milliseconds since the epoch) against which aws:CurrentTime and aws:EpochTime are
   * judged. Set by whoever starts the scan; the rules use the current time when it is missing.
   */
  scanTime?: number;
}

export function emptyZone(): ZoneOfTrust {
  return { trusted: new Map(), trustedOrgIds: new Set(), known: new Map() };
}

export type AccountStanding = 'owner' | 'trusted' | 'third-party';

/** The owner account of a role: its own, else the zone's default. */
export function ownerOf(role: Role, zone: ZoneOfTrust): string | undefined {
  return role.account ?? zone.defaultOwner;
}

/** Where `account` stands relative to `role`. With no known owner, only trusted accounts are inside. */
export function standing(account: string, role: Role, zone: ZoneOfTrust): AccountStanding {
  if (account === ownerOf(role, zone)) return 'owner';
  const t = zone.trusted.get(account);
  if (t) {
    if (!t.rolePaths || t.rolePaths.length === 0) return 'trusted';
    const path = role.path ?? '/';
    if (t.rolePaths.some((p) => path.startsWith(p))) return 'trusted';
  }
  return 'third-party';
}

/** "Datadog (464622532012)" when the account is named, else the bare id. */
export function accountLabel(account: string, zone: ZoneOfTrust): string {
  const name = zone.trusted.get(account)?.name ?? zone.known.get(account)?.name;
  return name ? `${name} (${account})` : account;
}

export function accountName(account: string, zone: ZoneOfTrust): string | undefined {
  return zone.trusted.get(account)?.name ?? zone.known.get(account)?.name;
}

/**
 * The time the rules judge aws:CurrentTime/aws:EpochTime against: the zone's scan time, else now. The
 * clock is read here, at the rule boundary, never inside the evaluator or the analysis.
 */
export function scanTime(zone: ZoneOfTrust): number {
  return zone.scanTime ?? Date.now();
}
