import path from 'node:path';
import { LineIndex } from '../../model/line-index.js';
import type { ScanError, SourceLocation } from '../../model/types.js';
import { BudgetExceeded, type BudgetMeter, type BudgetPlace } from '../../scan/budgets.js';
import { type BranchState, NeedBranch } from './branches.js';
import { moduleDirOf, type TfModule } from './config.js';
import type { FileRead } from './file-functions.js';
import { callFunction } from './functions.js';
import {
  type Ast,
  type BlockInfo,
  bodyAttrs,
  type HclParser,
  locOf,
  mapPos,
  type SrcFile,
  textOf,
  unescapeQuoted,
} from './hcl.js';
import { buildPolicyDocument } from './policy-document.js';
import { convertToType, DECIMAL } from './type-constraint.js';
import {
  displayText,
  errSym,
  hasSym,
  jsonText,
  MappedText,
  NULL,
  type SrcMap,
  type SymVal,
  scalarText,
  str,
  sym,
  symDescriptions,
  type TplPart,
  type Val,
  wrap,
} from './values.js';

/** What every module instance of one scan shares. */
export interface EvalEnv {
  parser: HclParser;
  /** Account id for `data.aws_caller_identity.*.account_id` (`--account`, else the deploying-account marker). */
  owner: string;
  partition: string;
  /** `--var` / `--var-file` values (root modules only). */
  variables: ReadonlyMap<string, string>;
  /**
   * Reads a file that `file()`, `templatefile()`, `fileexists()`… names (relative to `baseDir`) through
   * the scan root; a refusal says why. `displayPath` is how findings name the file.
   */
  readFile(target: string, baseDir: string, displayPath: string): FileRead;
  /** Records a warning for the report (a refused read); the same warning is kept once. */
  warn(w: ScanError): void;
  /** Parsed templates by absolute path. */
  templates: Map<string, Ast | null>;
  /** Every scanned module by directory (to follow `module` blocks with a local source). */
  modules: ReadonlyMap<string, TfModule>;
  /** Which branch of each unknown condition the current run takes (branches.ts). */
  branches: BranchState;
}

/** Names bound by `for` expressions, `dynamic` blocks, `count`/`for_each`, template variables. */
export interface Scope {
  names: Map<string, Val>;
  parent?: Scope;
  /** Inside a `templatefile()` template: only the template's variables exist. */
  templateOnly?: boolean;
}

export const EMPTY_SCOPE: Scope = { names: new Map() };

export function childScope(parent: Scope, names: Map<string, Val>): Scope {
  const s: Scope = { names, parent };
  if (parent.templateOnly) s.templateOnly = true;
  return s;
}

function lookup(scope: Scope | undefined, name: string): Val | undefined {
  for (let s = scope; s; s = s.parent) {
    const v = s.names.get(name);
    if (v) return v;
  }
  return undefined;
}

/** One instance of a block with `count` / `for_each` (see `ModuleInstance.instancesOf`). */
export interface BlockInstance {
  /** `[0]`, `["acme"]`, or '' (no count/for_each, or an unknown collection). */
  suffix: string;
  scope: Scope;
  /** False: the collection is unknown and this one instance stands for all of them. */
  known: boolean;
}

/** A lazily evaluated module input (the caller's argument). */
export type Input = () => Val;

/** Arguments of a `module` block that are not inputs of the module. */
export const MODULE_META_ARGS = new Set([
  'source',
  'version',
  'count',
  'for_each',
  'providers',
  'depends_on',
]);

/** Removes locations (values taken from variable defaults, tfvars or callers are located where they are used). */
export function stripLocs(v: Val): Val {
  switch (v.t) {
    case 'list':
      return { t: 'list', v: v.v.map(stripLocs) };
    case 'obj':
      return { t: 'obj', v: new Map([...v.v].map(([k, x]) => [k, stripLocs(x)])) };
    case 'str': {
      const out: Val = { t: 'str', v: v.v };
      if (v.json) out.json = stripLocs(v.json);
      return out;
    }
    case 'sym': {
      const { loc: _loc, ...rest } = v;
      return rest;
    }
    default: {
      const { loc: _loc, ...rest } = v;
      return rest as Val;
    }
  }
}

/**
 * Evaluates the expressions of one module instance (a root module, or a module called from a scanned
 * caller with its arguments). Everything that cannot be known statically becomes a symbolic value.
 */
export class ModuleInstance {
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

  /** How deep this instance sits under its root (`module.a.module.b.` is 2). */
  get nesting(): number {
    return this.address.split('module.').length - 1;
  }

  get isRoot(): boolean {
    return this.inputs === undefined;
  }

