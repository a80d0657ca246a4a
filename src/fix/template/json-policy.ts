/**
 * A trust policy written as JSON text (a CloudFormation JSON template, a heredoc in Terraform): what its
 * statements' conditions hold, and minimal edits made with jsonc-parser's `modify`, which keeps the rest
 * of the text (and its indentation) as it is.
 */
import {
  applyEdits,
  findNodeAtLocation,
  type JSONPath,
  modify,
  type Node,
  type ParseError,
  parseTree,
} from 'jsonc-parser';
import {
  byOperator,
  type ConditionAddition,
  eolOf,
  indentStep,
  lineOf,
  type StatementView,
} from './types.js';

/** The JSON tree of `text`, or why it is not strict JSON. */
export function parseJsonText(text: string): Node | string {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length > 0 || root === undefined) {
    const at = errors[0]?.offset ?? 0;
    return `not plain JSON at line ${lineOf(text, at)} (interpolation or a template directive outside a string?)`;
  }
  return root;
}

/** `{"Fn::If": …}`, `{"Ref": …}`: an object that is a CloudFormation function, named; else undefined. */
export function jsonIntrinsic(n: Node | undefined): string | undefined {
  if (n?.type !== 'object' || n.children?.length !== 1) return undefined;
  const key = n.children[0]?.children?.[0]?.value;
  return typeof key === 'string' && (key === 'Ref' || key.startsWith('Fn::')) ? key : undefined;
}

function property(obj: Node, key: string): Node | undefined {
  // The last one wins, as CloudFormation and IAM read a repeated key.
  let found: Node | undefined;
  for (const p of obj.children ?? []) if (p.children?.[0]?.value === key) found = p.children?.[1];
  return found;
}

/** The statement nodes of the policy object at `doc`, with their JSON paths, or why they cannot be edited. */
function statementsOf(doc: Node, docPath: JSONPath): { nodes: Node[]; paths: JSONPath[] } | string {
  if (doc.type === 'string') return 'the trust policy is written as a JSON string';
  const fn = jsonIntrinsic(doc);
  if (fn) return `the trust policy is built with ${fn}`;
  if (doc.type !== 'object') return 'the trust policy is not an object';
  const st = property(doc, 'Statement');
  if (st === undefined) return 'the trust policy has no Statement';
  const stFn = jsonIntrinsic(st);
  if (stFn) return `the Statement list is built with ${stFn}`;
  if (st.type === 'object') return { nodes: [st], paths: [[...docPath, 'Statement']] };
  if (st.type !== 'array') return 'the Statement is neither a list nor an object';
  const nodes = st.children ?? [];
  for (const [i, n] of nodes.entries()) {
    const f = jsonIntrinsic(n);
    if (f) return `statement ${i} is built with ${f}`;
  }
  return { nodes, paths: nodes.map((_, i) => [...docPath, 'Statement', i]) };
}

/** A condition value as text when it is a JSON scalar or a list of them. */
function literalValues(n: Node | undefined): string[] | undefined {
  const one = (x: Node | undefined) =>
    x && (x.type === 'string' || x.type === 'number' || x.type === 'boolean') ? String(x.value) : undefined;
  if (n?.type === 'array') {
    const list = (n.children ?? []).map(one);
    return list.every((v): v is string => v !== undefined) ? list : undefined;
  }
  const v = one(n);
  return v === undefined ? undefined : [v];
}

