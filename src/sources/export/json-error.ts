import { type ParseError, parse, printParseErrorCode } from 'jsonc-parser';
import { LineIndex } from '../../model/line-index.js';
import type { ScanError } from '../../model/types.js';

const READABLE: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'a property name is expected',
  ValueExpected: 'a value is expected',
  ColonExpected: 'a colon is expected',
  CommaExpected: 'a comma is expected',
  CloseBraceExpected: 'a closing "}" is expected',
  CloseBracketExpected: 'a closing "]" is expected',
  EndOfFileExpected: 'extra content after the end of the JSON value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string',
};

/**
 * Where and why `JSON.parse` rejected a text. Only called on the failure path: jsonc-parser (strict
 * settings) finds the first error's offset; when it sees none, the offset from the engine's message is used.
 */
export function jsonSyntaxError(text: string, file: string, err: unknown, source = 'export'): ScanError {
  const errors: ParseError[] = [];
  try {
    parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch {
    // Nesting too deep for the locating parser: fall back to the engine's message below.
    errors.length = 0;
  }
  const first = errors[0];
  let offset = 0;
  let reason: string;
  if (first) {
    offset = first.offset;
    const code = printParseErrorCode(first.error);
    reason = READABLE[code] ?? code;
  } else {
    const message = err instanceof Error ? err.message : String(err);
    const m = /position (\d+)/.exec(message);
    if (m) offset = Number(m[1]);
    reason = message;
  }
  const { line, column } = new LineIndex(text).position(offset);
  return {
    source,
    code: 'json-syntax',
    message: `invalid JSON at line ${line}, column ${column}: ${reason}`,
    file,
    line,
    column,
  };
}
