/**
 * The module graph: which scanned module a `module` block calls, the instances of a block with
 * `count` / `for_each` (module calls, roles, data sources), the caller's arguments as the child's
 * inputs, and the walk over every root module and the modules it calls, with the `module-depth` budget
 * and cycle detection. Module instances are made by the factory the caller passes (module-instance.ts
 * depends on this module, not the other way round).
 */
import path from 'node:path';
import type { ScanError, SourceLocation } from '../../model/types.js';
import { BudgetExceeded, type BudgetMeter, type BudgetPlace, budgetError } from '../../scan/budgets.js';
import { moduleDirOf, type TfModule } from './config.js';
import { type Ast, type BlockInfo, bodyAttrs, locOf, textOf } from './hcl.js';
import {
  type BlockInstance,
  childScope,
  EMPTY_SCOPE,
  type Evaluator,
  type Input,
  type ModuleEvaluator,
  objOf,
  placeOf,
  type Scope,
} from './scope.js';
import { DECIMAL } from './type-constraint.js';
import { str, sym, type Val, wrap } from './values.js';

/** Arguments of a `module` block that are not inputs of the module. */
export const MODULE_META_ARGS: ReadonlySet<string> = new Set([
  'source',
  'version',
  'count',
  'for_each',
  'providers',
  'depends_on',
]);

/**
 * The instances of a block with `count` / `for_each`: one per element when the collection is known
 * (`[0]`, `["acme"]`, each with its own `count.index` / `each.key` / `each.value`), none for a known
 * empty collection, and one symbolic instance (`known` false) when the collection is unknown.
 */
export function instancesOf(
  ev: Evaluator,
  block: BlockInfo,
  address: string,
  scope: Scope = EMPTY_SCOPE,
): BlockInstance[] {
  const attrs = bodyAttrs(block.body);
  const countNode = attrs.get('count');
  const feNode = attrs.get('for_each');
  const place = (): BudgetPlace => placeOf(block.node);
  if (countNode) {
    const v = ev.eval(countNode, scope);
    const n = v.t === 'num' ? v.v : v.t === 'str' && DECIMAL.test(v.v) ? Number(v.v) : undefined;
    if (n !== undefined && Number.isInteger(n) && n >= 0) {
      ev.meter.elements(n, place);
      const out: BlockInstance[] = [];
      for (let i = 0; i < n; i++) {
        const names = new Map<string, Val>([['count', objOf({ index: { t: 'num', v: i } })]]);
        out.push({ suffix: `[${i}]`, scope: childScope(scope, names), known: true });
      }
      return out;
    }
  } else if (feNode) {
    const coll = ev.eval(feNode, scope);
    let pairs: [string, Val][] | undefined;
    if (coll.t === 'obj') pairs = [...coll.v].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    else if (coll.t === 'list' && coll.v.every((x) => x.t === 'str'))
      pairs = coll.v.map((x) => [(x as { v: string }).v, x]);
    if (pairs) {
      ev.meter.elements(pairs.length, place);
      return pairs.map(([k, v]) => {
        const names = new Map<string, Val>([['each', objOf({ key: str(k), value: v })]]);
        return { suffix: `[${JSON.stringify(k)}]`, scope: childScope(scope, names), known: true };
      });
    }
  } else return [{ suffix: '', scope, known: true }];
  const meta = metaScope(ev, block, address);
  return [{ suffix: '', scope: childScope(scope, meta.names), known: false }];
}

