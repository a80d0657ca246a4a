/**
 * One Terragrunt unit's configuration, as Terragrunt builds it: the unit's `terragrunt.hcl`, the files
 * its `include` blocks name (labelled or the bare legacy form), merged child over parent (shallow by
 * default, `merge_strategy = "deep"` or `"no_merge"` when set), its `locals`, `dependency` outputs
 * (unknown), `terraform { source }` and `inputs`. Files are read only through the scan root; Terragrunt
 * itself follows one level of `include` and the scan does the same.
 */
import path from 'node:path';
import type { ScanError, SourceLocation } from '../../model/types.js';
import { BudgetExceeded, type BudgetMeter } from '../../scan/budgets.js';
import type { ScanRoot } from '../../scan/scan-root.js';
import {
  type Ast,
  bodyAttrs,
  bodyBlocks,
  type HclParser,
  locOf,
  type ParsedHcl,
  type SrcFile,
} from './hcl.js';
import { TgEval } from './terragrunt-eval.js';
import { callTg } from './terragrunt-functions.js';
import { errSym, scalarText, sym, type Val, wrap } from './values.js';

export interface TgEnv {
  parser: HclParser;
  root: ScanRoot;
  owner: string;
  meter: BudgetMeter;
  warn(w: ScanError): void;
  /** Display path of a real path, in the user's terms (relative like the unit's own path). */
  display(abs: string): string;
}

const STRATEGIES = ['shallow', 'deep', 'deep_map_only', 'no_merge'] as const;
type Strategy = (typeof STRATEGIES)[number];

export interface TgInclude {
  label: string;
  /** Real path of the parent file. */
  path: string;
  strategy: Strategy;
  expose: boolean;
  config: TgConfig;
}

/** A configuration file evaluated (for a unit, with its includes merged in). */
export interface TgConfig {
  file: SrcFile;
  locals: Map<string, Val>;
  /** `terraform { source }`: the value and where it is written. */
  source?: { value: Val; at: SourceLocation };
  /** `inputs`: an object, or an unknown value. */
  inputs?: { value: Val; at: SourceLocation };
  includes: TgInclude[];
}

interface Frame {
  unitDir: string;
  includes: Map<string, string>;
  /** Names of the `dependency` blocks visible here. */
  dependencies: Set<string>;
  /** Exposed includes by label, for `include.NAME.…`. */
  exposed: Map<string, Val>;
  /** Files being read by `read_terragrunt_config` (a file reading itself is a cycle). */
  reading: string[];
}

/** Reads a unit: its file, its includes (one level), merged as Terragrunt merges them. */
export function loadUnit(env: TgEnv, parsed: ParsedHcl, realPath: string): TgConfig {
  const unitDir = path.dirname(realPath);
  const body = parsed.body;
  const frame: Frame = {
    unitDir,
    includes: new Map(),
    dependencies: dependencyNames(body),
    exposed: new Map(),
    reading: [realPath],
  };
  const includes: TgInclude[] = [];
  // Include paths come first: Terragrunt evaluates them before the locals (they cannot use them).
  const pre = evaluator(env, frame, parsed.file, unitDir, new Map());
  for (const b of bodyBlocks(body)) {
    if (b.type !== 'include') continue;
    const attrs = bodyAttrs(b.body);
    const label = b.labels[0] ?? '';
    const pathNode = attrs.get('path');
    if (!pathNode) continue;
    const p = pre.eval(pathNode);
    const where = locOf(pathNode);
    if (p.t !== 'str') {
      throw new UnitProblem(
        'module-not-found',
        `include${label ? ` "${label}"` : ''}: its path is not known (${p.t === 'sym' ? p.description : 'not a string'})`,
        where,
      );
    }
    const read = env.root.read(p.v, unitDir);
    if (!read.ok)
      throw new UnitProblem(
        read.refusal === 'missing' ? 'module-not-found' : 'module-outside-root',
        `include${label ? ` "${label}"` : ''}: ${read.reason}`,
        where,
      );
    const strategyNode = attrs.get('merge_strategy');
    const sv = strategyNode ? scalarText(pre.eval(strategyNode)) : 'shallow';
    const strategy = STRATEGIES.find((x) => x === sv);
    if (!strategy)
      throw new UnitProblem(
        'module-not-found',
        `include${label ? ` "${label}"` : ''}: merge_strategy ${sv === undefined ? 'is not known' : JSON.stringify(sv)} is not one Terragrunt knows`,
        strategyNode ? locOf(strategyNode) : where,
      );
    const exposeNode = attrs.get('expose');
    const exposeVal = exposeNode ? pre.eval(exposeNode) : undefined;
    const expose = exposeVal?.t === 'bool' && exposeVal.v;
    frame.includes.set(label, read.real);
    const file: SrcFile = { path: env.display(read.real), abs: read.real, text: read.text };
    const pp = env.parser.parse(file);
    if (pp.error)
      throw new UnitProblem('hcl-syntax', `the included file ${file.path}: ${pp.error.message}`, where);
    for (const d of dependencyNames(pp.body)) frame.dependencies.add(d);
    if (bodyBlocks(pp.body).some((x) => x.type === 'include'))
      env.warn(
        tgWarning(
          'terragrunt-nested-include',
          `${file.path} has include blocks of its own; Terragrunt follows one level of include, and so does the scan`,
          where,
        ),
      );
    // Inside the parent, `path_relative_to_include()` and `get_parent_terragrunt_dir()` without a name mean this include.
    const inParent: Frame = { ...frame, includes: new Map([...frame.includes, ['', read.real]]) };
    const config = evalFile(env, inParent, pp, path.dirname(read.real));
    includes.push({ label, path: read.real, strategy, expose, config });
    if (expose) frame.exposed.set(label, exposedValue(config));
  }
  const own = evalFile(env, frame, parsed, unitDir);
  let merged: TgConfig = { ...own, includes };
  // Child over parent; of two parents, the later include block wins.
  for (const inc of [...includes].reverse()) {
    if (inc.strategy === 'no_merge') continue;
    merged = mergeConfigs(inc.config, merged, inc.strategy, env.meter);
  }
  return merged;
}

