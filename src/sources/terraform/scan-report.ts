/**
 * What the HCL scan reports besides roles: warnings kept once each, and the errors of files that could
 * not be read (a limit, a syntax error, a failure of the reader), each naming its file and location.
 */
import type { ScanError } from '../../model/types.js';
import { BudgetExceeded, budgetError } from '../../scan/budgets.js';

export interface WarningList {
  readonly list: ScanError[];
  add(w: ScanError): void;
}

/** Warnings kept once each: the same expression is evaluated again for every module instance. */
export function warningList(): WarningList {
  const seen = new Set<string>();
  const list: ScanError[] = [];
  return {
    list,
    add(w) {
      const key = `${w.code}\0${w.file ?? ''}\0${w.line ?? ''}\0${w.column ?? ''}\0${w.message}`;
      if (seen.has(key)) return;
      seen.add(key);
      list.push(w);
    },
  };
}

/** A file that could not be read: a limit (located), or an unexpected failure of the reader. */
export function fileFailure(file: string, e: unknown, outcome: string): ScanError {
  if (e instanceof BudgetExceeded) return budgetError('terraform', e, { file }, outcome);
  return {
    source: 'terraform',
    code: 'internal',
    message: `could not read this file (${e instanceof Error ? e.message : String(e)}); ${outcome}`,
    file,
  };
}

/** A Terraform JSON file that could not be read, with what was done about it. */
export function jsonError(
  file: string,
  t: { message: string; line: number; column: number },
  outcome: string,
): ScanError {
  return {
    source: 'terraform',
    code: 'json-syntax',
    message: `${t.message}; ${outcome}`,
    file,
    line: t.line,
    column: t.column,
  };
}

/** An HCL syntax error; `suffix` says what was done about it (`; the file was skipped`). */
export function syntaxError(
  file: string,
  error: { message: string; line: number; column: number },
  suffix: string,
): ScanError {
  return {
    source: 'terraform',
    code: 'hcl-syntax',
    message: `${error.message}${suffix}`,
    file,
    line: error.line,
    column: error.column,
  };
}
