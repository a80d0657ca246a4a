/**
 * CloudFormation, SAM and Serverless templates written in YAML. The `yaml` package gives each node its
 * source range; the additions are inserted as text at those offsets, so comments, indentation, quoting
 * and short-form intrinsics (`!Sub`, `!Ref`…) stay exactly as written.
 */
import {
  type CollectionTag,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Node,
  type Pair,
  parseDocument,
  type ScalarTag,
  type YAMLMap,
} from 'yaml';
import { SHORT_FORMS } from '../../sources/cloudformation/parse-yaml.js';
import { POLICY_KEYS, trustPolicyPaths } from './cfn-path.js';
import {
  afterLine,
  applyTextEdits,
  byOperator,
  type ConditionAddition,
  eolOf,
  type LocatePolicy,
  lineOf,
  lineStart,
  type StatementView,
  type TextEdit,
} from './types.js';

/** The short forms as tags that keep their node, so a tagged node is seen (and refused) rather than lost. */
function shortFormTags(): (ScalarTag | CollectionTag)[] {
  const tags: (ScalarTag | CollectionTag)[] = [];
  for (const tag of Object.keys(SHORT_FORMS)) {
    tags.push({ tag, resolve: (s: string) => s });
    tags.push({ tag, collection: 'seq', resolve: (n) => n });
    tags.push({ tag, collection: 'map', resolve: (n) => n });
  }
  return tags;
}

type Pairs = Pair<unknown, unknown>;

/** Why `n` cannot be edited as a literal map or list (a short or long form intrinsic, an alias), if it cannot. */
function builtWith(n: unknown): string | undefined {
  if (isAlias(n)) return `the alias *${n.source}`;
  if (!isMap(n) && !isSeq(n) && !isScalar(n)) return undefined;
  if (n.tag?.startsWith('!')) return n.tag;
  if (isMap(n) && n.items.length === 1) {
    const k = n.items[0]?.key;
    const name = isScalar(k) ? k.value : undefined;
    if (typeof name === 'string' && (name === 'Ref' || name.startsWith('Fn::'))) return name;
  }
  return undefined;
}

/** A condition value as text when it is written literally (a scalar or a list of scalars, no tag). */
function literalValues(n: unknown): string[] | undefined {
  const one = (x: unknown) => (isScalar(x) && !x.tag && x.value !== null ? String(x.value) : undefined);
  if (isSeq(n) && !n.tag) {
    const list = n.items.map(one);
    return list.every((v): v is string => v !== undefined) ? list : undefined;
  }
  const v = one(n);
  return v === undefined ? undefined : [v];
}

/** The value of `key` in `map` (the last pair of that key, as CloudFormation keeps it). */
function pairOf(map: YAMLMap, key: string): Pairs | undefined {
  let found: Pairs | undefined;
  for (const p of map.items) if (isScalar(p.key) && p.key.value === key) found = p;
  return found;
}

function startOf(n: unknown): number {
  return (n as Node).range?.[0] ?? 0;
}

function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** A key as YAML writes it plainly when it can (`sts:ExternalId`), else double-quoted. */
function yamlKey(k: string): string {
  return /^[A-Za-z][\w:.-]*$/.test(k) && !k.endsWith(':') ? k : JSON.stringify(k);
}

function yamlValue(a: ConditionAddition): string {
  return a.values.length === 1
    ? JSON.stringify(a.values[0])
    : `[${a.values.map((v) => JSON.stringify(v)).join(', ')}]`;
}

/** `{k: {k2: v}}` in YAML flow style. */
function flowEntries(entries: readonly [string, string][]): string {
  return entries.map(([k, v]) => `${yamlKey(k)}: ${v}`).join(', ');
}

function flowOps(ops: Map<string, ConditionAddition[]>): [string, string][] {
  return [...ops].map(([op, list]) => [op, `{ ${flowEntries(list.map((a) => [a.key, yamlValue(a)]))} }`]);
}

/**
 * Text edit adding `entries` to a map: in a block map, new lines at the indentation of its keys after its
 * last pair (`lines(indent)` writes them); in a flow map, `, k: v` before the closing brace.
 */