  // ---------------------------------------------------------------- variables, locals, data

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
      doc = buildPolicyDocument(this, block, instance?.scope ?? this.metaScope(block, `data.${key}`));
    } catch (e) {
      this.dataCache.delete(cacheKey);
      throw e;
    }
    const v: Val = { t: 'str', v: jsonText(doc), json: doc, loc: locOf(block.node) };
    this.dataCache.set(cacheKey, v);
    return v;
  }

  /** The caller's arguments of a `module` block, evaluated lazily in this instance. */
  moduleInputs(call: BlockInfo, name: string, scope?: Scope): Map<string, Input> {
    const callScope = scope ?? this.metaScope(call, `${this.address}module.${name}`);
    const args = new Map<string, Input>();
    for (const [k, expr] of bodyAttrs(call.body)) {
      if (MODULE_META_ARGS.has(k)) continue;
      args.set(k, () => this.eval(expr, callScope));
    }
    return args;
  }

  /** `module.NAME.OUTPUT` of a module whose source is a scanned local directory; else symbolic. */
  private moduleOutput(name: string, output: string, loc: SourceLocation, text: string): Val {
    const call = this.mod.moduleCalls.get(name);
    if (!call) return errSym(`${text} (no module "${name}")`, wrap(text), loc);
    this.fresh();
    let child = this.children.get(name);
    if (child === undefined) {
      const dir = moduleDirOf(this.mod, name, call);
      const mod = dir ? this.env.modules.get(dir) : undefined;
      if (mod && mod !== this.mod && this.nesting >= this.meter.budgets['module-depth'])
        return sym(
          `${text} (module calls nested deeper than the module-depth limit of ${this.meter.budgets['module-depth']})`,
          wrap(text),
          loc,
        );
      if (mod && mod !== this.mod) this.meter.instance(loc);
      child =
        mod && mod !== this.mod
          ? new ModuleInstance(
              this.env,
              mod,
              `${this.address}module.${name}.`,
              this.moduleInputs(call, name),
              this.rootDir,
              this.meter,
            )
          : null;
      this.children.set(name, child);
    }
    if (!child) return sym(`${text} (output of a module outside the scan)`, wrap(text), loc);
    const expr = child.mod.outputs.get(output);
    if (!expr) return errSym(`${text} (module has no output "${output}")`, wrap(text), loc);
    return child.eval(expr, EMPTY_SCOPE);
  }

  /**
   * The instances of a block with `count` / `for_each`: one per element when the collection is known
   * (`[0]`, `["acme"]`, each with its own `count.index` / `each.key` / `each.value`), none for a known
   * empty collection, and one symbolic instance (`known` false) when the collection is unknown.
   */
  instancesOf(block: BlockInfo, address: string, scope: Scope = EMPTY_SCOPE): BlockInstance[] {
    const attrs = bodyAttrs(block.body);
    const countNode = attrs.get('count');
    const feNode = attrs.get('for_each');
    const place = (): BudgetPlace => placeOf(block.node);
    if (countNode) {
      const v = this.eval(countNode, scope);
      const n = v.t === 'num' ? v.v : v.t === 'str' && DECIMAL.test(v.v) ? Number(v.v) : undefined;
      if (n !== undefined && Number.isInteger(n) && n >= 0) {
        this.meter.elements(n, place);
        const out: BlockInstance[] = [];
        for (let i = 0; i < n; i++) {
          const names = new Map<string, Val>([['count', objOf({ index: { t: 'num', v: i } })]]);
          out.push({ suffix: `[${i}]`, scope: childScope(scope, names), known: true });
        }
        return out;
      }
    } else if (feNode) {
      const coll = this.eval(feNode, scope);
      let pairs: [string, Val][] | undefined;
      if (coll.t === 'obj') pairs = [...coll.v].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      else if (coll.t === 'list' && coll.v.every((x) => x.t === 'str'))
        pairs = coll.v.map((x) => [(x as { v: string }).v, x]);
      if (pairs) {
        this.meter.elements(pairs.length, place);
        return pairs.map(([k, v]) => {
          const names = new Map<string, Val>([['each', objOf({ key: str(k), value: v })]]);
          return { suffix: `[${JSON.stringify(k)}]`, scope: childScope(scope, names), known: true };
        });
      }
    } else return [{ suffix: '', scope, known: true }];
    const meta = this.metaScope(block, address);
    return [{ suffix: '', scope: childScope(scope, meta.names), known: false }];
  }

  /** Scope for a block with `count` / `for_each`: one instance is evaluated, with symbolic `count.index` / `each.*`. */
  metaScope(block: BlockInfo, address: string): Scope {
    const attrs = bodyAttrs(block.body);
    const names = new Map<string, Val>();
    if (attrs.has('count')) {
      names.set('count', objOf({ index: sym(`count.index of ${address}`, wrap('count.index')) }));
    }
    const fe = attrs.get('for_each');
    if (fe) {
      const coll = this.eval(fe, EMPTY_SCOPE);
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
            single?.[0] ??
            sym(`each.key of ${address} (for_each over ${textOf(fe).trim()})`, wrap('each.key')),
          value:
            single?.[1] ??
            sym(`each.value of ${address} (for_each over ${textOf(fe).trim()})`, wrap('each.value')),
        }),
      );
    }
    return { names };
  }

  // ---------------------------------------------------------------- expressions

  /**
   * Every evaluation goes through here: one `eval-steps` step per node, one level of `nesting-depth` per
   * expression (references to locals, variables and module outputs are followed inside it, so a chain
   * of them counts too). Throws `BudgetExceeded` (located at `n`) when a limit runs out.
   */
  eval(n: Ast, scope: Scope): Val {
    const where = (): BudgetPlace => placeOf(n);
    this.meter.step(1, where);
    if (n.type !== 'expression') return this.evalNode(n, scope);
    this.meter.enter(where);
    try {
      return this.evalNode(n, scope);
    } finally {
      this.meter.leave();
    }
  }

  private evalNode(n: Ast, scope: Scope): Val {
    const loc = locOf(n);
    switch (n.type) {
      case 'expression':
      case 'literal_value':
      case 'collection_value':
      case 'template_expr':
      case 'for_expr':
      case 'operation':
        return this.evalTerm(n, scope);
      case 'numeric_lit': {
        const t = textOf(n);
        return { t: 'num', v: t.startsWith('0x') ? Number.parseInt(t, 16) : Number(t), loc };
      }
      case 'bool_lit':
        return { t: 'bool', v: textOf(n) === 'true', loc };
      case 'null_lit':
        return { t: 'null', loc };
      case 'string_lit':
      case 'quoted_template':
      case 'heredoc_template':
        return this.evalTemplate(n, scope);
      case 'tuple': {
        const items = n.kids.filter((k) => k.type === 'expression');
        this.meter.size(items.length, () => placeOf(n));
        return { t: 'list', v: items.map((k) => this.eval(k, scope)), loc };
      }
      case 'object':
        return this.evalObject(n, scope);
      case 'variable_expr':
      case 'function_call':
        return this.evalChain(n, [], n, scope);
      case 'for_tuple_expr':
      case 'for_object_expr':
        return this.evalFor(n, scope);
      case 'conditional':
        return this.evalConditional(n, scope);
      case 'binary_operation':
      case 'unary_operation':
        return this.evalOperation(n, scope);
      default:
        return sym(`unsupported expression (${n.type})`, wrap(textOf(n)), loc);
    }
  }

  /** An `expression`-like node: head term plus postfix get_attr / index / splat. */
  private evalTerm(n: Ast, scope: Scope): Val {
    const [head, ...ops] = n.kids;
    if (!head) return sym('empty expression', wrap(textOf(n)), locOf(n));
    if (ops.length === 0) return this.eval(head, scope);
    return this.evalChain(head, ops, n, scope);
  }

  private evalChain(head: Ast, ops: Ast[], whole: Ast, scope: Scope): Val {
    const loc = locOf(whole);
    if (head.type === 'variable_expr') return this.resolveRef(textOf(head), ops, whole, scope);
    let v: Val;
    if (head.type === 'function_call') v = this.evalCall(head, scope);
    else v = this.eval(head, scope);
    return this.applyOps(v, ops, whole, scope, loc);
  }

  private applyOps(start: Val, ops: Ast[], whole: Ast, scope: Scope, loc: SourceLocation): Val {
    let v = start;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i] as Ast;
      if (v.t === 'sym') return v.err ? v : this.symOf(v, whole, loc);
      if (op.type === 'get_attr') {
        const name = textOf(op).replace(/^\./, '').trim();
        if (v.t === 'obj' && v.v.has(name)) v = v.v.get(name) as Val;
        else return errSym(`${textOf(whole).trim()} (no attribute ${name})`, wrap(textOf(whole)), loc);
      } else if (op.type === 'index') {
        const inner = op.kids[0];
        let key: Val;
        if (inner?.type === 'legacy_index') key = { t: 'num', v: Number(textOf(inner).replace('.', '')) };
        else if (inner?.kids[0]) key = this.eval(inner.kids[0], scope);
        else key = NULL;
        if (key.t === 'sym') return this.symOf(key, whole, loc);
        if (v.t === 'list' && key.t === 'num' && v.v[key.v]) v = v.v[key.v] as Val;
        else if (v.t === 'obj' && scalarText(key) !== undefined && v.v.has(scalarText(key) as string))
          v = v.v.get(scalarText(key) as string) as Val;
        else return errSym(`${textOf(whole).trim()} (no such element)`, wrap(textOf(whole)), loc);
      } else if (op.type === 'splat') {
        const list = v.t === 'list' ? v.v : v.t === 'null' ? [] : [v];
        this.meter.step(list.length, () => placeOf(whole));
        const rest = op.kids[0]?.kids ?? [];
        const mapped = list.map((e) => this.applyOps(e, rest, whole, scope, loc));
        v = { t: 'list', v: mapped };
      }
    }
    return v.loc ? v : { ...v, loc };
  }

  private symOf(base: Val, whole: Ast, loc: SourceLocation): SymVal {
    const desc = base.t === 'sym' ? base.description : textOf(whole).trim();
    return sym(desc, wrap(textOf(whole).trim()), loc);
  }

  private resolveRef(root: string, ops: Ast[], whole: Ast, scope: Scope): Val {
    const loc = locOf(whole);
    const wholeText = textOf(whole).trim();
    const bound = lookup(scope, root);
    if (bound) return this.applyOps(bound, ops, whole, scope, loc);
    if (scope.templateOnly) return sym(`${root} (not a template variable)`, wrap(wholeText), loc);
    const attr = (i: number): string | undefined => {
      const o = ops[i];
      return o?.type === 'get_attr' ? textOf(o).replace(/^\./, '').trim() : undefined;
    };
    const relocate = (v: Val): Val => ({ ...v, loc });
    switch (root) {
      case 'var': {
        const name = attr(0);
        if (!name) break;
        return this.applyOps(relocate(this.variable(name, loc)), ops.slice(1), whole, scope, loc);
      }
      case 'local': {
        const name = attr(0);
        if (!name) break;
        return this.applyOps(relocate(this.local(name, loc)), ops.slice(1), whole, scope, loc);
      }
      case 'path': {
        const which = attr(0);
        const dir = which === 'module' ? this.mod.dir : this.rootDir;
        return this.applyOps(str(dir, loc), ops.slice(1), whole, scope, loc);
      }
      case 'each':
      case 'count':
        return sym(`${wholeText} (outside count/for_each)`, wrap(wholeText), loc);
      case 'data': {
        const type = attr(0);
        const name = attr(1);
        if (!type || !name) break;
        const counted = this.countedDocument(type, name, ops.slice(2), whole, scope, loc, wholeText);
        if (counted) return counted;
        let rest = ops.slice(2);
        if (rest[0]?.type === 'index') rest = rest.slice(1); // instance key of a counted data source
        const first = rest[0];
        if (first?.type === 'splat') {
          // data.x.y[*].json: a list of the (one) instance's attribute.
          const inner = first.kids[0]?.kids ?? [];
          const f = inner[0]?.type === 'get_attr' ? textOf(inner[0]).replace(/^\./, '').trim() : undefined;
          const one = this.applyOps(
            this.dataAttribute(type, name, f, loc, wholeText),
            inner.slice(1),
            whole,
            scope,
            loc,
          );
          return this.applyOps({ t: 'list', v: [one], loc }, rest.slice(1), whole, scope, loc);
        }
        const field = first?.type === 'get_attr' ? textOf(first).replace(/^\./, '').trim() : undefined;
        const v = this.dataAttribute(type, name, field, loc, wholeText);
        return this.applyOps(v, rest.slice(1), whole, scope, loc);
      }
      case 'module': {
        const name = attr(0);
        if (!name) break;
        let rest = ops.slice(1);
        if (rest[0]?.type === 'index') rest = rest.slice(1); // instance key of a counted module
        const out = rest[0]?.type === 'get_attr' ? textOf(rest[0]).replace(/^\./, '').trim() : undefined;
        if (!out) return sym(wholeText, wrap(wholeText), loc);
        const v = this.moduleOutput(name, out, loc, wholeText);
        return this.applyOps(v.loc ? v : { ...v, loc }, rest.slice(1), whole, scope, loc);
      }
      case 'terraform':
        return sym(wholeText, wrap(wholeText), loc);
      default: {
        if (ops.length === 0) return sym(`${root} (unknown name)`, wrap(wholeText), loc);
        const own = this.ownPrincipalArn(root, attr(0), ops, wholeText, loc);
        if (own) return own;
        return sym(`${wholeText} (known after apply)`, wrap(wholeText), loc);
      }
    }
    return sym(wholeText, wrap(wholeText), loc);
  }

  /**
   * `aws_iam_role.x.arn` / `aws_iam_user.x.arn` of a resource this module creates with its default
   * provider: the ARN is known only after apply, but it is in the deploying account, which the symbolic
   * text records so the analysis does not take it for a third party. A resource with a `provider`
   * argument may live in another account and stays unknown.
   */
  private ownPrincipalArn(
    type: string,
    name: string | undefined,
    ops: Ast[],
    wholeText: string,
    loc: SourceLocation | undefined,
  ): Val | undefined {
    const kind = type === 'aws_iam_role' ? 'role' : type === 'aws_iam_user' ? 'user' : undefined;
    if (!kind || !name) return undefined;
    let rest = ops.slice(1);
    if (rest[0]?.type === 'index') rest = rest.slice(1); // instance key of a counted resource
    const field = rest[0]?.type === 'get_attr' ? textOf(rest[0]).replace(/^\./, '').trim() : undefined;
    if (field !== 'arn' || rest.length !== 1) return undefined;
    const block = this.mod.resources.find((b) => b.labels[0] === type && b.labels[1] === name);
    if (!block || bodyAttrs(block.body).has('provider')) return undefined;
    return sym(
      `${wholeText} (a ${kind} this configuration creates, known after apply)`,
      `arn:${this.env.partition}:iam::${this.env.owner}:${kind}/\${${type}.${name}.name}`,
      loc,
    );
  }

  /**
   * `data.aws_iam_policy_document.x[0].json`, `data.aws_iam_policy_document.x[*].json` of a document
   * with a known `count` / `for_each`: its real instances (none when the count is 0). Undefined: not such
   * a reference (the general path handles it).
   */
  private countedDocument(
    type: string,
    name: string,
    rest: Ast[],
    whole: Ast,
    scope: Scope,
    loc: SourceLocation,
    wholeText: string,
  ): Val | undefined {
    if (type !== 'aws_iam_policy_document') return undefined;
    const block = this.mod.data.get(`${type}.${name}`);
    if (!block) return undefined;
    const attrs = bodyAttrs(block.body);
    if (!attrs.has('count') && !attrs.has('for_each')) return undefined;
    const insts = this.instancesOf(block, `data.${type}.${name}`);
    if (!insts.every((i) => i.known)) return undefined;
    const field = (op: Ast | undefined): string | undefined =>
      op?.type === 'get_attr' ? textOf(op).replace(/^\./, '').trim() : undefined;
    const docOf = (i: BlockInstance, f: string | undefined): Val =>
      f === 'json' || f === 'minified_json'
        ? { ...this.policyDocument(name, loc, i), loc }
        : sym(`data.${type}.${name}${f ? `.${f}` : ''} (read at plan time)`, wrap(wholeText), loc);
    const first = rest[0];
    if (first?.type === 'splat') {
      const inner = first.kids[0]?.kids ?? [];
      const f = field(inner[0]);
      const list = insts.map((i) => this.applyOps(docOf(i, f), inner.slice(1), whole, scope, loc));
      return this.applyOps({ t: 'list', v: list, loc }, rest.slice(1), whole, scope, loc);
    }
    if (first?.type === 'index') {
      const inner = first.kids[0];
      const key: Val =
        inner?.type === 'legacy_index'
          ? { t: 'num', v: Number(textOf(inner).replace('.', '')) }
          : inner?.kids[0]
            ? this.eval(inner.kids[0], scope)
            : NULL;
      if (key.t === 'sym') return this.symOf(key, whole, loc);
      const suffix = key.t === 'num' ? `[${key.v}]` : `[${JSON.stringify(scalarText(key) ?? '')}]`;
      const one = insts.find((i) => i.suffix === suffix);
      if (!one) return errSym(`${wholeText} (no such instance)`, wrap(wholeText), loc);
      return this.applyOps(docOf(one, field(rest[1])), rest.slice(2), whole, scope, loc);
    }
    return undefined;
  }

  private dataAttribute(
    type: string,
    name: string,
    field: string | undefined,
    loc: SourceLocation,
    text: string,
  ): Val {
    if (type === 'aws_caller_identity' && field === 'account_id') return str(this.env.owner, loc);
    if (type === 'aws_partition' && field === 'partition') return str(this.env.partition, loc);
    if (type === 'aws_partition' && field === 'dns_suffix') return str('amazonaws.com', loc);
    if (type === 'aws_service_principal' && field === 'name') {
      // The service's principal in the commercial partition: `<service_name>.amazonaws.com`.
      const block = this.mod.data.get(`${type}.${name}`);
      const svcNode = block ? bodyAttrs(block.body).get('service_name') : undefined;
      const svc =
        svcNode && block ? this.eval(svcNode, this.metaScope(block, `data.${type}.${name}`)) : undefined;
      if (svc?.t === 'str' && this.env.partition === 'aws') return str(`${svc.v}.amazonaws.com`, loc);
    }
    if (type === 'template_file' && field === 'rendered') {
      const rendered = this.templateFileData(name, loc);
      if (rendered) return rendered;
    }
    if (type === 'aws_iam_policy_document' && (field === 'json' || field === 'minified_json')) {
      const v = this.policyDocument(name, loc);
      return v.t === 'sym' ? v : { ...v, loc };
    }
    return sym(`data.${type}.${name}${field ? `.${field}` : ''} (read at plan time)`, wrap(text), loc);
  }

  /**
   * `data.template_file.NAME.rendered` (the `template` provider): its `template` string rendered with
   * its `vars`, as `templatefile()` renders a file. Undefined when the template is not a known string.
   */
  private templateFileData(name: string, loc: SourceLocation): Val | undefined {
    const block = this.mod.data.get(`template_file.${name}`);
    if (!block) return undefined;
    const scope = this.metaScope(block, `data.template_file.${name}`);
    const attrs = bodyAttrs(block.body);
    const tplNode = attrs.get('template');
    const tpl = tplNode ? this.eval(tplNode, scope) : NULL;
    if (tpl.t !== 'str') return undefined;
    const varsNode = attrs.get('vars');
    const vars = varsNode ? this.eval(varsNode, scope) : NULL;
    const names = new Map<string, Val>();
    if (vars.t === 'obj') for (const [k, v] of vars.v) names.set(k, v);
    else if (vars.t !== 'null') return undefined;
    const at = locOf(tplNode ?? block.node);
    // Parsed for each use (the text may differ between instances and branches), located in the file
    // from the line the template's text starts on.
    const firstLine = tpl.map?.segs[0]?.line ?? at.line ?? 1;
    const ast = parseTemplateFile(this.env.parser, { path: at.file, text: tpl.v }, firstLine);
    if (!ast) return undefined;
    return { ...this.evalTemplate(ast, { names, templateOnly: true }), loc };
  }

  private evalObject(n: Ast, scope: Scope): Val {
    const m = new Map<string, Val>();
    this.meter.size(n.kids.length, () => placeOf(n));
    for (const el of n.kids) {
      if (el.type !== 'object_elem' || !el.key || !el.val) continue;
      m.set(this.objectKey(el.key, scope), this.eval(el.val, scope));
    }
    return { t: 'obj', v: m, loc: locOf(n) };
  }

  /** A bare identifier key is the key's name; anything else is evaluated. */
  objectKey(k: Ast, scope: Scope): string {
    const only = k.kids.length === 1 ? k.kids[0] : undefined;
    if (only?.type === 'variable_expr') return textOf(only);
    const v = this.eval(k, scope);
    return scalarText(v) ?? displayText(v);
  }

  private evalFor(n: Ast, scope: Scope): Val {
    const loc = locOf(n);
    const intro = n.kids.find((k) => k.type === 'for_intro');
    const exprs = n.kids.filter((k) => k.type === 'expression');
    const cond = n.kids.find((k) => k.type === 'for_cond');
    const grouping = n.kids.some((k) => k.type === 'ellipsis');
    if (!intro) return sym('for expression', wrap(textOf(n)), loc);
    const ids = intro.kids.filter((k) => k.type === 'identifier').map(textOf);
    const collNode = intro.kids.find((k) => k.type === 'expression');
    const coll = collNode ? this.eval(collNode, scope) : NULL;
    const unknown = (why: Val): Val => this.symOf(why, n, loc);
    let pairs: [Val, Val][];
    if (coll.t === 'list') pairs = coll.v.map((v, i) => [{ t: 'num', v: i }, v]);
    else if (coll.t === 'obj') pairs = [...coll.v].map(([k, v]) => [str(k), v]);
    else if (coll.t === 'null') pairs = [];
    else return unknown(coll);
    const isObj = n.type === 'for_object_expr';
    const outList: Val[] = [];
    const outMap = new Map<string, Val>();
    const where = (): BudgetPlace => placeOf(n);
    for (const [k, v] of pairs) {
      this.meter.grow((isObj ? outMap.size : outList.length) + 1, where);
      const names = new Map<string, Val>();
      if (ids.length >= 2) {
        names.set(ids[0] as string, k);
        names.set(ids[1] as string, v);
      } else if (ids[0]) names.set(ids[0], v);
      const s = childScope(scope, names);
      if (cond?.kids[0]) {
        const c = this.eval(cond.kids[0], s);
        if (c.t === 'sym') return unknown(c);
        if (c.t === 'bool' && !c.v) continue;
      }
      if (isObj) {
        const kv = exprs[0] ? this.eval(exprs[0], s) : NULL;
        const vv = exprs[1] ? this.eval(exprs[1], s) : NULL;
        if (kv.t === 'sym') return unknown(kv);
        const key = scalarText(kv) ?? displayText(kv);
        if (grouping) {
          const prev = outMap.get(key);
          if (prev?.t === 'list') {
            this.meter.size(prev.v.length + 1, where);
            prev.v.push(vv);
          } else outMap.set(key, { t: 'list', v: [vv] });
        } else outMap.set(key, vv);
      } else outList.push(exprs[0] ? this.eval(exprs[0], s) : NULL);
    }
    return isObj ? { t: 'obj', v: outMap, loc } : { t: 'list', v: outList, loc };
  }

  private evalConditional(n: Ast, scope: Scope): Val {
    const [c, a, b] = n.kids;
    const loc = locOf(n);
    if (!c || !a || !b) return sym('conditional', wrap(textOf(n)), loc);
    const cv = this.eval(c, scope);
    if (cv.t === 'bool') return this.eval(cv.v ? a : b, scope);
    if (cv.t === 'str' && (cv.v === 'true' || cv.v === 'false'))
      return this.eval(cv.v === 'true' ? a : b, scope);
    const decided = this.decide(c, cv, scope);
    if (decided.t === 'bool') return this.eval(decided.v ? a : b, scope);
    if (cv.t === 'sym') {
      // Both branches the same when known? Then the condition does not matter.
      const av = this.eval(a, scope);
      const bv = this.eval(b, scope);
      if (!hasSym(av) && !hasSym(bv) && this.same(av, bv, loc)) return av;
      return sym(`${textOf(c).trim()} (condition unknown: ${cv.description})`, wrap(textOf(n).trim()), loc);
    }
    return sym(`${textOf(c).trim()} (not a boolean)`, wrap(textOf(n).trim()), loc);
  }

  /**
   * An unknown boolean the current branch run decides (branches.ts): the run's choice, or a request to
   * split on it (`NeedBranch`). A condition on a `for` / `dynamic` / `count` name differs from one
   * element to the next: it is never split (one choice for every element would be wrong) and stays
   * unknown, as does anything else when the run does not split.
   */
  private decide(node: Ast, v: Val, scope: Scope): Val {
    if (v.t !== 'sym' || v.err || scope.templateOnly || usesBoundName(node, scope)) return v;
    const key = this.branchKey(node);
    const chosen = this.env.branches.assignment.get(key);
    if (chosen !== undefined) return { t: 'bool', v: chosen, loc: locOf(node) };
    if (this.env.branches.fork) throw new NeedBranch(key);
    return v;
  }

  /** `var.flag`, or `var.flag (module.x)` inside a called module: how a finding names the branch. */
  private branchKey(c: Ast): string {
    const text = textOf(c).trim().replace(/\s+/g, ' ');
    return this.address ? `${text} (in ${this.address.slice(0, -1)})` : text;
  }

  private evalOperation(n: Ast, scope: Scope): Val {
    const loc = locOf(n);
    const op = n.op ?? '';
    const unknown = (v: Val): Val =>
      sym(v.t === 'sym' ? v.description : textOf(n).trim(), wrap(textOf(n).trim()), loc);
    if (n.type === 'unary_operation') {
      let v = n.right ? this.eval(n.right, scope) : NULL;
      if (op === '!' && n.right) v = this.decide(n.right, v, scope);
      if (op === '!' && v.t === 'bool') return { t: 'bool', v: !v.v, loc };
      if (op === '-' && v.t === 'num') return { t: 'num', v: -v.v, loc };
      return unknown(v);
    }
    const logical = op === '&&' || op === '||';
    let l = n.left ? this.eval(n.left, scope) : NULL;
    // `a && b` with `a` unknown: split on `a` itself, so the same `a` elsewhere gets the same choice.
    if (logical && n.left) l = this.decide(n.left, l, scope);
    // Short-circuit where one side decides.
    if (op === '&&' && l.t === 'bool' && !l.v) return { t: 'bool', v: false, loc };
    if (op === '||' && l.t === 'bool' && l.v) return { t: 'bool', v: true, loc };
    let r = n.right ? this.eval(n.right, scope) : NULL;
    if (logical && n.right) r = this.decide(n.right, r, scope);
    if (op === '&&' && r.t === 'bool' && !r.v) return { t: 'bool', v: false, loc };
    if (op === '||' && r.t === 'bool' && r.v) return { t: 'bool', v: true, loc };
    // A collection or string is not null even when parts of it are unknown (Terraform knows that too).
    if ((op === '==' || op === '!=') && (l.t === 'null' || r.t === 'null') && l.t !== 'sym' && r.t !== 'sym')
      return { t: 'bool', v: (l.t === r.t) === (op === '=='), loc };
    if (hasSym(l)) return unknown(l);
    if (hasSym(r)) return unknown(r);
    switch (op) {
      case '==':
        return { t: 'bool', v: this.same(l, r, loc), loc };
      case '!=':
        return { t: 'bool', v: !this.same(l, r, loc), loc };
      case '&&':
      case '||':
        if (l.t === 'bool' && r.t === 'bool')
          return { t: 'bool', v: op === '&&' ? l.v && r.v : l.v || r.v, loc };
        return unknown(l);
      default: {
        const a = l.t === 'num' ? l.v : l.t === 'str' ? Number(l.v) : Number.NaN;
        const b = r.t === 'num' ? r.v : r.t === 'str' ? Number(r.v) : Number.NaN;
        if (Number.isNaN(a) || Number.isNaN(b)) return unknown(l);
        const ops: Record<string, () => Val> = {
          '+': () => ({ t: 'num', v: a + b, loc }),
          '-': () => ({ t: 'num', v: a - b, loc }),
          '*': () => ({ t: 'num', v: a * b, loc }),
          '/': () => ({ t: 'num', v: a / b, loc }),
          '%': () => ({ t: 'num', v: a % b, loc }),
          '<': () => ({ t: 'bool', v: a < b, loc }),
          '>': () => ({ t: 'bool', v: a > b, loc }),
          '<=': () => ({ t: 'bool', v: a <= b, loc }),
          '>=': () => ({ t: 'bool', v: a >= b, loc }),
        };
        return ops[op]?.() ?? unknown(l);
      }
    }
  }

  /** `==` on two values, their texts bounded by `string-length`. */
  private same(a: Val, b: Val, loc: SourceLocation): boolean {
    if (a.t === 'null' || b.t === 'null') return a.t === b.t;
    return boundedJsonText(a, this.meter, loc) === boundedJsonText(b, this.meter, loc);
  }

  private evalCall(n: Ast, scope: Scope): Val {
    const [id, argsNode] = n.kids;
    const name = id ? textOf(id) : '';
    const argNodes = argsNode?.kids.filter((k) => k.type === 'expression') ?? [];
    const expand = argsNode?.kids.some((k) => k.type === 'ellipsis') ?? false;
    return callFunction(this, name, argNodes, expand, n, scope);
  }

  // ---------------------------------------------------------------- templates

  /** Quoted strings and heredocs, with `${}` interpolations and `%{}` directives. */
  evalTemplate(n: Ast, scope: Scope): Val {
    const loc = locOf(n);
    const parts = this.templateParts(n, scope);
    return assembleTemplate(parts, loc, this.meter);
  }

  templateParts(n: Ast, scope: Scope): TplPart[] {
    const src = n.f.text;
    if (n.type === 'heredoc_template') {
      const ids = n.kids.filter((k) => k.type === 'heredoc_identifier');
      const open = ids[0];
      const close = ids.length > 1 ? ids[ids.length - 1] : undefined;
      const flush = n.kids.find((k) => k.type === 'heredoc_start')?.op === '<<-';
      if (!open || !close) return [];
      const nl = src.indexOf('\n', open.ei);
      const start = nl === -1 ? open.ei : nl + 1;
      const end = src.lastIndexOf('\n', close.si) + 1;
      const inner = n.kids.filter((k) => k.si >= start && k.ei <= Math.max(end, start) && isTemplateChild(k));
      let strip = 0;
      if (flush) {
        const lines = src.slice(start, end).split('\n');
        let min = Number.POSITIVE_INFINITY;
        for (const line of lines) {
          if (line.trim() === '') continue;
          const ind = /^[ \t]*/.exec(line)?.[0].length ?? 0;
          min = Math.min(min, ind);
        }
        strip = Number.isFinite(min) ? min : 0;
      }
      return this.partsOfRange(n.f, start, Math.max(end, start), inner, 'heredoc', strip, scope);
    }
    // quoted_template / string_lit: between the quotes.
    const startTok = n.kids.find((k) => k.type === 'quoted_template_start');
    const endTok = n.kids.find((k) => k.type === 'quoted_template_end');
    const start = startTok ? startTok.ei : n.si + 1;
    const end = endTok ? endTok.si : n.ei - 1;
    const inner = n.kids.filter((k) => isTemplateChild(k));
    return this.partsOfRange(n.f, start, end, inner, 'quoted', 0, scope);
  }

  private partsOfRange(
    f: SrcFile,
    start: number,
    end: number,
    nodes: Ast[],
    mode: 'quoted' | 'heredoc',
    strip: number,
    scope: Scope,
  ): TplPart[] {
    const parts: TplPart[] = [];
    let pos = start;
    const addLit = (a: number, b: number): void => {
      if (b <= a) return;
      const lit = literalPiece(f, a, b, mode, strip, a === start || f.text[a - 1] === '\n');
      if (lit.lit) parts.push(lit);
    };
    for (const k of nodes) {
      addLit(pos, k.si);
      pos = k.ei;
      if (k.type === 'template_interpolation') {
        const e = k.kids.find((x) => x.type === 'expression');
        const v = e ? this.eval(e, scope) : NULL;
        const et = e ? textOf(e).trim() : '';
        parts.push({
          val:
            v.t === 'null'
              ? errSym(`${et} is null (Terraform rejects null in a template)`, wrap(et), locOf(k))
              : v,
        });
      } else if (k.type === 'template_directive') {
        parts.push(...this.directiveParts(k, mode, strip, scope));
      }
    }
    addLit(pos, end);
    return parts;
  }

  private directiveParts(d: Ast, mode: 'quoted' | 'heredoc', strip: number, scope: Scope): TplPart[] {
    const inner = d.kids[0];
    const loc = locOf(d);
    if (!inner) return [];
    const kids = inner.kids;
    if (inner.type === 'template_for') {
      const startN = kids.find((k) => k.type === 'template_for_start');
      const endN = kids.find((k) => k.type === 'template_for_end');
      if (!startN || !endN) return [];
      const ids = startN.kids.filter((k) => k.type === 'identifier').map(textOf);
      const collNode = startN.kids.find((k) => k.type === 'expression');
      const coll = collNode ? this.eval(collNode, scope) : NULL;
      const body = kids.filter((k) => k !== startN && k !== endN && isTemplateChild(k));
      let pairs: [Val, Val][];
      if (coll.t === 'list') pairs = coll.v.map((v, i) => [{ t: 'num', v: i }, v]);
      else if (coll.t === 'obj') pairs = [...coll.v].map(([k, v]) => [str(k), v]);
      else
        return [
          {
            val: sym(
              `template for over ${coll.t === 'sym' ? coll.description : 'a non-collection'}`,
              wrap(textOf(d)),
              loc,
            ),
          },
        ];
      const out: TplPart[] = [];
      for (const [k, v] of pairs) {
        this.meter.step(1, () => placeOf(d));
        const names = new Map<string, Val>();
        if (ids.length >= 2) {
          names.set(ids[0] as string, k);
          names.set(ids[1] as string, v);
        } else if (ids[0]) names.set(ids[0], v);
        out.push(...this.partsOfRange(d.f, startN.ei, endN.si, body, mode, strip, childScope(scope, names)));
      }
      return out;
    }
    if (inner.type === 'template_if') {
      const intro = kids.find((k) => k.type === 'template_if_intro');
      const elseN = kids.find((k) => k.type === 'template_else_intro');
      const endN = kids.find((k) => k.type === 'template_if_end');
      if (!intro || !endN) return [];
      const condNode = intro.kids.find((k) => k.type === 'expression');
      // An unknown condition is split like a conditional expression's (branches.ts).
      const c = condNode ? this.decide(condNode, this.eval(condNode, scope), scope) : NULL;
      if (c.t !== 'bool')
        return [
          {
            val: sym(
              `template if on ${c.t === 'sym' ? c.description : 'a non-boolean'}`,
              wrap(textOf(d)),
              loc,
            ),
          },
        ];
      const [from, to] = c.v ? [intro.ei, elseN ? elseN.si : endN.si] : elseN ? [elseN.ei, endN.si] : [0, 0];
      if (to <= from) return [];
      const body = kids.filter((k) => k.si >= from && k.ei <= to && isTemplateChild(k));
      return this.partsOfRange(d.f, from, to, body, mode, strip, scope);
    }
    return [];
  }

  /** Parses and evaluates a template file (`templatefile()`), with `vars` as its only names. */
  renderTemplateFile(file: SrcFile, vars: Map<string, Val>): Val {
    let ast = this.env.templates.get(file.path);
    if (ast === undefined) {
      ast = parseTemplateFile(this.env.parser, file);
      this.env.templates.set(file.path, ast);
    }
    if (!ast)
      return sym(
        `templatefile ${file.path} (cannot be parsed as a template)`,
        wrap(`templatefile(${file.path})`),
      );
    return this.evalTemplate(ast, { names: vars, templateOnly: true });
  }
}

