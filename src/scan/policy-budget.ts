import type { Role, ScanError, TrustPolicy } from '../model/types.js';
import { type BudgetName, type Budgets, budgetAdvice } from './budgets.js';

/**
 * The per-policy size limits: statements, principals and values in one condition. IAM caps a role trust
 * policy at 2,048 characters (4,096 after a quota increase), which holds a few hundred statements at most
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html); a document far past that
 * is not one AWS would accept, and judging it costs time and report space for nothing. A role whose
 * policy exceeds a limit is not judged: it gets an error naming its file, line and the limit, and the
 * other roles are judged as usual.
 */

interface Excess {
  budget: BudgetName;
  count: number;
}

/** The first limit `policy` exceeds (counting stops as soon as one is passed), or undefined. */
export function policyExcess(policy: TrustPolicy, budgets: Budgets): Excess | undefined {
  const statements = policy.statements;
  if (statements.length > budgets.statements) return { budget: 'statements', count: statements.length };
  let principals = 0;
  for (const st of statements) {
    principals += (st.principals?.length ?? 0) + (st.notPrincipals?.length ?? 0);
    for (const c of st.conditions) {
      if (c.values.length > budgets['condition-values'])
        return { budget: 'condition-values', count: c.values.length };
    }
  }
  if (principals > budgets.principals) return { budget: 'principals', count: principals };
  return undefined;
}

/**
 * The roles whose trust policy is within the limits, and an error for each role whose policy is not.
 * A policy shared by many roles is counted once.
 */
export function withinPolicyBudgets(
  roles: readonly Role[],
  budgets: Budgets,
): { roles: readonly Role[]; errors: ScanError[] } {
  const excessOf = new Map<TrustPolicy, Excess | undefined>();
  const kept: Role[] = [];
  const errors: ScanError[] = [];
  for (const role of roles) {
    const policy = role.trustPolicy;
    let excess = excessOf.get(policy);
    if (excess === undefined && !excessOf.has(policy)) {
      excess = policyExcess(policy, budgets);
      excessOf.set(policy, excess);
    }
    if (excess === undefined) {
      kept.push(role);
      continue;
    }
    const where = policy.location ?? role.source.location;
    const e: ScanError = {
      source: 'policy',
      code: 'budget-exceeded',
      file: where.file,
      message: `the trust policy of role ${role.name} has ${excess.count} ${excess.budget === 'condition-values' ? 'values in one condition' : excess.budget}, so it was not judged: ${budgetAdvice(excess.budget, budgets[excess.budget])}`,
    };
    if (where.line !== undefined) e.line = where.line;
    if (where.column !== undefined) e.column = where.column;
    if (role.account !== undefined) e.account = role.account;
    errors.push(e);
  }
  // Most scans have no policy over a limit: the list given is returned as it is.
  return { roles: errors.length === 0 ? roles : kept, errors };
}
