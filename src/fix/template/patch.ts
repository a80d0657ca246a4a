/** The unified diff of the changed files, with the `a/` `b/` prefixes `git apply` expects. */
import { createTwoFilesPatch } from 'diff';
import type { FileChange } from './plan.js';

/** One `diff --git` section per file, paths relative to the scan root. */
export function unifiedPatch(changes: readonly FileChange[]): string {
  let out = '';
  for (const c of changes) {
    const rel = c.file.rel;
    const body = createTwoFilesPatch(`a/${rel}`, `b/${rel}`, c.before, c.after, undefined, undefined, {
      context: 3,
    });
    // The diff package starts with a "=====" rule line; git wants its own header there.
    const start = body.indexOf('--- ');
    out += `diff --git a/${rel} b/${rel}\n${body.slice(start)}`;
  }
  return out;
}
