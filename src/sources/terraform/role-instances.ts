/**
 * Every role one `resource "aws_iam_role"` block stands for: one per `count` / `for_each` instance when
 * the collection is known (none when it is known to be empty), and, within each instance, one per
 * branch of the unknown conditionals its trust policy reaches (branches.ts). Branches that give the
 * same document are one role; otherwise each is its own Role with `variant` naming the branch.
 */
import type { Role, ScanError } from '../../model/types.js';
import { type BranchState, branchLabel, enumerateBranches } from './branches.js';
import { type BlockInfo, type HclComment, locOf } from './hcl.js';
import { instancesOf } from './module-graph.js';
import { buildRole, type RoleBuildResult } from './roles.js';
import type { ModuleEvaluator } from './scope.js';

/** At most this many branch runs per role instance (the same cap as CloudFormation's `Fn::If`). */
export const MAX_BRANCHES = 16;

export interface RoleInstancesResult {
  roles: Role[];
  errors: ScanError[];
  warnings: ScanError[];
}

export function buildRoleInstances(
  inst: ModuleEvaluator,
  block: BlockInfo,
  comments: readonly HclComment[],
  opts: { account: string; partition: string },
  branches: BranchState,
): RoleInstancesResult {
  const out: RoleInstancesResult = { roles: [], errors: [], warnings: [] };
  const seenErrors = new Set<string>();
  const base = `${inst.address}aws_iam_role.${block.labels[1] ?? ''}`;
  // The instances are found inside each run: `count = var.on ? 1 : 0` with `var.on` unknown is split
  // like any other condition (the role exists in one branch only).
  const { runs, capped } = enumerateBranches(
    branches,
    () =>
      instancesOf(inst, block, base).map((instance) => ({
        suffix: instance.suffix,
        built: buildRole(inst, block, comments, opts.account, opts.partition, instance),
      })),
    MAX_BRANCHES,
  );
  if (capped) {
    const loc = locOf(block.node);
    out.warnings.push({
      source: 'terraform',
      code: 'branches-capped',
      message: `${base}: more than ${MAX_BRANCHES} combinations of unknown conditions; the rest were judged with those conditions unknown`,
      file: loc.file,
      ...(loc.line !== undefined ? { line: loc.line } : {}),
      ...(loc.column !== undefined ? { column: loc.column } : {}),
    });
  }
  // Per instance, in the order first met: the runs that built it.
  const bySuffix = new Map<string, { chosen: [string, boolean][]; built: RoleBuildResult }[]>();
  for (const run of runs) {
    for (const one of run.value) {
      const list = bySuffix.get(one.suffix) ?? [];
      bySuffix.set(one.suffix, list);
      list.push({ chosen: run.chosen, built: one.built });
    }
  }
  for (const variants of bySuffix.values()) {
    for (const v of variants) {
      for (const e of v.built.errors) {
        const key = `${e.code}\0${e.file ?? ''}\0${e.line ?? ''}\0${e.column ?? ''}\0${e.message}`;
        if (seenErrors.has(key)) continue;
        seenErrors.add(key);
        out.errors.push(e);
      }
    }
    const seen = new Set<string>();
    const distinct = variants.filter((v) => {
      if (!v.built.role) return false;
      const key = JSON.stringify(v.built.role.trustPolicy.raw);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    // An instance that exists in some branches only (`count = var.on ? 1 : 0`) is named by them too.
    const partial = variants.length < runs.length;
    const telling = tellingConditions(partial ? runs.map((r) => r.chosen) : distinct.map((v) => v.chosen));
    for (const v of distinct) {
      const role = v.built.role as Role;
      for (const w of v.built.warnings ?? []) out.warnings.push(w);
      if (distinct.length > 1 || partial) {
        const label = branchLabel(v.chosen.filter(([k]) => telling.has(k)));
        if (label) role.variant = label;
      }
      out.roles.push(role);
    }
  }
  return out;
}

/**
 * The conditions that tell the distinct alternatives apart: one chosen the same way in every
 * alternative (or met in only some of them with one value) says nothing about the difference.
 */
function tellingConditions(alternatives: readonly (readonly [string, boolean][])[]): Set<string> {
  const values = new Map<string, Set<boolean>>();
  const count = new Map<string, number>();
  for (const chosen of alternatives) {
    for (const [k, v] of chosen) {
      const set = values.get(k) ?? new Set<boolean>();
      values.set(k, set);
      set.add(v);
      count.set(k, (count.get(k) ?? 0) + 1);
    }
  }
  const out = new Set<string>();
  for (const [k, set] of values) if (set.size > 1 || (count.get(k) ?? 0) < alternatives.length) out.add(k);
  return out;
}
