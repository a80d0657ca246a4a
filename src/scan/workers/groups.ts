/**
 * How each source's files split into groups that can be read apart (`FileSource.split`), for worker
 * threads. A group is closed over what its files read of each other: a Terraform root module and the
 * local modules it calls, a template and the nested templates it names. Links are found by a cheap look
 * at the text that may see more links than there are (groups then are larger), never fewer.
 *
 * Groups are runs of consecutive files in the order the source reads them (CloudFormation: as claimed;
 * Terraform: by folder, as root modules are evaluated), so that their results, concatenated, come in
 * the order of one load of all the files.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isConfigFile, isTerragruntUnit } from '../../sources/terraform/claims.js';
import { finishTerraformGroups } from '../../sources/terraform/deployed-dirs.js';
import type { InputFile, SourceContext, SourceResult, SourceSplit } from '../../sources/types.js';

/** Union-find over 0..n-1. */
function unionFind(n: number): { find(i: number): number; union(a: number, b: number): void } {
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r]!;
    for (let j = i; parent[j] !== r; ) {
      const next = parent[j]!;
      parent[j] = r;
      j = next;
    }
    return r;
  };
  return {
    find,
    union(a, b) {
      const ra = find(a);
      const rb = find(b);
      if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
    },
  };
}

/**
 * Items 0..n-1 in reading order, with the set each belongs to: the shortest runs of consecutive items
 * such that no set spans two runs.
 */
export function contiguousRuns(setOf: readonly number[]): number[][] {
  const last = new Map<number, number>();
  setOf.forEach((s, i) => {
    last.set(s, i);
  });
  const runs: number[][] = [];
  let run: number[] = [];
  let end = -1;
  setOf.forEach((s, i) => {
    run.push(i);
    end = Math.max(end, last.get(s)!);
    if (i === end) {
      runs.push(run);
      run = [];
    }
  });
  return runs;
}

/** Every file a group of its own, in order (readers that read each file alone). */
export function perFileSplit(files: InputFile[]): SourceSplit {
  return { groups: files.map((f) => [f]) };
}

/** `source = "./x"` in HCL, `"source": "../x"` in JSON: a local module call (what config.ts reads). */
const LOCAL_SOURCE = /["']?source["']?\s*[=:]\s*"(\.\.?\/[^"]*)"/g;

/** `"Dir": "modules/x"` in `.terraform/modules/modules.json`: where `terraform init` put a called module. */
const CACHED_DIR = /"Dir"\s*:\s*"([^"]*)"/g;

/** The folder a Terraform file belongs to, as the Terraform source groups files into modules. */
function moduleDir(f: InputFile): string {
  return path.dirname(f.absPath ?? f.path);
}

/**
 * Terraform: HCL files by module folder, folders joined when one calls another through a local
 * `source`; then the Terragrunt units together (they read the folders they deploy and their parents
 * through the scan root, not from the group); then each plan alone. That is the order one load gives
 * its roles in. A folder a unit deploys is judged through the unit, not on its own as well: the units'
 * group says which folders it deployed (`deployedDirs`) and `finish` drops their standalone roles from
 * the merged result, as one load does.
 */
export function terraformSplit(files: InputFile[], ctx: SourceContext): SourceSplit {
  const isVariables = (f: InputFile) => f.path.endsWith('.tfvars') || f.path.endsWith('.tfvars.json');
  const units = files.filter((f) => isTerragruntUnit(f.path));
  const hcl = files.filter((f) => !isTerragruntUnit(f.path) && (isConfigFile(f.path) || isVariables(f)));
  const plans = files.filter((f) => !isTerragruntUnit(f.path) && !isConfigFile(f.path) && !isVariables(f));
  const dirs = [...new Set(hcl.map(moduleDir))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(dirs.map((d, i) => [d, i]));
  const sets = unionFind(dirs.length);
  for (const f of hcl) {
    const from = index.get(moduleDir(f))!;
    for (const m of f.text.matchAll(LOCAL_SOURCE)) {
      const target = index.get(path.resolve(moduleDir(f), m[1]!));
      if (target !== undefined) sets.union(from, target);
    }
  }
  // A module `terraform init` recorded may be any folder, a scanned one too: join it to its caller.
  dirs.forEach((dir, from) => {
    if (!path.isAbsolute(dir) || !existsSync(path.join(dir, '.terraform', 'modules', 'modules.json'))) return;
    const read = ctx.root.read('.terraform/modules/modules.json', dir);
    if (!read.ok) return;
    for (const m of read.text.matchAll(CACHED_DIR)) {
      const target = index.get(path.resolve(dir, m[1]!));
      if (target !== undefined) sets.union(from, target);
    }
  });
  const groups: InputFile[][] = [];
  for (const run of contiguousRuns(dirs.map((_, i) => sets.find(i)))) {
    const inRun = new Set(run.map((i) => dirs[i]));
    groups.push(hcl.filter((f) => inRun.has(moduleDir(f))));
  }
  if (units.length > 0) groups.push(units);
  for (const p of plans) groups.push([p]);
  return {
    groups,
    // The same module called from root modules of two groups reports its problems in each.
    sameProblemOnce: true,
    ...(units.length > 0 ? { finish: (merged: SourceResult) => finishTerraformGroups(merged, hcl) } : {}),
  };
}

/** Properties through which a template names another file (nested stacks, SAM applications, CDK assets). */
const LINKS = /TemplateURL|Location|aws:asset:path|TemplateBody/;
/** Words that end like a template's file name (a relative or absolute path). */
const FILE_PATH = /[^\s"'`:{}[\],]+\.(?:json|ya?ml|template)\b/gi;

/**
 * CloudFormation: each template alone, except a template that may name others (a nested stack), which
 * is read with every claimed file a path it mentions leads to (from its own folder, as nested templates
 * are read). A CDK cloud assembly (its manifest lists the stacks) is read whole: then nothing is split.
 */
export function cloudformationSplit(files: InputFile[], isManifest: (f: InputFile) => boolean): SourceSplit {
  if (files.some(isManifest)) return { groups: [files] };
  const byAbs = new Map<string, number>();
  files.forEach((f, i) => {
    if (f.absPath) byAbs.set(path.resolve(f.absPath), i);
  });
  const sets = unionFind(files.length);
  files.forEach((f, i) => {
    if (!f.absPath || !LINKS.test(f.text)) return;
    const dir = path.dirname(path.resolve(f.absPath));
    for (const m of f.text.matchAll(FILE_PATH)) {
      const j = byAbs.get(path.resolve(dir, m[0]));
      if (j !== undefined) sets.union(i, j);
    }
  });
  return {
    groups: contiguousRuns(files.map((_, i) => sets.find(i))).map((run) => run.map((i) => files[i]!)),
    // The source reports a problem of a template once however many parents read it: so do the groups.
    sameProblemOnce: true,
  };
}
