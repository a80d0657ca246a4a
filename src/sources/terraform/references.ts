/**
 * Named references: `var.*`, `local.*`, `path.*`, `data.*` (data-sources.ts), `module.*.OUTPUT`,
 * `count` / `each` outside an instance, and resource attributes: an `aws_iam_role` / `aws_iam_user`
 * ARN of a resource this configuration creates is known to be in the deploying account.
 */
import type { SourceLocation } from '../../model/types.js';
import { applyOps } from './chain.js';
import { countedDocument, dataAttribute } from './data-sources.js';
import { type Ast, bodyAttrs, locOf, textOf } from './hcl.js';
import { lookup, type ModuleEvaluator, type Scope } from './scope.js';
import { str, sym, type Val, wrap } from './values.js';

/** A reference `root.a.b[…]`: a name bound in `scope` (`each`, a `for` variable), else a named object. */
export function resolveRef(ev: ModuleEvaluator, root: string, ops: Ast[], whole: Ast, scope: Scope): Val {
  const loc = locOf(whole);
  const wholeText = textOf(whole).trim();
  const bound = lookup(scope, root);
  if (bound) return applyOps(ev, bound, ops, whole, scope, loc);
  if (scope.templateOnly) return sym(`${root} (not a template variable)`, wrap(wholeText), loc);
  const attr = (i: number): string | undefined => {
    const o = ops[i];
    return o?.type === 'get_attr' ? textOf(o).replace(/^\./, '').trim() : undefined;
  };
  const relocate = (v: Val): Val => ({ ...v, loc });
  switch (root) {
    case 'var': {
      const name = attr(0);
      if (!name) break;
      return applyOps(ev, relocate(ev.variable(name, loc)), ops.slice(1), whole, scope, loc);
    }
    case 'local': {
      const name = attr(0);
      if (!name) break;
      return applyOps(ev, relocate(ev.local(name, loc)), ops.slice(1), whole, scope, loc);
    }
    case 'path': {
      const which = attr(0);
      const dir = which === 'module' ? ev.mod.dir : ev.rootDir;
      return applyOps(ev, str(dir, loc), ops.slice(1), whole, scope, loc);
    }
    case 'each':
    case 'count':
      return sym(`${wholeText} (outside count/for_each)`, wrap(wholeText), loc);
    case 'data': {
      const type = attr(0);
      const name = attr(1);
      if (!type || !name) break;
      const counted = countedDocument(ev, type, name, ops.slice(2), whole, scope, loc, wholeText);
      if (counted) return counted;
      let rest = ops.slice(2);
      if (rest[0]?.type === 'index') rest = rest.slice(1); // instance key of a counted data source
      const first = rest[0];
      if (first?.type === 'splat') {
        // data.x.y[*].json: a list of the (one) instance's attribute.
        const inner = first.kids[0]?.kids ?? [];
        const f = inner[0]?.type === 'get_attr' ? textOf(inner[0]).replace(/^\./, '').trim() : undefined;
        const one = applyOps(
          ev,
          dataAttribute(ev, type, name, f, loc, wholeText),
          inner.slice(1),
          whole,
          scope,
          loc,
        );
        return applyOps(ev, { t: 'list', v: [one], loc }, rest.slice(1), whole, scope, loc);
      }
      const field = first?.type === 'get_attr' ? textOf(first).replace(/^\./, '').trim() : undefined;
      const v = dataAttribute(ev, type, name, field, loc, wholeText);
      return applyOps(ev, v, rest.slice(1), whole, scope, loc);
    }
    case 'module': {
      const name = attr(0);
      if (!name) break;
      let rest = ops.slice(1);
      if (rest[0]?.type === 'index') rest = rest.slice(1); // instance key of a counted module
      const out = rest[0]?.type === 'get_attr' ? textOf(rest[0]).replace(/^\./, '').trim() : undefined;
      if (!out) return sym(wholeText, wrap(wholeText), loc);
      const v = ev.moduleOutput(name, out, loc, wholeText);
      return applyOps(ev, v.loc ? v : { ...v, loc }, rest.slice(1), whole, scope, loc);
    }
    case 'terraform':
      return sym(wholeText, wrap(wholeText), loc);
    default: {
      if (ops.length === 0) return sym(`${root} (unknown name)`, wrap(wholeText), loc);
      const own = ownPrincipalArn(ev, root, attr(0), ops, wholeText, loc);
      if (own) return own;
      return sym(`${wholeText} (known after apply)`, wrap(wholeText), loc);
    }
  }
  return sym(wholeText, wrap(wholeText), loc);
}

/**
 * `aws_iam_role.x.arn` / `aws_iam_user.x.arn` of a resource this module creates with its default
 * provider: the ARN is known only after apply, but it is in the deploying account, which the symbolic
 * text records so the analysis does not take it for a third party. A resource with a `provider`
 * argument may live in another account and stays unknown.
 */
function ownPrincipalArn(
  ev: ModuleEvaluator,
  type: string,
  name: string | undefined,
  ops: Ast[],
  wholeText: string,
  loc: SourceLocation | undefined,
): Val | undefined {
  const kind = type === 'aws_iam_role' ? 'role' : type === 'aws_iam_user' ? 'user' : undefined;
  if (!kind || !name) return undefined;
  let rest = ops.slice(1);
  if (rest[0]?.type === 'index') rest = rest.slice(1); // instance key of a counted resource
  const field = rest[0]?.type === 'get_attr' ? textOf(rest[0]).replace(/^\./, '').trim() : undefined;
  if (field !== 'arn' || rest.length !== 1) return undefined;
  const block = ev.mod.resources.find((b) => b.labels[0] === type && b.labels[1] === name);
  if (!block || bodyAttrs(block.body).has('provider')) return undefined;
  return sym(
    `${wholeText} (a ${kind} this configuration creates, known after apply)`,
    `arn:${ev.env.partition}:iam::${ev.env.owner}:${kind}/\${${type}.${name}.name}`,
    loc,
  );
}
