import { createHash } from 'node:crypto';

/** A stable id for a finding: same rule, resource, statement and principals give the same print on every run. */
export function fingerprint(parts: readonly (string | number | undefined)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(`${p ?? ''}\u0000`);
  return h.digest('hex').slice(0, 32);
}
