import { type Node as JsonNode, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { BUDGETS, budgetAdvice } from '../../scan/budgets.js';
import { jsonTooDeepAt } from '../../util/json-depth.js';
import { addEntry, type CEntry, type CNode, type LineIndex } from './nodes.js';
import type { ParseOutcome, ParseProblem } from './parse-outcome.js';

const REASONS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'a property name in double quotes was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a colon was expected',
  CommaExpected: 'a comma was expected',
  CloseBraceExpected: 'a closing } was expected',
  CloseBracketExpected: 'a closing ] was expected',
  EndOfFileExpected: 'unexpected content after the end of the document',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'control character inside a string',
};

export function jsonErrorReason(e: ParseError): string {
  const name = printParseErrorCode(e.error);
  return REASONS[name] ?? name;
}

/** Parse a JSON template (strict JSON: no comments, no trailing commas) into positioned nodes. */
export function parseJson(
  text: string,
  lines: LineIndex,
  maxDepth: number = BUDGETS['nesting-depth'].default,
): ParseOutcome {
  // A byte-order mark is not JSON, but editors write one; blank it out without moving any offset.
  const src = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  if (src.trim() === '')
    return { ok: false, code: 'empty', message: 'the template is empty', pos: lines.pos(0) };
  // Checked before parsing: the parser and the converter below are recursive.
  const deep = jsonTooDeepAt(src, maxDepth);
  if (deep !== -1)
    return {
      ok: false,
      code: 'too-deep',
      message: `the template is nested too deeply: ${budgetAdvice('nesting-depth', maxDepth)}; it was not read`,
      pos: lines.pos(deep),
    };
  const errors: ParseError[] = [];
  const tree = parseTree(src, errors, {
    disallowComments: true,
    allowTrailingComma: false,
    allowEmptyContent: false,
  });
  const first = errors[0];
  if (first || !tree) {
    const offset = first?.offset ?? 0;
    return {
      ok: false,
      code: 'json-syntax',
      message: `JSON syntax error: ${first ? jsonErrorReason(first) : 'no value'}`,
      pos: lines.pos(offset),
    };
  }
  const warnings: ParseProblem[] = [];
  return { ok: true, root: convertJson(tree, src, lines, warnings), warnings };
}

/** jsonc-parser nodes -> template nodes (a repeated key: last wins, reported in `warnings`). */
export function convertJson(n: JsonNode, text: string, lines: LineIndex, warnings: ParseProblem[]): CNode {
  const pos = lines.pos(n.offset);
  switch (n.type) {
    case 'object': {
      const entries: CEntry[] = [];
      const index = new Map<string, number>();
      for (const p of n.children ?? []) {
        const [k, v] = p.children ?? [];
        if (!k || !v) continue;
        const key = String(k.value);
        addEntry(
          entries,
          index,
          { key, keyPos: lines.pos(k.offset), value: convertJson(v, text, lines, warnings) },
          warnings,
        );
      }
      return { t: 'map', pos, entries };
    }
    case 'array':
      return { t: 'seq', pos, items: (n.children ?? []).map((c) => convertJson(c, text, lines, warnings)) };
    case 'string':
      return { t: 'scalar', v: String(n.value), pos, range: [n.offset, n.offset + n.length], style: 'json' };
    case 'number':
      return { t: 'scalar', v: text.slice(n.offset, n.offset + n.length), pos };
    case 'boolean':
      return { t: 'scalar', v: Boolean(n.value), pos };
    default:
      return { t: 'scalar', v: null, pos };
  }
}