/** A unit that cannot be evaluated as Terragrunt would (an include that cannot be read...). */
export class UnitProblem extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly at: SourceLocation,
  ) {
    super(message);
  }
}

function evalFile(env: TgEnv, frame: Frame, parsed: ParsedHcl, fileDir: string): TgConfig {
  const body = parsed.body;
  const localExprs = new Map<string, Ast>();
  for (const b of bodyBlocks(body))
    if (b.type === 'locals') for (const [k, v] of bodyAttrs(b.body)) localExprs.set(k, v);
  const locals = new Map<string, Val>();
  const ev = evaluator(env, frame, parsed.file, fileDir, localExprs, locals);
  for (const k of localExprs.keys()) ev.scope.local(k, locOf(localExprs.get(k) as Ast));
  const out: TgConfig = { file: parsed.file, locals, includes: [] };
  const tf = bodyBlocks(body).find((b) => b.type === 'terraform');
  const src = bodyAttrs(tf?.body).get('source');
  if (src) out.source = { value: ev.eval(src), at: locOf(src) };
  const inputs = bodyAttrs(body).get('inputs');
  if (inputs) out.inputs = { value: ev.eval(inputs), at: locOf(inputs) };
  return out;
}

function evaluator(
  env: TgEnv,
  frame: Frame,
  file: SrcFile,
  fileDir: string,
  localExprs: Map<string, Ast>,
  locals: Map<string, Val> = new Map(),
): TgEval {
  const pending = new Set<string>();
  const ev: TgEval = new TgEval({
    meter: env.meter,
    dependencies: frame.dependencies,
    local(name, at) {
      const have = locals.get(name);
      if (have) return have;
      const expr = localExprs.get(name);
      if (!expr) return errSym(`local.${name} (not declared)`, wrap(`local.${name}`), at);
      if (pending.has(name)) return errSym(`local.${name} (refers to itself)`, wrap(`local.${name}`), at);
      pending.add(name);
      try {
        const v = ev.eval(expr);
        locals.set(name, v);
        return v;
      } finally {
        pending.delete(name);
      }
    },
    include(name) {
      return frame.exposed.get(name);
    },
    call(name, args, node) {
      return callTg(
        {
          eval: (n) => ev.eval(n),
          unitDir: frame.unitDir,
          fileDir,
          includes: frame.includes,
          root: env.root,
          owner: env.owner,
          warn: env.warn,
          readConfig: (abs, at) => readConfig(env, frame, abs, at),
          meterText: (n, at) => env.meter.text(n, () => ({ file: file.path, line: locOf(at).line ?? 1 })),
        },
        name,
        args,
        node,
      );
    },
  });
  return ev;
}

