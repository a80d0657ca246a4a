/**
 * Policy documents written as text: the value of a policy attribute decoded into a document whose every
 * element keeps its place in the file (JSON literals, heredocs, `jsonencode()`, templates with unknown
 * parts), within the `nesting-depth` budget.
 */
import { type Node as JsonNode, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { SourceLocation } from '../../model/types.js';
import { BUDGETS, BudgetExceeded } from '../../scan/budgets.js';
import { jsonTooDeepAt } from '../../util/json-depth.js';
import {
  displayText,
  hasSym,
  MappedText,
  mapOffset,
  type SrcMap,
  scalarText,
  symDescriptions,
  type TplPart,
  type Val,
} from './values.js';

export type Decoded = { ok: true; val: Val } | { ok: false; message: string; loc?: SourceLocation };

const OPEN = '\uE000';
const CLOSE = '\uE001';
const SENTINEL = /\uE000(\d+)\uE001/g;

/**
 * Turns the value of a policy attribute (`assume_role_policy`, a `source_policy_documents` entry...) into
 * a document: `jsonencode()`/policy-document strings keep their HCL structure, literal and heredoc JSON is
 * parsed with offsets mapped back to the file, a template with unknown parts is parsed with the unknown
 * parts as symbolic values, a wholly unknown value stays symbolic.
 */
export function decodePolicyValue(
  v: Val,
  fallback?: SourceLocation,
  maxDepth: number = BUDGETS['nesting-depth'].default,
): Decoded {
  switch (v.t) {
    case 'str':
      if (v.json) return { ok: true, val: v.json };
      return parseJsonText(v.v, v.map, v.loc ?? fallback, [], new Set(), maxDepth);
    case 'sym':
      if (!v.parts) return { ok: true, val: v };
      return decodeParts(v.parts, v.loc ?? fallback, maxDepth);
    case 'obj':
      return { ok: true, val: v };
    case 'null':
      return { ok: false, message: 'the policy is null', loc: v.loc ?? fallback };
    default:
      return {
        ok: false,
        message: `the policy is a ${v.t === 'list' ? 'list' : v.t}, not a JSON document`,
        loc: v.loc ?? fallback,
      };
  }
}

function decodeParts(parts: TplPart[], loc: SourceLocation | undefined, maxDepth: number): Decoded {
  const file = loc?.file ?? '';
  const mt = new MappedText(file);
  const syms: Val[] = [];
  const whole = new Set<number>();
  let inStr = false;
  let esc = false;
  const track = (s: string): void => {
    for (const ch of s) {
      if (esc) esc = false;
      else if (ch === '\\') esc = inStr;
      else if (ch === '"') inStr = !inStr;
    }
  };
  for (const p of parts) {
    if ('lit' in p) {
      mt.addMapped(p.lit, p.map, loc);
      track(p.lit);
      continue;
    }
    const val = p.val;
    const at = val.loc ?? loc;
    if (val.t === 'str' && val.json && !inStr) {
      if (!hasSym(val.json)) {
        mt.addFixed(val.v, at?.line ?? 1, at?.column ?? 1);
        track(val.v);
        continue;
      }
      const i = syms.push(val.json) - 1;
      whole.add(i);
      mt.addFixed(`"${OPEN}${i}${CLOSE}"`, at?.line ?? 1, at?.column ?? 1);
      continue;
    }
    const s = scalarText(val);
    if (s !== undefined) {
      if (inStr) mt.addFixed(JSON.stringify(s).slice(1, -1), at?.line ?? 1, at?.column ?? 1);
      else {
        mt.addFixed(s, at?.line ?? 1, at?.column ?? 1);
        track(s);
      }
      continue;
    }
    const i = syms.push(val) - 1;
    if (inStr) mt.addFixed(`${OPEN}${i}${CLOSE}`, at?.line ?? 1, at?.column ?? 1);
    else {
      whole.add(i);
      mt.addFixed(`"${OPEN}${i}${CLOSE}"`, at?.line ?? 1, at?.column ?? 1);
    }
  }
  return parseJsonText(mt.text, mt.map(), loc, syms, whole, maxDepth);
}

function parseJsonText(
  text: string,
  map: SrcMap | undefined,
  loc: SourceLocation | undefined,
  syms: Val[],
  whole: Set<number>,
  maxDepth: number,
): Decoded {
  if (text.trim() === '') return { ok: false, message: 'the policy is an empty string' };
  const deep = jsonTooDeepAt(text, maxDepth);
  if (deep !== -1) {
    const l = map ? (mapOffset(map, deep) ?? loc) : loc;
    throw new BudgetExceeded('nesting-depth', maxDepth, 'the JSON document is nested too deeply', l);
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const at = (off: number): SourceLocation | undefined => (map ? (mapOffset(map, off) ?? loc) : loc);
  const first = errors[0];
  if (first || !root) {
    const off = first?.offset ?? 0;
    const what = first ? printParseErrorCode(first.error) : 'empty document';
    return { ok: false, message: `the policy is not valid JSON (${what})`, loc: at(off) };
  }
  const restore = (s: string, l: SourceLocation | undefined): Val => {
    const m = /^\uE000(\d+)\uE001$/.exec(s);
    if (m) {
      const i = Number(m[1]);
      const v = syms[i];
      if (v && whole.has(i)) return v.loc ? v : { ...v, ...(l ? { loc: l } : {}) };
    }
    if (!s.includes(OPEN)) return l ? { t: 'str', v: s, loc: l } : { t: 'str', v: s };
    const descs: string[] = [];
    const txt = s.replace(SENTINEL, (_all, d: string) => {
      const v = syms[Number(d)];
      if (!v) return '';
      for (const x of symDescriptions(v)) if (!descs.includes(x)) descs.push(x);
      return displayText(v);
    });
    return l
      ? { t: 'sym', description: descs.join(', '), text: txt, loc: l }
      : { t: 'sym', description: descs.join(', '), text: txt };
  };
  const keyText = (s: string): string =>
    s.includes(OPEN)
      ? s.replace(SENTINEL, (_a, d: string) => displayText(syms[Number(d)] ?? { t: 'null' }))
      : s;
  const conv = (n: JsonNode): Val => {
    const l = at(n.offset);
    switch (n.type) {
      case 'object': {
        const m = new Map<string, Val>();
        for (const p of n.children ?? []) {
          const [k, v] = p.children ?? [];
          if (!k || !v) continue;
          const val = conv(v);
          // The property's location is its key's.
          const kl = at(k.offset);
          m.set(
            keyText(String(k.value)),
            kl && val.t !== 'obj' && val.t !== 'list' ? { ...val, loc: val.loc ?? kl } : val,
          );
          if (kl && (val.t === 'obj' || val.t === 'list')) val.loc = kl;
        }
        return l ? { t: 'obj', v: m, loc: l } : { t: 'obj', v: m };
      }
      case 'array': {
        const items = (n.children ?? []).map(conv);
        return l ? { t: 'list', v: items, loc: l } : { t: 'list', v: items };
      }
      case 'string':
        return restore(String(n.value), l);
      case 'number':
        return l ? { t: 'num', v: Number(n.value), loc: l } : { t: 'num', v: Number(n.value) };
      case 'boolean':
        return l ? { t: 'bool', v: Boolean(n.value), loc: l } : { t: 'bool', v: Boolean(n.value) };
      default:
        return l ? { t: 'null', loc: l } : { t: 'null' };
    }
  };
  return { ok: true, val: conv(root) };
}
