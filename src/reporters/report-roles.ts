import { boundId, boundText, fieldMax } from '../findings/bounded-text.js';
import type { JsonLike, Role } from '../model/types.js';
import { isSymbolic } from '../model/types.js';
import { DEFAULT_BUDGETS } from '../scan/budgets.js';
import type { ReportRole } from './types.js';

/** Tags with keys and values bounded (IAM allows 128 and 256 characters); the same object when none is long. */
function boundTags(tags: Record<string, string>, max: number): Record<string, string> {
  const entries = Object.entries(tags);
  if (entries.every(([k, v]) => k.length <= max && v.length <= max)) return tags;
  return Object.fromEntries(entries.map(([k, v]) => [boundText(k, max), boundText(v, max)]));
}

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

/**
 * What `Report.roles` should hold for the scanned roles (the lead calls this when building the report).
 * Names, ids, ARNs, descriptions and tags are bounded like the findings' (`message-length` budget `max`,
 * src/findings/bounded-text.ts), so a role's id still matches its findings' `resource.id`.
 */
export function reportRoles(roles: readonly Role[], max = DEFAULT_BUDGETS['message-length']): ReportRole[] {
  const idMax = fieldMax(max);
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
    id: boundId(r.id, idMax),
    name: boundText(r.name, max),
    ...(r.arn ? { arn: boundId(r.arn, idMax) } : {}),
    ...(r.account ? { account: boundText(r.account, max) } : {}),
    ...(r.variant ? { variant: boundText(r.variant, max) } : {}),
    ...(r.description ? { description: boundText(r.description, idMax) } : {}),
    ...(r.tags && Object.keys(r.tags).length > 0 ? { tags: boundTags(r.tags, max) } : {}),
    trustPolicy: plainOf(r.trustPolicy.raw),
    statementLines: r.trustPolicy.statements.map(
      (s) => s.location?.line ?? r.trustPolicy.location?.line ?? r.source.location.line ?? null,
    ),
  }));
}