/** Does the expression refer to a name bound in `scope` (an iteration variable, `each`, `count`)? */
function usesBoundName(n: Ast, scope: Scope): boolean {
  const stack: Ast[] = [n];
  for (let x = stack.pop(); x; x = stack.pop()) {
    if (x.type === 'variable_expr' && lookup(scope, textOf(x)) !== undefined) return true;
    for (const k of x.kids) stack.push(k);
    for (const k of [x.left, x.right, x.key, x.val]) if (k) stack.push(k);
  }
  return false;
}

function isTemplateChild(k: Ast): boolean {
  return k.type === 'template_interpolation' || k.type === 'template_directive';
}

/** Position (1-based line, column) of an offset in a file (one line index per file, kept while the file lives). */
const lineIndexes = new WeakMap<SrcFile, LineIndex>();
export function posAt(f: SrcFile, off: number): { line: number; col: number } {
  let index = lineIndexes.get(f);
  if (!index) {
    index = new LineIndex(f.text);
    lineIndexes.set(f, index);
  }
  const p = index.position(off);
  const m = mapPos(f, p.line - 1, p.column - 1);
  return { line: m.line, col: m.column };
}

/** A literal stretch of a template, unescaped, with its map back to the file. */
function literalPiece(
  f: SrcFile,
  a: number,
  b: number,
  mode: 'quoted' | 'heredoc',
  strip: number,
  atLineStart: boolean,
): { lit: string; map: SrcMap } {
  const raw = f.text.slice(a, b);
  const mt = new MappedText(f.path);
  if (mode === 'quoted') {
    const { text, offsets } = unescapeQuoted(raw);
    let segStart = 0;
    for (let i = 1; i <= text.length; i++) {
      if (i === text.length || offsets[i] !== (offsets[i - 1] as number) + 1) {
        const p = posAt(f, a + (offsets[segStart] as number));
        mt.addSource(text.slice(segStart, i), p.line, p.col);
        segStart = i;
      }
    }
    return { lit: mt.text, map: mt.map() };
  }
  // Heredoc: only `$${` / `%%{` escapes; `<<-` strips the common indentation at each line start.
  let i = 0;
  let lineStart = atLineStart;
  while (i < raw.length) {
    if (lineStart && strip > 0) {
      let s = 0;
      while (s < strip && (raw[i + s] === ' ' || raw[i + s] === '\t')) s++;
      i += s;
    }
    const nl = raw.indexOf('\n', i);
    const stop = nl === -1 ? raw.length : nl + 1;
    let chunk = raw.slice(i, stop);
    const p = posAt(f, a + i);
    if (chunk.includes('$${') || chunk.includes('%%{'))
      chunk = chunk.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
    mt.addSource(chunk, p.line, p.col);
    i = stop;
    lineStart = nl !== -1;
  }
  return { lit: mt.text, map: mt.map() };
}