function viewOf(text: string, st: Node, base: { offset: number; line: number }): StatementView | string {
  if (st.type !== 'object') return 'the statement is not an object';
  const existing: StatementView['existing'] = [];
  const cond = property(st, 'Condition');
  if (cond !== undefined) {
    const fn = jsonIntrinsic(cond);
    if (fn) return `its Condition is built with ${fn}`;
    if (cond.type !== 'object') return 'its Condition is not an object';
    for (const p of cond.children ?? []) {
      const op = p.children?.[0]?.value;
      const block = p.children?.[1];
      if (typeof op !== 'string' || block === undefined) continue;
      const bfn = jsonIntrinsic(block);
      if (bfn || block.type !== 'object')
        return `its ${op} condition is ${bfn ? `built with ${bfn}` : 'not an object'}`;
      for (const k of block.children ?? []) {
        const key = k.children?.[0]?.value;
        if (typeof key === 'string') {
          const values = literalValues(k.children?.[1]);
          existing.push({ operator: op, key, ...(values ? { values } : {}) });
        }
      }
    }
  }
  const principal = property(st, 'Principal');
  const types =
    principal?.type === 'object' && !jsonIntrinsic(principal)
      ? (principal.children ?? []).map((p) => String(p.children?.[0]?.value))
      : undefined;
  return {
    existing,
    line: base.line + lineOf(text, st.offset) - 1,
    ...(types ? { principalTypes: types } : {}),
  };
}

/** Indentation of the text: tabs, or the step its lines are indented by. */
function formatting(text: string): { insertSpaces: boolean; tabSize: number; eol: string } {
  const eol = eolOf(text);
  if (/^\t/m.test(text)) return { insertSpaces: false, tabSize: 1, eol };
  return { insertSpaces: true, tabSize: indentStep(text), eol };
}

export interface JsonPolicy {
  statementCount: number;
  statement(index: number): StatementView | string;
  /** `text` with the additions made. */
  edit(additions: ReadonlyMap<number, readonly ConditionAddition[]>): string;
  split(
    index: number,
    move: readonly string[],
    sid: string | undefined,
  ): { text: string } | { reason: string };
  remove(
    removals: ReadonlyMap<number, readonly { operator: string; key: string }[]>,
  ): { text: string } | { reason: string };
}

/**
 * The policy object at `docPath` in the JSON `text`. `base` says where `text` starts in its file (a
 * heredoc's body), for line numbers.
 */
