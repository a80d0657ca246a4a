import type { ScanError } from '../model/types.js';

/** A reader's error for one file, with its line and column when known. */
export function sourceError(
  source: string,
  file: string,
  code: string,
  message: string,
  line?: number,
  column?: number,
): ScanError {
  const e: ScanError = { source, code, message, file };
  if (line !== undefined) e.line = line;
  if (column !== undefined) e.column = column;
  return e;
}
