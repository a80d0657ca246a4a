/** Shared shapes of the template patcher: what a template editor sees of a trust policy and what it adds. */

/** One condition to add to a statement: `"<operator>": {"<key>": values}`. */
export interface ConditionAddition {
  operator: string;
  key: string;
  /** One value is written as a string, several as a list. */
  values: string[];
}

/** What an editor found of one statement as the template writes it. */
export interface StatementView {
  /**
   * The operator/key pairs already in the statement's `Condition`, as written, with their values when
   * they are literal text (undefined when computed: an intrinsic, a variable).
   */
  existing: { operator: string; key: string; values?: string[] }[];
  /** 1-based line of the statement's start in the file (to check the report still matches the file). */
  line: number;
  /** The principal types (`AWS`, `Service`…) of a literal `Principal` map, when the editor can tell. */
  principalTypes?: string[];
}

/** The trust policy of one role as found in a template, ready to be edited. */
export interface LocatedPolicy {
  /** How many statements the template writes literally. */
  statementCount: number;
  /** The statement at `index`, or why it cannot be edited. */
  statement(index: number): StatementView | string;
  /** The file's new text with the additions made to the statements named (keys: statement index). */
  edit(additions: ReadonlyMap<number, readonly ConditionAddition[]>): string;
  /**
   * Split statement `index` in two, as a corrected policy does when the statement also names principals
   * that keep it unchanged: the statement loses the principal types `move`, and a copy of it right after
   * (its `Sid` set to `sid` when given) keeps only those. Absent when the syntax is not supported.
   */
  split?(
    index: number,
    move: readonly string[],
    sid: string | undefined,
  ): { text: string } | { reason: string };
  /**
   * Remove conditions from statements (keys: statement index), dropping an operator or the `Condition`
   * that is left empty. Absent when the syntax is not supported.
   */
  remove?(
    removals: ReadonlyMap<number, readonly { operator: string; key: string }[]>,
  ): { text: string } | { reason: string };
}

/** Where the report says a role's statement is. */
export interface RoleLocator {
  /** `file#LogicalId` (CloudFormation, Serverless) or the Terraform address. */
  resourceId: string;
  resourceName: string;
  source: string;
  /** The finding's 1-based line and column (the statement at fault). */
  line?: number;
  column?: number;
  statementIndex: number;
}

/** Finds a role's trust policy in a file's text, or says why it cannot be edited. */
export type LocatePolicy = (text: string, role: RoleLocator) => LocatedPolicy | { reason: string };

/** A text replacement in a file: `length` characters at `offset` become `text`. */
export interface TextEdit {
  offset: number;
  length: number;
  text: string;
}

/** `text` with `edits` (offsets into `text`, non-overlapping) applied. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  // Last offset first; of two insertions at one offset, the one listed first ends up first in the text.
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => b.e.offset - a.e.offset || b.i - a.i);
  let out = text;
  let limit = Number.POSITIVE_INFINITY;
  for (const { e } of sorted) {
    if (e.offset + e.length > limit) throw new Error('internal error: overlapping template edits');
    out = out.slice(0, e.offset) + e.text + out.slice(e.offset + e.length);
    limit = e.offset;
  }
  return out;
}

/** The additions grouped by operator, in the order first named. */
export function byOperator(additions: readonly ConditionAddition[]): Map<string, ConditionAddition[]> {
  const m = new Map<string, ConditionAddition[]>();
  for (const a of additions) m.set(a.operator, [...(m.get(a.operator) ?? []), a]);
  return m;
}

/** Start offset of the line holding `offset`. */
export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset after the line break that ends the line holding `end - 1` (the text's end when none does). */
export function afterLine(text: string, end: number): number {
  if (end > 0 && text[end - 1] === '\n') return end;
  const nl = text.indexOf('\n', end);
  return nl === -1 ? text.length : nl + 1;
}

/** 1-based line of `offset`. */
export function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The line break the file uses (CRLF when its first line ends so). */
export function eolOf(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

/**
 * The indentation step of a text in spaces: the smallest increase of indentation from one line to the
 * next (2 when no line is indented deeper than the one before).
 */
export function indentStep(text: string): number {
  let step = 0;
  let prev = -1;
  for (const m of text.matchAll(/^( *)\S/gm)) {
    const n = m[1]?.length ?? 0;
    if (prev >= 0 && n > prev && (step === 0 || n - prev < step)) step = n - prev;
    prev = n;
  }
  return step > 0 && step <= 8 ? step : 2;
}
