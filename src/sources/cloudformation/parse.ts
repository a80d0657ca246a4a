import { type Budgets, DEFAULT_BUDGETS } from '../../scan/budgets.js';
import { type CNode, LineIndex, type Pos } from './nodes.js';
import { parseJson } from './parse-json.js';
import { parseYaml } from './parse-yaml.js';

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

export interface ParsedText {
  outcome: ParseOutcome;
  lines: LineIndex;
  syntax: 'json' | 'yaml';
}

/**
 * Parse a template. `.json` files are read as strict JSON; `.yaml`/`.yml` as YAML; anything else
 * (`.template`) by its first character, as CloudFormation itself accepts either.
 */
export function parseTemplateText(
  text: string,
  path: string,
  opts: { allowAliases?: boolean; budgets?: Budgets } = {},
): ParsedText {
  const budgets = opts.budgets ?? DEFAULT_BUDGETS;
  const lines = new LineIndex(text);
  const lower = path.toLowerCase();
  const json = lower.endsWith('.json') || (!/\.ya?ml$/.test(lower) && /^\uFEFF?\s*\{/.test(text));
  return json
    ? { outcome: parseJson(text, lines, budgets['nesting-depth']), lines, syntax: 'json' }
    : { outcome: parseYaml(text, lines, opts.allowAliases === true, budgets), lines, syntax: 'yaml' };
}
