import type { Role } from '../../../src/model/types.js';
import { addressOf, conditionsOf, principalsOf } from './helpers.js';

/** `vendor/x/.../file.tf:line id :: P=[...] C=[...]` for each statement, for roles with an AWS principal. */
export function vendorSummary(roles: Role[]): string[] {
  const out: string[] = [];
  for (const r of roles) {
    const file = r.source.location.file;
    if (!file.startsWith('vendor/')) continue;
    const statements = r.trustPolicy.statements.filter((s) =>
      (s.principals ?? []).some((p) => p.type === 'AWS'),
    );
    for (const s of statements) {
      const short = file.split('/').slice(1, 2).concat(file.split('/').slice(-2)).join('/');
      out.push(
        `${short}:${r.source.location.line} ${addressOf(r)}#${s.index} P=[${principalsOf(s).join(', ')}] C=[${conditionsOf(s).join('; ')}]`,
      );
    }
  }
  return out;
}
