/**
 * The HCL parser: tree-sitter's Terraform grammar (loaded from the installed grammar package, never
 * from the scanned tree) turned into plain syntax nodes with positions in the user's file, plus the
 * small readers of attributes and blocks every other module uses.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { Language, Parser, type TreeCursor, type Node as TsNode } from 'web-tree-sitter';
import { LineIndex } from '../../model/line-index.js';
import type { SourceLocation } from '../../model/types.js';
import { BUDGETS, BudgetExceeded } from '../../scan/budgets.js';

/** A source file as the evaluator sees it: display path, absolute path (when on disk) and text. */
export interface SrcFile {
  path: string;
  abs?: string;
  text: string;
  /** Lines added in front of the real content (a template file is parsed wrapped in a heredoc). */
  lineOffset?: number;
  /** For HCL generated from Terraform JSON: where each generated line (0-based) came from. */
  lineMap?: readonly { line: number; col: number; genCol: number }[];
}

/** 1-based position in the user's file of a 0-based (row, column) of the parsed text. */
export function mapPos(f: SrcFile, row: number, col: number): { line: number; column: number } {
  const m = f.lineMap?.[row];
  if (m) return { line: m.line, column: m.col + Math.max(0, col - m.genCol) };
  return { line: row + 1 - (f.lineOffset ?? 0), column: col + 1 };
}

/**
 * A plain syntax node copied out of the tree-sitter tree (the wasm tree is freed right after parsing).
 * Positions: 0-based rows, UTF-16 columns and offsets (web-tree-sitter counts in UTF-16 code units).
 */
export interface Ast {
  type: string;
  si: number;
  ei: number;
  sr: number;
  sc: number;
  er: number;
  ec: number;
  /** Named children, comments excluded. */
  kids: Ast[];
  /** `object_elem` key / value. */
  key?: Ast;
  val?: Ast;
  /** Operator of `binary_operation` / `unary_operation` (`==`, `&&`, `!`...), or `<<` / `<<-` of a heredoc. */
  op?: string;
  /** For operations: the operands, each a synthetic `expression` node over the flattened terms. */
  left?: Ast;
  right?: Ast;
  f: SrcFile;
}

export interface HclComment {
  text: string;
  line: number;
  column: number;
  si: number;
}

export interface ParsedHcl {
  file: SrcFile;
  /** The `body` of the file (undefined for an empty file or a JSON-object tfvars file). */
  body?: Ast;
  /** The root node (config_file). */
  root?: Ast;
  comments: HclComment[];
  /** First syntax error (ERROR or MISSING node), 1-based. */
  error?: { line: number; column: number; message: string };
}

/**
 * One tree-sitter parser for a scan. Create with {@link createHclParser}; call `dispose()` when done.
 * `parse` throws `BudgetExceeded` (`nesting-depth`, located) for a file nested deeper than the limit:
 * the caller reports that file and goes on with the others.
 */
export interface HclParser {
  parse(file: SrcFile): ParsedHcl;
  dispose(): void;
}

/** Nodes that count as one level of nesting: an expression inside another, a block in a block, a directive. */
const NESTING_TYPES: ReadonlySet<string> = new Set(['expression', 'block', 'template_directive']);
/** Syntax nodes per nesting level are few (about four); anything far deeper is cut off as well. */
const NODES_PER_LEVEL = 8;

/** Path of the Terraform dialect grammar shipped by `@tree-sitter-grammars/tree-sitter-hcl`. */
export function grammarWasmPath(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@tree-sitter-grammars/tree-sitter-hcl/package.json');
  return path.join(path.dirname(pkg), 'tree-sitter-terraform.wasm');
}

