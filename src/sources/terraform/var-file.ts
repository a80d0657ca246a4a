/**
 * `--var-file`: a variables file named on the command line (not a scanned file), read by the CLI and
 * turned into `--var` values.
 */
import { type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { bodyAttrs, createHclParser, type HclParser, stringLitValue, textOf } from './hcl.js';

/** A `--var-file` that cannot be read; carries the position of the problem. */
export class VarFileError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'VarFileError';
  }
}

/**
 * Reads a `--var-file` (`.tfvars` in HCL, or `.tfvars.json`) into the `--var` form the Terraform source
 * takes: a plain string value as itself, anything else (numbers, lists, maps...) as its HCL/JSON text,
 * which the source parses against the variable's type.
 */
export async function loadVarFile(
  file: string,
  text: string,
  parser?: HclParser,
): Promise<Map<string, string>> {
  if (file.endsWith('.json')) return jsonVars(file, text);
  const own = parser ? undefined : await createHclParser();
  const p = parser ?? (own as HclParser);
  try {
    const parsed = p.parse({ path: file, text });
    if (parsed.error)
      throw new VarFileError(parsed.error.message, file, parsed.error.line, parsed.error.column);
    const out = new Map<string, string>();
    for (const [name, expr] of bodyAttrs(parsed.body)) {
      const lit = expr.kids[0]?.kids[0];
      out.set(name, lit?.type === 'string_lit' ? stringLitValue(lit) : textOf(expr).trim());
    }
    return out;
  } catch (e) {
    if (e instanceof VarFileError) throw e;
    throw new VarFileError(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`, file);
  } finally {
    own?.dispose();
  }
}

function jsonVars(file: string, text: string): Map<string, string> {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true });
  const first = errors[0];
  if (first || root?.type !== 'object') {
    const before = text.slice(0, first?.offset ?? 0);
    const line = before.split('\n').length;
    const column = (first?.offset ?? 0) - before.lastIndexOf('\n');
    throw new VarFileError(
      first
        ? `JSON syntax error (${printParseErrorCode(first.error)})`
        : 'a variables file must hold an object',
      file,
      line,
      column,
    );
  }
  const out = new Map<string, string>();
  for (const p of root.children ?? []) {
    const [k, v] = p.children ?? [];
    if (!k || !v) continue;
    out.set(
      String(k.value),
      v.type === 'string' ? String(v.value) : text.slice(v.offset, v.offset + v.length),
    );
  }
  return out;
}
