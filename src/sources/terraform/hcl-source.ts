import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Role, ScanError } from '../../model/types.js';
import { append } from '../../util/append.js';
import type { InputFile, SourceContext } from '../types.js';
import {
  addConfigFile,
  addTfvarsFile,
  emptyModule,
  localModuleSource,
  type TfModule,
  tfvarsRank,
} from './config.js';
import { type EvalEnv, type Input, MAX_MODULE_NESTING, ModuleInstance } from './evaluate.js';
import { type Ast, type HclComment, type HclParser, locOf, type SrcFile } from './hcl.js';
import { transpileJsonConfig, transpileJsonVars } from './json-config.js';
import { buildRole } from './roles.js';

/** Guard against module graphs that fan out exponentially (each call is a separate instance). */
const MAX_MODULE_INSTANCES = 5000;

export interface HclScanOptions {
  parser: HclParser;
  ctx: SourceContext;
  account: string;
  partition: string;
}

/**
 * Reads `.tf` / `.tfvars` files: groups them into modules by directory, instantiates every root module
 * (and, through `module` blocks with a local `source`, the modules they call with the caller's arguments)
 * and turns each `aws_iam_role` into a Role.
 */
export function scanHcl(files: InputFile[], opts: HclScanOptions): { roles: Role[]; errors: ScanError[] } {
  const { parser, ctx } = opts;
  const roles: Role[] = [];
  const errors: ScanError[] = [];
  const modules = new Map<string, TfModule>();
  const comments = new Map<SrcFile, HclComment[]>();
  const moduleOf = (f: InputFile): TfModule => {
    const dir = path.dirname(f.absPath ?? f.path);
    let m = modules.get(dir);
    if (!m) {
      m = emptyModule(dir, path.dirname(f.path));
      modules.set(dir, m);
    }
    return m;
  };
  const tfvarsFiles: { file: InputFile; rank: number }[] = [];
  for (const f of files) {
    if (f.path.endsWith('.tfvars') || f.path.endsWith('.tfvars.json')) {
      const rank = tfvarsRank(f.path);
      if (rank !== undefined) tfvarsFiles.push({ file: f, rank });
      continue;
    }
    let src: SrcFile = { path: f.path, text: f.text };
    if (f.path.endsWith('.tf.json')) {
      const t = transpileJsonConfig(f.text);
      if (!t.ok) {
        errors.push(jsonError(f.path, t, 'the file was skipped'));
        continue;
      }
      src = { path: f.path, text: t.hcl, lineMap: t.lineMap };
    }
    if (f.absPath) src.abs = f.absPath;
    const parsed = parser.parse(src);
    if (parsed.error) {
      errors.push({
        source: 'terraform',
        code: 'hcl-syntax',
        message: `${parsed.error.message}; the file was skipped`,
        file: f.path,
        line: parsed.error.line,
        column: parsed.error.column,
      });
      continue;
    }
    comments.set(src, parsed.comments);
    addConfigFile(moduleOf(f), parsed);
  }
  // A module is a whole directory: files next to the scanned ones that were not handed to us (a single
  // file named on the command line) are read for their variables, locals and data sources only.
  const given = new Set(files.map((f) => f.absPath).filter((p): p is string => p !== undefined));
  for (const mod of modules.values()) {
    if (!path.isAbsolute(mod.dir)) continue;
    let names: string[];
    try {
      names = readdirSync(mod.dir);
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      const abs = path.join(mod.dir, name);
      if (given.has(abs)) continue;
      const isConfig = name.endsWith('.tf') || name.endsWith('.tf.json');
      const rank = tfvarsRank(name);
      if (!isConfig && rank === undefined) continue;
      let text: string;
      try {
        if (statSync(abs).size > ctx.maxFileBytes) continue;
        text = readFileSync(abs, 'utf8');
      } catch {
        continue;
      }
      const display = path.join(mod.displayDir, name);
      if (rank !== undefined) {
        tfvarsFiles.push({ file: { path: display, absPath: abs, text, explicit: false }, rank });
        continue;
      }
      let src: SrcFile = { path: display, abs, text };
      if (name.endsWith('.tf.json')) {
        const t = transpileJsonConfig(text);
        if (!t.ok) continue;
        src = { path: display, abs, text: t.hcl, lineMap: t.lineMap };
      }
      const parsed = parser.parse(src);
      if (!parsed.error) addConfigFile(mod, parsed, false);
    }
  }
  // terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars(.json) in name order: later assignments win.
  tfvarsFiles.sort((a, b) => a.rank - b.rank || (a.file.path < b.file.path ? -1 : 1));
  for (const { file } of tfvarsFiles) {
    const dir = path.dirname(file.absPath ?? file.path);
    const mod = modules.get(dir);
    if (!mod) continue;
    let src: SrcFile = { path: file.path, text: file.text };
    if (file.path.endsWith('.json')) {
      const t = transpileJsonVars(file.text);
      if (!t.ok) {
        errors.push(jsonError(file.path, t, 'the variables file was ignored'));
        continue;
      }
      src = { path: file.path, text: t.hcl, lineMap: t.lineMap };
    }
    const parsed = parser.parse(src);
    if (parsed.error) {
      errors.push({
        source: 'terraform',
        code: 'hcl-syntax',
        message: `${parsed.error.message} (variables file ignored)`,
        file: file.path,
        line: parsed.error.line,
        column: parsed.error.column,
      });
      continue;
    }
    addTfvarsFile(mod, parsed);
  }

  const fileCache = new Map<string, SrcFile | null>();
  const env: EvalEnv = {
    parser,
    owner: opts.account,
    partition: opts.partition,
    variables: ctx.variables,
    templates: new Map(),
    modules,
    readFile(abs, displayPath) {
      const c = fileCache.get(abs);
      if (c !== undefined) return c ?? undefined;
      let out: SrcFile | null = null;
      try {
        if (statSync(abs).size <= ctx.maxFileBytes)
          out = { path: displayPath, abs, text: readFileSync(abs, 'utf8') };
      } catch {
        out = null;
      }
      fileCache.set(abs, out);
      return out ?? undefined;
    },
  };

  // Which modules are called from another scanned module?
  const calls = new Map<string, string>(); // child dir -> some caller dir
  for (const m of modules.values()) {
    for (const call of m.moduleCalls.values()) {
      const src = localModuleSource(call);
      if (!src) continue;
      const child = path.resolve(m.dir, src);
      if (modules.has(child) && child !== m.dir) calls.set(child, m.dir);
    }
  }
  const instantiated = new Set<string>();
  let instances = 0;
  const instantiate = (
    mod: TfModule,
    address: string,
    inputs: Map<string, Input> | undefined,
    rootDir: string,
    stack: string[],
    rootDisplay: string,
  ): void => {
    instantiated.add(mod.dir);
    if (++instances > MAX_MODULE_INSTANCES) {
      if (instances === MAX_MODULE_INSTANCES + 1) {
        errors.push({
          source: 'terraform',
          code: 'module-budget',
          message: `more than ${MAX_MODULE_INSTANCES} module instances (module calls fan out too much); ${address || mod.displayDir} and the rest were not expanded`,
          file: mod.files[0]?.file.path ?? mod.displayDir,
        });
      }
      return;
    }
    const inst = new ModuleInstance(env, mod, address, inputs, rootDir);
    for (const block of mod.resources) {
      if (block.labels[0] !== 'aws_iam_role') continue;
      try {
        const r = buildRole(inst, block, comments.get(block.node.f) ?? [], opts.account, opts.partition);
        append(errors, r.errors);
        if (r.role) {
          // One module can be called from several roots: the root folder makes the id unique.
          if (rootDisplay !== '' && rootDisplay !== '.') r.role.id = `${rootDisplay}#${r.role.id}`;
          roles.push(r.role);
        }
      } catch (e) {
        errors.push(internalError(block.node, e));
      }
    }
    for (const [name, call] of mod.moduleCalls) {
      const src = localModuleSource(call);
      if (!src) continue;
      const child = modules.get(path.resolve(mod.dir, src));
      if (!child || child === mod) continue;
      if (stack.includes(child.dir) || stack.length >= MAX_MODULE_NESTING) {
        errors.push({
          source: 'terraform',
          code: 'module-cycle',
          message: `module.${name} calls ${src}, which is already being evaluated (cycle or nesting deeper than ${MAX_MODULE_NESTING}); not expanded`,
          file: call.node.f.path,
          line: locOf(call.node).line,
          column: locOf(call.node).column,
        });
        continue;
      }
      instantiate(
        child,
        `${address}module.${name}.`,
        inst.moduleInputs(call, name),
        rootDir,
        [...stack, child.dir],
        rootDisplay,
      );
    }
  };
  const sorted = [...modules.values()].sort((a, b) => (a.dir < b.dir ? -1 : 1));
  for (const mod of sorted)
    if (!calls.has(mod.dir)) instantiate(mod, '', undefined, mod.dir, [mod.dir], mod.displayDir);
  // Modules only reachable through a cycle: evaluate them on their own.
  for (const mod of sorted)
    if (!instantiated.has(mod.dir)) instantiate(mod, '', undefined, mod.dir, [mod.dir], mod.displayDir);
  return { roles, errors };
}

function internalError(node: Ast, e: unknown): ScanError {
  return {
    source: 'terraform',
    code: 'internal',
    message: `could not evaluate this resource: ${e instanceof Error ? e.message : String(e)}`,
    file: node.f.path,
    line: locOf(node).line,
    column: locOf(node).column,
  };
}

/** A Terraform JSON file that could not be read, with what was done about it. */
function jsonError(
  file: string,
  t: { message: string; line: number; column: number },
  outcome: string,
): ScanError {
  return {
    source: 'terraform',
    code: 'json-syntax',
    message: `${t.message}; ${outcome}`,
    file,
    line: t.line,
    column: t.column,
  };
}
