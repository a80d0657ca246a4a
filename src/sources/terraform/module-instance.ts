/**
 * One module instance (a root module, or a module called from a scanned caller with its arguments):
 * its variables (the caller's inputs; for a root, `--var`, tfvars, evaluated root values such as
 * Terragrunt inputs, then defaults; converted to the declared type), locals, policy documents and module
 * outputs, each computed once per branch run. `eval` is the door every evaluation goes through: it
 * counts the budgets and hands the node to expressions.ts.
 */

import path from 'node:path';
import type { ScanError, SourceLocation } from '../../model/types.js';
import type { BudgetMeter, BudgetPlace } from '../../scan/budgets.js';
import type { TfModule } from './config.js';
import { evalNode } from './expressions.js';
import { type Ast, type BlockInfo, bodyAttrs, locOf, type SrcFile, textOf } from './hcl.js';
import { calledModule, metaScope, moduleInputs } from './module-graph.js';
import { buildPolicyDocument } from './policy-document.js';
import {
  type BlockInstance,
  EMPTY_SCOPE,
  type EvalEnv,
  type FileRead,
  type Input,
  type ModuleEvaluator,
  placeOf,
  type Scope,
} from './scope.js';
import { renderTemplateFile } from './templates.js';
import { convertToType } from './type-constraint.js';
import { errSym, jsonText, str, stripLocs, sym, type Val, wrap } from './values.js';

export class ModuleInstance implements ModuleEvaluator {
  private readonly varCache = new Map<string, Val>();
  private readonly localCache = new Map<string, Val | 'pending'>();
  private readonly dataCache = new Map<string, Val | 'pending'>();
  private readonly children = new Map<string, ModuleInstance | null>();
  /** The branch run the caches above belong to. */
  private generation = 0;

  constructor(
    readonly env: EvalEnv,
    readonly mod: TfModule,
    /** `module.a.module.b.` for called modules, '' for a root. */
    readonly address: string,
    readonly inputs: Map<string, Input> | undefined,
    /** Directory of the root module (for `path.root` and relative `file()` paths). */
    readonly rootDir: string,
    /** The budgets and running counts of the root module this instance belongs to. */
    readonly meter: BudgetMeter,
  ) {}

  /** A new branch run (branches.ts) may choose other branches: what was computed before is dropped. */
  private fresh(): void {
    const g = this.env.branches.generation;
    if (g === this.generation) return;
    this.generation = g;
    this.varCache.clear();
    this.localCache.clear();
    this.dataCache.clear();
    this.children.clear();
  }

  variable(name: string, at?: SourceLocation): Val {
    this.fresh();
    const cached = this.varCache.get(name);
    if (cached) return cached;
    let v = this.computeVariable(name, at);
    const type = bodyAttrs(this.mod.variables.get(name)?.body).get('type');
    if (type) v = convertToType(v, type, (d) => stripLocs(this.eval(d, EMPTY_SCOPE)));
    this.varCache.set(name, v);
    return v;
  }

  private computeVariable(name: string, at?: SourceLocation): Val {
    const decl = this.mod.variables.get(name);
    const ref = `var.${name}`;
    if (this.inputs) {
      const input = this.inputs.get(name);
      if (input) return stripLocs(input());
    } else {
      const cli = this.env.variables.get(name);
      if (cli !== undefined) return this.parseCliValue(cli, decl);
      const tv = this.mod.tfvars.get(name);
      if (tv) return stripLocs(this.eval(tv, EMPTY_SCOPE));
      const given = this.env.rootValues.get(name);
      if (given) return stripLocs(given);
    }
    if (!decl) return sym(`${ref} (not declared)`, wrap(ref), at);
    const def = bodyAttrs(decl.body).get('default');
    if (def) return stripLocs(this.eval(def, EMPTY_SCOPE));
    return sym(
      this.inputs
        ? `${ref} (no default; not set by module ${this.address.slice(0, -1)})`
        : `${ref} (no default)`,
      wrap(ref),
      at,
    );
  }

