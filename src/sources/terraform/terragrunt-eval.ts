/**
 * A small evaluator for the expressions of a Terragrunt file (`terragrunt.hcl` and the files it
 * includes or reads): literals, templates, collections, operators, `local.*`, `include.*`,
 * `dependency.*` and the functions of terragrunt-functions.ts. Anything it cannot know (a dependency's
 * output, the environment, a function it does not implement) is an unknown value, never a guess.
 * Every step is counted on the unit's BudgetMeter.
 */
import type { SourceLocation } from '../../model/types.js';
import type { BudgetMeter } from '../../scan/budgets.js';
import { type Ast, locOf, textOf, unescapeQuoted } from './hcl.js';
import { errSym, hasSym, jsonText, NULL, type SymVal, scalarText, sym, type Val, wrap } from './values.js';

/** What an evaluation can look up besides the literal text: supplied by terragrunt-config.ts. */
export interface TgScope {
  meter: BudgetMeter;
  /** `local.NAME` of the file being evaluated. */
  local(name: string, at: SourceLocation): Val;
  /** `include.NAME` (or bare `include`, name ''): the exposed parent, else an error value. */
  include(name: string, at: SourceLocation): Val | undefined;
  /** Names of the file's `dependency` blocks. */
  dependencies: ReadonlySet<string>;
  /** A function call (terragrunt-functions.ts); args are evaluated by the callee when it wants them. */
  call(name: string, args: Ast[], node: Ast): Val;
}

export class TgEval {
  constructor(readonly scope: TgScope) {}

  eval(n: Ast): Val {
    const m = this.scope.meter;
    m.step(1, () => place(n));
    m.enter(() => place(n));
    try {
      return this.node(n);
    } finally {
      m.leave();
    }
  }

  private node(n: Ast): Val {
    const loc = locOf(n);
    switch (n.type) {
      case 'expression':
      case 'literal_value':
      case 'collection_value':
      case 'template_expr':
      case 'operation': {
        const [head, ...ops] = n.kids;
        if (!head) return sym('empty expression', wrap(textOf(n)), loc);
        if (ops.length === 0) return this.eval(head);
        return head.type === 'variable_expr' ? this.ref(head, ops, n) : this.apply(this.eval(head), ops, n);
      }
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
        return this.quoted(n);
      case 'heredoc_template':
        return this.heredoc(n);
      case 'tuple': {
        const items = n.kids.filter((k) => k.type === 'expression');
        this.scope.meter.elements(items.length, () => place(n));
        return { t: 'list', v: items.map((k) => this.eval(k)), loc };
      }
      case 'object': {
        const out = new Map<string, Val>();
        this.scope.meter.elements(n.kids.length, () => place(n));
        for (const el of n.kids) {
          if (el.type !== 'object_elem' || !el.key || !el.val) continue;
          const only = el.key.kids.length === 1 ? el.key.kids[0] : undefined;
          const key = only?.type === 'variable_expr' ? textOf(only) : scalarText(this.eval(el.key));
          if (key === undefined) return sym(`an object key that is not known`, wrap(textOf(el.key)), loc);
          out.set(key, this.eval(el.val));
        }
        return { t: 'obj', v: out, loc };
      }
      case 'variable_expr':
        return this.ref(n, [], n);
      case 'function_call': {
        const [id, argsNode] = n.kids;
        if (argsNode?.kids.some((k) => k.type === 'ellipsis'))
          return sym(`${textOf(n).trim()} (expanded arguments are not evaluated)`, wrap(textOf(n)), loc);
        const args = argsNode?.kids.filter((k) => k.type === 'expression') ?? [];
        return this.scope.call(id ? textOf(id) : '', args, n);
      }
      case 'conditional': {
        const [c, a, b] = n.kids;
        if (!c || !a || !b) return sym('conditional', wrap(textOf(n)), loc);
        const cv = this.eval(c);
        if (cv.t === 'bool') return this.eval(cv.v ? a : b);
        return unknownOf(cv, n, 'the condition is not known');
      }
      case 'binary_operation':
      case 'unary_operation':
        return this.operation(n);
      default:
        return sym(`${n.type.replace(/_/g, ' ')} (not evaluated in Terragrunt files)`, wrap(textOf(n)), loc);
    }
  }