export async function createHclParser(opts: { maxDepth?: number } = {}): Promise<HclParser> {
  const maxDepth = opts.maxDepth ?? BUDGETS['nesting-depth'].default;
  await Parser.init();
  const language = await Language.load(grammarWasmPath());
  const parser = new Parser();
  parser.setLanguage(language);
  return {
    parse(file) {
      const tree = parser.parse(file.text);
      if (!tree) return { file, comments: [], error: { line: 1, column: 1, message: 'the parser gave up' } };
      try {
        const comments: HclComment[] = [];
        const cursor = tree.walk();
        let root: Ast;
        try {
          root = convert(cursor, cursor.nodeType, {
            f: file,
            comments,
            lines: new LineIndex(file.text),
            maxDepth,
            depth: 0,
            nodes: 0,
          });
        } finally {
          cursor.delete();
        }
        const out: ParsedHcl = { file, root, comments };
        const body = root.kids.find((k) => k.type === 'body');
        if (body) out.body = body;
        if (tree.rootNode.hasError) {
          const bad = firstError(tree.rootNode);
          const at = bad ? mapPos(file, bad.startPosition.row, bad.startPosition.column) : undefined;
          out.error = bad
            ? {
                line: at?.line ?? 1,
                column: at?.column ?? 1,
                message: bad.isMissing
                  ? `syntax error: missing ${bad.type}`
                  : `syntax error near ${JSON.stringify(bad.text.slice(0, 40))}`,
              }
            : { line: 1, column: 1, message: 'syntax error' };
        }
        return out;
      } finally {
        tree.delete();
      }
    },
    dispose() {
      parser.delete();
    },
  };
}

/** The first ERROR or MISSING node, walking down (no recursion: the tree is at most as deep as `convert` allowed). */
function firstError(root: TsNode): TsNode | undefined {
  let node = root;
  for (;;) {
    if (node.isMissing || node.type === 'ERROR') return node;
    if (!node.hasError) return undefined;
    const next = node.children.find((c) => c !== null && (c.hasError || c.isMissing || c.type === 'ERROR'));
    if (!next) return node;
    node = next;
  }
}

/** What one conversion carries along: the file, the comments found so far, its line starts. */
interface Walk {
  f: SrcFile;
  comments: HclComment[];
  /** Rows like tree-sitter's: lines end at `\n` alone. */
  lines: LineIndex;
  /** The `nesting-depth` limit, the current nesting and the current syntax depth. */
  maxDepth: number;
  depth: number;
  nodes: number;
}

/**
 * Copies the tree into plain objects with one cursor walk. Every cursor property is a call into wasm,
 * so each is read once per node: the node's type is passed down by the caller that already read it,
 * and rows and columns are worked out from the offsets on the JS side.
 */
