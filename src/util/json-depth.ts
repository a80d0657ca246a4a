/**
 * Offset of the first `[` or `{` of a JSON text that opens more than `max` levels, or -1. Strings are
 * skipped. Run before parsing, so a deeply nested text never reaches a recursive parser or converter.
 */
export function jsonTooDeepAt(text: string, max: number): number {
  let depth = 0;
  let inStr = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inStr) {
      if (ch === 0x5c) i++;
      else if (ch === 0x22) inStr = false;
    } else if (ch === 0x22) inStr = true;
    else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > max) return i;
    } else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return -1;
}
