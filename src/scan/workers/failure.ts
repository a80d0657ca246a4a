import type { ScanError } from '../../model/types.js';
import type { InputFile } from '../../sources/types.js';
import { BudgetExceeded, budgetError } from '../budgets.js';
import { errMessage } from '../walk.js';

/**
 * The error recorded when a source's `load` throws (sources isolate their own files and modules; this is
 * the last resort), still naming a file: the same in the main thread and in a worker thread.
 */
export function sourceFailure(source: string, files: readonly InputFile[], e: unknown): ScanError {
  return e instanceof BudgetExceeded
    ? budgetError(source, e, { file: files[0]?.path ?? '' }, `the ${source} reader stopped`)
    : {
        source,
        code: 'internal',
        message: `the ${source} reader failed on ${files.length} file(s) (${files[0]?.path ?? ''}…): ${errMessage(e)}`,
      };
}

/** The errors for files whose worker thread was lost (out of memory, exited): each file named. */
export function lostGroupErrors(source: string, files: readonly InputFile[], reason: string): ScanError[] {
  return files.map((f) => ({
    source,
    code: 'worker-failed',
    file: f.path,
    message: `${reason} while the ${source} reader was reading this file${files.length > 1 ? ` and ${files.length - 1} other(s) of its group` : ''}; its roles were not judged`,
  }));
}
