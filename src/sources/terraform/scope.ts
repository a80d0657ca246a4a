/**
 * Scopes and the evaluator's interfaces: the names bound while an expression is evaluated (`for`,
 * `dynamic`, `count` / `for_each`, template variables), and what the rest of the Terraform source may
 * ask of the evaluator. `Evaluator` is all that functions and policy documents need; `ModuleEvaluator`
 * adds what expressions, references and templates need from one module instance. Only types and small
 * pure helpers live here, so every evaluation module can depend on it without an import cycle.
 */
import type { LineIndex } from '../../model/line-index.js';
import type { ScanError, SourceLocation } from '../../model/types.js';
import type { BudgetMeter, BudgetPlace } from '../../scan/budgets.js';
import type { BranchState } from './branches.js';
import type { TfModule } from './config.js';
import { type Ast, type HclParser, locOf, type SrcFile } from './hcl.js';
import type { Val } from './values.js';

/** Names bound by `for` expressions, `dynamic` blocks, `count`/`for_each`, template variables. */
export interface Scope {
  names: ReadonlyMap<string, Val>;
  parent?: Scope;
  /** Inside a `templatefile()` template: only the template's variables exist. */
  templateOnly?: boolean;
}

/** The scope of an expression outside any `for`, `dynamic`, instance or template (never written). */
export const EMPTY_SCOPE: Readonly<Scope> = Object.freeze({ names: new Map<string, Val>() });

export function childScope(parent: Scope, names: ReadonlyMap<string, Val>): Scope {
  const s: Scope = { names, parent };
  if (parent.templateOnly) s.templateOnly = true;
  return s;
}

/** The value bound to `name` in `scope` or one of its parents. */
export function lookup(scope: Scope | undefined, name: string): Val | undefined {
  for (let s = scope; s; s = s.parent) {
    const v = s.names.get(name);
    if (v) return v;
  }
  return undefined;
}

/** One instance of a block with `count` / `for_each` (see `instancesOf` in module-graph.ts). */
export interface BlockInstance {
  /** `[0]`, `["acme"]`, or '' (no count/for_each, or an unknown collection). */
  suffix: string;
  scope: Scope;
  /** False: the collection is unknown and this one instance stands for all of them. */
  known: boolean;
}

/** A lazily evaluated module input (the caller's argument). */
export type Input = () => Val;

/** What `Evaluator.readFile` answers: the file, or why it was not read. */
export type FileRead =
  | { ok: true; file: SrcFile; bytes: Buffer }
  | { ok: false; reason: string; missing: boolean };

/** What every module instance of one scan shares (built by the scan, hcl-source.ts). */
export interface EvalEnv {
  parser: HclParser;
  /** Account id for `data.aws_caller_identity.*.account_id` (`--account`, else the deploying-account marker). */
  owner: string;
  partition: string;
  /** `--var` / `--var-file` values (root modules only). */
  variables: ReadonlyMap<string, string>;
  /**
   * Root-module variable values that are already evaluated (Terragrunt's inputs, which reach Terraform
   * as `TF_VAR_` variables): they may be unknown. Below `--var` and the module's tfvars, above defaults.
   */
  rootValues: ReadonlyMap<string, Val>;
  /**
   * Reads a file that `file()`, `templatefile()`, `fileexists()`… names (relative to `baseDir`) through
   * the scan root; a refusal says why. `displayPath` is how findings name the file.
   */
  readFile(target: string, baseDir: string, displayPath: string): FileRead;
  /** Records a warning for the report (a refused read); the same warning is kept once. */
  warn(w: ScanError): void;
  /** Parsed templates by absolute path. */
  templates: Map<string, Ast | null>;
  /** Line indexes of the files templates are read from (offset -> line, column), kept for the scan. */
  lineIndexes: WeakMap<SrcFile, LineIndex>;
  /** Every scanned module by directory (to follow `module` blocks with a local source). */
  modules: ReadonlyMap<string, TfModule>;
  /** Which branch of each unknown condition the current run takes (branches.ts). */
  branches: BranchState;
}

/** What Terraform functions (functions.ts) and policy documents (policy-document.ts) need. */
export interface Evaluator {
  /** Evaluates an expression (counting `eval-steps` and `nesting-depth`). */
  eval(n: Ast, scope: Scope): Val;
  /** The budgets and running counts of the root module being evaluated. */
  readonly meter: BudgetMeter;
  /** Directory of the root module (`path.root`, relative paths of the file functions). */
  readonly rootDir: string;
  /** Records a warning for the report (kept once). */
  warn(w: ScanError): void;
  /** Reads a file a function names, relative to the root module's folder, through the scan root. */
  readFile(target: string): FileRead;
  /** Parses and evaluates a template file (`templatefile()`), with `vars` as its only names. */
  renderTemplateFile(file: SrcFile, vars: Map<string, Val>): Val;
}

/** One module instance, as expressions, references and templates see it (module-instance.ts). */
export interface ModuleEvaluator extends Evaluator {
  readonly env: EvalEnv;
  readonly mod: TfModule;
  /** `module.a.module.b.` for called modules, '' for a root. */
  readonly address: string;
  variable(name: string, at?: SourceLocation): Val;
  local(name: string, at?: SourceLocation): Val;
  /** `data.aws_iam_policy_document.NAME` (as `.json` gives it), for one instance of the data block. */
  policyDocument(name: string, at?: SourceLocation, instance?: BlockInstance): Val;
  /** `module.NAME.OUTPUT`. */
  moduleOutput(name: string, output: string, loc: SourceLocation, text: string): Val;
}

/** A Terraform function: its evaluated arguments and the call's context. */
export type Fn = (args: Val[], c: CallCtx) => Val;

export interface CallCtx {
  ev: Evaluator;
  /** The root module's budgets and counts (`ev.meter`). */
  meter: BudgetMeter;
  node: Ast;
  loc: SourceLocation;
  /** Symbolic result naming the call. */
  unknown(because?: Val): Val;
}

/** The place of a syntax node, for limit errors. */
export function placeOf(n: Ast): BudgetPlace {
  return locPlace(locOf(n));
}

export function locPlace(l: SourceLocation): BudgetPlace {
  const p: BudgetPlace = { file: l.file };
  if (l.line !== undefined) p.line = l.line;
  if (l.column !== undefined) p.column = l.column;
  return p;
}

export function objOf(entries: Record<string, Val>): Val {
  return { t: 'obj', v: new Map(Object.entries(entries)) };
}
