/**
 * Text from scanned files, made inert before it reaches a terminal. A role name or Sid can hold escape
 * sequences that clear the screen, set the window title, write OSC 8 links or rewrite earlier lines, and
 * bidirectional controls that make the text read differently from what it is. Each such character is
 * shown as a visible `\u{…}`-style escape instead, so nothing is lost and nothing is executed.
 */

// C0 controls (but tab and newline, handled by the callers below), DEL, C1 controls, and the Unicode
// bidirectional embedding, override and isolate controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal control characters is the point.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_OR_BREAK =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal control characters is the point.
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line of terminal text: every control character (newlines and tabs included) becomes `\xNN`/`\uNNNN`. */
export function neutraliseLine(s: string): string {
  return s.replace(UNSAFE_OR_BREAK, visible);
}

/** Terminal text that may span lines: newlines and tabs are kept, every other control character is made visible. */
export function neutraliseText(s: string): string {
  return s.replace(UNSAFE, visible);
}
