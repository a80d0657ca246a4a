import {
  type CollectionTag,
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node,
  parseDocument,
  type ScalarTag,
} from 'yaml';
import { BudgetExceeded, type Budgets, budgetAdvice, DEFAULT_BUDGETS } from '../../scan/budgets.js';
import { addEntry, type CEntry, type CMap, type CNode, type LineIndex, type Pos, styleOf } from './nodes.js';
import type { ParseOutcome, ParseProblem } from './parse-outcome.js';

/**
 * Every CloudFormation short form and the long form it stands for. `!GetAtt A.B` (scalar) is split
 * into `[A, B]` when converted; the rest map one to one.
 */
export const SHORT_FORMS: Readonly<Record<string, string>> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!Sub': 'Fn::Sub',
  '!GetAtt': 'Fn::GetAtt',
  '!Join': 'Fn::Join',
  '!If': 'Fn::If',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!FindInMap': 'Fn::FindInMap',
  '!ImportValue': 'Fn::ImportValue',
  '!Base64': 'Fn::Base64',
  '!Cidr': 'Fn::Cidr',
  '!GetAZs': 'Fn::GetAZs',
  '!Equals': 'Fn::Equals',
  '!And': 'Fn::And',
  '!Or': 'Fn::Or',
  '!Not': 'Fn::Not',
  '!Transform': 'Fn::Transform',
  // AWS::LanguageExtensions and template Rules.
  '!ToJsonString': 'Fn::ToJsonString',
  '!Length': 'Fn::Length',
  '!Contains': 'Fn::Contains',
  '!EachMemberEquals': 'Fn::EachMemberEquals',
  '!EachMemberIn': 'Fn::EachMemberIn',
  '!RefAll': 'Fn::RefAll',
  '!ValueOf': 'Fn::ValueOf',
  '!ValueOfAll': 'Fn::ValueOfAll',
};

/** Custom tags for the `yaml` parser: each short form in scalar, sequence and mapping form, left as nodes. */
function cfnTags(): (ScalarTag | CollectionTag)[] {
  const tags: (ScalarTag | CollectionTag)[] = [];
  for (const tag of Object.keys(SHORT_FORMS)) {
    tags.push({ tag, resolve: (s: string) => s });
    tags.push({ tag, collection: 'seq', resolve: (n) => n });
    tags.push({ tag, collection: 'map', resolve: (n) => n });
  }
  return tags;
}

const TAGS = cfnTags();

class AliasRefused extends Error {
  constructor(
    readonly offset: number,
    readonly alias: string,
  ) {
    super('alias');
  }
}

/**
 * Most nodes a document may expand to when aliases are allowed, as a multiple of `collection-size`
 * (an alias bomb stops here).
 */
export const ALIAS_EXPANSION_FACTOR = 2;

interface Ctx {
  text: string;
  lines: LineIndex;
  warnings: ParseProblem[];
  budgets: Budgets;
  /** Where a limit ran out. */
  failedAt?: number;
  /** Set when aliases are allowed: the document they refer into, and what is left of the node budget. */
  aliases?: { doc: Document.Parsed; left: number };
}

class BadKey extends Error {
  constructor(readonly offset: number) {
    super('key');
  }
}

/**
 * Parse a YAML template into positioned nodes. Aliases are refused by default (CloudFormation rejects
 * them, and refusing them before anything is expanded makes an alias bomb fail at once); when allowed,
 * their expansion is bounded by `ALIAS_EXPANSION_FACTOR` x the `collection-size` limit in nodes, and
 * the nesting by `nesting-depth`.
 */
export function parseYaml(
  text: string,
  lines: LineIndex,
  allowAliases = false,
  budgets: Budgets = DEFAULT_BUDGETS,
): ParseOutcome {
  // Positions come from `lines` (node offsets), so no LineCounter is needed while parsing.
  const doc = parseDocument(text, {
    customTags: TAGS,
    prettyErrors: false,
    // Duplicates are reported by convert() and resolved last-wins, as CloudFormation does.
    uniqueKeys: false,
    strict: true,
  });
  const err = doc.errors[0];
  if (err && /Maximum call stack size exceeded/.test(err.message)) {
    // The parser gave up on the nesting before our own limit was reached.
    return {
      ok: false,
      code: 'too-deep',
      message: `the YAML is nested too deeply to parse: ${budgetAdvice('nesting-depth', budgets['nesting-depth'])} (the parser itself stops near 800 levels); it was not read`,
      pos: lines.pos(err.pos[0]),
    };
  }
  if (err) {
    const offset = err.pos[0];
    return {
      ok: false,
      code: 'yaml-syntax',
      message: `YAML syntax error: ${firstLine(err.message)}`,
      pos: lines.pos(offset),
    };
  }
  if (doc.contents === null || doc.contents === undefined) {
    return { ok: false, code: 'empty', message: 'the template is empty', pos: lines.pos(0) };
  }
  const ctx: Ctx = { text, lines, warnings: [], budgets };
  try {
    if (allowAliases) ctx.aliases = { doc, left: budgets['collection-size'] * ALIAS_EXPANSION_FACTOR };
    return { ok: true, root: convert(doc.contents as Node, ctx, 0), warnings: ctx.warnings };
  } catch (e) {
    if (e instanceof AliasRefused) {
      return {
        ok: false,
        code: 'yaml-alias',
        message: `YAML alias *${e.alias} is not allowed: CloudFormation rejects anchors and aliases in templates`,
        pos: lines.pos(e.offset),
      };
    }
    if (e instanceof BudgetExceeded) {
      return {
        ok: false,
        code: e.budget === 'nesting-depth' ? 'too-deep' : 'yaml-alias',
        message: `${e.message}; the document was not read`,
        pos: lines.pos(ctx.failedAt ?? 0),
      };
    }
    if (e instanceof BadKey) {
      return {
        ok: false,
        code: 'yaml-syntax',
        message:
          'a mapping key must be a plain string (CloudFormation does not accept collections or tags as keys)',
        pos: lines.pos(e.offset),
      };
    }
    throw e;
  }
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return (i < 0 ? s : s.slice(0, i)).replace(/ at line \d+, column \d+:?$/, '');
}

