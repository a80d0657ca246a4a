import type { Role, ScanError } from '../model/types.js';

/**
 * Roles whose trust could not be judged at all: the whole document, or its whole statement list, is
 * only known at deploy time (a variable without a value, a function the reader does not evaluate, a
 * value known after apply). Such a role has no finding, and must never read as clean: each gets a
 * warning that names it, and the summary counts them (`rolesNotJudged`).
 */
export const NOT_JUDGED_CODE = 'role-not-judged';

/** A scan of folders in which no file was recognised as an input, although some looked like one. */
export const NOTHING_RECOGNISED_CODE = 'nothing-recognised';

export function notJudgedWarnings(roles: readonly Role[]): ScanError[] {
  const out: ScanError[] = [];
  const seen = new Set<string>();
  for (const role of roles) {
    const policy = role.trustPolicy;
    if (policy.statements.length > 0) continue;
    const unknown = policy.issues.find((i) => i.code === 'symbolic-structure');
    if (!unknown) continue;
    const key = `${role.id}\u0000${role.variant ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const at = unknown.location ?? policy.location ?? role.source.location;
    out.push({
      source: role.source.kind,
      code: NOT_JUDGED_CODE,
      file: at.file,
      ...(at.line !== undefined ? { line: at.line } : {}),
      ...(at.column !== undefined ? { column: at.column } : {}),
      message: `role ${role.name}${role.variant ? ` (${role.variant})` : ''} was not judged: ${unknown.message}. ${advice(role)}`,
    });
  }
  return out;
}

function advice(role: Role): string {
  switch (role.source.kind) {
    case 'terraform':
      return 'Give the missing values (--var, --var-file) or scan the plan (terraform show -json) for a verdict.';
    case 'cloudformation':
      return 'Give the missing parameters (--parameter, --parameters-file) for a verdict.';
    default:
      return 'Its trust is unknown until deployment; scan the deployed role (--aws) for a verdict.';
  }
}
