import { jsonReporter } from './json.js';
import { textReporter } from './text.js';
import type { Reporter } from './types.js';

/** Output formats by name (`--format NAME`). One line per reporter. */
export const reporters: Record<string, Reporter> = {
  text: textReporter,
  json: jsonReporter,
};
