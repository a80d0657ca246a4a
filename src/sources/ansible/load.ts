/**
 * The Ansible reader: parses the claimed playbooks and task files (claims.ts decides which), reads the
 * variables and files their tasks name, and turns each `iam_role` task into roles with the file, line
 * and column of the task and of each statement. Imported by index.ts only when a file was claimed.
 */
import { dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { DEPLOYING_ACCOUNT, type Role, type ScanError, type SourceLocation } from '../../model/types.js';
import { BudgetExceeded } from '../../scan/budgets.js';
import { append } from '../../util/append.js';
import type { CMap, CNode, LineIndex } from '../cloudformation/nodes.js';
import type { ParseProblem } from '../cloudformation/parse.js';
import type { InputFile, SourceContext, SourceResult } from '../types.js';
import { type FileRef, type LookupRead, Meter, type RenderEnv, type VarBinding } from './render.js';
import { taskRoles } from './roles.js';
import { CALLER_INFO_MODULES, callerNames, IAM_ROLE_MODULES, walkTasks } from './tasks.js';
import { fileRef, mergeHostVars, parseAnsibleText, varsFileNames, varsOf } from './vars.js';

const ROLE_TASKS = /^(.*[\\/]roles[\\/][^\\/]+)[\\/](?:tasks|handlers)[\\/]/;

/** What the files of one load share, read once: files named by tasks, variables, caller facts. */
interface Shared {
  reads: Map<string, Read>;
  varFiles: Map<string, VarFile | undefined>;
  hostVars: Map<string, Map<string, VarBinding>>;
  roleVars: Map<string, Map<string, VarBinding>>;
  callers: Map<string, { results: Set<string>; facts: Set<string> }>;
  /** Every walked file, absolute. */
  walked: readonly string[];
}

interface VarFile {
  file: FileRef;
  vars: Map<string, VarBinding>;
  root: CNode;
}

interface Job {
  shared: Shared;
  input: InputFile;
  file: FileRef;
  root: CNode;
  /** Absolute folder of the file; undefined for standard input. */
  dir?: string;
  roleDir?: string;
  /** The folder Ansible searches after the role's: the playbook folder. */
  playDir?: string;
}

class Notes {
  readonly errors: ScanError[] = [];
  readonly warnings: ScanError[] = [];
  private readonly seen = new Set<string>();

  add(kind: 'error' | 'warning', code: string, message: string, loc: SourceLocation): void {
    const key = `${kind}|${code}|${message}|${loc.file}|${loc.line}|${loc.column}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const e: ScanError = { source: 'ansible', code, message, file: loc.file };
    if (loc.line !== undefined) e.line = loc.line;
    if (loc.column !== undefined) e.column = loc.column;
    (kind === 'error' ? this.errors : this.warnings).push(e);
  }
}

export async function loadAnsible(files: InputFile[], ctx: SourceContext): Promise<SourceResult> {
  const roles: Role[] = [];
  const notes = new Notes();
  const owner = ctx.zone.defaultOwner ?? DEPLOYING_ACCOUNT;
  const shared: Shared = {
    reads: new Map(),
    varFiles: new Map(),
    hostVars: new Map(),
    roleVars: new Map(),
    callers: new Map(),
    walked: ctx.allFiles.map((p) => resolve(p)),
  };
  // Parsed once: a claimed file is also a task file its role's other files look into.
  const jobs: Job[] = [];
  for (const input of files) {
    let job: Job | undefined;
    try {
      job = prepare(input, shared, notes);
    } catch (e) {
      // A document nested deeper than the parser's stack: this file only.
      notes.add('error', 'internal', `the file could not be parsed: ${(e as Error)?.message ?? String(e)}`, {
        file: input.path,
      });
    }
    if (!job) continue;
    jobs.push(job);
    if (input.absPath)
      shared.varFiles.set(resolve(input.absPath), {
        file: job.file,
        vars: varsOf(job.root, job.file),
        root: job.root,
      });
  }
  for (const job of jobs) {
    const input = job.input;
    try {
      append(roles, scanFile(job, ctx, owner, notes));
    } catch (e) {
      const message =
        e instanceof BudgetExceeded
          ? `the file was not fully read: ${e.message}`
          : e instanceof RangeError
            ? 'the file is nested too deeply to read'
            : `the file could not be read: ${(e as Error)?.message ?? String(e)}`;
      notes.add('error', e instanceof BudgetExceeded ? 'limit-exceeded' : 'internal', message, {
        file: input.path,
      });
    }
  }
  return { roles, errors: notes.errors, warnings: notes.warnings };
}

function prepare(input: InputFile, shared: Shared, notes: Notes): Job | undefined {
  const parsed = parseAnsibleText(input.text, input.path);
  if (!parsed.ok) {
    notes.add('error', 'yaml-syntax', parsed.message, {
      file: input.path,
      line: parsed.line,
      column: parsed.column,
    });
    return undefined;
  }
  resolvedWarnings(parsed.warnings, input.path, notes);
  const job: Job = { shared, input, file: fileRef(input.path, input.text, parsed.lines), root: parsed.root };
  if (input.absPath) {
    const abs = resolve(input.absPath);
    job.dir = dirname(abs);
    const m = ROLE_TASKS.exec(abs);
    if (m?.[1]) {
      job.roleDir = m[1];
      job.playDir = dirname(dirname(m[1]));
    } else job.playDir = job.dir;
  }
  return job;
}

/** Problems the reader resolved (a repeated key: the last one is kept and scanned) are warnings. */
function resolvedWarnings(problems: readonly ParseProblem[], file: string, notes: Notes): void {
  for (const w of problems)
    notes.add('warning', w.code, w.message, { file, line: w.pos.line, column: w.pos.column });
}

/** The path to show for a file the job reads: next to the job's own path as the user gave it. */
function displayPath(job: Job, abs: string): string {
  const from = job.input.absPath ? dirname(resolve(job.input.absPath)) : undefined;
  if (!from) return abs;
  const rel = relative(from, abs).split(sep).join('/');
  return posix.normalize(posix.join(posix.dirname(job.input.path.split('\\').join('/')), rel));
}

type Read = { ok: true; file: FileRef } | { ok: false; missing: boolean; reason: string };

function readFrom(job: Job, ctx: SourceContext, target: string, baseDir: string): Read {
  const key = resolve(baseDir, target);
  const cached = job.shared.reads.get(key);
  if (cached && !isAbsolute(target)) return cached;
  const r = ctx.root.read(target, baseDir);
  const out: Read = r.ok
    ? { ok: true, file: fileRef(displayPath(job, r.abs), r.text) }
    : { ok: false, missing: r.reason.endsWith('no such file'), reason: r.reason };
  if (!isAbsolute(target)) job.shared.reads.set(key, out);
  return out;
}

/** Parse a variables (or task) file; a missing optional file gives nothing, a refused or broken one a warning. */
function varFile(
  job: Job,
  ctx: SourceContext,
  target: string,
  baseDir: string,
  notes: Notes,
  at: SourceLocation,
  optional: boolean,
): VarFile | undefined {
  const key = resolve(baseDir, target);
  if (job.shared.varFiles.has(key)) return job.shared.varFiles.get(key);
  const r = readFrom(job, ctx, target, baseDir);
  if (!r.ok) {
    if (!(optional && r.missing))
      notes.add(
        'warning',
        'vars-file-not-read',
        `variables file ${target} was not read: ${r.reason}; its variables stay unknown`,
        at,
      );
    return undefined;
  }
  const parsed = parseAnsibleText(r.file.text, r.file.path);
  let out: VarFile | undefined;
  if (!parsed.ok) {
    notes.add(
      'warning',
      'vars-file-not-read',
      `variables file ${r.file.path} could not be parsed (${parsed.message}); its variables stay unknown`,
      { file: r.file.path, line: parsed.line, column: parsed.column },
    );
  } else {
    resolvedWarnings(parsed.warnings, r.file.path, notes);
    const file = fileRef(r.file.path, r.file.text, parsed.lines as LineIndex);
    out = { file, vars: varsOf(parsed.root, file), root: parsed.root };
  }
  job.shared.varFiles.set(key, out);
  return out;
}

/** Files the scan walked under `dir` (absolute), for `group_vars/`, `host_vars/`, role task folders. */
function walkedUnder(job: Job, dir: string): string[] {
  const prefix = dir.endsWith(sep) ? dir : dir + sep;
  return job.shared.walked.filter((p) => p.startsWith(prefix));
}

/** group_vars / host_vars of the nearest folder (from the playbook folder up to the scan root) that has them. */
function hostVars(job: Job, ctx: SourceContext, notes: Notes): Map<string, VarBinding> {
  if (!job.playDir) return new Map();
  const cached = job.shared.hostVars.get(job.playDir);
  if (cached) return cached;
  let out = new Map<string, VarBinding>();
  for (let d = job.playDir; ; d = dirname(d)) {
    const found = [
      ...walkedUnder(job, join(d, 'group_vars')),
      ...walkedUnder(job, join(d, 'host_vars')),
    ].sort();
    if (found.length > 0) {
      const files: { file: FileRef; vars: Map<string, VarBinding> }[] = [];
      for (const abs of found) {
        const f = varFile(job, ctx, relative(d, abs), d, notes, { file: job.input.path }, false);
        if (f) files.push(f);
      }
      out = mergeHostVars(files);
      break;
    }
    if (!ctx.root.contains(dirname(d)) || dirname(d) === d) break;
  }
  job.shared.hostVars.set(job.playDir, out);
  return out;
}

function roleVars(
  job: Job,
  ctx: SourceContext,
  notes: Notes,
  folder: 'defaults' | 'vars',
): Map<string, VarBinding> {
  if (!job.roleDir) return new Map();
  const base = join(job.roleDir, folder);
  const cached = job.shared.roleVars.get(base);
  if (cached) return cached;
  const out = new Map<string, VarBinding>();
  for (const n of ['main.yml', 'main.yaml', 'main.json']) {
    const f = varFile(job, ctx, n, base, notes, { file: job.input.path }, true);
    if (f) {
      for (const [k, v] of f.vars) out.set(k, v);
      break;
    }
  }
  // `defaults/main/*.yml`: every file of the folder, in name order.
  for (const abs of walkedUnder(job, join(base, 'main')).sort()) {
    const f = varFile(job, ctx, relative(base, abs), base, notes, { file: job.input.path }, true);
    if (f) for (const [k, v] of f.vars) out.set(k, v);
  }
  job.shared.roleVars.set(base, out);
  return out;
}

/** Registered caller-info results and facts: over every task file of the role, or of the file alone. */
function callersOf(
  job: Job,
  ctx: SourceContext,
  notes: Notes,
  meter: Meter,
): { results: Set<string>; facts: Set<string> } {
  const depth = (d: number) => meter.step(d);
  if (!job.roleDir)
    return callerNames(walkTasks(job.root, job.file, CALLER_INFO_MODULES, () => [], depth).all);
  const cached = job.shared.callers.get(job.roleDir);
  if (cached) return cached;
  const tasks: CMap[] = [];
  append(tasks, walkTasks(job.root, job.file, CALLER_INFO_MODULES, () => [], depth).all);
  const own = job.input.absPath ? resolve(job.input.absPath) : undefined;
  for (const folder of ['tasks', 'handlers']) {
    const base = join(job.roleDir, folder);
    for (const abs of walkedUnder(job, base)) {
      if (abs === own || !/\.ya?ml$/i.test(abs)) continue;
      const f = varFile(job, ctx, relative(base, abs), base, notes, { file: job.input.path }, true);
      if (f) append(tasks, walkTasks(f.root, f.file, CALLER_INFO_MODULES, () => [], depth).all);
    }
  }
  const out = callerNames(tasks);
  job.shared.callers.set(job.roleDir, out);
  return out;
}

function scanFile(job: Job, ctx: SourceContext, owner: string, notes: Notes): Role[] {
  const meter = new Meter(ctx.budgets);
  const caller = callersOf(job, ctx, notes, meter);
  const layers = [
    roleVars(job, ctx, notes, 'vars'),
    hostVars(job, ctx, notes),
    roleVars(job, ctx, notes, 'defaults'),
  ];
  const env: RenderEnv = {
    scope: { layers, callerResults: caller.results, callerFacts: caller.facts },
    owner,
    meter,
    readLookup: (plugin, target, at) => readLookup(job, ctx, notes, plugin, target, at),
  };
  const playLayers = (play: CMap): Map<string, VarBinding>[] => {
    const { names, skipped } = varsFileNames(play);
    for (const s of skipped)
      notes.add(
        'warning',
        'vars-file-not-read',
        'a vars_files entry that is not a literal path was not read; its variables stay unknown',
        {
          file: job.file.path,
          line: s.pos.line,
          column: s.pos.column,
        },
      );
    if (!job.dir) return [];
    const out: Map<string, VarBinding>[] = [];
    for (const n of names) {
      const f = varFile(
        job,
        ctx,
        n,
        job.dir,
        notes,
        { file: job.file.path, line: play.pos.line, column: play.pos.column },
        false,
      );
      if (f) out.unshift(f.vars);
    }
    return out;
  };
  const walk = walkTasks(job.root, job.file, IAM_ROLE_MODULES, playLayers, (d) => meter.step(d));
  const roles: Role[] = [];
  const ids = new Set<string>();
  for (const t of walk.tasks) {
    const r = taskRoles(t, job.file, env, ids);
    append(roles, r.roles);
    for (const e of r.errors)
      notes.add('error', e.code, e.message, {
        file: e.file ?? job.file.path,
        ...(e.line ? { line: e.line } : {}),
        ...(e.column ? { column: e.column } : {}),
      });
  }
  return roles;
}

/** Ansible's search path for `lookup('file'|'template', …)`: the role's folders, then the playbook's. */
function readLookup(
  job: Job,
  ctx: SourceContext,
  notes: Notes,
  plugin: 'file' | 'template',
  target: string,
  at: SourceLocation,
): LookupRead {
  const what = `lookup('${plugin}', '${target}')`;
  if (!job.dir || !job.playDir) {
    notes.add(
      'warning',
      'lookup-not-read',
      `${what}: a file read from standard input cannot look up files; the value stays unknown`,
      at,
    );
    return { ok: false };
  }
  const sub = plugin === 'file' ? 'files' : 'templates';
  const dirs = job.roleDir
    ? [join(job.roleDir, sub), join(job.roleDir, 'tasks'), job.roleDir, join(job.playDir, sub), job.playDir]
    : [join(job.dir, sub), job.dir];
  for (const d of dirs) {
    const r = readFrom(job, ctx, target, d);
    if (r.ok) return { ok: true, file: r.file };
    if (!r.missing) {
      notes.add(
        'warning',
        'lookup-refused',
        `${what} was not read: ${r.reason}; the value stays unknown`,
        at,
      );
      return { ok: false };
    }
  }
  notes.add(
    'warning',
    'lookup-not-found',
    `${what}: no such file in ${dirs.map((d) => displayPath(job, d)).join(', ')}; the value stays unknown`,
    at,
  );
  return { ok: false };
}
