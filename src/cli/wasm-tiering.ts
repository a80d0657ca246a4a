/**
 * The HCL parser is WebAssembly (tree-sitter). V8 first runs WebAssembly with its baseline compiler and
 * compiles a function that turns hot again with its optimising compiler, on a background thread; a
 * process cannot exit before such a compile is done. One function of the grammar turns hot on the first
 * parse, even of a ten-line file, and its optimising compile outlasts a small scan: measured on the
 * development machine, 50-70 ms of waiting at exit for a one-file Terraform scan (a pre-commit hook),
 * about as long as Node's own start. So the CLI raises the budget a WebAssembly function spends before
 * it is compiled again, from V8's 1.8 million to 20 million: a small scan ends before any function
 * turns hot, and a large one still gets the optimised code soon. Measured: the one-file scan's wait is
 * gone, and the scan of the corpus's Terraform folder (700 files) takes as long as with V8's budget;
 * with no optimised code at all (a budget of a billion) that scan was about 30% slower.
 *
 * This is a process-wide V8 setting: only the CLI entry (bin/trustaudit.js) makes it, before any
 * WebAssembly is compiled, never the library. V8 prints an error for a flag it does not know, so it is
 * set only for the V8 versions known to have it (dynamic tiering, Node 20 to 25).
 */

/** The budget: more than a small scan's parses spend, little enough for a large scan to tier up early. */
export const WASM_TIERING_BUDGET = 20_000_000;

/** V8 major versions that have `--wasm-tiering-budget` (Node 20: 11, Node 22: 12, Node 24: 13, Node 25: 14). */
const KNOWN_V8_MAJORS = new Set([11, 12, 13, 14]);

/** The part of `node:v8` used here (tests pass their own). */
export interface V8Flags {
  setFlagsFromString(flags: string): void;
}

/** Keep WebAssembly on the baseline tier; true when the flag was set. */
export function keepWasmOnBaselineTier(v8: V8Flags, v8Version: string): boolean {
  const major = Number.parseInt(v8Version, 10);
  if (!KNOWN_V8_MAJORS.has(major)) return false;
  v8.setFlagsFromString(`--wasm-tiering-budget=${WASM_TIERING_BUDGET}`);
  return true;
}