/**
 * Joins template parts: all known -> a mapped string; a single interpolation -> its value; else symbolic.
 * The length of the result is checked against `string-length` before it is built.
 */
export function assembleTemplate(parts: TplPart[], loc: SourceLocation, meter: BudgetMeter): Val {
  if (parts.length === 1 && 'val' in (parts[0] as TplPart)) {
    const v = (parts[0] as { val: Val }).val;
    return v.loc ? v : { ...v, loc };
  }
  let total = 0;
  for (const p of parts) total += 'lit' in p ? p.lit.length : partLength(p.val, meter);
  meter.text(total, locPlace(loc));
  const known = parts.every(
    (p) =>
      'lit' in p ||
      scalarText(p.val) !== undefined ||
      (p.val.t === 'str' && p.val.json && !hasSym(p.val.json)),
  );
  if (known) {
    const mt = new MappedText(loc.file);
    for (const p of parts) {
      if ('lit' in p) mt.addMapped(p.lit, p.map, loc);
      else {
        const t = scalarText(p.val) ?? '';
        const at = p.val.loc ?? loc;
        mt.addFixed(t, at.line ?? 1, at.column ?? 1);
      }
    }
    return { t: 'str', v: mt.text, loc, map: mt.map() };
  }
  const descs: string[] = [];
  let text = '';
  for (const p of parts) {
    if ('lit' in p) text += p.lit;
    else {
      text += p.val.t === 'sym' ? p.val.text : displayText(p.val);
      for (const d of symDescriptions(p.val)) if (!descs.includes(d)) descs.push(d);
    }
  }
  return { t: 'sym', description: descs.join(', ') || 'template', text, loc, parts };
}

