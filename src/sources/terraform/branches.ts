/**
 * Conditionals whose condition is unknown (`var.flag ? a : b` with no value for `var.flag`): each role
 * is judged on both branches, like CloudFormation's `Fn::If`. A run of the role's evaluation meets an
 * undecided condition and throws `NeedBranch`; the enumeration then runs it again with that condition
 * true and false. Only conditions the role's trust actually reaches are ever split.
 */

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
