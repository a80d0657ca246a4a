/**
 * `RoleLastUsed` (`LastUsedDate`, `Region`) as `get-account-authorization-details` and `GetRole` return it
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_RoleLastUsed.html). Sources keep it in
 * `Role.extra.roleLastUsed`; an empty object means IAM has no record of the role being used.
 */
import type { Role } from '../model/types.js';
import type { RoleLastUsed } from './types.js';

export const LAST_USED_KEY = 'roleLastUsed';

/** The RoleLastUsed element of an API response or export entry, or undefined when it is absent/invalid. */
export function readRoleLastUsed(v: unknown): RoleLastUsed | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const raw = o.LastUsedDate;
  let lastUsedDate: string | null = null;
  if (raw instanceof Date && !Number.isNaN(raw.getTime())) lastUsedDate = raw.toISOString();
  else if (typeof raw === 'string' && !Number.isNaN(Date.parse(raw)))
    lastUsedDate = new Date(Date.parse(raw)).toISOString();
  else if (raw !== undefined && raw !== null) return undefined;
  return {
    lastUsedDate,
    ...(typeof o.Region === 'string' && o.Region ? { region: o.Region } : {}),
  };
}

/** What a source recorded for a role. */
export function roleLastUsedOf(role: Pick<Role, 'extra'>): RoleLastUsed | undefined {
  const v = role.extra?.[LAST_USED_KEY];
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as { lastUsedDate?: unknown; region?: unknown };
  if (r.lastUsedDate !== null && typeof r.lastUsedDate !== 'string') return undefined;
  return {
    lastUsedDate: r.lastUsedDate,
    ...(typeof r.region === 'string' ? { region: r.region } : {}),
  };
}
