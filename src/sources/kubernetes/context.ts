/** What the Kubernetes readers share while reading one file. */
import type { Role, ScanError } from '../../model/types.js';
import type { Budgets } from '../../scan/budgets.js';
import type { LineIndex, Pos } from '../cloudformation/nodes.js';

export interface ManifestContext {
  file: string;
  text: string;
  lines: LineIndex;
  budgets: Budgets;
  /** `--account`, when given. */
  owner?: string;
  roles: Role[];
  /** What could not be read or judged for a reason the user can fix (the scan is incomplete). */
  errors: ScanError[];
  /** What cannot be judged from a file by its nature (a template), or was read with a caveat. */
  warnings: ScanError[];
}

export function k8sError(file: string, code: string, message: string, p?: Pos): ScanError {
  const e: ScanError = { source: 'kubernetes', code, message, file };
  if (p) {
    e.line = p.line;
    e.column = p.column;
  }
  return e;
}

/** Quote text from the input in a message, cut to the `message-length` budget. */
export function quoted(s: string, budgets: Budgets): string {
  const max = budgets['message-length'];
  const cut = s.length > max ? `${s.slice(0, max)}…` : s;
  return JSON.stringify(cut);
}

/** For a composed Role: which Composition and resource it comes from. */
export interface ComposedAt {
  composition: string;
  resource: string;
}
