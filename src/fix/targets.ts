import type { Finding } from '../findings/types.js';
import type { FixPrincipal, FixTarget } from './types.js';

/** The rule whose findings `fix` corrects. */
export const FIXABLE_RULE = 'TA001';

export interface TargetSelection {
  targets: FixTarget[];
  /** Findings that cannot be fixed live (no ARN: IaC findings), one sentence each. */
  skipped: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Accepts a trustaudit JSON report (`{ findings: [...] }`) or a bare list of findings. */
export function findingsFromReport(json: unknown): Obj[] {
  const list = Array.isArray(json)
    ? json
    : isObj(json) && Array.isArray(json.findings)
      ? json.findings
      : undefined;
  if (!list)
    throw new Error('not a trustaudit JSON report: no "findings" list (write one with scan --format json)');
  return list.filter(isObj);
}

/**
 * Group TA001 findings by role. Principals come from `evidence.data.thirdPartyPrincipals` when the rule
 * gave them, else from the finding's principals; the account of each from the finding's principals or
 * from `evidence.data.accounts` when there is only one.
 */
export function targetsFromFindings(
  findings: readonly (Finding | Obj)[],
  roleNames?: readonly string[],
): TargetSelection {
  const byRole = new Map<string, FixTarget>();
  const skipped: string[] = [];
  const only = roleNames?.length ? new Set(roleNames) : undefined;
  for (const raw of findings) {
    const f = raw as Obj;
    if (f.ruleId !== FIXABLE_RULE || f.suppressed === true) continue;
    const resource = isObj(f.resource) ? f.resource : {};
    const name = typeof resource.name === 'string' ? resource.name : undefined;
    const arn = typeof resource.arn === 'string' ? resource.arn : undefined;
    if (!name || (only && !only.has(name))) continue;
    if (!arn || !/^arn:[^:]+:iam::\d{12}:role\//.test(arn)) {
      skipped.push(`${name}: not a live IAM role (no role ARN); fix the template it came from instead`);
      continue;
    }
    const account = typeof resource.account === 'string' ? resource.account : arn.split(':')[4];
    const evidence = isObj(f.evidence) ? f.evidence : {};
    const data = isObj(evidence.data) ? evidence.data : {};
    const statement = isObj(f.statement) ? f.statement : {};
    const index =
      typeof data.statementIndex === 'number'
        ? data.statementIndex
        : typeof statement.index === 'number'
          ? statement.index
          : undefined;
    if (index === undefined) {
      skipped.push(`${name}: the finding does not say which statement to fix`);
      continue;
    }
    const principals = principalsOf(f, data);
    if (principals.length === 0) {
      skipped.push(`${name}: the finding names no third-party principal`);
      continue;
    }
    const key = arn;
    const t = byRole.get(key) ?? { roleName: name, arn, ...(account ? { account } : {}), statements: [] };
    byRole.set(key, t);
    const st = t.statements.find((s) => s.statementIndex === index);
    if (st) {
      for (const p of principals) if (!st.principals.some((q) => q.value === p.value)) st.principals.push(p);
    } else {
      t.statements.push({ statementIndex: index, principals });
    }
  }
  return { targets: [...byRole.values()], skipped };
}

function principalsOf(f: Obj, data: Obj): FixPrincipal[] {
  const listed = Array.isArray(f.principals) ? f.principals.filter(isObj) : [];
  const accountOf = new Map<string, string>();
  for (const p of listed) {
    if (typeof p.value === 'string' && typeof p.account === 'string') accountOf.set(p.value, p.account);
  }
  const accounts = Array.isArray(data.accounts)
    ? data.accounts
        .map((a) => (isObj(a) ? (a.id ?? a.account) : a))
        .filter((a): a is string => typeof a === 'string')
    : [];
  const values: string[] = Array.isArray(data.thirdPartyPrincipals)
    ? data.thirdPartyPrincipals
        .map((p) =>
          typeof p === 'string' ? p : isObj(p) && typeof p.value === 'string' ? p.value : undefined,
        )
        .filter((p): p is string => p !== undefined)
    : listed
        .filter((p) => p.kind !== 'service' && p.kind !== 'federated')
        .map((p) => p.value)
        .filter((v): v is string => typeof v === 'string');
  return values.map((value) => {
    const account =
      accountOf.get(value) ?? accountFromValue(value) ?? (accounts.length === 1 ? accounts[0] : undefined);
    return { value, ...(account ? { account } : {}) };
  });
}

/** `111122223333` or `arn:aws:iam::111122223333:...` -> the account. */
export function accountFromValue(v: string): string | undefined {
  if (/^\d{12}$/.test(v)) return v;
  return /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(v)?.[1];
}
