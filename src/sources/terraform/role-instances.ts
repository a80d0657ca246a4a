/**
 * Every role one `resource "aws_iam_role"` block stands for: one per `count` / `for_each` instance when
 * the collection is known (none when it is known to be empty), and, within each instance, one per
 * branch of the unknown conditionals its trust policy reaches (branches.ts). Branches that give the
 * same document are one role; otherwise each is its own Role with `variant` naming the branch.
 */
import type { Role, ScanError } from '../../model/types.js';
import { append } from '../../util/append.js';
import { type BranchState, branchLabel, enumerateBranches } from './branches.js';
import type { ModuleInstance } from './evaluate.js';
import { type BlockInfo, type HclComment, locOf } from './hcl.js';
import { buildRole } from './roles.js';

/** At most this many branch runs per role instance (the same cap as CloudFormation's `Fn::If`). */
export const MAX_BRANCHES = 16;

export interface RoleInstancesResult {
  roles: Role[];
  errors: ScanError[];
  warnings: ScanError[];
}

export function buildRoleInstances(
  inst: ModuleInstance,
  block: BlockInfo,
  comments: readonly HclComment[],
  opts: { account: string; partition: string },
  branches: BranchState,
): RoleInstancesResult {
  const out: RoleInstancesResult = { roles: [], errors: [], warnings: [] };
  const seenErrors = new Set<string>();
  const base = `${inst.address}aws_iam_role.${block.labels[1] ?? ''}`;
  for (const instance of inst.instancesOf(block, base)) {
    const { runs, capped } = enumerateBranches(
      branches,
      () => buildRole(inst, block, comments, opts.account, opts.partition, instance),
      MAX_BRANCHES,
    );
    if (capped) {
      const loc = locOf(block.node);
      out.warnings.push({
        source: 'terraform',
        code: 'branches-capped',
        message: `${base}${instance.suffix}: more than ${MAX_BRANCHES} combinations of unknown conditions; the rest were judged with those conditions unknown`,
        file: loc.file,
        ...(loc.line !== undefined ? { line: loc.line } : {}),
        ...(loc.column !== undefined ? { column: loc.column } : {}),
      });
    }
    const seen = new Set<string>();
    const distinct = runs.filter((r) => {
      const key = r.value.role ? JSON.stringify([r.value.role.name, r.value.role.trustPolicy.raw]) : '';
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    for (const r of runs) {
      for (const e of r.value.errors) {
        const key = `${e.code}\0${e.file ?? ''}\0${e.line ?? ''}\0${e.column ?? ''}\0${e.message}`;
        if (seenErrors.has(key)) continue;
        seenErrors.add(key);
        out.errors.push(e);
      }
    }
    const split = distinct.filter((r) => r.value.role).length > 1;
    const roles: Role[] = [];
    for (const r of distinct) {
      const role = r.value.role;
      if (!role) continue;
      if (split) {
        const label = branchLabel(r.chosen);
        if (label) role.variant = label;
      }
      roles.push(role);
    }
    append(out.roles, roles);
  }
  return out;
}
