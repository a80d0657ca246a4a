import { closeSync, openSync, writeSync } from 'node:fs';
import type { ReportText } from '../reporters/types.js';

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

/** Writes a report to `file` (created or replaced), batch by batch. */
export function writeReportFile(file: string, text: ReportText): void {
  const fd = openSync(file, 'w');
  try {
    for (const b of batches(text)) writeSync(fd, b);
  } finally {
    closeSync(fd);
  }
}

/** Writes a report to a stream-like writer (standard output), batch by batch. */
export function writeReportTo(out: { write(s: string): unknown }, text: ReportText): void {
  for (const b of batches(text)) out.write(b);
}
