import type { ConfigSuppression } from '../config/schema.js';

/** `*` or the finding's rule id (case-insensitive). */
export function ruleMatches(pattern: string, ruleId: string): boolean {
  return pattern === '*' || pattern.toLowerCase() === ruleId.toLowerCase();
}

/** True when the suppression's `expires` day is before `today` (both YYYY-MM-DD). It still applies on that day. */
export function isExpired(s: ConfigSuppression, today: string): boolean {
  return s.expires !== undefined && s.expires < today;
}

/** `TA001 on arn:aws:iam::*:role/vendor-*` (for warnings). */
export function describeSuppression(s: ConfigSuppression): string {
  return `rule ${s.rule === '*' ? '* (every rule)' : s.rule} on resource '${s.resource}'`;
}