function addToMap(
  text: string,
  map: YAMLMap,
  flow: [string, string][],
  lines: (indent: string) => string,
): TextEdit | string {
  const range = map.range;
  if (!range) return 'no source position';
  const eol = eolOf(text);
  if (map.flow) {
    const close = range[1] - 1;
    if (text[close] !== '}') return 'a flow map without its closing brace';
    let prev = close - 1;
    while (prev > range[0] && /\s/.test(text[prev] as string)) prev--;
    const ch = text[prev];
    const body = flowEntries(flow);
    return {
      offset: prev + 1,
      length: 0,
      text: ch === '{' ? ` ${body}` : ch === ',' ? ` ${body}` : `, ${body}`,
    };
  }
  const first = map.items[0];
  const last = map.items[map.items.length - 1];
  if (!first || !last) return 'an empty block map';
  const indent = ' '.repeat(columnOf(text, startOf(first.key)));
  const end = (last.value as Node | null)?.range?.[1] ?? (last.key as Node).range?.[1] ?? range[1];
  let at: number;
  let lead = '';
  if (end > 0 && text[end - 1] === '\n') at = end;
  else {
    const nl = text.indexOf('\n', end);
    if (nl === -1) {
      at = text.length;
      lead = eol;
    } else at = nl + 1;
  }
  return { offset: at, length: 0, text: lead + lines(indent) };
}

/** The indentation step of the policy: how much deeper its keys are than `AssumeRolePolicyDocument`. */
function stepOf(text: string, docPair: Pairs): string {
  const doc = docPair.value;
  if (isMap(doc) && !doc.flow && doc.items[0]) {
    const step = columnOf(text, startOf(doc.items[0].key)) - columnOf(text, startOf(docPair.key));
    if (step > 0 && step <= 8) return ' '.repeat(step);
  }
  return '  ';
}