export function jsonPolicy(
  text: string,
  root: Node,
  docPath: JSONPath,
  base: { offset: number; line: number } = { offset: 0, line: 1 },
): JsonPolicy | string {
  const doc = docPath.length === 0 ? root : findNodeAtLocation(root, docPath);
  if (doc === undefined) return `no ${docPath.join('.')} in the file`;
  const found = statementsOf(doc, docPath);
  if (typeof found === 'string') return found;
  const { nodes, paths } = found;
  return {
    statementCount: nodes.length,
    statement: (i) => {
      const n = nodes[i];
      return n === undefined ? `the template has no statement ${i}` : viewOf(text, n, base);
    },
    remove(removals) {
      let out = text;
      for (const [i, pairs] of removals) {
        const st = nodes[i];
        const path = paths[i];
        const cond = st && property(st, 'Condition');
        if (!path || cond?.type !== 'object') return { reason: 'no Condition to remove from' };
        const ops = new Map<string, string[]>();
        for (const p of pairs) ops.set(p.operator, [...(ops.get(p.operator) ?? []), p.key.toLowerCase()]);
        const cuts: JSONPath[] = [];
        let opsLeft = cond.children?.length ?? 0;
        for (const [op, keys] of ops) {
          const block = property(cond, op);
          if (block?.type !== 'object') return { reason: `no ${op} object` };
          const names = (block.children ?? []).map((k) => String(k.children?.[0]?.value));
          const gone = names.filter((k) => keys.includes(k.toLowerCase()));
          if (gone.length === names.length) {
            cuts.push([...path, 'Condition', op]);
            opsLeft--;
          } else for (const k of gone) cuts.push([...path, 'Condition', op, k]);
        }
        for (const c of opsLeft === 0 ? [[...path, 'Condition']] : cuts)
          out = applyEdits(out, modify(out, c, undefined, {}));
      }
      return { text: out };
    },
    split(index, move, sid) {
      const st = nodes[index];
      const path = paths[index];
      if (!st || !path || path[path.length - 1] !== index)
        return { reason: 'only a statement in a Statement list is split' };
      const fo = { formattingOptions: formatting(text) };
      const principal = property(st, 'Principal');
      if (principal?.type !== 'object') return { reason: 'its Principal is not an object' };
      // The copy: the statement's own text without the types that stay, its Sid renamed.
      let copy = text.slice(st.offset, st.offset + st.length);
      for (const p of principal.children ?? []) {
        const type = String(p.children?.[0]?.value);
        // Removals and a replaced Sid need no formatting: the rest of the text stays exactly as written.
        if (!move.includes(type)) copy = applyEdits(copy, modify(copy, ['Principal', type], undefined, {}));
      }
      if (sid !== undefined) copy = applyEdits(copy, modify(copy, ['Sid'], sid, {}));
      const from = text.lastIndexOf('\n', st.offset - 1) + 1;
      const indent = text.slice(from, st.offset);
      const end = st.offset + st.length;
      let out = `${text.slice(0, end)},${/^\s*$/.test(indent) ? `${fo.formattingOptions.eol}${indent}` : ' '}${copy}${text.slice(end)}`;
      for (const type of move)
        out = applyEdits(out, modify(out, [...path, 'Principal', type], undefined, {}));
      return { text: out };
    },
    edit(additions) {
      const formattingOptions = formatting(text);
      let out = text;
      for (const [i, adds] of additions) {
        const path = paths[i];
        const st = nodes[i];
        if (path === undefined || st === undefined) throw new Error(`no statement ${i}`);
        const cond = property(st, 'Condition');
        const ops = byOperator(adds);
        const changes: { path: JSONPath; value: unknown }[] = [];
        if (cond === undefined) {
          const value: Record<string, Record<string, unknown>> = {};
          for (const [op, list] of ops)
            value[op] = Object.fromEntries(list.map((a) => [a.key, jsonValue(a)]));
          changes.push({ path: [...path, 'Condition'], value });
        } else {
          for (const [op, list] of ops) {
            if (property(cond, op) === undefined) {
              const value = Object.fromEntries(list.map((a) => [a.key, jsonValue(a)]));
              changes.push({ path: [...path, 'Condition', op], value });
            } else {
              for (const a of list)
                changes.push({ path: [...path, 'Condition', op, a.key], value: jsonValue(a) });
            }
          }
        }
        // Each change is made on the text the previous one left: paths stay valid (keys are only added).
        for (const c of changes) out = insertMember(out, c.path, c.value, formattingOptions);
      }
      return out;
    },
  };
}

/**
 * `text` with the member `path`'s last key set to `value` in the object `path` leads to, written after its
 * last member at that member's indentation (on the same line when the object is written on one line), so
 * no other line changes. An empty object is left to jsonc-parser.
 */
function insertMember(
  text: string,
  path: JSONPath,
  value: unknown,
  fo: { insertSpaces: boolean; tabSize: number; eol: string },
): string {
  const root = parseTree(text);
  const parent = root && findNodeAtLocation(root, path.slice(0, -1));
  const last = parent?.children?.[parent.children.length - 1];
  const key = JSON.stringify(String(path[path.length - 1]));
  if (!parent || parent.type !== 'object' || !last) {
    return applyEdits(text, modify(text, path, value, { formattingOptions: fo }));
  }
  const end = last.offset + last.length;
  const from = text.lastIndexOf('\n', last.offset - 1) + 1;
  const indent = text.slice(from, last.offset);
  if (!/^\s*$/.test(indent) || from <= parent.offset) {
    return `${text.slice(0, end)}, ${key}: ${JSON.stringify(value, null, 1).replace(/\n\s*/g, ' ')}${text.slice(end)}`;
  }
  const step = fo.insertSpaces ? ' '.repeat(fo.tabSize) : '\t';
  const body = JSON.stringify(value, null, step).split('\n').join(`${fo.eol}${indent}`);
  return `${text.slice(0, end)},${fo.eol}${indent}${key}: ${body}${text.slice(end)}`;
}

function jsonValue(a: ConditionAddition): string | string[] {
  return a.values.length === 1 ? (a.values[0] as string) : [...a.values];
}