function convert(cursor: TreeCursor, type: string, w: Walk): Ast {
  const f = w.f;
  const si = cursor.startIndex;
  const ei = cursor.endIndex;
  const sr = w.lines.row(si);
  const er = w.lines.row(ei);
  const ast: Ast = {
    type,
    si,
    ei,
    sr,
    sc: si - w.lines.lineStart(sr),
    er,
    ec: ei - w.lines.lineStart(er),
    kids: [],
    f,
  };
  const t = type;
  const nests = NESTING_TYPES.has(t);
  if (nests) w.depth++;
  w.nodes++;
  if (w.depth > w.maxDepth || w.nodes > w.maxDepth * NODES_PER_LEVEL) {
    const at = mapPos(f, sr, ast.sc);
    throw new BudgetExceeded('nesting-depth', w.maxDepth, 'the file is nested too deeply', {
      file: f.path,
      line: at.line,
      column: at.column,
    });
  }
  const isOp = t === 'binary_operation' || t === 'unary_operation';
  const left: Ast[] = [];
  const right: Ast[] = [];
  let seenOp = false;
  if (cursor.gotoFirstChild()) {
    do {
      const named = cursor.nodeIsNamed;
      if (!named) {
        if (isOp && !seenOp) {
          ast.op = f.text.slice(cursor.startIndex, cursor.endIndex);
          seenOp = true;
        }
        continue;
      }
      const childType = cursor.nodeType;
      if (childType === 'comment') {
        const start = cursor.startIndex;
        const row = w.lines.row(start);
        const at = mapPos(f, row, start - w.lines.lineStart(row));
        w.comments.push({
          text: f.text.slice(start, cursor.endIndex),
          line: at.line,
          column: at.column,
          si: start,
        });
        continue;
      }
      const field = t === 'object_elem' ? cursor.currentFieldName : null;
      const child = convert(cursor, childType, w);
      if (isOp) (seenOp ? right : left).push(child);
      else ast.kids.push(child);
      if (field === 'key') ast.key = child;
      else if (field === 'val') ast.val = child;
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }
  if (nests) w.depth--;
  w.nodes--;
  if (isOp) {
    if (t === 'unary_operation') ast.right = synthetic(right, f);
    else {
      ast.left = synthetic(left, f);
      ast.right = synthetic(right, f);
    }
  } else if (t === 'heredoc_start') {
    ast.op = f.text.slice(ast.si, ast.ei);
  }
  return ast;
}

function synthetic(kids: Ast[], f: SrcFile): Ast {
  const first = kids[0];
  const last = kids[kids.length - 1];
  if (!first || !last) return { type: 'expression', si: 0, ei: 0, sr: 0, sc: 0, er: 0, ec: 0, kids: [], f };
  return {
    type: 'expression',
    si: first.si,
    ei: last.ei,
    sr: first.sr,
    sc: first.sc,
    er: last.er,
    ec: last.ec,
    kids,
    f,
  };
}

export function textOf(n: Ast): string {
  return n.f.text.slice(n.si, n.ei);
}

export function locOf(n: Ast): SourceLocation {
  const a = mapPos(n.f, n.sr, n.sc);
  const b = mapPos(n.f, n.er, n.ec);
  return { file: n.f.path, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}

/** Block helpers. A block's kids: identifier (type), labels (string_lit | identifier), block_start, body?, block_end. */
export interface BlockInfo {
  type: string;
  labels: string[];
  body?: Ast;
  node: Ast;
}

export function blockInfo(n: Ast): BlockInfo {
  const [typeId, ...rest] = n.kids;
  const labels: string[] = [];
  let body: Ast | undefined;
  for (const k of rest) {
    if (k.type === 'string_lit') labels.push(stringLitValue(k));
    else if (k.type === 'identifier') labels.push(textOf(k));
    else if (k.type === 'body') body = k;
  }
  const info: BlockInfo = { type: typeId ? textOf(typeId) : '', labels, node: n };
  if (body) info.body = body;
  return info;
}

/** The content of a plain string literal (label), escapes undone. */
export function stringLitValue(n: Ast): string {
  const raw = n.f.text.slice(n.si + 1, n.ei - 1);
  return unescapeQuoted(raw).text;
}

/** Undo HCL quoted-string escapes. Returns the text and, for each output index, its offset in `raw`. */
export function unescapeQuoted(raw: string): { text: string; offsets: number[] } {
  let text = '';
  const offsets: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i] as string;
    if (ch === '\\' && i + 1 < raw.length) {
      const n = raw[i + 1] as string;
      const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
      if (simple[n] !== undefined) {
        offsets.push(i);
        text += simple[n];
        i++;
        continue;
      }
      if (n === 'u' || n === 'U') {
        const len = n === 'u' ? 4 : 8;
        const hex = raw.slice(i + 2, i + 2 + len);
        if (/^[0-9a-fA-F]+$/.test(hex) && hex.length === len) {
          const s = String.fromCodePoint(Number.parseInt(hex, 16));
          for (let j = 0; j < s.length; j++) offsets.push(i);
          text += s;
          i += 1 + len;
          continue;
        }
      }
    }
    if ((ch === '$' || ch === '%') && raw[i + 1] === ch && raw[i + 2] === '{') {
      offsets.push(i);
      text += ch;
      i++;
      continue;
    }
    offsets.push(i);
    text += ch;
  }
  return { text, offsets };
}

/** Attributes of a body by name, and its blocks in order. */
export function bodyAttrs(body: Ast | undefined): Map<string, Ast> {
  const m = new Map<string, Ast>();
  if (!body) return m;
  for (const k of body.kids) {
    if (k.type !== 'attribute') continue;
    const [id, expr] = k.kids;
    if (id && expr) m.set(textOf(id), expr);
  }
  return m;
}

export function bodyBlocks(body: Ast | undefined): BlockInfo[] {
  if (!body) return [];
  return body.kids.filter((k) => k.type === 'block').map(blockInfo);
}

/** The attribute node (name = expr) of a body, for locating it. */
export function attrNode(body: Ast | undefined, name: string): Ast | undefined {
  if (!body) return undefined;
  for (const k of body.kids) {
    if (k.type !== 'attribute') continue;
    const id = k.kids[0];
    if (id && textOf(id) === name) return k;
  }
  return undefined;
}
