/**
 * Placeholders that tools substitute into manifests before they reach the cluster: `envsubst` and the
 * ACK test suite's `$ROLE_NAME`, Flux's and Kustomize replacements' `${ACCOUNT_ID}`. They are kept as
 * named unknowns, never as literal text. IAM's own policy variables (`${aws:username}`) have a colon
 * and are not placeholders.
 */
import type { Symbolic } from '../../model/types.js';

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** The placeholder names in a string, in order of appearance (duplicates removed). */
export function placeholderNames(s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(PLACEHOLDER)) {
    const name = m[1] ?? m[2] ?? '';
    if (name !== '' && !out.includes(name)) out.push(name);
  }
  return out;
}

/** The string itself, or a Symbolic naming each placeholder (text keeps them as `${NAME}`). */
export function withPlaceholders(s: string): string | Symbolic {
  const names = placeholderNames(s);
  if (names.length === 0) return s;
  return {
    symbolic: true,
    description: names.map((n) => `placeholder $${n}`).join('; '),
    text: s.replace(PLACEHOLDER, (_m, a: string | undefined, b: string | undefined) => `\${${a ?? b}}`),
  };
}
