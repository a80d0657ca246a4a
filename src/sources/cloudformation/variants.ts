import { NeedCondition } from './resolve.js';

export interface Variant<T> {
  /** The conditions chosen for this alternative, in the order they were met (fixed ones excluded). */
  chosen: [string, boolean][];
  value: T;
}

export interface Enumerated<T> {
  variants: Variant<T>[];
  /** True when more alternatives existed than `cap`; the rest followed the parameter defaults. */
  capped: boolean;
}

/**
 * Judge every alternative a resource can take. `run` resolves the resource under a set of chosen
 * conditions; with `fork` it throws `NeedCondition` at the first undecided `Fn::If`, and the
 * enumeration then tries that condition both ways. Only conditions that actually change what is
 * read are ever forked on (an `Fn::If` in a branch not taken is never met).
 */
export function enumerateVariants<T>(
  run: (assignment: ReadonlyMap<string, boolean>, fork: boolean) => T,
  fixed: ReadonlyMap<string, boolean>,
  cap: number,
): Enumerated<T> {
  const variants: Variant<T>[] = [];
  const queue: [string, boolean][][] = [[]];
  let capped = false;
  const assignmentOf = (chosen: [string, boolean][]) => {
    const m = new Map(fixed);
    for (const [k, v] of chosen) m.set(k, v);
    return m;
  };
  while (queue.length > 0) {
    const chosen = queue.shift() as [string, boolean][];
    try {
      variants.push({ chosen, value: run(assignmentOf(chosen), true) });
    } catch (e) {
      if (!(e instanceof NeedCondition)) throw e;
      if (variants.length + queue.length + 2 <= cap) {
        queue.push([...chosen, [e.condition, true]], [...chosen, [e.condition, false]]);
      } else {
        capped = true;
        variants.push({ chosen, value: run(assignmentOf(chosen), false) });
      }
    }
  }
  return { variants, capped };
}

/** "condition IsGov is true, condition HasExternalId is false" */
export function variantLabel(chosen: readonly [string, boolean][]): string | undefined {
  if (chosen.length === 0) return undefined;
  return chosen.map(([c, v]) => `condition ${c} is ${v}`).join(', ');
}