export const locateInYamlTemplate: LocatePolicy = (text, role) => {
  const paths = trustPolicyPaths(role);
  if (typeof paths === 'string') return { reason: paths };
  const doc = parseDocument(text, { customTags: shortFormTags(), uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0)
    return { reason: `the template is not valid YAML (${doc.errors[0]?.message.split('\n')[0]})` };
  /** The pair `keys` lead to from `start`, or why they lead nowhere editable. */
  const walk = (start: unknown, keys: readonly string[]): Pairs | string | undefined => {
    let node = start;
    let pair: Pairs | undefined;
    for (const key of keys) {
      const fn = builtWith(node);
      if (fn) return `${key} is inside a value built with ${fn}`;
      if (!isMap(node)) return undefined;
      pair = pairOf(node, key);
      if (!pair) return undefined;
      node = pair.value;
    }
    return pair;
  };
  let resource: Pairs | undefined;
  for (const p of paths) {
    const r = walk(doc.contents, p.resource);
    if (typeof r === 'string') return { reason: r };
    if (!r) continue;
    const type = isMap(r.value) ? pairOf(r.value, 'Type')?.value : undefined;
    if (p.type !== undefined && !(isScalar(type) && type.value === p.type)) continue;
    resource = r;
    break;
  }
  if (!resource)
    return { reason: `no resource ${paths.map((p) => p.resource.join('.')).join(' or ')} in the template` };
  const docPair = walk(resource.value, POLICY_KEYS);
  if (typeof docPair === 'string') return { reason: docPair };
  if (!docPair)
    return {
      reason:
        'the resource has no Properties.AssumeRolePolicyDocument (SAM Globals or a generated role): edit it by hand',
    };
  const node: unknown = docPair.value;
  const policy = node;
  const fn = builtWith(policy);
  if (fn) return { reason: `the trust policy is built with ${fn}` };
  if (isScalar(policy)) return { reason: 'the trust policy is written as a JSON string' };
  if (!isMap(policy)) return { reason: 'the trust policy is not a map' };
  const stPair = pairOf(policy, 'Statement');
  if (!stPair) return { reason: 'the trust policy has no Statement' };
  const stFn = builtWith(stPair.value);
  if (stFn) return { reason: `the Statement list is built with ${stFn}` };
  const list = stPair.value;
  const nodes: unknown[] = isSeq(list) ? list.items : isMap(list) ? [list] : [];
  if (nodes.length === 0) return { reason: 'the Statement is neither a list nor a map' };
  for (const [i, n] of nodes.entries()) {
    const f = builtWith(n);
    if (f) return { reason: `statement ${i} is built with ${f}` };
  }
  const step = stepOf(text, docPair);
  const eol = eolOf(text);

  const conditionOf = (st: YAMLMap): { pair?: Pairs; map?: YAMLMap } | string => {
    const pair = pairOf(st, 'Condition');
    if (!pair) return {};
    const f = builtWith(pair.value);
    if (f) return `its Condition is built with ${f}`;
    if (!isMap(pair.value)) return 'its Condition is not a map';
    return { pair, map: pair.value };
  };

  const view = (i: number): StatementView | string => {
    const st = nodes[i];
    if (st === undefined) return `the template has no statement ${i}`;
    if (!isMap(st)) return 'the statement is not a map';
    const cond = conditionOf(st);
    if (typeof cond === 'string') return cond;
    const existing: StatementView['existing'] = [];
    for (const p of cond.map?.items ?? []) {
      const op = isScalar(p.key) ? p.key.value : undefined;
      if (typeof op !== 'string') return 'its Condition has a key that is not text';
      const f = builtWith(p.value);
      if (f || !isMap(p.value)) return `its ${op} condition is ${f ? `built with ${f}` : 'not a map'}`;
      for (const k of p.value.items) {
        const key = isScalar(k.key) ? k.key.value : undefined;
        if (typeof key === 'string') {
          const values = literalValues(k.value);
          existing.push({ operator: op, key, ...(values ? { values } : {}) });
        }
      }
    }
    const principal = pairOf(st, 'Principal')?.value;
    const types =
      isMap(principal) && !builtWith(principal)
        ? principal.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''))
        : undefined;
    return { existing, line: lineOf(text, startOf(st)), ...(types ? { principalTypes: types } : {}) };
  };

  /** The lines of a pair that starts its own line (the text from its line start to its end of line). */
  const pairLines = (p: Pairs): [number, number] | undefined => {
    const keyAt = startOf(p.key);
    const from = lineStart(text, keyAt);
    if (text.slice(from, keyAt).trim() !== '') return undefined;
    const end = (p.value as Node | null)?.range?.[1] ?? (p.key as Node).range?.[1] ?? keyAt;
    return [from, afterLine(text, end)];
  };

  const split = (index: number, move: readonly string[], sid: string | undefined) => {
    const st = nodes[index];
    if (!isSeq(list) || list.flow || !isMap(st) || st.flow)
      return { reason: 'only a block-style statement list is split' };
    const principal = pairOf(st, 'Principal')?.value;
    if (!isMap(principal) || principal.flow || builtWith(principal))
      return { reason: 'only a block-style Principal map is split' };
    const itemStart = lineStart(text, startOf(st));
    if (!/^\s*-\s+$/.test(text.slice(itemStart, startOf(st))))
      return { reason: 'the statement does not start its line' };
    const last = st.items[st.items.length - 1] as Pairs;
    const itemEnd = afterLine(text, (last.value as Node | null)?.range?.[1] ?? startOf(last.key));
    const inCopy: TextEdit[] = [];
    const inOriginal: TextEdit[] = [];
    for (const p of principal.items) {
      const type = isScalar(p.key) ? String(p.key.value) : '';
      const lines = pairLines(p);
      if (!lines) return { reason: 'a principal type shares its line with another key' };
      const cut = { offset: lines[0] - itemStart, length: lines[1] - lines[0], text: '' };
      if (move.includes(type)) inOriginal.push({ ...cut, offset: lines[0] });
      else inCopy.push(cut);
    }
    const sidValue = pairOf(st, 'Sid')?.value;
    if (sid !== undefined) {
      if (!isScalar(sidValue) || sidValue.tag || !sidValue.range)
        return { reason: 'its Sid is not plain text' };
      const [a, b] = sidValue.range;
      inCopy.push({ offset: a - itemStart, length: b - a, text: JSON.stringify(sid) });
    }
    const copy = applyTextEdits(text.slice(itemStart, itemEnd), inCopy);
    const lead = itemEnd === text.length && !text.endsWith('\n') ? eol : '';
    return { text: applyTextEdits(text, [...inOriginal, { offset: itemEnd, length: 0, text: lead + copy }]) };
  };

  const remove = (removals: ReadonlyMap<number, readonly { operator: string; key: string }[]>) => {
    const cuts: TextEdit[] = [];
    const cut = (p: Pairs): string | undefined => {
      const lines = pairLines(p);
      if (!lines) return 'a condition shares its line with another key';
      cuts.push({ offset: lines[0], length: lines[1] - lines[0], text: '' });
      return undefined;
    };
    for (const [i, pairs] of removals) {
      const st = nodes[i];
      if (!isMap(st)) return { reason: 'the statement is not a map' };
      const cond = conditionOf(st);
      if (typeof cond === 'string' || !cond.map || !cond.pair)
        return { reason: 'no Condition to remove from' };
      if (cond.map.flow) return { reason: 'a flow-style Condition' };
      const ops = new Map<string, string[]>();
      for (const p of pairs) ops.set(p.operator, [...(ops.get(p.operator) ?? []), p.key.toLowerCase()]);
      let opsLeft = cond.map.items.length;
      const later: Pairs[] = [];
      for (const [op, keys] of ops) {
        const opPair = pairOf(cond.map, op);
        if (!opPair || !isMap(opPair.value) || opPair.value.flow)
          return { reason: `a flow-style or missing ${op}` };
        const gone = opPair.value.items.filter(
          (k) => isScalar(k.key) && keys.includes(String(k.key.value).toLowerCase()),
        );
        if (gone.length === opPair.value.items.length) {
          later.push(opPair);
          opsLeft--;
        } else later.push(...gone);
      }
      const problem = opsLeft === 0 ? cut(cond.pair) : later.map(cut).find((x) => x !== undefined);
      if (problem) return { reason: problem };
    }
    return { text: applyTextEdits(text, cuts) };
  };

  return {
    statementCount: nodes.length,
    statement: view,
    split,
    remove,
    edit(additions) {
      const edits: TextEdit[] = [];
      for (const [i, adds] of additions) {
        const st = nodes[i];
        if (!isMap(st)) throw new Error(`statement ${i} is not a map`);
        const cond = conditionOf(st);
        if (typeof cond === 'string') throw new Error(cond);
        const ops = byOperator(adds);
        const push = (e: TextEdit | string) => {
          if (typeof e === 'string') throw new Error(`statement ${i}: ${e}`);
          edits.push(e);
        };
        if (!cond.map) {
          const flow: [string, string][] = [['Condition', `{ ${flowEntries(flowOps(ops))} }`]];
          push(
            addToMap(text, st, flow, (ind) => {
              let out = `${ind}Condition:${eol}`;
              for (const [op, list] of ops) {
                out += `${ind}${step}${yamlKey(op)}:${eol}`;
                for (const a of list) out += `${ind}${step}${step}${yamlKey(a.key)}: ${yamlValue(a)}${eol}`;
              }
              return out;
            }),
          );
          continue;
        }
        const newOps = new Map<string, ConditionAddition[]>();
        for (const [op, list] of ops) {
          const p = pairOf(cond.map, op);
          if (p && isMap(p.value)) {
            const entries = list.map((a): [string, string] => [a.key, yamlValue(a)]);
            push(
              addToMap(text, p.value, entries, (ind) =>
                entries.map(([k, v]) => `${ind}${yamlKey(k)}: ${v}${eol}`).join(''),
              ),
            );
          } else newOps.set(op, list);
        }
        if (newOps.size > 0) {
          push(
            addToMap(text, cond.map, flowOps(newOps), (ind) => {
              let out = '';
              for (const [op, list] of newOps) {
                out += `${ind}${yamlKey(op)}:${eol}`;
                for (const a of list) out += `${ind}${step}${yamlKey(a.key)}: ${yamlValue(a)}${eol}`;
              }
              return out;
            }),
          );
        }
      }
      return applyTextEdits(text, edits);
    },
  };
};
