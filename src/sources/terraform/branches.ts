/**
 * Conditionals whose condition is unknown (`var.flag ? a : b` with no value for `var.flag`): each role
 * is judged on both branches, like CloudFormation's `Fn::If`. A run of the role's evaluation meets an
 * undecided condition and throws `NeedBranch`; the enumeration then runs it again with that condition
 * true and false. Only conditions the role's trust actually reaches are ever split. `decide` is where
 * an expression (a conditional, `!`, `&&`/`||`, a template `%{if}`) asks the current run for a choice.
 */
import { type Ast, locOf, textOf } from './hcl.js';
import { lookup, type ModuleEvaluator, type Scope } from './scope.js';
import type { Val } from './values.js';

/** What one run of a role's evaluation decides: shared by every module instance of the scan. */
export interface BranchState {
  /** Condition key -> chosen value. */
  assignment: ReadonlyMap<string, boolean>;
  /** True: an undecided condition throws `NeedBranch`; false: it gives an unknown value. */
  fork: boolean;
  /** Bumped at every run: evaluation caches of an older run are dropped. */
  generation: number;
}

export function newBranchState(): BranchState {
  return { assignment: new Map(), fork: false, generation: 0 };
}

export class NeedBranch extends Error {
  constructor(readonly key: string) {
    super(`the condition ${key} is not known`);
    this.name = 'NeedBranch';
  }
}

export interface BranchRun<T> {
  /** Conditions chosen for this run, in the order they were met. */
  chosen: [string, boolean][];
  value: T;
}

/**
 * Runs `run` under every combination of the conditions it meets, at most `cap` runs; past the cap the
 * remaining runs take undecided conditions as unknown values (`capped` is then true).
 */
export function enumerateBranches<T>(
  state: BranchState,
  run: () => T,
  cap: number,
): { runs: BranchRun<T>[]; capped: boolean } {
  const runs: BranchRun<T>[] = [];
  const queue: [string, boolean][][] = [[]];
  let capped = false;
  const start = (chosen: [string, boolean][], fork: boolean): void => {
    state.assignment = new Map(chosen);
    state.fork = fork;
    state.generation++;
  };
  try {
    while (queue.length > 0) {
      const chosen = queue.shift() as [string, boolean][];
      start(chosen, true);
      try {
        runs.push({ chosen, value: run() });
      } catch (e) {
        if (!(e instanceof NeedBranch)) throw e;
        if (runs.length + queue.length + 2 <= cap) {
          queue.push([...chosen, [e.key, true]], [...chosen, [e.key, false]]);
        } else {
          capped = true;
          start(chosen, false);
          runs.push({ chosen, value: run() });
        }
      }
    }
  } finally {
    start([], false);
  }
  return { runs, capped };
}

/** "var.flag = false, var.other = true" */
export function branchLabel(chosen: readonly [string, boolean][]): string | undefined {
  if (chosen.length === 0) return undefined;
  return chosen.map(([k, v]) => `${k} = ${v}`).join(', ');
}

/**
 * An unknown boolean the current branch run decides: the run's choice, or a request to split on it
 * (`NeedBranch`). A condition on a `for` / `dynamic` / `count` name differs from one element to the
 * next: it is never split (one choice for every element would be wrong) and stays unknown, as does
 * anything else when the run does not split.
 */
export function decide(ev: ModuleEvaluator, node: Ast, v: Val, scope: Scope): Val {
  if (v.t !== 'sym' || v.err || scope.templateOnly || usesBoundName(node, scope)) return v;
  const key = branchKey(ev.address, node);
  const chosen = ev.env.branches.assignment.get(key);
  if (chosen !== undefined) return { t: 'bool', v: chosen, loc: locOf(node) };
  if (ev.env.branches.fork) throw new NeedBranch(key);
  return v;
}

/** `var.flag`, or `var.flag (in module.x)` inside a called module: how a finding names the branch. */
function branchKey(address: string, c: Ast): string {
  const text = textOf(c).trim().replace(/\s+/g, ' ');
  return address ? `${text} (in ${address.slice(0, -1)})` : text;
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
