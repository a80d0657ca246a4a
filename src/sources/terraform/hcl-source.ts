import { readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { Role, ScanError } from '../../model/types.js';
import { BudgetExceeded, BudgetMeter, budgetError } from '../../scan/budgets.js';
import { append } from '../../util/append.js';
import type { InputFile, SourceContext } from '../types.js';
import { newBranchState } from './branches.js';
import {
  addConfigFile,
  addTfvarsFile,
  emptyModule,
  isConfigFile,
  isJsonConfig,
  moduleDirOf,
  type TfModule,
  tfvarsRank,
} from './config.js';
import { type BlockInstance, type EvalEnv, type Input, ModuleInstance, placeOf } from './evaluate.js';
import type { FileRead } from './file-functions.js';
import { type Ast, type HclComment, type HclParser, locOf, type ParsedHcl, type SrcFile } from './hcl.js';
import { transpileJsonConfig, transpileJsonVars } from './json-config.js';
import { loadModuleCache } from './module-cache.js';
import { moduleSourceWarnings } from './module-sources.js';
import { buildRoleInstances } from './role-instances.js';

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
export function scanHcl(
  files: InputFile[],
  opts: HclScanOptions,
): { roles: Role[]; errors: ScanError[]; warnings: ScanError[] } {
  const { parser, ctx } = opts;
  const roles: Role[] = [];
  const errors: ScanError[] = [];
  const warnings = warningList();
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
  const maxDepth = ctx.budgets['nesting-depth'];
  // A file that runs out of a limit while it is read (nested too deeply) is reported and skipped alone.
  const guarded = <T>(display: string, outcome: string, work: () => T): T | undefined => {
    try {
      return work();
    } catch (e) {
      errors.push(fileFailure(display, e, outcome));
      return undefined;
    }
  };
  const parseOr = (src: SrcFile, display: string, outcome: string): ParsedHcl | undefined =>
    guarded(display, outcome, () => parser.parse(src));
  const tfvarsFiles: { file: InputFile; rank: number }[] = [];
  for (const f of files) {
    if (f.path.endsWith('.tfvars') || f.path.endsWith('.tfvars.json')) {
      const rank = tfvarsRank(f.path);
      if (rank !== undefined) tfvarsFiles.push({ file: f, rank });
      continue;
    }
    let src: SrcFile = { path: f.path, text: f.text };
    if (isJsonConfig(f.path)) {
      const t = guarded(f.path, 'the file was skipped', () => transpileJsonConfig(f.text, maxDepth, f.path));
      if (!t) continue;
      if (!t.ok) {
        errors.push(jsonError(f.path, t, 'the file was skipped'));
        continue;
      }
      src = { path: f.path, text: t.hcl, lineMap: t.lineMap };
    }
    if (f.absPath) src.abs = f.absPath;
    const parsed = parseOr(src, f.path, 'the file was skipped');
    if (!parsed) continue;
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
  // Files the scanner already walked were handed over or refused with a reason: not read again here.
  const walked = new Set(ctx.allFiles.map((p) => path.resolve(p)));
  for (const mod of modules.values()) {
    if (!path.isAbsolute(mod.dir)) continue;
    let realDir: string;
    try {
      realDir = realpathSync.native(mod.dir);
    } catch {
      continue;
    }
    let names: string[];
    try {
      names = readdirSync(mod.dir);
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      const abs = path.join(mod.dir, name);
      if (given.has(abs) || walked.has(abs)) continue;
      const isConfig = isConfigFile(name);
      const rank = tfvarsRank(name);
      if (!isConfig && rank === undefined) continue;
      const display = path.join(mod.displayDir, name);
      // The folder of a file the user named is theirs; a link out of it must still stay in the root.
      const read = ctx.root.readFound(abs, [realDir]);
      if (!read.ok) {
        warnings.add({
          source: 'terraform',
          code: 'file-refused',
          message: `${display} (next to a scanned file) was not read: ${read.reason}`,
          file: display,
        });
        continue;
      }
      const text = read.text;
      if (rank !== undefined) {
        tfvarsFiles.push({ file: { path: display, absPath: abs, text, explicit: false }, rank });
        continue;
      }
      let src: SrcFile = { path: display, abs, text };
      if (isJsonConfig(name)) {
        const t = guarded(display, 'the file was skipped', () =>
          transpileJsonConfig(text, maxDepth, display),
        );
        if (!t?.ok) continue;
        src = { path: display, abs, text: t.hcl, lineMap: t.lineMap };
      }
      const parsed = parseOr(src, display, 'the file was skipped');
      if (parsed && !parsed.error) addConfigFile(mod, parsed, false);
    }
  }
  // Modules `terraform init` installed (registry, git...): read from the `.terraform/modules` cache.
  loadModuleCache(
    modules,
    ctx.root,
    (display, abs, text) => {
      let src: SrcFile = { path: display, abs, text };
      if (isJsonConfig(display)) {
        const t = guarded(display, 'the file was skipped', () =>
          transpileJsonConfig(text, maxDepth, display),
        );
        if (!t?.ok) return undefined;
        src = { path: display, abs, text: t.hcl, lineMap: t.lineMap };
      }
      const parsed = parseOr(src, display, 'the file was skipped');
      if (!parsed || parsed.error) return undefined;
      comments.set(src, parsed.comments);
      return parsed;
    },
    (w) => warnings.add(w),
  );
  // terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars(.json) in name order: later assignments win.
  tfvarsFiles.sort((a, b) => a.rank - b.rank || (a.file.path < b.file.path ? -1 : 1));
  for (const { file } of tfvarsFiles) {
    const dir = path.dirname(file.absPath ?? file.path);
    const mod = modules.get(dir);
    if (!mod) continue;
    let src: SrcFile = { path: file.path, text: file.text };
    if (file.path.endsWith('.json')) {
      const t = guarded(file.path, 'the variables file was ignored', () =>
        transpileJsonVars(file.text, maxDepth, file.path),
      );
      if (!t) continue;
      if (!t.ok) {
        errors.push(jsonError(file.path, t, 'the variables file was ignored'));
        continue;
      }
      src = { path: file.path, text: t.hcl, lineMap: t.lineMap };
    }
    const parsed = parseOr(src, file.path, 'the variables file was ignored');
    if (!parsed) continue;
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

  const fileCache = new Map<string, FileRead>();
  const env: EvalEnv = {
    parser,
    owner: opts.account,
    partition: opts.partition,
    variables: ctx.variables,
    templates: new Map(),
    modules,
    branches: newBranchState(),
    readFile(target, baseDir, displayPath) {
      const key = path.resolve(baseDir, target);
      const cached = fileCache.get(key);
      if (cached) return cached;
      const r = ctx.root.read(target, baseDir);
      const out: FileRead = r.ok
        ? { ok: true, file: { path: displayPath, abs: r.abs, text: r.text }, bytes: r.bytes }
        : { ok: false, reason: r.reason, missing: r.refusal === 'missing' };
      fileCache.set(key, out);
      return out;
    },
    warn: (w) => warnings.add(w),
  };

  // Which modules are called from another scanned module?
  const calls = new Map<string, string>(); // child dir -> some caller dir
  for (const m of modules.values()) {
    for (const [name, call] of m.moduleCalls) {
      const child = moduleDirOf(m, name, call);
      if (child && modules.has(child) && child !== m.dir) calls.set(child, m.dir);
    }
  }
  const instantiated = new Set<string>();
  // Each root module has its own meter (eval-steps, module-instances); its children share it.
  const instantiate = (
    mod: TfModule,
    address: string,
    inputs: Map<string, Input> | undefined,
    rootDir: string,
    stack: string[],
    rootDisplay: string,
    meter: BudgetMeter,
    caller?: Ast,
  ): void => {
    instantiated.add(mod.dir);
    meter.instance(caller ? () => placeOf(caller) : { file: firstFileOf(mod) });
    const inst = new ModuleInstance(env, mod, address, inputs, rootDir, meter);
    for (const block of mod.resources) {
      if (block.labels[0] !== 'aws_iam_role') continue;
      try {
        const built = buildRoleInstances(inst, block, comments.get(block.node.f) ?? [], opts, env.branches);
        append(errors, built.errors);
        for (const w of built.warnings) warnings.add(w);
        for (const role of built.roles) {
          // One module can be called from several roots: the root folder makes the id unique.
          if (rootDisplay !== '' && rootDisplay !== '.') role.id = `${rootDisplay}#${role.id}`;
          roles.push(role);
        }
      } catch (e) {
        // Limits of the whole root module end it (caught below); the others end this role only.
        if (e instanceof BudgetExceeded && (e.budget === 'eval-steps' || e.budget === 'module-instances'))
          throw e;
        errors.push(
          e instanceof BudgetExceeded
            ? budgetError(
                'terraform',
                e,
                placeOf(block.node),
                `the role ${block.labels[1] ?? ''} was not judged`,
              )
            : internalError(block.node, e),
        );
      }
    }
    for (const [name, call] of mod.moduleCalls) {
      const childDir = moduleDirOf(mod, name, call);
      const src = childDir ? path.relative(mod.dir, childDir) || '.' : '';
      const child = childDir ? modules.get(childDir) : undefined;
      if (!child || child === mod) continue;
      if (stack.includes(child.dir)) {
        errors.push({
          source: 'terraform',
          code: 'module-cycle',
          message: `module.${name} calls ${src}, which is already being evaluated (a cycle); not expanded`,
          file: call.node.f.path,
          line: locOf(call.node).line,
          column: locOf(call.node).column,
        });
        continue;
      }
      if (stack.length > meter.budgets['module-depth']) {
        errors.push(
          budgetError(
            'terraform',
            new BudgetExceeded('module-depth', meter.budgets['module-depth'], `module.${name} calls ${src}`),
            placeOf(call.node),
            'the call was not expanded',
          ),
        );
        continue;
      }
      // `count` / `for_each` on the call: one child per known instance, none when known to be empty.
      let instances: BlockInstance[];
      try {
        instances = inst.instancesOf(call, `${address}module.${name}`);
      } catch (e) {
        if (e instanceof BudgetExceeded && (e.budget === 'eval-steps' || e.budget === 'module-instances'))
          throw e;
        errors.push(
          e instanceof BudgetExceeded
            ? budgetError('terraform', e, placeOf(call.node), `module.${name} was not expanded`)
            : internalError(call.node, e),
        );
        continue;
      }
      for (const one of instances) {
        instantiate(
          child,
          `${address}module.${name}${one.suffix}.`,
          inst.moduleInputs(call, name, one.known ? one.scope : undefined),
          rootDir,
          [...stack, child.dir],
          rootDisplay,
          meter,
          call.node,
        );
      }
    }
  };
  // Root modules are isolated: whatever one of them throws (a limit, a bug) is an error naming its own
  // file and line, and the roles of the others are still read. Roles it built before that are kept.
  const instantiateRoot = (mod: TfModule): void => {
    try {
      instantiate(mod, '', undefined, mod.dir, [mod.dir], mod.displayDir, new BudgetMeter(ctx.budgets));
    } catch (e) {
      errors.push(rootFailure(mod, e));
      // The modules it calls belong to it: not evaluated again on their own (the error covers them).
      const todo = [mod];
      for (let m = todo.pop(); m; m = todo.pop()) {
        for (const [name, call] of m.moduleCalls) {
          const dir = moduleDirOf(m, name, call);
          const child = dir ? modules.get(dir) : undefined;
          if (child && !instantiated.has(child.dir)) {
            instantiated.add(child.dir);
            todo.push(child);
          }
        }
      }
    }
  };
  const sorted = [...modules.values()].sort((a, b) => (a.dir < b.dir ? -1 : 1));
  for (const mod of sorted) if (!calls.has(mod.dir) && !mod.calledOnly) instantiateRoot(mod);
  // Modules only reachable through a cycle: evaluate them on their own.
  for (const mod of sorted) if (!instantiated.has(mod.dir) && !mod.calledOnly) instantiateRoot(mod);
  for (const w of moduleSourceWarnings(modules, ctx.root)) warnings.add(w);
  return { roles, errors, warnings: warnings.list };
}

/** Warnings kept once each: the same expression is evaluated again for every module instance. */
function warningList(): { list: ScanError[]; add(w: ScanError): void } {
  const seen = new Set<string>();
  const list: ScanError[] = [];
  return {
    list,
    add(w) {
      const key = `${w.code}\0${w.file ?? ''}\0${w.line ?? ''}\0${w.column ?? ''}\0${w.message}`;
      if (seen.has(key)) return;
      seen.add(key);
      list.push(w);
    },
  };
}

function firstFileOf(mod: TfModule): string {
  return mod.files[0]?.file.path ?? mod.displayDir;
}

/** A root module that could not be finished: a limit (located where it ran out) or an unexpected failure. */
function rootFailure(mod: TfModule, e: unknown): ScanError {
  const where = mod.displayDir === '' ? '.' : mod.displayDir;
  const outcome = `the rest of the root module ${where} was not evaluated`;
  if (e instanceof BudgetExceeded) return budgetError('terraform', e, { file: firstFileOf(mod) }, outcome);
  return {
    source: 'terraform',
    code: 'internal',
    message: `could not evaluate the root module ${where}: ${e instanceof Error ? e.message : String(e)}`,
    file: firstFileOf(mod),
    line: 1,
    column: 1,
  };
}

/** A file that could not be read: a limit (located), or an unexpected failure of the reader. */
function fileFailure(file: string, e: unknown, outcome: string): ScanError {
  if (e instanceof BudgetExceeded) return budgetError('terraform', e, { file }, outcome);
  return {
    source: 'terraform',
    code: 'internal',
    message: `could not read this file (${e instanceof Error ? e.message : String(e)}); ${outcome}`,
    file,
  };
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
