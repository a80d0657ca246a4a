import type { ScanError, SourceLocation } from '../../model/types.js';
import type { Pos } from '../cloudformation/nodes.js';

/** A source location in a Pulumi file (program, stack settings or state export). */
export function loc(file: string, p: Pos): SourceLocation {
  return { file, line: p.line, column: p.column };
}

/** An error or warning of the Pulumi reader, at a position when there is one. */
export function err(file: string, code: string, message: string, p?: Pos): ScanError {
  const e: ScanError = { source: 'pulumi', code, message, file };
  if (p) {
    e.line = p.line;
    e.column = p.column;
  }
  return e;
}