/** A template file is parsed by wrapping it in a heredoc (so `${}` and `%{}` work), positions shifted back. */
function parseTemplateFile(parser: HclParser, file: SrcFile, firstLine = 1): Ast | null {
  let marker = 'TRUSTAUDIT_TEMPLATE_END';
  while (file.text.includes(marker)) marker += '_';
  const prefix = `x = <<${marker}\n`;
  const body = file.text.endsWith('\n') ? file.text : `${file.text}\n`;
  const wrapped: SrcFile = {
    path: file.path,
    text: `${prefix}${body}${marker}\n`,
    lineOffset: 2 - firstLine,
  };
  if (file.abs) wrapped.abs = file.abs;
  const parsed = parser.parse(wrapped);
  if (parsed.error) return null;
  const expr = bodyAttrs(parsed.body).get('x');
  const heredoc = expr?.kids[0]?.kids[0];
  if (heredoc?.type !== 'heredoc_template') return null;
  return heredoc;
}

/** Length of a value's text in a template, without building the text of a collection first. */
function partLength(v: Val, meter: BudgetMeter): number {
  if (v.t === 'sym') return v.text.length;
  if (v.t === 'list' || v.t === 'obj') return jsonLength(v, meter);
  return (scalarText(v) ?? '').length;
}

/**
 * Length of `jsonText(v)`, counted without building it; throws `string-length` as soon as the count
 * passes the limit (so a list of a million long strings is not turned into one huge string first).
 */
