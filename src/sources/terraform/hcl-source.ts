/**
 * The HCL scan of `.tf` / `.tf.json` / `.tfvars` files: groups them into modules by folder and parses
 * them (module-files.ts), instantiates every root module and, through `module` blocks with a local
 * `source`, the modules it calls with the caller's arguments (module-graph.ts), turns each
 * `aws_iam_role` of every instance into Roles (role-instances.ts), and collects the errors and
 * warnings. Every file it reads goes through the scan root (`ctx.root`).
 */
import path from 'node:path';
import type { Role, ScanError } from '../../model/types.js';
import { BudgetExceeded, BudgetMeter, budgetError } from '../../scan/budgets.js';
import { append } from '../../util/append.js';
import type { InputFile, SourceContext } from '../types.js';
import { newBranchState } from './branches.js';
import type { TfModule } from './config.js';
import type { HclComment, HclParser, SrcFile } from './hcl.js';
import { loadModules } from './module-files.js';
import { endsRootModule, internalError, walkRootModules } from './module-graph.js';
import { ModuleInstance } from './module-instance.js';
import { moduleSourceWarnings } from './module-sources.js';
import { buildRoleInstances } from './role-instances.js';
import { type WarningList, warningList } from './scan-report.js';
import { type EvalEnv, type FileRead, type ModuleEvaluator, placeOf } from './scope.js';
import type { Val } from './values.js';

export interface HclScanOptions {
  parser: HclParser;
  ctx: SourceContext;
  account: string;
  partition: string;
  /**
   * Values of the root modules' variables that are already evaluated, possibly unknown or partly
   * unknown (a Terragrunt unit's inputs, which Terraform reads as `TF_VAR_` variables): `--var`
   * (`ctx.variables`) and the module's own `terraform.tfvars` / `*.auto.tfvars` win over them, and they
   * win over the variables' defaults.
   */
  rootValues?: ReadonlyMap<string, Val>;
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
  const comments = new Map<SrcFile, HclComment[]>();
  const modules = loadModules(files, { parser, ctx, errors, warnings, comments });
  const env = evalEnv(opts, modules, warnings);
  walkRootModules({
    modules,
    newInstance: (mod, address, inputs, rootDir, meter) =>
      new ModuleInstance(env, mod, address, inputs, rootDir, meter),
    newMeter: () => new BudgetMeter(ctx.budgets),
    visit: (inst, rootDisplay) => {
      const out = { roles, errors, warnings };
      collectRoles(inst, rootDisplay, { comments, opts, env }, out);
    },
    errors,
  });
  for (const w of moduleSourceWarnings(modules, ctx.root)) warnings.add(w);
  return { roles, errors, warnings: warnings.list };
}

/** What every module instance of the scan shares; files named by functions are read once each. */
function evalEnv(
  opts: HclScanOptions,
  modules: ReadonlyMap<string, TfModule>,
  warnings: WarningList,
): EvalEnv {
  const { ctx } = opts;
  const fileCache = new Map<string, FileRead>();
  return {
    parser: opts.parser,
    owner: opts.account,
    partition: opts.partition,
    variables: ctx.variables,
    rootValues: opts.rootValues ?? new Map(),
    templates: new Map(),
    lineIndexes: new WeakMap(),
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
}

/**
 * The roles of one module instance's `aws_iam_role` blocks. A limit of the whole root module is
 * rethrown (it ends the root module, module-graph.ts); anything else ends this role only.
 */
function collectRoles(
  inst: ModuleEvaluator,
  rootDisplay: string,
  scan: { comments: ReadonlyMap<SrcFile, HclComment[]>; opts: HclScanOptions; env: EvalEnv },
  out: { roles: Role[]; errors: ScanError[]; warnings: WarningList },
): void {
  for (const block of inst.mod.resources) {
    if (block.labels[0] !== 'aws_iam_role') continue;
    try {
      const comments = scan.comments.get(block.node.f) ?? [];
      const built = buildRoleInstances(inst, block, comments, scan.opts, scan.env.branches);
      append(out.errors, built.errors);
      for (const w of built.warnings) out.warnings.add(w);
      for (const role of built.roles) {
        // One module can be called from several roots: the root folder makes the id unique.
        if (rootDisplay !== '' && rootDisplay !== '.') role.id = `${rootDisplay}#${role.id}`;
        out.roles.push(role);
      }
    } catch (e) {
      if (endsRootModule(e)) throw e;
      out.errors.push(
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
}