  /** `root.a.b[0]`: locals, includes, dependency outputs; any other root is not something Terragrunt knows. */
  private ref(head: Ast, ops: Ast[], whole: Ast): Val {
    const root = textOf(head).trim();
    const loc = locOf(whole);
    const attr = (i: number): string | undefined => {
      const o = ops[i];
      return o?.type === 'get_attr' ? textOf(o).replace(/^\./, '').trim() : undefined;
    };
    const text = textOf(whole).trim();
    if (root === 'local') {
      const name = attr(0);
      if (name) return this.apply(this.scope.local(name, loc), ops.slice(1), whole);
    } else if (root === 'include') {
      const label = attr(0);
      const named = label !== undefined ? this.scope.include(label, loc) : undefined;
      if (named) return this.apply(named, ops.slice(1), whole);
      const bare = this.scope.include('', loc);
      if (bare) return this.apply(bare, ops, whole);
      return errSym(`${text} (no exposed include of that name)`, wrap(text), loc);
    } else if (root === 'dependency') {
      const name = attr(0);
      if (name && this.scope.dependencies.has(name))
        return sym(
          `${text} (an output of the dependency ${name}, known only once it is applied)`,
          wrap(text),
          loc,
        );
    } else if (root === 'values') {
      // Set by a `terragrunt.stack.hcl` that generates the unit: not known from the unit alone.
      return sym(`${text} (a value the stack that generates this unit passes)`, wrap(text), loc);
    }
    return errSym(`${text} (not something a Terragrunt file can refer to)`, wrap(text), loc);
  }

  private apply(start: Val, ops: Ast[], whole: Ast): Val {
    let v = start;
    const loc = locOf(whole);
    const text = textOf(whole).trim();
    for (const op of ops) {
      if (v.t === 'sym') return v.err ? v : unknownOf(v, whole);
      if (op.type === 'get_attr') {
        const name = textOf(op).replace(/^\./, '').trim();
        const next = v.t === 'obj' ? v.v.get(name) : undefined;
        if (!next) return errSym(`${text} (no attribute ${name})`, wrap(text), loc);
        v = next;
      } else if (op.type === 'index') {
        const inner = op.kids[0];
        const key: Val =
          inner?.type === 'legacy_index'
            ? { t: 'num', v: Number(textOf(inner).replace('.', '')) }
            : inner?.kids[0]
              ? this.eval(inner.kids[0])
              : NULL;
        if (key.t === 'sym') return unknownOf(key, whole);
        const k = scalarText(key);
        const next =
          v.t === 'list' && key.t === 'num'
            ? v.v[key.v]
            : v.t === 'obj' && k !== undefined
              ? v.v.get(k)
              : undefined;
        if (!next) return errSym(`${text} (no such element)`, wrap(text), loc);
        v = next;
      } else {
        return sym(`${text} (splat expressions are not evaluated in Terragrunt files)`, wrap(text), loc);
      }
    }
    return v;
  }

  private quoted(n: Ast): Val {
    const parts: Val[] = [];
    for (const k of n.kids) {
      if (k.type === 'template_literal') parts.push({ t: 'str', v: unescapeQuoted(textOf(k)).text });
      else if (k.type === 'template_interpolation') {
        const e = k.kids.find((x) => x.type === 'expression');
        parts.push(e ? this.eval(e) : NULL);
      } else if (k.type === 'template_directive')
        return sym('a template directive (not evaluated in Terragrunt files)', wrap(textOf(n)), locOf(n));
    }
    return this.joinParts(parts, n);
  }

