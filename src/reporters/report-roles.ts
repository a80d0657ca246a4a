import type { JsonLike, Role } from '../model/types.js';
import { isSymbolic } from '../model/types.js';
import type { ReportRole } from './types.js';

/**
 * Replace symbolic values by their known text (`${AccountId}`) so the document prints as plain JSON.
 * Parts without symbolic values are returned as they are, not copied (reports only read them).
 */
export function plainPolicy(value: JsonLike): JsonLike {
  if (isSymbolic(value)) return value.text ?? `\${${value.description}}`;
  if (Array.isArray(value)) {
    let out: JsonLike[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = value[i] as JsonLike;
      const p = plainPolicy(v);
      if (p !== v && out === undefined) out = value.slice(0, i);
      out?.push(p);
    }
    return out ?? value;
  }
  if (value !== null && typeof value === 'object') {
    let out: { [key: string]: JsonLike } | undefined;
    const entries = Object.entries(value);
    for (let i = 0; i < entries.length; i++) {
      const [k, v] = entries[i] as [string, JsonLike];
      const p = plainPolicy(v);
      if (p !== v && out === undefined) out = Object.fromEntries(entries.slice(0, i));
      if (out !== undefined) out[k] = p;
    }
    return out ?? value;
  }
  return value;
}

/** What `Report.roles` should hold for the scanned roles (the lead calls this when building the report). */
export function reportRoles(roles: readonly Role[]): ReportRole[] {
  // Roles often share one parsed document (exports): convert each once.
  const plain = new Map<JsonLike, JsonLike>();
  const plainOf = (raw: JsonLike): JsonLike => {
    let p = plain.get(raw);
    if (p === undefined) {
      p = plainPolicy(raw);
      plain.set(raw, p);
    }
    return p;
  };
  return roles.map((r) => ({
    id: r.id,
    name: r.name,
    ...(r.arn ? { arn: r.arn } : {}),
    ...(r.account ? { account: r.account } : {}),
    ...(r.variant ? { variant: r.variant } : {}),
    ...(r.description ? { description: r.description } : {}),
    ...(r.tags && Object.keys(r.tags).length > 0 ? { tags: r.tags } : {}),
    trustPolicy: plainOf(r.trustPolicy.raw),
    statementLines: r.trustPolicy.statements.map(
      (s) => s.location?.line ?? r.trustPolicy.location?.line ?? r.source.location.line ?? null,
    ),
  }));
}
