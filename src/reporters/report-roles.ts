import type { JsonLike, Role } from '../model/types.js';
import { isSymbolic } from '../model/types.js';
import type { ReportRole } from './types.js';

/** Replace symbolic values by their known text (`${AccountId}`) so the document prints as plain JSON. */
export function plainPolicy(value: JsonLike): JsonLike {
  if (isSymbolic(value)) return value.text ?? `\${${value.description}}`;
  if (Array.isArray(value)) return value.map(plainPolicy);
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: JsonLike } = {};
    for (const [k, v] of Object.entries(value)) out[k] = plainPolicy(v);
    return out;
  }
  return value;
}

/** What `Report.roles` should hold for the scanned roles (the lead calls this when building the report). */
export function reportRoles(roles: readonly Role[]): ReportRole[] {
  return roles.map((r) => ({
    id: r.id,
    name: r.name,
    ...(r.arn ? { arn: r.arn } : {}),
    ...(r.account ? { account: r.account } : {}),
    ...(r.variant ? { variant: r.variant } : {}),
    ...(r.description ? { description: r.description } : {}),
    ...(r.tags && Object.keys(r.tags).length > 0 ? { tags: r.tags } : {}),
    trustPolicy: plainPolicy(r.trustPolicy.raw),
    statementLines: r.trustPolicy.statements.map(
      (s) => s.location?.line ?? r.trustPolicy.location?.line ?? r.source.location.line ?? null,
    ),
  }));
}
