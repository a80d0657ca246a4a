import { addStatementConditions } from '../analysis/remediate.js';
import type { JsonLike } from '../model/types.js';
import type { FixPrincipal } from './types.js';

/** `--narrow-to`: who a wildcard principal is narrowed to; accounts or organizations, not both. */
export interface Narrowing {
  kind: 'accounts' | 'organizations';
  values: string[];
}

const ACCOUNT = /^\d{12}$/;
/** Organization ids as AWS Organizations writes them (`o-` and 10 to 32 lower-case letters or digits). */
const ORG_ID = /^o-[a-z0-9]{10,32}$/;

/** Parse the `--narrow-to` values; throws a message naming the bad value. */
export function parseNarrowTo(values: readonly string[]): Narrowing | undefined {
  if (values.length === 0) return undefined;
  const accounts: string[] = [];
  const orgs: string[] = [];
  for (const v of values) {
    if (ACCOUNT.test(v)) accounts.push(v);
    else if (ORG_ID.test(v)) orgs.push(v);
    else throw new Error(`--narrow-to "${v}": not a 12-digit account id nor an organization id (o-...)`);
  }
  if (accounts.length > 0 && orgs.length > 0)
    throw new Error(
      '--narrow-to: give accounts or organization ids, not both (the two conditions would both have to hold)',
    );
  return accounts.length > 0
    ? { kind: 'accounts', values: [...new Set(accounts)].sort() }
    : { kind: 'organizations', values: [...new Set(orgs)].sort() };
}

/** `*`, or an AWS principal whose account is a wildcard (`arn:aws:iam::*:root`). */
export function isWildcardPrincipal(value: string): boolean {
  return value === '*' || /^arn:[^:]*:(?:iam|sts)::[^:]*\*/.test(value) || /^[\d?]*\*[\d?*]*$/.test(value);
}

/**
 * The document with the wildcard principals of one statement limited to the accounts
 * (`aws:PrincipalAccount`) or organizations (`aws:PrincipalOrgID`) given. When the statement names other
 * principals too, the wildcards are split off into a statement of their own (remediate.ts does the edit).
 */
export function narrowWildcard(
  doc: JsonLike,
  statementIndex: number,
  wildcards: readonly FixPrincipal[],
  to: Narrowing,
): JsonLike {
  const key = to.kind === 'accounts' ? 'aws:PrincipalAccount' : 'aws:PrincipalOrgID';
  const values = wildcards.map((p) => p.value);
  return addStatementConditions(doc, [
    {
      statementIndex,
      // A bare `Principal: "*"` (or one naming only wildcards) is edited whole; otherwise the wildcards are split off.
      principals: { type: 'AWS', values },
      add: [{ operator: 'StringEquals', key, values: to.values }],
      replaceKeys: [key.toLowerCase()],
    },
  ]);
}
