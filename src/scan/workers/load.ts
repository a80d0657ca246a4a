/**
 * Runs each file source on the files it claimed, in one thread or, for a large scan, with the parsing
 * spread over worker threads: the sources that can split their files into independent groups
 * (`FileSource.split`) send runs of groups to a pool of workers while the main thread reads the others.
 * Results are put back together in the order one thread would have produced them, so the report does
 * not depend on `--jobs`.
 */
import { availableParallelism } from 'node:os';
import type { ScanError } from '../../model/types.js';
import type { FileSource, InputFile, SourceContext, SourceResult, SourceSplit } from '../../sources/types.js';
import { append } from '../../util/append.js';
import { serialContext } from './context.js';
import { lostGroupErrors, sourceFailure } from './failure.js';
import { createPool, type TaskOutcome, type WorkerPool } from './pool.js';

/**
 * Below this many bytes of splittable input the scan stays in one thread. Measured on the 2-core
 * development machine: a worker answers its first task 45-90 ms after it is started (250-800 ms when
 * the machine is loaded), and one thread reads templates at about 4 MB/s, so two workers only start
 * to pay for themselves past about 1 MB; twice that leaves a margin.
 */
export const DEFAULT_PARALLEL_MIN_BYTES = 2 * 1024 * 1024;

export interface ParallelOptions {
  /** Threads that parse (1: none are started). */
  jobs: number;
  /** The worker script; without one the scan stays in one thread. */
  entry?: URL;
  /** Splittable bytes below which no worker is started (default DEFAULT_PARALLEL_MIN_BYTES). */
  minBytes?: number;
  /** Bytes a task is filled to (default: a quarter of each worker's share, at least 64 KiB). */
  taskBytes?: number;
  /** Heap limit of each worker in MiB (default: Node's). */
  maxHeapMb?: number;
}

/** `--jobs` when not given: one thread per core the process may use. */
export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/** The worker script next to this module: the bundle's entry, or the tsc output's (none from sources). */
export function defaultWorkerEntry(): URL | undefined {
  const here = import.meta.url;
  if (here.endsWith('.mjs')) return new URL('./scan-worker.mjs', here);
  if (here.endsWith('/scan/workers/load.js')) return new URL('./worker.js', here);
  return undefined;
}

/** One source's share of the work: read here, or split into tasks for the workers. */
interface Plan {
  source: FileSource;
  files: InputFile[];
  tasks?: { groups: InputFile[][]; bytes: number }[];
  sameProblemOnce?: boolean;
  finish?: SourceSplit['finish'];
}

/** Each source's result, in the order of `claimed`. Never throws for a source's failure. */
export async function loadClaimed(
  claimed: ReadonlyMap<FileSource, InputFile[]>,
  ctx: SourceContext,
  par: ParallelOptions,
): Promise<SourceResult[]> {
  const plans = planWork(claimed, ctx, par);
  const parallel = plans.filter((p) => p.tasks !== undefined);
  if (parallel.length === 0 || !par.entry) {
    const out: SourceResult[] = [];
    for (const p of plans) out.push(await loadHere(p.source, p.files, ctx));
    return out;
  }
  const taskCount = parallel.reduce((n, p) => n + (p.tasks?.length ?? 0), 0);
  const pool = createPool({
    entry: par.entry,
    size: Math.max(1, Math.min(par.jobs, taskCount)),
    context: serialContext(ctx),
    ...(par.maxHeapMb ? { maxHeapMb: par.maxHeapMb } : {}),
  });
  try {
    // Largest tasks first, so that the last to finish are small; results are kept by position.
    const pending = new Map<Plan, Promise<SourceResult[]>>();
    for (const p of parallel) pending.set(p, runTasks(pool, p));
    // Meanwhile the main thread reads the other sources (sources do not read each other's results).
    const out: SourceResult[] = new Array(plans.length);
    for (const [i, p] of plans.entries()) {
      if (!pending.has(p)) out[i] = await loadHere(p.source, p.files, ctx);
    }
    for (const [i, p] of plans.entries()) {
      const remote = pending.get(p);
      if (!remote) continue;
      const merged = merge(await remote, p.sameProblemOnce === true);
      out[i] = p.finish ? p.finish(merged) : merged;
    }
    return out;
  } finally {
    await pool.close();
  }
}

async function loadHere(source: FileSource, files: InputFile[], ctx: SourceContext): Promise<SourceResult> {
  try {
    return await source.load(files, ctx);
  } catch (e) {
    return { roles: [], errors: [sourceFailure(source.name, files, e)] };
  }
}

