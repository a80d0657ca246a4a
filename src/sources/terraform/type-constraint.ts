/**
 * Variable type constraints (`type = object({...})`, `list(T)`, `optional(T, default)`): values are
 * converted to the declared type as Terraform converts them.
 */
import type { Ast } from './hcl.js';
import { textOf } from './hcl.js';
import { NULL, scalarText, type Val } from './values.js';

/** A number as Terraform reads it from a string. */
export const DECIMAL = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/** Evaluates a default value written inside `optional(type, default)`. */
export type EvalDefault = (expr: Ast) => Val;

/** The call inside a type expression: `object({...})`, `list(T)`, `optional(T, d)`... */
function callOf(t: Ast): { name: string; args: Ast[] } | undefined {
  let n: Ast | undefined = t;
  while (n && n.type === 'expression' && n.kids.length === 1) n = n.kids[0];
  if (n?.type !== 'function_call') return undefined;
  const [id, args] = n.kids;
  return { name: id ? textOf(id) : '', args: args?.kids.filter((k) => k.type === 'expression') ?? [] };
}

function objectAttrs(t: Ast): Map<string, Ast> | undefined {
  let n: Ast | undefined = t;
  while (n && (n.type === 'expression' || n.type === 'collection_value') && n.kids.length === 1)
    n = n.kids[0];
  if (n?.type !== 'object') return undefined;
  const m = new Map<string, Ast>();
  for (const el of n.kids) {
    if (el.type !== 'object_elem' || !el.key || !el.val) continue;
    m.set(textOf(el.key).trim().replace(/^"|"$/g, ''), el.val);
  }
  return m;
}

/**
 * Converts a value to a variable's type constraint the way Terraform does for what matters here:
 * object attributes that are missing become null or their `optional(T, default)` default, collections
 * are converted element by element, numbers and booleans become strings where a string is expected.
 * Unknown values and unrecognised types are left as they are.
 */
export function convertToType(v: Val, type: Ast, evalDefault: EvalDefault): Val {
  if (v.t === 'sym' || v.t === 'null') return v;
  const call = callOf(type);
  if (!call) {
    const name = textOf(type).trim();
    if (name === 'string' && (v.t === 'num' || v.t === 'bool'))
      return { t: 'str', v: scalarText(v) ?? '', ...(v.loc ? { loc: v.loc } : {}) };
    // Terraform converts the strings "true"/"false" and decimal numerals (what `-var` and var files give).
    if (name === 'bool' && v.t === 'str' && (v.v === 'true' || v.v === 'false'))
      return { t: 'bool', v: v.v === 'true', ...(v.loc ? { loc: v.loc } : {}) };
    if (name === 'number' && v.t === 'str' && DECIMAL.test(v.v))
      return { t: 'num', v: Number(v.v), ...(v.loc ? { loc: v.loc } : {}) };
    return v;
  }
  const [a0] = call.args;
  switch (call.name) {
    case 'optional':
      return a0 ? convertToType(v, a0, evalDefault) : v;
    case 'list':
    case 'set':
      if (v.t === 'list' && a0) return { ...v, v: v.v.map((x) => convertToType(x, a0, evalDefault)) };
      return v;
    case 'map':
      if (v.t === 'obj' && a0)
        return { ...v, v: new Map([...v.v].map(([k, x]) => [k, convertToType(x, a0, evalDefault)])) };
      return v;
    case 'object': {
      const attrs = a0 ? objectAttrs(a0) : undefined;
      if (v.t !== 'obj' || !attrs) return v;
      const out = new Map<string, Val>();
      for (const [k, t] of attrs) {
        const have = v.v.get(k);
        if (have && have.t !== 'null') {
          out.set(k, convertToType(have, t, evalDefault));
          continue;
        }
        const opt = callOf(t);
        const def = opt?.name === 'optional' ? opt.args[1] : undefined;
        const inner = opt?.name === 'optional' ? opt.args[0] : undefined;
        out.set(
          k,
          def
            ? inner
              ? convertToType(evalDefault(def), inner, evalDefault)
              : evalDefault(def)
            : (have ?? NULL),
        );
      }
      return { ...v, v: out };
    }
    default:
      return v;
  }
}