  /** A heredoc: its lines as written (`<<-` takes off the common indentation), with its interpolations. */
  private heredoc(n: Ast): Val {
    const src = n.f.text;
    const ids = n.kids.filter((k) => k.type === 'heredoc_identifier');
    const open = ids[0];
    const close = ids.length > 1 ? ids[ids.length - 1] : undefined;
    if (!open || !close) return sym('heredoc', wrap(textOf(n)), locOf(n));
    const nl = src.indexOf('\n', open.ei);
    const start = nl === -1 ? open.ei : nl + 1;
    const end = Math.max(start, src.lastIndexOf('\n', close.si) + 1);
    const flush = n.kids.find((k) => k.type === 'heredoc_start')?.op === '<<-';
    const parts: Val[] = [];
    let pos = start;
    for (const k of n.kids) {
      if (k.si < start || k.ei > end) continue;
      if (k.type === 'template_directive')
        return sym('a template directive (not evaluated in Terragrunt files)', wrap(textOf(n)), locOf(n));
      if (k.type !== 'template_interpolation') continue;
      parts.push({
        t: 'str',
        v: src
          .slice(pos, k.si)
          .replace(/\$\$\{/g, '${')
          .replace(/%%\{/g, '%{'),
      });
      const e = k.kids.find((x) => x.type === 'expression');
      parts.push(e ? this.eval(e) : NULL);
      pos = k.ei;
    }
    parts.push({
      t: 'str',
      v: src
        .slice(pos, end)
        .replace(/\$\$\{/g, '${')
        .replace(/%%\{/g, '%{'),
    });
    const v = this.joinParts(parts, n);
    if (!flush || v.t !== 'str') return v;
    const lines = v.v.split('\n');
    const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0);
    const strip = indents.length ? Math.min(...indents) : 0;
    return {
      ...v,
      v: lines.map((l) => l.slice(Math.min(strip, /^[ \t]*/.exec(l)?.[0].length ?? 0))).join('\n'),
    };
  }

  private joinParts(parts: Val[], n: Ast): Val {
    const loc = locOf(n);
    let out = '';
    for (const p of parts) {
      if (p.t === 'sym') return p.err ? p : unknownOf(p, n);
      if (p.t === 'null') return errSym(`${textOf(n).trim()} (null in a template)`, wrap(textOf(n)), loc);
      const s = scalarText(p);
      if (s === undefined)
        return errSym(`${textOf(n).trim()} (a collection in a template)`, wrap(textOf(n)), loc);
      this.scope.meter.text(out.length + s.length, () => place(n));
      out += s;
    }
    return { t: 'str', v: out, loc };
  }

  private operation(n: Ast): Val {
    const loc = locOf(n);
    const op = n.op ?? '';
    if (n.type === 'unary_operation') {
      const v = n.right ? this.eval(n.right) : NULL;
      if (op === '!' && v.t === 'bool') return { t: 'bool', v: !v.v, loc };
      if (op === '-' && v.t === 'num') return { t: 'num', v: -v.v, loc };
      return unknownOf(v, n, 'not a value this operator takes');
    }
    const l = n.left ? this.eval(n.left) : NULL;
    if (op === '&&' && l.t === 'bool' && !l.v) return { t: 'bool', v: false, loc };
    if (op === '||' && l.t === 'bool' && l.v) return { t: 'bool', v: true, loc };
    const r = n.right ? this.eval(n.right) : NULL;
    if (hasSym(l)) return unknownOf(firstSym(l), n);
    if (hasSym(r)) return unknownOf(firstSym(r), n);
    if (op === '==' || op === '!=') {
      const same = l.t === 'null' || r.t === 'null' ? l.t === r.t : jsonText(l) === jsonText(r);
      return { t: 'bool', v: same === (op === '=='), loc };
    }
    if (op === '&&' || op === '||') {
      if (l.t === 'bool' && r.t === 'bool')
        return { t: 'bool', v: op === '&&' ? l.v && r.v : l.v || r.v, loc };
      return unknownOf(l, n, 'not a boolean');
    }
    const a = l.t === 'num' ? l.v : l.t === 'str' ? Number(l.v) : Number.NaN;
    const b = r.t === 'num' ? r.v : r.t === 'str' ? Number(r.v) : Number.NaN;
    if (Number.isNaN(a) || Number.isNaN(b))
      return errSym(`${textOf(n).trim()} (not numbers)`, wrap(textOf(n)), loc);
    const num = (v: number): Val => ({ t: 'num', v, loc });
    const bool = (v: boolean): Val => ({ t: 'bool', v, loc });
    const table: Record<string, () => Val> = {
      '+': () => num(a + b),
      '-': () => num(a - b),
      '*': () => num(a * b),
      '/': () => num(a / b),
      '%': () => num(a % b),
      '<': () => bool(a < b),
      '>': () => bool(a > b),
      '<=': () => bool(a <= b),
      '>=': () => bool(a >= b),
    };
    return table[op]?.() ?? sym(`${textOf(n).trim()} (operator ${op})`, wrap(textOf(n)), loc);
  }
}

/** The first unknown part of a value (for the description of what it makes unknown). */
export function firstSym(v: Val): Val {
  if (v.t === 'sym') return v;
  if (v.t === 'list') for (const x of v.v) if (hasSym(x)) return firstSym(x);
  if (v.t === 'obj') for (const x of v.v.values()) if (hasSym(x)) return firstSym(x);
  return v;
}

/** An unknown value for expression `n`, carrying the reason `because` gives (its description). */
export function unknownOf(because: Val, n: Ast, fallback?: string): SymVal {
  const text = textOf(n).trim();
  const d = because.t === 'sym' ? because.description : (fallback ?? text);
  return sym(d, wrap(text), locOf(n));
}

export function place(n: Ast): { file: string; line?: number; column?: number } {
  const l = locOf(n);
  return {
    file: l.file,
    ...(l.line !== undefined ? { line: l.line } : {}),
    ...(l.column !== undefined ? { column: l.column } : {}),
  };
}