/** Scope for a block with `count` / `for_each`: one instance is evaluated, with symbolic `count.index` / `each.*`. */
export function metaScope(ev: Evaluator, block: BlockInfo, address: string): Scope {
  const attrs = bodyAttrs(block.body);
  const names = new Map<string, Val>();
  if (attrs.has('count')) {
    names.set('count', objOf({ index: sym(`count.index of ${address}`, wrap('count.index')) }));
  }
  const fe = attrs.get('for_each');
  if (fe) {
    const coll = ev.eval(fe, EMPTY_SCOPE);
    let single: [Val, Val] | undefined;
    if (coll.t === 'list' && coll.v.length === 1 && coll.v[0]) single = [coll.v[0], coll.v[0]];
    if (coll.t === 'obj' && coll.v.size === 1) {
      const [k, v] = [...coll.v][0] as [string, Val];
      single = [str(k), v];
    }
    names.set(
      'each',
      objOf({
        key:
          single?.[0] ?? sym(`each.key of ${address} (for_each over ${textOf(fe).trim()})`, wrap('each.key')),
        value:
          single?.[1] ??
          sym(`each.value of ${address} (for_each over ${textOf(fe).trim()})`, wrap('each.value')),
      }),
    );
  }
  return { names };
}

/** The caller's arguments of a `module` block, evaluated lazily in this instance. */
export function moduleInputs(
  ev: ModuleEvaluator,
  call: BlockInfo,
  name: string,
  scope?: Scope,
): Map<string, Input> {
  const callScope = scope ?? metaScope(ev, call, `${ev.address}module.${name}`);
  const args = new Map<string, Input>();
  for (const [k, expr] of bodyAttrs(call.body)) {
    if (MODULE_META_ARGS.has(k)) continue;
    args.set(k, () => ev.eval(expr, callScope));
  }
  return args;
}

/** How deep an instance sits under its root (`module.a.module.b.` is 2). */
function nestingOf(address: string): number {
  return address.split('module.').length - 1;
}

/**
 * The scanned module `module.NAME` of `ev` calls, counted as one more instance of the root module;
 * null when its source is not a scanned local directory (or is the module itself); `tooDeep`, a
 * symbolic value (not cached by the caller), when the call nests deeper than `module-depth`.
 */
export function calledModule(
  ev: ModuleEvaluator,
  name: string,
  call: BlockInfo,
  loc: SourceLocation,
  text: string,
): { mod: TfModule } | { tooDeep: Val } | null {
  const dir = moduleDirOf(ev.mod, name, call);
  const mod = dir ? ev.env.modules.get(dir) : undefined;
  if (!mod || mod === ev.mod) return null;
  const depth = ev.meter.budgets['module-depth'];
  if (nestingOf(ev.address) >= depth) {
    const why = `${text} (module calls nested deeper than the module-depth limit of ${depth})`;
    return { tooDeep: sym(why, wrap(text), loc) };
  }
  ev.meter.instance(loc);
  return { mod };
}

/** Makes a module instance: a root (`inputs` undefined) or a module called with the caller's inputs. */
export type InstanceFactory = (
  mod: TfModule,
  address: string,
  inputs: Map<string, Input> | undefined,
  rootDir: string,
  meter: BudgetMeter,
) => ModuleEvaluator;

export interface ModuleWalk {
  modules: ReadonlyMap<string, TfModule>;
  newInstance: InstanceFactory;
  /** A fresh meter for each root module (its children share it). */
  newMeter(): BudgetMeter;
  /**
   * Called for every module instance (`rootDisplay` is the shown folder of its root module). What it
   * throws ends the whole root module; it reports what concerns one resource itself.
   */
  visit(inst: ModuleEvaluator, rootDisplay: string): void;
  /** Errors of the walk: cycles, limits, root modules that could not be finished. */
  errors: ScanError[];
}

/** A limit of the whole root module: it ends the root module rather than one call or resource. */
export function endsRootModule(e: unknown): boolean {
  return e instanceof BudgetExceeded && (e.budget === 'eval-steps' || e.budget === 'module-instances');
}

/**
 * Evaluates every root module (a module no other scanned module calls), then the modules only
 * reachable through a cycle, each on its own. Root modules are isolated: whatever one of them throws
 * (a limit, a bug) is an error naming its own file and line, and the others are still evaluated.
 */
