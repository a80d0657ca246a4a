/**
 * Terraform HCL: a trust policy in `jsonencode({...})`, in an `aws_iam_policy_document` data source or in
 * a heredoc of JSON. tree-sitter gives byte offsets; the additions are inserted as text there, so
 * variables, interpolations, comments and layout stay as written.
 */
import { type Ast, blockInfo, type HclParser, stringLitValue, textOf } from '../../sources/terraform/hcl.js';
import { jsonPolicy, parseJsonText } from './json-policy.js';
import {
  applyTextEdits,
  byOperator,
  type ConditionAddition,
  eolOf,
  indentStep,
  type LocatedPolicy,
  type LocatePolicy,
  lineStart,
  type StatementView,
  type TextEdit,
} from './types.js';

function children(n: Ast): Ast[] {
  const out = [...n.kids];
  if (n.left) out.push(n.left);
  if (n.right) out.push(n.right);
  return out;
}

/** The chain of nodes from the root down to the innermost node `pick` accepts, or undefined. */
function pathTo(root: Ast, pick: (n: Ast) => boolean): Ast[] | undefined {
  let best: Ast[] | undefined;
  const stack: { node: Ast; path: Ast[] }[] = [{ node: root, path: [root] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop() as { node: Ast; path: Ast[] };
    if (pick(node) && (!best || path.length > best.length)) best = path;
    for (const k of children(node)) stack.push({ node: k, path: [...path, k] });
  }
  return best;
}

/** The one meaningful node under `expression` / `collection_value` wrappers. */
function unwrap(n: Ast | undefined): Ast | undefined {
  let cur = n;
  while (cur && (cur.type === 'expression' || cur.type === 'collection_value') && cur.kids.length === 1) {
    cur = cur.kids[0];
  }
  return cur;
}

/** An object element's key as text (`Statement`, `"sts:ExternalId"`), undefined when it is computed. */
function elemKey(e: Ast): string | undefined {
  const k = unwrap(e.key);
  if (!k) return undefined;
  if (k.type === 'variable_expr' && k.kids.length === 1) return textOf(k);
  if (k.type === 'literal_value' && k.kids[0]?.type === 'string_lit') return stringLitValue(k.kids[0]);
  if (k.type === 'template_expr') {
    const q = k.kids[0];
    if (
      q?.type === 'quoted_template' &&
      q.kids.every((x) => x.type !== 'template_interpolation' && x.type !== 'template_directive')
    )
      return textOf(q).slice(1, -1);
  }
  return undefined;
}

function elems(obj: Ast): Ast[] {
  return obj.kids.filter((k) => k.type === 'object_elem');
}

function elemOf(obj: Ast, key: string): Ast | undefined {
  let found: Ast | undefined;
  for (const e of elems(obj)) if (elemKey(e) === key) found = e;
  return found;
}

/** What an expression is built with, for a reason: `merge()`, a `for` expression, a condition… */
function describe(n: Ast | undefined): string {
  const u = unwrap(n);
  if (!u) return 'nothing';
  if (u.type === 'function_call') return `${textOf(u.kids[0] as Ast)}()`;
  if (u.type === 'for_tuple_expr' || u.type === 'for_object_expr' || u.type === 'for_expr')
    return 'a for expression';
  if (u.type === 'conditional') return 'a conditional expression';
  if (u.type === 'variable_expr' || u.kids.some((k) => k.type === 'get_attr'))
    return `a reference (${textOf(u).slice(0, 60)})`;
  return `an expression (${u.type})`;
}

function hclKey(k: string): string {
  return /^[A-Za-z_][\w-]*$/.test(k) ? k : hclString(k);
}

/** An HCL quoted string: JSON's escapes, and `${`/`%{` doubled so they stay literal. */
function hclString(s: string): string {
  return JSON.stringify(s).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}

function hclValue(a: ConditionAddition): string {
  return a.values.length === 1 ? hclString(a.values[0] as string) : `[${a.values.map(hclString).join(', ')}]`;
}

/** `offset` moved back over the spaces and tabs before it. */
function trimmedEnd(text: string, offset: number): number {
  let at = offset;
  while (at > 0 && (text[at - 1] === ' ' || text[at - 1] === '\t')) at--;
  return at;
}

function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

function stepOf(text: string): string {
  return ' '.repeat(indentStep(text));
}

/**
 * Text edit adding elements to an HCL object: new lines after its last element when it spans several
 * lines, `, k = v` after the last element when it is written on one line.
 */
function addToObject(text: string, obj: Ast, oneLine: string, lines: (indent: string) => string): TextEdit {
  const eol = eolOf(text);
  const list = elems(obj);
  const last = list[list.length - 1];
  const close = obj.kids.find((k) => k.type === 'object_end');
  if (!last) {
    const at = close ? close.si : obj.ei - 1;
    return { offset: at, length: 0, text: ` ${oneLine} ` };
  }
  const multiline = close !== undefined && close.sr > last.er;
  if (!multiline) return { offset: last.ei, length: 0, text: `, ${oneLine}` };
  const indent = ' '.repeat(columnOf(text, (list[0] as Ast).si));
  // After the rest of the last element's line (a trailing comma or comment stays with it).
  const nl = text.indexOf('\n', last.ei);
  const rest = text.slice(last.ei, nl === -1 ? text.length : nl).trim();
  if (nl !== -1 && (rest === '' || rest.startsWith(',') || rest.startsWith('#') || rest.startsWith('//'))) {
    return { offset: nl + 1, length: 0, text: lines(indent) };
  }
  return { offset: last.ei, length: 0, text: `${eol}${lines(indent).replace(/\r?\n$/, '')}` };
}

/** A policy written in `jsonencode({...})`: `call` is the function_call node. */
function jsonencodePolicy(text: string, call: Ast, target: Ast): LocatedPolicy | string {
  const args = call.kids.find((k) => k.type === 'function_arguments');
  const policy = unwrap(args?.kids[0]);
  if (args?.kids.length !== 1 || policy?.type !== 'object')
    return `jsonencode() is given ${describe(args?.kids[0])}`;
  const st = elemOf(policy, 'Statement');
  if (!st) return 'the policy has no Statement';
  const value = unwrap(st.val);
  let nodes: Ast[];
  if (value?.type === 'object') nodes = [value];
  else if (value?.type === 'tuple') {
    nodes = [];
    for (const [i, e] of value.kids.filter((k) => k.type === 'expression').entries()) {
      const o = unwrap(e);
      if (o?.type !== 'object') return `statement ${i} is built with ${describe(e)}`;
      nodes.push(o);
    }
  } else return `the Statement list is built with ${describe(st.val)}`;
  if (!nodes.includes(target)) return 'the statement the report names is not in the Statement list';
  const eol = eolOf(text);
  const step = stepOf(text);
  const conditionOf = (o: Ast): { obj?: Ast } | string => {
    const c = elemOf(o, 'Condition');
    if (!c) return {};
    const v = unwrap(c.val);
    return v?.type === 'object' ? { obj: v } : `its Condition is built with ${describe(c.val)}`;
  };
  return {
    statementCount: nodes.length,
    statement(i) {
      const o = nodes[i];
      if (!o) return `the template has no statement ${i}`;
      const c = conditionOf(o);
      if (typeof c === 'string') return c;
      const existing: StatementView['existing'] = [];
      for (const e of c.obj ? elems(c.obj) : []) {
        const op = elemKey(e);
        const block = unwrap(e.val);
        if (op === undefined) return 'its Condition has a computed key';
        if (block?.type !== 'object') return `its ${op} condition is built with ${describe(e.val)}`;
        for (const k of elems(block)) {
          const key = elemKey(k);
          if (key === undefined) return `its ${op} condition has a computed key`;
          const lit = unwrap(k.val);
          const value =
            lit?.type === 'literal_value' && lit.kids[0]?.type === 'string_lit'
              ? stringLitValue(lit.kids[0])
              : undefined;
          existing.push({ operator: op, key, ...(value !== undefined ? { values: [value] } : {}) });
        }
      }
      return { existing, line: o.sr + 1 };
    },
    edit(additions) {
      const edits: TextEdit[] = [];
      for (const [i, adds] of additions) {
        const o = nodes[i] as Ast;
        const c = conditionOf(o);
        if (typeof c === 'string') throw new Error(c);
        const ops = byOperator(adds);
        const inline = (list: ConditionAddition[]) =>
          `{ ${list.map((a) => `${hclKey(a.key)} = ${hclValue(a)}`).join(', ')} }`;
        const opLines = (ind: string, op: string, list: ConditionAddition[]) =>
          `${ind}${hclKey(op)} = {${eol}${list.map((a) => `${ind}${step}${hclKey(a.key)} = ${hclValue(a)}${eol}`).join('')}${ind}}${eol}`;
        if (!c.obj) {
          const one = `Condition = { ${[...ops].map(([op, l]) => `${hclKey(op)} = ${inline(l)}`).join(', ')} }`;
          edits.push(
            addToObject(text, o, one, (ind) => {
              let out = `${ind}Condition = {${eol}`;
              for (const [op, list] of ops) out += opLines(ind + step, op, list);
              return `${out}${ind}}${eol}`;
            }),
          );
          continue;
        }
        const newOps: [string, ConditionAddition[]][] = [];
        for (const [op, list] of ops) {
          const e = elemOf(c.obj, op);
          const block = e ? unwrap(e.val) : undefined;
          if (block?.type === 'object') {
            const one = list.map((a) => `${hclKey(a.key)} = ${hclValue(a)}`).join(', ');
            edits.push(
              addToObject(text, block, one, (ind) =>
                list.map((a) => `${ind}${hclKey(a.key)} = ${hclValue(a)}${eol}`).join(''),
              ),
            );
          } else newOps.push([op, list]);
        }
        if (newOps.length > 0) {
          const one = newOps.map(([op, l]) => `${hclKey(op)} = ${inline(l)}`).join(', ');
          edits.push(
            addToObject(text, c.obj, one, (ind) => newOps.map(([op, l]) => opLines(ind, op, l)).join('')),
          );
        }
      }
      return applyTextEdits(text, edits);
    },
  };
}

const MERGING_ARGS = ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json'];

/** A policy written as an `aws_iam_policy_document` data source: `data` is its block. */
function policyDocument(text: string, data: Ast, target: Ast): LocatedPolicy | string {
  const info = blockInfo(data);
  const body = info.body;
  for (const k of body?.kids ?? []) {
    if (k.type === 'attribute' && MERGING_ARGS.includes(textOf(k.kids[0] as Ast)))
      return `the data source merges other documents (${textOf(k.kids[0] as Ast)})`;
    if (k.type === 'block' && blockInfo(k).type === 'dynamic') return 'the data source has dynamic blocks';
  }
  const nodes = (body?.kids ?? []).filter((k) => k.type === 'block' && blockInfo(k).type === 'statement');
  if (!nodes.includes(target))
    return 'the statement the report names is not a statement block of the data source';
  const eol = eolOf(text);
  const step = stepOf(text);
  const literal = (b: Ast | undefined, name: string): string | undefined => {
    const expr = b?.kids.find((k) => k.type === 'attribute' && textOf(k.kids[0] as Ast) === name)?.kids[1];
    const lit = unwrap(expr);
    return lit?.type === 'literal_value' && lit.kids[0]?.type === 'string_lit'
      ? stringLitValue(lit.kids[0])
      : undefined;
  };
  return {
    statementCount: nodes.length,
    statement(i) {
      const s = nodes[i];
      if (!s) return `the template has no statement ${i}`;
      const existing: StatementView['existing'] = [];
      for (const b of blockInfo(s).body?.kids ?? []) {
        if (b.type !== 'block') continue;
        const bi = blockInfo(b);
        // Generated principals do not matter to an added condition; generated conditions hide what it has.
        if (bi.type === 'dynamic' && bi.labels[0] === 'condition')
          return 'its conditions come from a dynamic "condition" block';
        if (bi.type !== 'condition') continue;
        const test = literal(bi.body, 'test');
        const variable = literal(bi.body, 'variable');
        if (test === undefined || variable === undefined)
          return 'a condition block has a computed test or variable';
        existing.push({ operator: test, key: variable });
      }
      return { existing, line: s.sr + 1 };
    },
    edit(additions) {
      const edits: TextEdit[] = [];
      for (const [i, adds] of additions) {
        const s = nodes[i] as Ast;
        const end = s.kids.find((k) => k.type === 'block_end');
        if (!end) throw new Error('a statement block without its closing brace');
        const sb = blockInfo(s).body;
        const blockIndent = ' '.repeat(columnOf(text, s.si));
        const ind = sb && sb.sr > s.sr ? ' '.repeat(columnOf(text, sb.si)) : blockIndent + step;
        const blocks = adds
          .map(
            (a) =>
              `${ind}condition {${eol}${ind}${step}test     = ${hclString(a.operator)}${eol}${ind}${step}variable = ${hclString(a.key)}${eol}${ind}${step}values   = [${a.values.map(hclString).join(', ')}]${eol}${ind}}${eol}`,
          )
          .join('');
        const atLineStart = text.slice(lineStart(text, end.si), end.si).trim() === '';
        edits.push(
          atLineStart
            ? { offset: lineStart(text, end.si), length: 0, text: blocks }
            : {
                offset: trimmedEnd(text, end.si),
                length: end.si - trimmedEnd(text, end.si),
                text: `${eol}${blocks}${blockIndent}`,
              },
        );
      }
      return applyTextEdits(text, edits);
    },
  };
}

/** A policy in a heredoc of JSON: `heredoc` is the heredoc_template node. */
function heredocPolicy(text: string, heredoc: Ast): LocatedPolicy | string {
  if (heredoc.kids.some((k) => k.type === 'template_directive')) return 'the heredoc uses %{ } directives';
  const ids = heredoc.kids.filter((k) => k.type === 'heredoc_identifier');
  const open = ids[0];
  const close = ids[ids.length - 1];
  if (!open || !close || open === close) return 'an unterminated heredoc';
  const nl = text.indexOf('\n', open.ei);
  const start = nl + 1;
  const end = lineStart(text, close.si);
  if (nl === -1 || end < start) return 'an empty heredoc';
  const body = text.slice(start, end);
  const root = parseJsonText(body);
  if (typeof root === 'string') return `the heredoc is ${root}`;
  const policy = jsonPolicy(body, root, [], { offset: start, line: open.sr + 2 });
  if (typeof policy === 'string') return policy;
  return {
    statementCount: policy.statementCount,
    statement: (i) => policy.statement(i),
    edit: (additions) => text.slice(0, start) + policy.edit(additions) + text.slice(end),
    remove(removals) {
      const r = policy.remove(removals);
      return 'reason' in r ? r : { text: text.slice(0, start) + r.text + text.slice(end) };
    },
    split(index, move, sid) {
      const r = policy.split(index, move, sid);
      return 'reason' in r ? r : { text: text.slice(0, start) + r.text + text.slice(end) };
    },
  };
}

/** What the patcher can do with the policy at the finding's location in a `.tf` file. */
export function hclLocator(parser: HclParser): LocatePolicy {
  return (text, role) => {
    if (role.line === undefined || role.column === undefined)
      return { reason: 'the finding has no line and column to find the statement by' };
    const parsed = parser.parse({ path: 'template.tf', text });
    if (parsed.error)
      return {
        reason: `the file does not parse as HCL (line ${parsed.error.line}: ${parsed.error.message})`,
      };
    const root = parsed.root;
    if (!root) return { reason: 'an empty file' };
    const row = role.line - 1;
    const col = role.column - 1;
    const at = pathTo(
      root,
      (n) =>
        (n.sr === row && n.sc === col && (n.type === 'object' || n.type === 'block')) ||
        (n.type === 'heredoc_template' &&
          (n.sr < row || (n.sr === row && n.sc <= col)) &&
          (n.er > row || (n.er === row && n.ec > col))),
    );
    if (!at)
      return {
        reason: `no statement at line ${role.line}, column ${role.column} (was the file changed since the scan?)`,
      };
    const node = at[at.length - 1] as Ast;
    const located = (() => {
      if (node.type === 'heredoc_template') {
        const parent = at[at.length - 2];
        const attr = at[at.length - 4];
        if (parent?.type !== 'template_expr' || attr?.type !== 'attribute')
          return 'the heredoc is part of a larger expression';
        return heredocPolicy(text, node);
      }
      if (node.type === 'block') {
        const data = at[at.length - 3];
        if (blockInfo(node).type === 'content' && data && blockInfo(data).type === 'dynamic')
          return 'the statement is generated by a dynamic block from a variable or module input: change the value given to it';
        const info = data ? blockInfo(data) : undefined;
        if (
          blockInfo(node).type !== 'statement' ||
          info?.type !== 'data' ||
          info.labels[0] !== 'aws_iam_policy_document'
        )
          return 'the location is a block that is not a statement of an aws_iam_policy_document data source';
        return policyDocument(text, data as Ast, node);
      }
      // An object: the innermost enclosing function call must be jsonencode(), with only literal
      // collections between it and the statement.
      for (let i = at.length - 2; i >= 0; i--) {
        const up = at[i] as Ast;
        if (up.type === 'function_call') {
          const name = textOf(up.kids[0] as Ast);
          return name === 'jsonencode'
            ? jsonencodePolicy(text, up, node)
            : `the statement is inside ${name}()`;
        }
        if (
          ![
            'expression',
            'collection_value',
            'tuple',
            'object',
            'object_elem',
            'function_arguments',
          ].includes(up.type)
        )
          return `the statement is inside ${describe(up)}`;
      }
      return 'the statement is not inside jsonencode()';
    })();
    return typeof located === 'string' ? { reason: located } : located;
  };
}
