/**
 * The postfix operators of a reference or value: `.attr`, `[index]` and the splat `[*]`, applied one
 * after another; an unknown value stays unknown (named after the whole expression).
 */
import type { SourceLocation } from '../../model/types.js';
import { type Ast, textOf } from './hcl.js';
import { type Evaluator, placeOf, type Scope } from './scope.js';
import { errSym, NULL, type SymVal, scalarText, sym, type Val, wrap } from './values.js';

/** Applies `ops` (get_attr, index, splat) to `start` in order; `whole` names the expression. */
export function applyOps(
  ev: Evaluator,
  start: Val,
  ops: Ast[],
  whole: Ast,
  scope: Scope,
  loc: SourceLocation,
): Val {
  let v = start;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i] as Ast;
    if (v.t === 'sym') return v.err ? v : symOf(v, whole, loc);
    if (op.type === 'get_attr') {
      const name = textOf(op).replace(/^\./, '').trim();
      if (v.t === 'obj' && v.v.has(name)) v = v.v.get(name) as Val;
      else return errSym(`${textOf(whole).trim()} (no attribute ${name})`, wrap(textOf(whole)), loc);
    } else if (op.type === 'index') {
      const inner = op.kids[0];
      let key: Val;
      if (inner?.type === 'legacy_index') key = { t: 'num', v: Number(textOf(inner).replace('.', '')) };
      else if (inner?.kids[0]) key = ev.eval(inner.kids[0], scope);
      else key = NULL;
      if (key.t === 'sym') return symOf(key, whole, loc);
      if (v.t === 'list' && key.t === 'num' && v.v[key.v]) v = v.v[key.v] as Val;
      else if (v.t === 'obj' && scalarText(key) !== undefined && v.v.has(scalarText(key) as string))
        v = v.v.get(scalarText(key) as string) as Val;
      else return errSym(`${textOf(whole).trim()} (no such element)`, wrap(textOf(whole)), loc);
    } else if (op.type === 'splat') {
      const list = v.t === 'list' ? v.v : v.t === 'null' ? [] : [v];
      ev.meter.step(list.length, () => placeOf(whole));
      const rest = op.kids[0]?.kids ?? [];
      const mapped = list.map((e) => applyOps(ev, e, rest, whole, scope, loc));
      v = { t: 'list', v: mapped };
    }
  }
  return v.loc ? v : { ...v, loc };
}

/** An unknown value for the whole expression, keeping the description of what made it unknown. */
export function symOf(base: Val, whole: Ast, loc: SourceLocation): SymVal {
  const desc = base.t === 'sym' ? base.description : textOf(whole).trim();
  return sym(desc, wrap(textOf(whole).trim()), loc);
}
