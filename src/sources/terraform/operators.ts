/**
 * Conditionals (`c ? a : b`) and operators (`!`, `-`, `&&`, `||`, `==`, arithmetic, comparisons).
 * An unknown condition is decided by the current branch run (branches.ts) or stays unknown; `==` on
 * values compares their texts within the `string-length` budget.
 */
import type { SourceLocation } from '../../model/types.js';
import { decide } from './branches.js';
import { type Ast, locOf, textOf } from './hcl.js';
import type { Evaluator, ModuleEvaluator, Scope } from './scope.js';
import { boundedJsonText } from './value-length.js';
import { hasSym, NULL, sym, type Val, wrap } from './values.js';

/** `c ? a : b`: a known or branch-decided condition picks a branch; equal branches need no condition. */
export function evalConditional(ev: ModuleEvaluator, n: Ast, scope: Scope): Val {
  const [c, a, b] = n.kids;
  const loc = locOf(n);
  if (!c || !a || !b) return sym('conditional', wrap(textOf(n)), loc);
  const cv = ev.eval(c, scope);
  if (cv.t === 'bool') return ev.eval(cv.v ? a : b, scope);
  if (cv.t === 'str' && (cv.v === 'true' || cv.v === 'false')) return ev.eval(cv.v === 'true' ? a : b, scope);
  const decided = decide(ev, c, cv, scope);
  if (decided.t === 'bool') return ev.eval(decided.v ? a : b, scope);
  if (cv.t === 'sym') {
    // Both branches the same when known? Then the condition does not matter.
    const av = ev.eval(a, scope);
    const bv = ev.eval(b, scope);
    if (!hasSym(av) && !hasSym(bv) && same(ev, av, bv, loc)) return av;
    return sym(`${textOf(c).trim()} (condition unknown: ${cv.description})`, wrap(textOf(n).trim()), loc);
  }
  return sym(`${textOf(c).trim()} (not a boolean)`, wrap(textOf(n).trim()), loc);
}

/** Unary and binary operators, short-circuiting `&&` / `||` where one side decides. */
export function evalOperation(ev: ModuleEvaluator, n: Ast, scope: Scope): Val {
  const loc = locOf(n);
  const op = n.op ?? '';
  const unknown = (v: Val): Val =>
    sym(v.t === 'sym' ? v.description : textOf(n).trim(), wrap(textOf(n).trim()), loc);
  if (n.type === 'unary_operation') {
    let v = n.right ? ev.eval(n.right, scope) : NULL;
    if (op === '!' && n.right) v = decide(ev, n.right, v, scope);
    if (op === '!' && v.t === 'bool') return { t: 'bool', v: !v.v, loc };
    if (op === '-' && v.t === 'num') return { t: 'num', v: -v.v, loc };
    return unknown(v);
  }
  const logical = op === '&&' || op === '||';
  let l = n.left ? ev.eval(n.left, scope) : NULL;
  // `a && b` with `a` unknown: split on `a` itself, so the same `a` elsewhere gets the same choice.
  if (logical && n.left) l = decide(ev, n.left, l, scope);
  // Short-circuit where one side decides.
  if (op === '&&' && l.t === 'bool' && !l.v) return { t: 'bool', v: false, loc };
  if (op === '||' && l.t === 'bool' && l.v) return { t: 'bool', v: true, loc };
  let r = n.right ? ev.eval(n.right, scope) : NULL;
  if (logical && n.right) r = decide(ev, n.right, r, scope);
  if (op === '&&' && r.t === 'bool' && !r.v) return { t: 'bool', v: false, loc };
  if (op === '||' && r.t === 'bool' && r.v) return { t: 'bool', v: true, loc };
  // A collection or string is not null even when parts of it are unknown (Terraform knows that too).
  if ((op === '==' || op === '!=') && (l.t === 'null' || r.t === 'null') && l.t !== 'sym' && r.t !== 'sym')
    return { t: 'bool', v: (l.t === r.t) === (op === '=='), loc };
  if (hasSym(l)) return unknown(l);
  if (hasSym(r)) return unknown(r);
  switch (op) {
    case '==':
      return { t: 'bool', v: same(ev, l, r, loc), loc };
    case '!=':
      return { t: 'bool', v: !same(ev, l, r, loc), loc };
    case '&&':
    case '||':
      if (l.t === 'bool' && r.t === 'bool')
        return { t: 'bool', v: op === '&&' ? l.v && r.v : l.v || r.v, loc };
      return unknown(l);
    default: {
      const a = l.t === 'num' ? l.v : l.t === 'str' ? Number(l.v) : Number.NaN;
      const b = r.t === 'num' ? r.v : r.t === 'str' ? Number(r.v) : Number.NaN;
      if (Number.isNaN(a) || Number.isNaN(b)) return unknown(l);
      const ops: Record<string, () => Val> = {
        '+': () => ({ t: 'num', v: a + b, loc }),
        '-': () => ({ t: 'num', v: a - b, loc }),
        '*': () => ({ t: 'num', v: a * b, loc }),
        '/': () => ({ t: 'num', v: a / b, loc }),
        '%': () => ({ t: 'num', v: a % b, loc }),
        '<': () => ({ t: 'bool', v: a < b, loc }),
        '>': () => ({ t: 'bool', v: a > b, loc }),
        '<=': () => ({ t: 'bool', v: a <= b, loc }),
        '>=': () => ({ t: 'bool', v: a >= b, loc }),
      };
      return ops[op]?.() ?? unknown(l);
    }
  }
}

/** `==` on two values, their texts bounded by `string-length`. */
function same(ev: Evaluator, a: Val, b: Val, loc: SourceLocation): boolean {
  if (a.t === 'null' || b.t === 'null') return a.t === b.t;
  return boundedJsonText(a, ev.meter, loc) === boundedJsonText(b, ev.meter, loc);
}
