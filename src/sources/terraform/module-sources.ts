/**
 * Module `source`s the scan does not follow, made visible. A file scan never opens a network
 * connection, so registry, git, HTTP(S) and bucket sources are not fetched; a local source that leaves
 * the scan root (`../../outside`, after links) is not read. Either way the module's outputs are unknown
 * values, and a warning names the `source` attribute's file, line and column.
 */
import path from 'node:path';
import type { ScanError } from '../../model/types.js';
import { isInside, type ScanRoot } from '../../scan/scan-root.js';
import type { TfModule } from './config.js';
import { bodyAttrs, locOf, textOf } from './hcl.js';
import { MODULES_JSON } from './module-cache.js';
import { pathExists, realFolder } from './tree-reader.js';

export function moduleSourceWarnings(modules: ReadonlyMap<string, TfModule>, root: ScanRoot): ScanError[] {
  const out: ScanError[] = [];
  for (const mod of modules.values()) {
    for (const [name, call] of mod.moduleCalls) {
      const node = bodyAttrs(call.body).get('source');
      if (!node) continue;
      // Terraform takes only a literal string here: anything else is its own error, not ours to judge.
      const literal = /^"([^"$\\]*)"$/.exec(textOf(node).trim())?.[1];
      if (literal === undefined) continue;
      const cached = mod.cachedCalls.get(name);
      if (cached && modules.has(cached)) continue; // installed by terraform init, read from the cache
      const why = notFollowed(literal, mod, modules, root);
      if (!why) continue;
      const loc = locOf(node);
      out.push({
        source: 'terraform',
        code: why.code,
        message: `module.${name}: source ${JSON.stringify(literal)} ${why.text}; the module's outputs are unknown and any role it defines is not judged (${why.advice})`,
        file: loc.file,
        ...(loc.line !== undefined ? { line: loc.line } : {}),
        ...(loc.column !== undefined ? { column: loc.column } : {}),
      });
    }
  }
  return out;
}

function notFollowed(
  source: string,
  mod: TfModule,
  modules: ReadonlyMap<string, TfModule>,
  root: ScanRoot,
): { code: string; text: string; advice: string } | undefined {
  const local = source.startsWith('./') || source.startsWith('../');
  if (!local)
    return {
      code: 'module-not-fetched',
      text: 'is not a local folder; it was not fetched (a file scan never uses the network)',
      advice: `run terraform init so ${MODULES_JSON} lists it, or scan the plan: terraform show -json`,
    };
  if (!path.isAbsolute(mod.dir)) return undefined; // standard input: no folder to resolve against
  const dir = path.resolve(mod.dir, source);
  if (modules.has(dir)) return undefined;
  const outside = {
    code: 'module-outside-root',
    text: `leads outside the scan root ${root.dir}; it was not read`,
    advice: '--root sets the root',
  };
  // The root is a real path; a scan through a symbolic link names the module by its link path, so the
  // caller's folder is compared by its real path too. Outside the root nothing is looked at, not even
  // whether the folder exists.
  const realDir = path.resolve(realFolder(mod.dir) ?? mod.dir, source);
  if (!isInside(root.dir, dir) && !isInside(root.dir, realDir)) return outside;
  if (!pathExists(dir))
    return {
      code: 'module-not-found',
      text: `names ${dir}, which does not exist`,
      advice: 'check the source, or scan the plan: terraform show -json',
    };
  if (!root.contains(dir)) return outside;
  return {
    code: 'module-not-scanned',
    text: 'is a folder that was not among the scanned files',
    advice: 'scan it too to follow the module',
  };
}
