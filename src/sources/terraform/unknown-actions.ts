/**
 * A statement whose whole `Action` is only known at deploy time (`Action = var.actions`, `actions =
 * var.actions` in a policy document) may well allow the role to be assumed. Rather than judging it as
 * granting nothing (a silent pass), the statement is judged as if it allowed the assume action its
 * principals would use, next to the unknown value, and a warning says so.
 */
import {
  isSymbolic,
  type PolicyValue,
  type Role,
  type ScanError,
  type Statement,
} from '../../model/types.js';

export const UNKNOWN_ACTION_CODE = 'action-unknown';

/** Adds the assumed actions to every Allow statement whose actions are all unknown; one warning each. */
export function assumeUnknownActions(role: Role): ScanError[] {
  const out: ScanError[] = [];
  for (const st of role.trustPolicy.statements) {
    if (st.effect !== 'Allow' || !st.actions || st.actions.length === 0) continue;
    if (!st.actions.every(isSymbolic)) continue;
    const assumed = assumedActions(st);
    st.actions = [...st.actions, ...assumed];
    const at = st.location ?? role.source.location;
    const what = st.actions
      .filter(isSymbolic)
      .map((a) => a.description)
      .join(', ');
    out.push({
      source: 'terraform',
      code: UNKNOWN_ACTION_CODE,
      message: `${role.id}: statement ${st.index} has actions known only at deploy time (${what}); it was judged as if it allowed ${assumed.join(' and ')}`,
      file: at.file,
      ...(at.line !== undefined ? { line: at.line } : {}),
      ...(at.column !== undefined ? { column: at.column } : {}),
    });
  }
  return out;
}

/** `sts:AssumeRole` for account, service and `*` principals; the federated forms for identity providers. */
function assumedActions(st: Statement): string[] {
  const out = new Set<string>();
  for (const p of st.principals ?? []) {
    if (p.type !== 'Federated') {
      out.add('sts:AssumeRole');
      continue;
    }
    const v: PolicyValue = p.value;
    if (!isSymbolic(v) && v.includes(':saml-provider/')) out.add('sts:AssumeRoleWithSAML');
    else out.add('sts:AssumeRoleWithWebIdentity');
  }
  if (out.size === 0) out.add('sts:AssumeRole');
  return [...out];
}
