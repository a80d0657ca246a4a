/**
 * Expressions: literals, tuples, objects, `for` expressions, function calls and the dispatch of every
 * other kind of node to its module (references, operators, templates). `ModuleInstance.eval` counts the
 * budgets and calls `evalNode`.
 */

import type { BudgetPlace } from '../../scan/budgets.js';
import { applyOps, symOf } from './chain.js';
import { callFunction } from './functions.js';
import { type Ast, locOf, textOf } from './hcl.js';
import { evalConditional, evalOperation } from './operators.js';
import { resolveRef } from './references.js';
import { childScope, type ModuleEvaluator, placeOf, type Scope } from './scope.js';
import { evalTemplate } from './templates.js';
import { displayText, NULL, scalarText, str, sym, type Val, wrap } from './values.js';

/** One syntax node (the budgets are counted by `ModuleInstance.eval`, which calls this). */
export function evalNode(ev: ModuleEvaluator, n: Ast, scope: Scope): Val {
  const loc = locOf(n);
  switch (n.type) {
    case 'expression':
    case 'literal_value':
    case 'collection_value':
    case 'template_expr':
    case 'for_expr':
    case 'operation':
      return evalTerm(ev, n, scope);
    case 'numeric_lit': {
      const t = textOf(n);
      return { t: 'num', v: t.startsWith('0x') ? Number.parseInt(t, 16) : Number(t), loc };
    }
    case 'bool_lit':
      return { t: 'bool', v: textOf(n) === 'true', loc };
    case 'null_lit':
      return { t: 'null', loc };
    case 'string_lit':
    case 'quoted_template':
    case 'heredoc_template':
      return evalTemplate(ev, n, scope);
    case 'tuple': {
      const items = n.kids.filter((k) => k.type === 'expression');
      ev.meter.size(items.length, () => placeOf(n));
      return { t: 'list', v: items.map((k) => ev.eval(k, scope)), loc };
    }
    case 'object':
      return evalObject(ev, n, scope);
    case 'variable_expr':
    case 'function_call':
      return evalChain(ev, n, [], n, scope);
    case 'for_tuple_expr':
    case 'for_object_expr':
      return evalFor(ev, n, scope);
    case 'conditional':
      return evalConditional(ev, n, scope);
    case 'binary_operation':
    case 'unary_operation':
      return evalOperation(ev, n, scope);
    default:
      return sym(`unsupported expression (${n.type})`, wrap(textOf(n)), loc);
  }
}

/** An `expression`-like node: head term plus postfix get_attr / index / splat. */
function evalTerm(ev: ModuleEvaluator, n: Ast, scope: Scope): Val {
  const [head, ...ops] = n.kids;
  if (!head) return sym('empty expression', wrap(textOf(n)), locOf(n));
  if (ops.length === 0) return ev.eval(head, scope);
  return evalChain(ev, head, ops, n, scope);
}

function evalChain(ev: ModuleEvaluator, head: Ast, ops: Ast[], whole: Ast, scope: Scope): Val {
  const loc = locOf(whole);
  if (head.type === 'variable_expr') return resolveRef(ev, textOf(head), ops, whole, scope);
  let v: Val;
  if (head.type === 'function_call') v = evalCall(ev, head, scope);
  else v = ev.eval(head, scope);
  return applyOps(ev, v, ops, whole, scope, loc);
}

function evalObject(ev: ModuleEvaluator, n: Ast, scope: Scope): Val {
  const m = new Map<string, Val>();
  ev.meter.size(n.kids.length, () => placeOf(n));
  for (const el of n.kids) {
    if (el.type !== 'object_elem' || !el.key || !el.val) continue;
    m.set(objectKey(ev, el.key, scope), ev.eval(el.val, scope));
  }
  return { t: 'obj', v: m, loc: locOf(n) };
}

/** A bare identifier key is the key's name; anything else is evaluated. */
function objectKey(ev: ModuleEvaluator, k: Ast, scope: Scope): string {
  const only = k.kids.length === 1 ? k.kids[0] : undefined;
  if (only?.type === 'variable_expr') return textOf(only);
  const v = ev.eval(k, scope);
  return scalarText(v) ?? displayText(v);
}

function evalFor(ev: ModuleEvaluator, n: Ast, scope: Scope): Val {
  const loc = locOf(n);
  const intro = n.kids.find((k) => k.type === 'for_intro');
  const exprs = n.kids.filter((k) => k.type === 'expression');
  const cond = n.kids.find((k) => k.type === 'for_cond');
  const grouping = n.kids.some((k) => k.type === 'ellipsis');
  if (!intro) return sym('for expression', wrap(textOf(n)), loc);
  const ids = intro.kids.filter((k) => k.type === 'identifier').map(textOf);
  const collNode = intro.kids.find((k) => k.type === 'expression');
  const coll = collNode ? ev.eval(collNode, scope) : NULL;
  const unknown = (why: Val): Val => symOf(why, n, loc);
  let pairs: [Val, Val][];
  if (coll.t === 'list') pairs = coll.v.map((v, i) => [{ t: 'num', v: i }, v]);
  else if (coll.t === 'obj') pairs = [...coll.v].map(([k, v]) => [str(k), v]);
  else if (coll.t === 'null') pairs = [];
  else return unknown(coll);
  const isObj = n.type === 'for_object_expr';
  const outList: Val[] = [];
  const outMap = new Map<string, Val>();
  const where = (): BudgetPlace => placeOf(n);
  for (const [k, v] of pairs) {
    ev.meter.grow((isObj ? outMap.size : outList.length) + 1, where);
    const names = new Map<string, Val>();
    if (ids.length >= 2) {
      names.set(ids[0] as string, k);
      names.set(ids[1] as string, v);
    } else if (ids[0]) names.set(ids[0], v);
    const s = childScope(scope, names);
    if (cond?.kids[0]) {
      const c = ev.eval(cond.kids[0], s);
      if (c.t === 'sym') return unknown(c);
      if (c.t === 'bool' && !c.v) continue;
    }
    if (isObj) {
      const kv = exprs[0] ? ev.eval(exprs[0], s) : NULL;
      const vv = exprs[1] ? ev.eval(exprs[1], s) : NULL;
      if (kv.t === 'sym') return unknown(kv);
      const key = scalarText(kv) ?? displayText(kv);
      if (grouping) {
        const prev = outMap.get(key);
        if (prev?.t === 'list') {
          ev.meter.size(prev.v.length + 1, where);
          prev.v.push(vv);
        } else outMap.set(key, { t: 'list', v: [vv] });
      } else outMap.set(key, vv);
    } else outList.push(exprs[0] ? ev.eval(exprs[0], s) : NULL);
  }
  return isObj ? { t: 'obj', v: outMap, loc } : { t: 'list', v: outList, loc };
}

function evalCall(ev: ModuleEvaluator, n: Ast, scope: Scope): Val {
  const [id, argsNode] = n.kids;
  const name = id ? textOf(id) : '';
  const argNodes = argsNode?.kids.filter((k) => k.type === 'expression') ?? [];
  const expand = argsNode?.kids.some((k) => k.type === 'ellipsis') ?? false;
  return callFunction(ev, name, argNodes, expand, n, scope);
}
