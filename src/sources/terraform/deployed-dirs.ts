/**
 * A module folder that a Terragrunt unit deploys is judged with the unit's inputs, not a second time on
 * its own with its variables unset. This module drops those standalone roles: in one load of all the
 * files (load.ts), and again when the files were read in groups (the units in a group of their own,
 * src/scan/workers/groups.ts), where the folders the units evaluated come back in the result
 * (`SourceResult.deployedDirs`). Kept apart from the evaluator so that the main thread of a parallel
 * scan can apply it without loading the HCL reader.
 */
import path from 'node:path';
import type { Role } from '../../model/types.js';
import type { InputFile, SourceResult } from '../types.js';
import { realFolder } from './tree-reader.js';

/**
 * True for a role of the scan's own (standalone) evaluation of a folder a unit evaluated. `displayDirs`
 * holds each such folder as its display folder (the prefix scanHcl gives its roles' ids).
 */
export function standaloneRolesToDrop(role: Role, displayDirs: ReadonlySet<string>): boolean {
  if (role.source.construct?.startsWith('terragrunt unit ')) return false;
  const hash = role.id.search(/[#[]/);
  const prefix = hash !== -1 && role.id[hash] === '#' ? role.id.slice(0, hash) : '';
  if (prefix !== '') return displayDirs.has(prefix);
  return displayDirs.has('.') || displayDirs.has('');
}

/** Display folders (as scanHcl names its root modules) of the scanned files that lie in `dirs` (real paths). */
export function displayDirsOf(files: readonly InputFile[], dirs: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  const real = new Map<string, string | undefined>();
  for (const f of files) {
    if (!f.absPath) continue;
    const dir = path.dirname(f.absPath);
    if (!real.has(dir)) real.set(dir, realFolder(dir));
    const r = real.get(dir);
    if (r && dirs.has(r)) out.add(path.dirname(f.path));
  }
  return out;
}

/**
 * `roles` without the standalone roles of the configuration files `hcl` that lie in a folder a unit
 * deployed (`dirs`, real paths). Plan roles are never dropped: a plan is not a module folder.
 */
export function withoutDeployedStandalone(
  roles: readonly Role[],
  hcl: readonly InputFile[],
  dirs: ReadonlySet<string>,
): Role[] {
  const drop = dirs.size > 0 ? displayDirsOf(hcl, dirs) : new Set<string>();
  if (drop.size === 0) return [...roles];
  return roles.filter((r) => r.source.kind === 'terraform-plan' || !standaloneRolesToDrop(r, drop));
}

/** What a result of groups read apart still needs of one load of all the files (SourceSplit.finish). */
export function finishTerraformGroups(merged: SourceResult, hcl: readonly InputFile[]): SourceResult {
  if (!merged.deployedDirs?.length) return merged;
  return { ...merged, roles: withoutDeployedStandalone(merged.roles, hcl, new Set(merged.deployedDirs)) };
}
