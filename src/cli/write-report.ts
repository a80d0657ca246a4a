import type { ReportText } from '../reporters/types.js';
import { WriteError, type WriteFs, writeFileAtomic } from '../util/atomic-write.js';
import { type DirFs, makeDirs } from '../util/make-dirs.js';

/** Pieces are written in batches of about this many characters: few writes, no giant string. */
const BATCH = 4 * 1024 * 1024;

/** The text in writable batches: consecutive pieces joined up to `BATCH` characters (a longer piece alone). */
export function* batches(text: ReportText, max = BATCH): Generator<string> {
  if (typeof text === 'string') {
    yield text;
    return;
  }
  let parts: string[] = [];
  let size = 0;
  for (const piece of text) {
    if (size > 0 && size + piece.length > max) {
      yield parts.join('');
      parts = [];
      size = 0;
    }
    parts.push(piece);
    size += piece.length;
  }
  if (size > 0 || parts.length > 0) yield parts.join('');
}

/**
 * Writes a report to `file` (created or replaced) all or nothing: a temporary file in the same folder,
 * every byte checked, fsynced, renamed into place. Throws a WriteError naming `file` and the cause
 * (no space left, missing folder...); `file` is then as it was.
 */
export function writeReportFile(file: string, text: ReportText, fs?: WriteFs): void {
  writeFileAtomic(file, text, fs ? { fs } : {});
}

/** Writes a report to a stream-like writer (standard output), batch by batch. */
export function writeReportTo(out: { write(s: string): unknown }, text: ReportText): void {
  for (const b of batches(text)) out.write(b);
}

export interface ReportFile {
  file: string;
  text: ReportText;
}

/**
 * Write each rendered report to its file (all or nothing per file; `dir`, when given, is created first).
 * "wrote FILE" is printed for each file written (unless quiet); a file that cannot be written is one line on
 * standard error naming it and the cause, and the others are still written. Returns whether all were.
 */
export function writeReportFiles(
  files: readonly ReportFile[],
  io: { stderr: { write(s: string): unknown }; writeFs?: WriteFs },
  opts: { dir?: string; quiet?: boolean; fs?: WriteFs; dirFs?: DirFs } = {},
): boolean {
  const fs = opts.fs ?? io.writeFs;
  if (opts.dir !== undefined) {
    try {
      makeDirs(opts.dir, opts.dirFs);
    } catch (e) {
      if (!(e instanceof WriteError)) throw e;
      io.stderr.write(`trustaudit: ${e.message}\n`);
      return false;
    }
  }
  let all = true;
  for (const { file, text } of files) {
    try {
      writeReportFile(file, text, fs);
    } catch (e) {
      if (!(e instanceof WriteError)) throw e;
      io.stderr.write(`trustaudit: ${e.message}\n`);
      all = false;
      continue;
    }
    if (!opts.quiet) io.stderr.write(`wrote ${file}\n`);
  }
  return all;
}

/** Write a report to standard output; a failure (a full disk behind `> file`) is one line. Returns success. */
export function writeReportToStdout(
  io: { stdout: { write(s: string): unknown }; stderr: { write(s: string): unknown } },
  text: ReportText,
): boolean {
  try {
    writeReportTo(io.stdout, text);
    return true;
  } catch (e) {
    if (!(e instanceof WriteError)) throw e;
    io.stderr.write(`trustaudit: ${e.message}\n`);
    return false;
  }
}
