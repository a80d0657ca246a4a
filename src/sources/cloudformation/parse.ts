import { type Budgets, DEFAULT_BUDGETS } from '../../scan/budgets.js';
import { LineIndex } from './nodes.js';
import { parseJson } from './parse-json.js';
import type { ParseOutcome } from './parse-outcome.js';
import { parseYaml } from './parse-yaml.js';

export type { ParseOutcome, ParseProblem } from './parse-outcome.js';

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
  opts: { allowAliases?: boolean; budgets?: Budgets; lines?: LineIndex } = {},
): ParsedText {
  const budgets = opts.budgets ?? DEFAULT_BUDGETS;
  // A text embedded in another file brings the line index that maps it into that file.
  const lines = opts.lines ?? new LineIndex(text);
  const lower = path.toLowerCase();
  const json = lower.endsWith('.json') || (!/\.ya?ml$/.test(lower) && /^\uFEFF?\s*\{/.test(text));
  return json
    ? { outcome: parseJson(text, lines, budgets['nesting-depth']), lines, syntax: 'json' }
    : { outcome: parseYaml(text, lines, opts.allowAliases === true, budgets), lines, syntax: 'yaml' };
}
