import { hash } from 'node:crypto';

/** A stable id for a finding: same rule, resource, statement and principals give the same print on every run. */
export function fingerprint(parts: readonly (string | number | undefined)[]): string {
  // Each part ends with NUL (so `a`,`bc` and `ab`,`c` differ); one-shot hashing of the joined text.
  let text = '';
  for (const p of parts) text += `${p ?? ''}\u0000`;
  return hash('sha256', text, 'hex').slice(0, 32);
}
