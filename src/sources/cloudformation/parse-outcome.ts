/**
 * What a template parser returns. Kept apart from `parse.ts` (which picks the parser) so that the JSON
 * and YAML parsers depend on these types only, never on the module that imports them.
 */
import type { CNode, Pos } from './nodes.js';

export interface ParseProblem {
  code: string;
  message: string;
  pos: Pos;
}

/**
 * A parse either fails, or succeeds possibly with warnings (a duplicated key: CloudFormation accepts
 * it and keeps the last value, but a reader of the template may be looking at the first one).
 */
export type ParseOutcome =
  | { ok: true; root: CNode; warnings: ParseProblem[] }
  | ({ ok: false } & ParseProblem);
