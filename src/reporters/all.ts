/**
 * Every reporter, loaded, by format name: for callers that render synchronously (the library's
 * `renderReport`, tests). The CLI goes through the table in `./index.ts`, which loads only the formats
 * a scan writes. Typed by the table's names, so a format added there must be added here too.
 */
import { asffReporter } from './asff.js';
import { csvReporter } from './csv.js';
import { htmlReporter } from './html.js';
import type { FormatName } from './index.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import { ocsfReporter } from './ocsf.js';
import { sarifReporter } from './sarif.js';
import { textReporter } from './text.js';
import type { Reporter } from './types.js';

const byName: Readonly<Record<FormatName, Reporter>> = {
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

/** The reporter of each format, by name. */
export const reporters: Readonly<Record<string, Reporter>> = byName;