function planWork(
  claimed: ReadonlyMap<FileSource, InputFile[]>,
  ctx: SourceContext,
  par: ParallelOptions,
): Plan[] {
  const plans: Plan[] = [...claimed].map(([source, files]) => ({ source, files }));
  if (par.jobs <= 1 || !par.entry) return plans;
  const splits = new Map<Plan, SourceSplit>();
  let bytes = 0;
  for (const p of plans) {
    if (!p.source.split) continue;
    let split: ReturnType<NonNullable<FileSource['split']>>;
    try {
      split = p.source.split(p.files, ctx);
    } catch {
      continue; // read in one piece, as without workers
    }
    // A source that cannot be split (Terragrunt units, a CDK assembly) is still read in a worker, whole,
    // so that the main thread does not compete with the workers for the cores.
    if (split.groups.length === 0) continue;
    splits.set(p, split);
    for (const f of p.files) bytes += f.text.length;
  }
  const spread = [...splits.values()].some((s) => s.groups.length > 1);
  if (!spread || bytes < (par.minBytes ?? DEFAULT_PARALLEL_MIN_BYTES)) return plans;
  // About four tasks per worker: even when group sizes differ, the workers finish close together.
  const target = par.taskBytes ?? Math.max(bytes / (par.jobs * 4), 64 * 1024);
  for (const [p, split] of splits) {
    const tasks: { groups: InputFile[][]; bytes: number }[] = [];
    let cur: { groups: InputFile[][]; bytes: number } = { groups: [], bytes: 0 };
    for (const g of split.groups) {
      cur.groups.push(g);
      for (const f of g) cur.bytes += f.text.length;
      if (cur.bytes >= target) {
        tasks.push(cur);
        cur = { groups: [], bytes: 0 };
      }
    }
    if (cur.groups.length > 0) tasks.push(cur);
    p.tasks = tasks;
    if (split.sameProblemOnce) p.sameProblemOnce = true;
    if (split.finish) p.finish = split.finish;
  }
  return plans;
}

/** Run one source's tasks; a task whose worker was lost is retried group by group, once. */
async function runTasks(pool: WorkerPool, p: Plan): Promise<SourceResult[]> {
  const runGroups = async (groups: InputFile[][], retry: boolean): Promise<SourceResult[]> => {
    const files = groups.flat();
    const outcome: TaskOutcome = await pool.run({ source: p.source.name, files });
    if (outcome.ok) {
      p.source.loadedElsewhere?.(files, outcome.result);
      return [outcome.result];
    }
    if ('error' in outcome) return [{ roles: [], errors: [outcome.error] }];
    if (retry && groups.length > 1) {
      const parts = await Promise.all(groups.map((g) => runGroups([g], false)));
      return parts.flat();
    }
    return [{ roles: [], errors: lostGroupErrors(p.source.name, files, outcome.crashed) }];
  };
  const order = (p.tasks ?? []).map((t, i) => ({ t, i })).sort((a, b) => b.t.bytes - a.t.bytes);
  const results: SourceResult[][] = new Array(order.length);
  await Promise.all(
    order.map(async ({ t, i }) => {
      results[i] = await runGroups(t.groups, true);
    }),
  );
  return results.flat();
}

/** The results of consecutive groups of one source as one result. */
function merge(parts: readonly SourceResult[], sameProblemOnce: boolean): SourceResult {
  const roles: SourceResult['roles'] = [];
  const errors: ScanError[] = [];
  const warnings: ScanError[] = [];
  const trusted: NonNullable<SourceResult['trusted']> = [];
  const accounts: NonNullable<SourceResult['accounts']> = [];
  const deployed = new Set<string>();
  const seen = new Set<string>();
  const seenErrors = new Set<string>();
  const keep = (list: ScanError[], into: ScanError[], seenKeys: Set<string>) => {
    for (const e of list) {
      if (sameProblemOnce) {
        const key = `${e.code}\0${e.file ?? ''}\0${e.line ?? ''}\0${e.column ?? ''}\0${e.message}`;
        if (seenKeys.has(key)) continue;
        seenKeys.add(key);
      }
      into.push(e);
    }
  };
  for (const r of parts) {
    append(roles, r.roles);
    keep(r.errors, errors, seenErrors);
    keep(r.warnings ?? [], warnings, seen);
    append(trusted, r.trusted ?? []);
    append(accounts, r.accounts ?? []);
    for (const d of r.deployedDirs ?? []) deployed.add(d);
  }
  return {
    roles,
    errors,
    ...(warnings.length > 0 ? { warnings } : {}),
    ...(trusted.length > 0 ? { trusted } : {}),
    ...(accounts.length > 0 ? { accounts } : {}),
    ...(deployed.size > 0 ? { deployedDirs: [...deployed].sort() } : {}),
  };
}