export function walkRootModules(walk: ModuleWalk): void {
  const { modules } = walk;
  // Which modules are called from another scanned module?
  const calls = new Map<string, string>(); // child dir -> some caller dir
  for (const m of modules.values()) {
    for (const [name, call] of m.moduleCalls) {
      const child = moduleDirOf(m, name, call);
      if (child && modules.has(child) && child !== m.dir) calls.set(child, m.dir);
    }
  }
  const instantiated = new Set<string>();
  const sorted = [...modules.values()].sort((a, b) => (a.dir < b.dir ? -1 : 1));
  for (const mod of sorted) if (!calls.has(mod.dir) && !mod.calledOnly) evaluateRoot(walk, mod, instantiated);
  // Modules only reachable through a cycle: evaluate them on their own.
  for (const mod of sorted)
    if (!instantiated.has(mod.dir) && !mod.calledOnly) evaluateRoot(walk, mod, instantiated);
}

function evaluateRoot(walk: ModuleWalk, mod: TfModule, instantiated: Set<string>): void {
  try {
    const root: RootRun = {
      walk,
      rootDir: mod.dir,
      rootDisplay: mod.displayDir,
      meter: walk.newMeter(),
      instantiated,
    };
    instantiate(root, mod, '', undefined, [mod.dir]);
  } catch (e) {
    walk.errors.push(rootFailure(mod, e));
    // The modules it calls belong to it: not evaluated again on their own (the error covers them).
    const todo = [mod];
    for (let m = todo.pop(); m; m = todo.pop()) {
      for (const [name, call] of m.moduleCalls) {
        const dir = moduleDirOf(m, name, call);
        const child = dir ? walk.modules.get(dir) : undefined;
        if (child && !instantiated.has(child.dir)) {
          instantiated.add(child.dir);
          todo.push(child);
        }
      }
    }
  }
}

/** One root module's walk: its folder, its meter (eval-steps, module-instances). */
interface RootRun {
  walk: ModuleWalk;
  rootDir: string;
  rootDisplay: string;
  meter: BudgetMeter;
  instantiated: Set<string>;
}

function instantiate(
  run: RootRun,
  mod: TfModule,
  address: string,
  inputs: Map<string, Input> | undefined,
  stack: string[],
  caller?: Ast,
): void {
  const { walk, meter } = run;
  run.instantiated.add(mod.dir);
  meter.instance(caller ? (): BudgetPlace => placeOf(caller) : { file: firstFileOf(mod) });
  const inst = walk.newInstance(mod, address, inputs, run.rootDir, meter);
  walk.visit(inst, run.rootDisplay);
  for (const [name, call] of mod.moduleCalls) {
    const childDir = moduleDirOf(mod, name, call);
    const src = childDir ? path.relative(mod.dir, childDir) || '.' : '';
    const child = childDir ? walk.modules.get(childDir) : undefined;
    if (!child || child === mod) continue;
    if (stack.includes(child.dir)) {
      walk.errors.push({
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
      walk.errors.push(
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
      instances = instancesOf(inst, call, `${address}module.${name}`);
    } catch (e) {
      if (endsRootModule(e)) throw e;
      walk.errors.push(
        e instanceof BudgetExceeded
          ? budgetError('terraform', e, placeOf(call.node), `module.${name} was not expanded`)
          : internalError(call.node, e),
      );
      continue;
    }
    for (const one of instances) {
      instantiate(
        run,
        child,
        `${address}module.${name}${one.suffix}.`,
        moduleInputs(inst, call, name, one.known ? one.scope : undefined),
        [...stack, child.dir],
        call.node,
      );
    }
  }
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

/** An unexpected failure while evaluating a block, located at the block. */
export function internalError(node: Ast, e: unknown): ScanError {
  return {
    source: 'terraform',
    code: 'internal',
    message: `could not evaluate this resource: ${e instanceof Error ? e.message : String(e)}`,
    file: node.f.path,
    line: locOf(node).line,
    column: locOf(node).column,
  };
}