/** `read_terragrunt_config(path)`: the file's `locals`, `inputs` and `terraform.source`, evaluated there. */
function readConfig(env: TgEnv, frame: Frame, abs: string, node: Ast): Val {
  const loc = locOf(node);
  const read = env.root.read(abs, frame.unitDir);
  if (!read.ok) {
    if (read.refusal !== 'missing')
      env.warn({
        ...tgWarning('file-refused', `read_terragrunt_config was not followed: ${read.reason}`, loc),
      });
    return errSym(`read_terragrunt_config (${read.reason})`, wrap('read_terragrunt_config(...)'), loc);
  }
  if (frame.reading.includes(read.real))
    return errSym('read_terragrunt_config (the file reads itself)', wrap('read_terragrunt_config(...)'), loc);
  const depth = env.meter.budgets['module-depth'];
  if (frame.reading.length > depth)
    throw new BudgetExceeded('module-depth', depth, 'read_terragrunt_config reads nest too deeply', {
      file: loc.file,
      ...(loc.line !== undefined ? { line: loc.line, column: loc.column ?? 1 } : {}),
    });
  const file: SrcFile = { path: env.display(read.real), abs: read.real, text: read.text };
  const parsed = env.parser.parse(file);
  if (parsed.error)
    return errSym(
      `read_terragrunt_config (${file.path}: ${parsed.error.message})`,
      wrap('read_terragrunt_config(...)'),
      loc,
    );
  // The file read is evaluated as a configuration of its own folder.
  const inner: Frame = {
    unitDir: path.dirname(read.real),
    includes: new Map(),
    dependencies: dependencyNames(parsed.body),
    exposed: new Map(),
    reading: [...frame.reading, read.real],
  };
  return exposedValue(evalFile(env, inner, parsed, path.dirname(read.real)));
}

/** What `include.NAME` and `read_terragrunt_config` give: `locals`, `inputs`, `terraform.source`. */
function exposedValue(c: TgConfig): Val {
  const out = new Map<string, Val>([['locals', { t: 'obj', v: c.locals }]]);
  if (c.inputs) out.set('inputs', c.inputs.value);
  if (c.source) out.set('terraform', { t: 'obj', v: new Map([['source', c.source.value]]) });
  return { t: 'obj', v: out };
}

function dependencyNames(body: Ast | undefined): Set<string> {
  const out = new Set<string>();
  for (const b of bodyBlocks(body)) if (b.type === 'dependency' && b.labels[0]) out.add(b.labels[0]);
  return out;
}

/** The child's configuration over a parent's: Terragrunt's shallow or deep merge, for what the scan reads. */
function mergeConfigs(
  parent: TgConfig,
  child: TgConfig,
  strategy: Exclude<Strategy, 'no_merge'>,
  meter: BudgetMeter,
): TgConfig {
  const out: TgConfig = { ...child };
  const src = child.source ?? parent.source;
  if (src) out.source = src;
  const p = parent.inputs;
  const c = child.inputs;
  if (p && c) {
    const value =
      p.value.t === 'obj' && c.value.t === 'obj'
        ? strategy !== 'shallow'
          ? deepMerge(p.value, c.value, meter, strategy === 'deep')
          : { t: 'obj' as const, v: new Map([...p.value.v, ...c.value.v]) }
        : sym(
            `inputs (${[p.value, c.value].find((v) => v.t === 'sym')?.t === 'sym' ? 'not known' : 'not an object'})`,
            wrap('inputs'),
            c.at,
          );
    out.inputs = { value, at: c.at };
  } else if (p) out.inputs = p;
  return out;
}

/** Deep merge: maps key by key; lists concatenated (`deep`) or the child's (`deep_map_only`); else the child's. */
function deepMerge(a: Val, b: Val, meter: BudgetMeter, lists: boolean): Val {
  meter.step(1);
  if (a.t === 'obj' && b.t === 'obj') {
    const out = new Map(a.v);
    for (const [k, v] of b.v) {
      const old = out.get(k);
      out.set(k, old ? deepMerge(old, v, meter, lists) : v);
    }
    return { t: 'obj', v: out };
  }
  if (lists && a.t === 'list' && b.t === 'list') {
    meter.elements(a.v.length + b.v.length);
    return { t: 'list', v: [...a.v, ...b.v] };
  }
  return b;
}

export function tgWarning(code: string, message: string, at: SourceLocation): ScanError {
  return {
    source: 'terraform',
    code,
    message,
    file: at.file,
    ...(at.line !== undefined ? { line: at.line, column: at.column ?? 1 } : {}),
  };
}
