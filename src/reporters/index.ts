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

/** One output format: how it is rendered, its file under `--output-dir`, and whether it comes in pieces. */
export interface OutputFormat {
  render: Reporter;
  /** The file name used with `--output-dir`. */
  fileName: string;
  /**
   * True when large reports come back as pieces made while they are written (`ReporterOptions.piecesOver`).
   * Every format does today; a format added later says here if it cannot.
   */
  streams: boolean;
}

/**
 * Output formats by name (`--format NAME`), one entry per format. The `--format` help and validation,
 * the `--output-dir` file names and the library's `formats`/`renderReport` all read this table.
 */
export const outputFormats: Readonly<Record<string, OutputFormat>> = {
  text: { render: textReporter, fileName: 'trustaudit.txt', streams: true },
  json: { render: jsonReporter, fileName: 'trustaudit.json', streams: true },
  sarif: { render: sarifReporter, fileName: 'trustaudit.sarif', streams: true },
  html: { render: htmlReporter, fileName: 'trustaudit.html', streams: true },
  csv: { render: csvReporter, fileName: 'trustaudit.csv', streams: true },
  junit: { render: junitReporter, fileName: 'trustaudit.junit.xml', streams: true },
  markdown: { render: markdownReporter, fileName: 'trustaudit.md', streams: true },
  asff: { render: asffReporter, fileName: 'trustaudit.asff.json', streams: true },
  ocsf: { render: ocsfReporter, fileName: 'trustaudit.ocsf.json', streams: true },
};

/** The format names, in the table's order. */
export const FORMAT_NAMES: readonly string[] = Object.keys(outputFormats);

/** The reporter of each format, by name (read from `outputFormats`). */
export const reporters: Readonly<Record<string, Reporter>> = Object.fromEntries(
  Object.entries(outputFormats).map(([name, f]) => [name, f.render]),
);
