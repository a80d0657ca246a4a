/**
 * Groups the files of a scan into Terraform modules (one per folder) and parses them: the files handed
 * over, the other files of the same folders (sibling-files.ts), the modules `terraform init` installed
 * (module-cache.ts), and last the variables files (`terraform.tfvars`, `*.auto.tfvars`, their JSON
 * forms) in the order Terraform applies them. A file that cannot be read is an error naming it, and
 * the other files are still read.
 */
import path from 'node:path';
import type { InputFile } from '../types.js';
import { addConfigFile, addTfvarsFile, emptyModule, type TfModule, tfvarsRank } from './config.js';
import { loadModuleCache } from './module-cache.js';
import {
  type FileReading,
  parseHandedFile,
  parseQuietly,
  parseTfvarsFile,
  type RankedTfvars,
} from './parse-files.js';
import { readSiblingFiles } from './sibling-files.js';

/** Every module of the scan by folder, its configuration and variables files parsed. */
export function loadModules(files: InputFile[], r: FileReading): Map<string, TfModule> {
  const modules = new Map<string, TfModule>();
  const tfvars: RankedTfvars[] = [];
  for (const f of files) {
    if (f.path.endsWith('.tfvars') || f.path.endsWith('.tfvars.json')) {
      const rank = tfvarsRank(f.path);
      if (rank !== undefined) tfvars.push({ file: f, rank });
      continue;
    }
    const parsed = parseHandedFile(f, r);
    if (parsed) addConfigFile(moduleOf(modules, f), parsed);
  }
  readSiblingFiles(files, modules, r, tfvars);
  // Modules `terraform init` installed (registry, git...): read from the `.terraform/modules` cache.
  loadModuleCache(
    modules,
    r.ctx.root,
    (display, abs, text) => {
      const quiet = parseQuietly(display, abs, text, r);
      if (quiet) r.comments.set(quiet.src, quiet.parsed.comments);
      return quiet?.parsed;
    },
    (w) => r.warnings.add(w),
  );
  applyTfvars(tfvars, modules, r);
  return modules;
}

function moduleOf(modules: Map<string, TfModule>, f: InputFile): TfModule {
  const dir = path.dirname(f.absPath ?? f.path);
  let m = modules.get(dir);
  if (!m) {
    m = emptyModule(dir, path.dirname(f.path));
    modules.set(dir, m);
  }
  return m;
}

/** terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars(.json) in name order: later assignments win. */
function applyTfvars(tfvars: RankedTfvars[], modules: ReadonlyMap<string, TfModule>, r: FileReading): void {
  tfvars.sort((a, b) => a.rank - b.rank || (a.file.path < b.file.path ? -1 : 1));
  for (const { file } of tfvars) {
    const mod = modules.get(path.dirname(file.absPath ?? file.path));
    if (!mod) continue;
    const parsed = parseTfvarsFile(file, r);
    if (parsed) addTfvarsFile(mod, parsed);
  }
}
