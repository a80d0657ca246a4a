import type { Finding } from '../findings/types.js';
import { isWildcardPrincipal } from './narrow.js';
import type { FixPrincipal, FixTarget, ObservedUsage } from './types.js';

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
    const t: FixTarget = byRole.get(key) ?? {
      roleName: name,
      arn,
      ...(account ? { account } : {}),
      statements: [],
    };
    byRole.set(key, t);
    for (const u of usageOf(evidence)) {
      t.usage ??= [];
      if (!t.usage.some((x) => x.account === u.account)) t.usage.push(u);
    }
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
  const kindOf = new Map<string, string>();
  for (const p of listed) {
    if (typeof p.value === 'string' && typeof p.account === 'string') accountOf.set(p.value, p.account);
    if (typeof p.value === 'string' && typeof p.kind === 'string') kindOf.set(p.value, p.kind);
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
    const kind = kindOf.get(value);
    if (kind === 'wildcard' || isWildcardPrincipal(value)) return { value, wildcard: true, kind: 'wildcard' };
    const account =
      accountOf.get(value) ??
      accountFromValue(value) ??
      (accounts.length === 1 && /^\d{12}$/.test(accounts[0]!) ? accounts[0] : undefined);
    return { value, ...(account ? { account } : {}), ...(kind ? { kind } : {}) };
  });
}

/**
 * The per-account usage of a finding (`evidence.usage.thirdParties`, written by `scan --cloudtrail`).
 * A report is a file anyone could have edited: entries that do not have the documented shape are ignored.
 */
function usageOf(evidence: Obj): ObservedUsage[] {
  const usage = isObj(evidence.usage) ? evidence.usage : undefined;
  const list = usage && Array.isArray(usage.thirdParties) ? usage.thirdParties.filter(isObj) : [];
  const out: ObservedUsage[] = [];
  for (const u of list) {
    if (typeof u.account !== 'string' || !/^\d{12}$/.test(u.account) || typeof u.verdict !== 'string')
      continue;
    const ids = Array.isArray(u.externalIds)
      ? u.externalIds
          .map((e) => (isObj(e) ? e.value : undefined))
          .filter((v): v is string => typeof v === 'string')
      : [];
    out.push({
      account: u.account,
      verdict: u.verdict,
      calls: typeof u.calls === 'number' ? u.calls : 0,
      callsWithMfa: typeof u.callsWithMfa === 'number' ? u.callsWithMfa : 0,
      externalIds: ids,
    });
  }
  return out;
}

/** `111122223333` or `arn:aws:iam::111122223333:...` -> the account. */
export function accountFromValue(v: string): string | undefined {
  if (/^\d{12}$/.test(v)) return v;
  return /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(v)?.[1];
}
