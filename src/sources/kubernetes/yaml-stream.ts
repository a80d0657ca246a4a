/**
 * A YAML stream (one or more `---` documents) -> positioned nodes, one root per document. Shared by the
 * Kubernetes and Pulumi sources. Unlike CloudFormation, Kubernetes and Pulumi accept anchors and
 * aliases, so they are expanded, but within the `collection-size` budget (an alias bomb stops there),
 * and nesting is bounded by the `nesting-depth` budget.
 */
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type Node, parseAllDocuments } from 'yaml';
import { BudgetExceeded, type Budgets, budgetAdvice } from '../../scan/budgets.js';
import {
  addEntry as addNodeEntry,
  type CEntry,
  type CNode,
  LineIndex,
  type Pos,
  styleOf,
} from '../cloudformation/nodes.js';

export interface YamlProblem {
  code: string;
  message: string;
  pos: Pos;
}

/** One document of the stream: its root (undefined when the document is empty) or why it failed. */
export type YamlDoc =
  | { ok: true; index: number; root: CNode | undefined; warnings: YamlProblem[] }
  | ({ ok: false; index: number } & YamlProblem);

export interface YamlStream {
  docs: YamlDoc[];
  lines: LineIndex;
}

interface Ctx {
  lines: LineIndex;
  warnings: YamlProblem[];
  doc: Document.Parsed;
  nodesLeft: number;
  budgets: Budgets;
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return (i < 0 ? s : s.slice(0, i)).replace(/ at line \d+, column \d+:?$/, '');
}

/** Parse every document of the text. Never throws for bad input except `BudgetExceeded`. */
export function parseYamlStream(text: string, budgets: Budgets): YamlStream {
  const lines = new LineIndex(text);
  const docs: YamlDoc[] = [];
  const parsed = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false, strict: true });
  const list = Array.isArray(parsed) ? parsed : [];
  // One budget for the whole stream: a bomb split over many documents is still stopped.
  let nodesLeft = budgets['collection-size'] * 10;
  list.forEach((doc, index) => {
    const e = doc.errors[0];
    if (e && /Maximum call stack size exceeded/.test(e.message)) {
      // The parser gave up on the nesting before our own limit was reached.
      docs.push({
        ok: false,
        index,
        code: 'too-deep',
        message: `the YAML is nested too deeply to parse: ${budgetAdvice('nesting-depth', budgets['nesting-depth'])} (the parser itself stops near 800 levels); it was not read`,
        pos: lines.pos(e.pos[0]),
      });
      return;
    }
    if (e) {
      docs.push({
        ok: false,
        index,
        code: 'yaml-syntax',
        message: `YAML syntax error: ${firstLine(e.message)}`,
        pos: lines.pos(e.pos[0]),
      });
      return;
    }
    if (doc.contents === null || doc.contents === undefined) {
      docs.push({ ok: true, index, root: undefined, warnings: [] });
      return;
    }
    const ctx: Ctx = { lines, warnings: [], doc, nodesLeft, budgets };
    const root = convert(doc.contents as Node, ctx, 0);
    nodesLeft = ctx.nodesLeft;
    docs.push({ ok: true, index, root, warnings: ctx.warnings });
  });
  return { docs, lines };
}

function convert(n: Node, ctx: Ctx, depth: number): CNode {
  if (--ctx.nodesLeft < 0) {
    throw new BudgetExceeded(
      'collection-size',
      ctx.budgets['collection-size'],
      `the YAML expands to more than ${ctx.budgets['collection-size'] * 10} nodes (aliases included)`,
    );
  }
  if (depth > ctx.budgets['nesting-depth']) {
    throw new BudgetExceeded('nesting-depth', ctx.budgets['nesting-depth'], 'the YAML is nested too deeply');
  }
  if (isAlias(n)) {
    const target = n.resolve(ctx.doc);
    if (!target) return { t: 'scalar', v: null, pos: ctx.lines.pos(n.range?.[0] ?? 0) };
    return convert(target, ctx, depth + 1);
  }
  const pos = ctx.lines.pos(n.range?.[0] ?? 0);
  if (isScalar(n)) {
    const v = n.value;
    if (typeof v === 'string') {
      return { t: 'scalar', v, pos, range: [n.range?.[0] ?? 0, n.range?.[1] ?? 0], style: styleOf(n) };
    }
    if (typeof v === 'number' || typeof v === 'bigint') {
      // As written: an account id 012345678901 keeps its leading zero.
      const src = typeof n.source === 'string' && n.source !== '' ? n.source : String(v);
      return { t: 'scalar', v: src, pos };
    }
    if (typeof v === 'boolean' || v === null) return { t: 'scalar', v, pos };
    return { t: 'scalar', v: String(v), pos };
  }
  if (isSeq(n)) return { t: 'seq', pos, items: n.items.map((it) => convert(it as Node, ctx, depth + 1)) };
  if (isMap(n)) {
    const entries: CEntry[] = [];
    const index = new Map<string, number>();
    for (const item of n.items) {
      if (!isPair(item)) continue;
      const k = item.key as Node | null;
      let key = '';
      let keyPos = pos;
      if (k !== null && k !== undefined) {
        keyPos = ctx.lines.pos(k.range?.[0] ?? 0);
        if (isScalar(k))
          key = k.value === null ? '' : typeof k.value === 'number' && k.source ? k.source : String(k.value);
        else key = `<${isMap(k) ? 'mapping' : 'sequence'} key>`;
      }
      const vNode = item.value as Node | null;
      const value: CNode =
        vNode === null || vNode === undefined
          ? { t: 'scalar', v: null, pos: keyPos }
          : convert(vNode, ctx, depth + 1);
      addNodeEntry(entries, index, { key, keyPos, value }, ctx.warnings, 'the reader');
    }
    return { t: 'map', pos, entries };
  }
  return { t: 'scalar', v: null, pos };
}
