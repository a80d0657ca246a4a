import type { ConfigSuppression } from '../config/schema.js';
import type { Finding } from '../findings/types.js';
import type { Role, ScanError } from '../model/types.js';

/**
 * Mark findings suppressed by inline suppressions (on the role) or config suppressions.
 * Expired config suppressions no longer apply and come back as warnings.
 * `today` is YYYY-MM-DD (passed in, so the function stays pure).
 */
export function applySuppressions(
  findings: Finding[],
  _roles: readonly Role[],
  _config: readonly ConfigSuppression[],
  _today: string,
): { findings: Finding[]; warnings: ScanError[] } {
  return { findings, warnings: [] };
}
