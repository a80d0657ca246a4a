import type { Reporter } from './types.js';

/**
 * One output format: how its reporter is loaded, its file under `--output-dir`, and whether it comes in
 * pieces.
 */
export interface OutputFormat {
  /** The format's reporter, imported on first use: a scan loads only the formats it writes. */
  load(): Promise<Reporter>;
  /** The file name used with `--output-dir`. */
  fileName: string;
  /**
   * True when large reports come back as pieces made while they are written (`ReporterOptions.piecesOver`).
   * Every format does today; a format added later says here if it cannot.
   */
  streams: boolean;
}

const table = {
  text: {
    load: async () => (await import('./text.js')).textReporter,
    fileName: 'trustaudit.txt',
    streams: true,
  },
  json: {
    load: async () => (await import('./json.js')).jsonReporter,
    fileName: 'trustaudit.json',
    streams: true,
  },
  sarif: {
    load: async () => (await import('./sarif.js')).sarifReporter,
    fileName: 'trustaudit.sarif',
    streams: true,
  },
  html: {
    load: async () => (await import('./html.js')).htmlReporter,
    fileName: 'trustaudit.html',
    streams: true,
  },
  csv: {
    load: async () => (await import('./csv.js')).csvReporter,
    fileName: 'trustaudit.csv',
    streams: true,
  },
  junit: {
    load: async () => (await import('./junit.js')).junitReporter,
    fileName: 'trustaudit.junit.xml',
    streams: true,
  },
  markdown: {
    load: async () => (await import('./markdown.js')).markdownReporter,
    fileName: 'trustaudit.md',
    streams: true,
  },
  asff: {
    load: async () => (await import('./asff.js')).asffReporter,
    fileName: 'trustaudit.asff.json',
    streams: true,
  },
  ocsf: {
    load: async () => (await import('./ocsf.js')).ocsfReporter,
    fileName: 'trustaudit.ocsf.json',
    streams: true,
  },
} satisfies Record<string, OutputFormat>;

/** The name of a format (a key of the table). */
export type FormatName = keyof typeof table;

/**
 * Output formats by name (`--format NAME`), one entry per format. The `--format` help and validation,
 * the `--output-dir` file names and the library's `formats` read this table; `./all.ts` holds every
 * reporter loaded, by the same names, for the library's synchronous `renderReport`.
 */
export const outputFormats: Readonly<Record<string, OutputFormat>> = table;

/** The format names, in the table's order. */
export const FORMAT_NAMES: readonly string[] = Object.keys(outputFormats);