function rangeStart(n: Node): number {
  return n.range?.[0] ?? 0;
}

/** Where a tagged node starts: at its `!Tag`, which precedes the node's own range. */
function tagStart(n: Node, text: string): number {
  const start = rangeStart(n);
  const tag = n.tag;
  if (!tag) return start;
  const idx = text.lastIndexOf(tag, start);
  if (idx >= 0 && start - idx < 256 && /^[\s&\w-]*$/.test(text.slice(idx + tag.length, start))) return idx;
  return start;
}

/** A limit ran out at `offset` (`parseYaml` turns it into a position). */
function over(budget: 'nesting-depth' | 'collection-size', ctx: Ctx, offset: number, why: string): never {
  ctx.failedAt = offset;
  throw new BudgetExceeded(budget, ctx.budgets[budget], why);
}

function convert(n: Node, ctx: Ctx, depth: number): CNode {
  const { text, lines } = ctx;
  if (ctx.aliases && --ctx.aliases.left < 0)
    over(
      'collection-size',
      ctx,
      rangeStart(n),
      `YAML aliases expand to more than ${ctx.budgets['collection-size'] * ALIAS_EXPANSION_FACTOR} nodes`,
    );
  if (depth > ctx.budgets['nesting-depth'])
    over('nesting-depth', ctx, rangeStart(n), 'the YAML is nested too deeply');
  if (isAlias(n)) {
    if (!ctx.aliases) throw new AliasRefused(rangeStart(n), n.source);
    const target = n.resolve(ctx.aliases.doc);
    if (!target) throw new AliasRefused(rangeStart(n), n.source);
    return convert(target, ctx, depth + 1);
  }
  const tag = n.tag;
  const long = tag ? shortFormKey(tag) : undefined;
  if (long) {
    const at = lines.pos(tagStart(n, text));
    const inner = convertUntagged(n, ctx, depth);
    let value: CNode = inner;
    if (long === 'Fn::GetAtt' && inner.t === 'scalar' && typeof inner.v === 'string') {
      const dot = inner.v.indexOf('.');
      value = {
        t: 'seq',
        pos: inner.pos,
        items:
          dot < 0
            ? [inner]
            : [
                { ...inner, v: inner.v.slice(0, dot) },
                { ...inner, v: inner.v.slice(dot + 1) },
              ],
      };
    }
    const map: CMap = { t: 'map', pos: at, shortForm: tag, entries: [{ key: long, keyPos: at, value }] };
    return map;
  }
  return convertUntagged(n, ctx, depth);
}

/** `!Ref` -> `Ref`; an unknown `!Foo` -> `Fn::Foo` (judged later as an unknown intrinsic); YAML's own `!!` tags -> none. */
function shortFormKey(tag: string): string | undefined {
  const known = SHORT_FORMS[tag];
  if (known) return known;
  if (/^![A-Za-z][A-Za-z0-9]*$/.test(tag)) return `Fn::${tag.slice(1)}`;
  return undefined;
}

function convertUntagged(n: Node, ctx: Ctx, depth: number): CNode {
  const { lines } = ctx;
  const pos: Pos = lines.pos(rangeStart(n));
  if (isScalar(n)) {
    const v = n.value;
    if (typeof v === 'string') {
      const range: [number, number] = [n.range?.[0] ?? 0, n.range?.[1] ?? 0];
      return { t: 'scalar', v, pos, range, style: styleOf(n) };
    }
    if (typeof v === 'number' || typeof v === 'bigint') {
      // Keep the number as written: account ids like 012345678901 must keep their leading zero.
      const src = typeof n.source === 'string' && n.source !== '' ? n.source : String(v);
      return { t: 'scalar', v: src, pos };
    }
    if (typeof v === 'boolean' || v === null) return { t: 'scalar', v, pos };
    return { t: 'scalar', v: String(v), pos };
  }
  if (isSeq(n)) {
    return { t: 'seq', pos, items: n.items.map((it) => convert(it as Node, ctx, depth + 1)) };
  }
  if (isMap(n)) {
    const entries: CEntry[] = [];
    const index = new Map<string, number>();
    for (const item of n.items) {
      if (!isPair(item)) continue;
      const k = item.key as Node | null;
      let key: string;
      let keyPos: Pos;
      if (k === null || k === undefined) {
        key = '';
        keyPos = pos;
      } else if (isScalar(k) && (!k.tag || !shortFormKey(k.tag))) {
        key = k.value === null ? '' : typeof k.value === 'number' && k.source ? k.source : String(k.value);
        keyPos = lines.pos(rangeStart(k));
      } else {
        throw new BadKey(rangeStart(k));
      }
      const vNode = item.value as Node | null;
      const value: CNode =
        vNode === null || vNode === undefined
          ? { t: 'scalar', v: null, pos: keyPos }
          : convert(vNode, ctx, depth + 1);
      addEntry(entries, index, { key, keyPos, value }, ctx.warnings);
    }
    return { t: 'map', pos, entries };
  }
  return { t: 'scalar', v: null, pos };
}