  /** `--var name=value`: HCL collections and numbers/booleans are parsed, anything else is a string. */
  private parseCliValue(raw: string, decl: BlockInfo | undefined): Val {
    const typeNode = decl ? bodyAttrs(decl.body).get('type') : undefined;
    const type = typeNode ? textOf(typeNode).trim() : '';
    if (type !== 'string' && /^\s*[[{]/.test(raw)) {
      const parsed = this.env.parser.parse({ path: '--var', text: `v = ${raw}\n` });
      const expr = parsed.error ? undefined : bodyAttrs(parsed.body).get('v');
      if (expr) return stripLocs(this.eval(expr, EMPTY_SCOPE));
    }
    return str(raw);
  }

  local(name: string, at?: SourceLocation): Val {
    this.fresh();
    const c = this.localCache.get(name);
    if (c === 'pending') return sym(`local.${name} (refers to itself)`, wrap(`local.${name}`), at);
    if (c) return c;
    const expr = this.mod.locals.get(name);
    if (!expr) return sym(`local.${name} (not declared)`, wrap(`local.${name}`), at);
    this.localCache.set(name, 'pending');
    let v: Val;
    try {
      v = this.eval(expr, EMPTY_SCOPE);
    } catch (e) {
      this.localCache.delete(name); // a limit ran out: the next use tries (and reports) again
      throw e;
    }
    this.localCache.set(name, v);
    return v;
  }

  /** `data.aws_iam_policy_document.NAME`: the document (as `.json` would give it). */
  policyDocument(name: string, at?: SourceLocation, instance?: BlockInstance): Val {
    this.fresh();
    const key = `aws_iam_policy_document.${name}`;
    const cacheKey = `${key}${instance?.suffix ?? ''}`;
    const c = this.dataCache.get(cacheKey);
    if (c === 'pending') return sym(`data.${key}.json (refers to itself)`, wrap(`data.${key}.json`), at);
    if (c) return c;
    const block = this.mod.data.get(key);
    if (!block) return sym(`data.${key}.json (not declared)`, wrap(`data.${key}.json`), at);
    this.dataCache.set(cacheKey, 'pending');
    let doc: Val;
    try {
      doc = buildPolicyDocument(this, block, instance?.scope ?? metaScope(this, block, `data.${key}`));
    } catch (e) {
      this.dataCache.delete(cacheKey);
      throw e;
    }
    const v: Val = { t: 'str', v: jsonText(doc), json: doc, loc: locOf(block.node) };
    this.dataCache.set(cacheKey, v);
    return v;
  }

  /** `module.NAME.OUTPUT` of a module whose source is a scanned local directory; else symbolic. */
  moduleOutput(name: string, output: string, loc: SourceLocation, text: string): Val {
    const call = this.mod.moduleCalls.get(name);
    if (!call) return errSym(`${text} (no module "${name}")`, wrap(text), loc);
    this.fresh();
    let child = this.children.get(name);
    if (child === undefined) {
      const called = calledModule(this, name, call, loc, text);
      if (called && 'tooDeep' in called) return called.tooDeep;
      child =
        called === null
          ? null
          : new ModuleInstance(
              this.env,
              called.mod,
              `${this.address}module.${name}.`,
              moduleInputs(this, call, name),
              this.rootDir,
              this.meter,
            );
      this.children.set(name, child);
    }
    if (!child) return sym(`${text} (output of a module outside the scan)`, wrap(text), loc);
    const expr = child.mod.outputs.get(output);
    if (!expr) return errSym(`${text} (module has no output "${output}")`, wrap(text), loc);
    return child.eval(expr, EMPTY_SCOPE);
  }

  /**
   * Every evaluation goes through here: one `eval-steps` step per node, one level of `nesting-depth` per
   * expression (references to locals, variables and module outputs are followed inside it, so a chain
   * of them counts too). Throws `BudgetExceeded` (located at `n`) when a limit runs out.
   */
  eval(n: Ast, scope: Scope): Val {
    const where = (): BudgetPlace => placeOf(n);
    this.meter.step(1, where);
    if (n.type !== 'expression') return evalNode(this, n, scope);
    this.meter.enter(where);
    try {
      return evalNode(this, n, scope);
    } finally {
      this.meter.leave();
    }
  }

  /** Reads a file a function names, relative to the root module's folder, through the scan root. */
  readFile(target: string): FileRead {
    return this.env.readFile(target, this.rootDir, displayOf(this.mod, this.rootDir, target));
  }

  warn(w: ScanError): void {
    this.env.warn(w);
  }

  renderTemplateFile(file: SrcFile, vars: Map<string, Val>): Val {
    return renderTemplateFile(this, file, vars);
  }
}

/** How findings name a file a function reads: relative to the module's shown folder. */
function displayOf(mod: TfModule, baseDir: string, target: string): string {
  const abs = path.resolve(baseDir, target);
  return path.isAbsolute(mod.dir) ? path.join(mod.displayDir, path.relative(mod.dir, abs)) : abs;
}
