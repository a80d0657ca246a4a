import path from 'node:path';
import { type Ast, type BlockInfo, bodyAttrs, bodyBlocks, type ParsedHcl, textOf } from './hcl.js';

/** The blocks of one Terraform module (all `.tf` files of one directory). */
export interface TfModule {
  /** Absolute directory when the files are on disk, else the display directory. */
  dir: string;
  /** Directory as the user sees it (prefix of the files' display paths). */
  displayDir: string;
  files: ParsedHcl[];
  variables: Map<string, BlockInfo>;
  locals: Map<string, Ast>;
  /** `type.name` -> data block. */
  data: Map<string, BlockInfo>;
  resources: BlockInfo[];
  moduleCalls: Map<string, BlockInfo>;
  outputs: Map<string, Ast>;
  /** Values from `terraform.tfvars(.json)` then `*.auto.tfvars(.json)` (later wins), raw expressions. */
  tfvars: Map<string, Ast>;
  /** Calls whose module `terraform init` installed (`.terraform/modules/modules.json`): name -> folder. */
  cachedCalls: Map<string, string>;
  /** Read only because a scanned module calls it (module-cache.ts): evaluated through its callers, never as a root. */
  calledOnly?: boolean;
}

export function emptyModule(dir: string, displayDir: string): TfModule {
  return {
    dir,
    displayDir,
    files: [],
    variables: new Map(),
    locals: new Map(),
    data: new Map(),
    resources: [],
    moduleCalls: new Map(),
    outputs: new Map(),
    tfvars: new Map(),
    cachedCalls: new Map(),
  };
}

/**
 * Adds the top-level blocks of a parsed `.tf` file to its module. `report` false: a sibling file read
 * only for its variables, locals and data sources (its resources are not the user's input).
 */
export function addConfigFile(mod: TfModule, parsed: ParsedHcl, report = true): void {
  mod.files.push(parsed);
  for (const b of bodyBlocks(parsed.body)) {
    const [l0, l1] = b.labels;
    switch (b.type) {
      case 'variable':
        if (l0 !== undefined) mod.variables.set(l0, b);
        break;
      case 'locals':
        for (const [k, v] of bodyAttrs(b.body)) mod.locals.set(k, v);
        break;
      case 'data':
        if (l0 !== undefined && l1 !== undefined) mod.data.set(`${l0}.${l1}`, b);
        break;
      case 'resource':
        if (report && l0 !== undefined && l1 !== undefined) mod.resources.push(b);
        break;
      case 'module':
        if (l0 !== undefined) mod.moduleCalls.set(l0, b);
        break;
      case 'output': {
        const v = bodyAttrs(b.body).get('value');
        if (l0 !== undefined && v) mod.outputs.set(l0, v);
        break;
      }
      default:
        break;
    }
  }
}

/** Adds the assignments of a `.tfvars` file (HCL syntax) to its module's variable values. */
export function addTfvarsFile(mod: TfModule, parsed: ParsedHcl): void {
  for (const [k, v] of bodyAttrs(parsed.body)) mod.tfvars.set(k, v);
}

/**
 * Order in which Terraform reads the variable files it loads by itself: terraform.tfvars, then
 * terraform.tfvars.json, then *.auto.tfvars and *.auto.tfvars.json by name. Undefined: not loaded.
 */
export function tfvarsRank(file: string): number | undefined {
  const base = path.basename(file);
  if (base === 'terraform.tfvars') return 0;
  if (base === 'terraform.tfvars.json') return 1;
  if (base.endsWith('.auto.tfvars') || base.endsWith('.auto.tfvars.json')) return 2;
  return undefined;
}

/** The local directory a `module` block's `source` points at, when it is a relative path. */
export function localModuleSource(call: BlockInfo): string | undefined {
  const src = bodyAttrs(call.body).get('source');
  if (!src) return undefined;
  const t = textOf(src).trim();
  const m = /^"(\.\.?\/[^"$]*)"$/.exec(t);
  return m?.[1];
}

/** The folder of the module a call uses: its local `source`, else where `terraform init` installed it. */
export function moduleDirOf(mod: TfModule, name: string, call: BlockInfo): string | undefined {
  const src = localModuleSource(call);
  if (src) return path.resolve(mod.dir, src);
  return mod.cachedCalls.get(name);
}

export { isConfigFile } from './claims.js';

/** A JSON configuration file (`.tf.json`, `.tofu.json`). */
export function isJsonConfig(p: string): boolean {
  return p.endsWith('.tf.json') || p.endsWith('.tofu.json');
}