export function jsonLength(v: Val, meter: BudgetMeter, at?: SourceLocation): number {
  const limit = meter.budgets['string-length'];
  const maxDepth = meter.budgets['nesting-depth'];
  let n = 0;
  const stack: Val[] = [v];
  const depths: number[] = [1];
  while (stack.length > 0) {
    const x = stack.pop() as Val;
    const d = depths.pop() as number;
    meter.step(1, at && locPlace(at));
    // A value can be deeper than any expression (a chain of locals each wrapping the last): checked
    // here, before the recursive writers (jsonText) see it.
    if (d > maxDepth)
      throw new BudgetExceeded(
        'nesting-depth',
        maxDepth,
        'the value is nested too deeply',
        at && locPlace(at),
      );
    switch (x.t) {
      case 'str':
        n += x.v.length + 2;
        break;
      case 'sym':
        n += x.text.length + 2;
        break;
      case 'list':
        n += 2 + Math.max(0, x.v.length - 1);
        for (const e of x.v) {
          stack.push(e);
          depths.push(d + 1);
        }
        break;
      case 'obj':
        n += 2 + Math.max(0, x.v.size - 1);
        for (const [k, e] of x.v) {
          n += k.length + 3;
          stack.push(e);
          depths.push(d + 1);
        }
        break;
      default:
        n += (scalarText(x) ?? 'null').length;
    }
    if (n > limit) meter.length(n, at && locPlace(at));
  }
  return n;
}

/** `jsonText`, after checking that its length is within `string-length` (and counting the work). */
export function boundedJsonText(v: Val, meter: BudgetMeter, at?: SourceLocation): string {
  meter.text(jsonLength(v, meter, at), at && locPlace(at));
  return jsonText(v);
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

export function equalVals(a: Val, b: Val): boolean {
  if (a.t === 'null' || b.t === 'null') return a.t === b.t;
  return jsonText(a) === jsonText(b);
}

export function moduleDisplayPath(mod: TfModule, abs: string): string {
  if (!path.isAbsolute(abs)) return abs;
  const rel = path.relative(mod.dir, abs);
  return path.join(mod.displayDir, rel);
}
