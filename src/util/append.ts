/**
 * Appends `items` to `target` in place. `target.push(...items)` passes every item as an argument, and
 * V8 throws "Maximum call stack size exceeded" for arrays of a little over 100,000 items (an export or
 * an organization with that many roles), so lists that grow with the input are appended this way.
 */
export function append<T>(target: T[], items: readonly T[]): void {
  for (let i = 0; i < items.length; i++) target.push(items[i] as T);
}
