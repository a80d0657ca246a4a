import { asffReporter } from './asff.js';
import { csvReporter } from './csv.js';
import { htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import { ocsfReporter } from './ocsf.js';
import { sarifReporter } from './sarif.js';
import { textReporter } from './text.js';
import type { Reporter } from './types.js';

/** Output formats by name (`--format NAME`). One line per reporter. */
export const reporters: Record<string, Reporter> = {
  text: textReporter,
  json: jsonReporter,
  sarif: sarifReporter,
  html: htmlReporter,
  csv: csvReporter,
  junit: junitReporter,
  markdown: markdownReporter,
  asff: asffReporter,
  ocsf: ocsfReporter,
};
