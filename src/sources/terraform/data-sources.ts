/**
 * AWS-aware data sources: `aws_caller_identity` (the account), `aws_partition`, `aws_service_principal`,
 * `aws_iam_policy_document` (its `json`, per instance when it has `count` / `for_each`) and the
 * `template` provider's `template_file`. Any other data source is read at plan time: unknown.
 */
import type { SourceLocation } from '../../model/types.js';
import { applyOps, symOf } from './chain.js';
import { type Ast, bodyAttrs, locOf, textOf } from './hcl.js';
import { instancesOf, metaScope } from './module-graph.js';
import type { BlockInstance, ModuleEvaluator, Scope } from './scope.js';
import { evalTemplate, parseTemplateFile } from './templates.js';
import { errSym, NULL, scalarText, str, sym, type Val, wrap } from './values.js';

/**
 * `data.aws_iam_policy_document.x[0].json`, `data.aws_iam_policy_document.x[*].json` of a document
 * with a known `count` / `for_each`: its real instances (none when the count is 0). Undefined: not such
 * a reference (the general path handles it).
 */
export function countedDocument(
  ev: ModuleEvaluator,
  type: string,
  name: string,
  rest: Ast[],
  whole: Ast,
  scope: Scope,
  loc: SourceLocation,
  wholeText: string,
): Val | undefined {
  if (type !== 'aws_iam_policy_document') return undefined;
  const block = ev.mod.data.get(`${type}.${name}`);
  if (!block) return undefined;
  const attrs = bodyAttrs(block.body);
  if (!attrs.has('count') && !attrs.has('for_each')) return undefined;
  const insts = instancesOf(ev, block, `data.${type}.${name}`);
  if (!insts.every((i) => i.known)) return undefined;
  const field = (op: Ast | undefined): string | undefined =>
    op?.type === 'get_attr' ? textOf(op).replace(/^\./, '').trim() : undefined;
  const docOf = (i: BlockInstance, f: string | undefined): Val =>
    f === 'json' || f === 'minified_json'
      ? { ...ev.policyDocument(name, loc, i), loc }
      : sym(`data.${type}.${name}${f ? `.${f}` : ''} (read at plan time)`, wrap(wholeText), loc);
  const first = rest[0];
  if (first?.type === 'splat') {
    const inner = first.kids[0]?.kids ?? [];
    const f = field(inner[0]);
    const list = insts.map((i) => applyOps(ev, docOf(i, f), inner.slice(1), whole, scope, loc));
    return applyOps(ev, { t: 'list', v: list, loc }, rest.slice(1), whole, scope, loc);
  }
  if (first?.type === 'index') {
    const inner = first.kids[0];
    const key: Val =
      inner?.type === 'legacy_index'
        ? { t: 'num', v: Number(textOf(inner).replace('.', '')) }
        : inner?.kids[0]
          ? ev.eval(inner.kids[0], scope)
          : NULL;
    if (key.t === 'sym') return symOf(key, whole, loc);
    const suffix = key.t === 'num' ? `[${key.v}]` : `[${JSON.stringify(scalarText(key) ?? '')}]`;
    const one = insts.find((i) => i.suffix === suffix);
    if (!one) return errSym(`${wholeText} (no such instance)`, wrap(wholeText), loc);
    return applyOps(ev, docOf(one, field(rest[1])), rest.slice(2), whole, scope, loc);
  }
  return undefined;
}

/** `data.TYPE.NAME.FIELD` of an AWS-aware data source, else unknown (read at plan time). */
export function dataAttribute(
  ev: ModuleEvaluator,
  type: string,
  name: string,
  field: string | undefined,
  loc: SourceLocation,
  text: string,
): Val {
  if (type === 'aws_caller_identity' && field === 'account_id') return str(ev.env.owner, loc);
  if (type === 'aws_partition' && field === 'partition') return str(ev.env.partition, loc);
  if (type === 'aws_partition' && field === 'dns_suffix') return str('amazonaws.com', loc);
  if (type === 'aws_service_principal' && field === 'name') {
    // The service's principal in the commercial partition: `<service_name>.amazonaws.com`.
    const block = ev.mod.data.get(`${type}.${name}`);
    const svcNode = block ? bodyAttrs(block.body).get('service_name') : undefined;
    const svc = svcNode && block ? ev.eval(svcNode, metaScope(ev, block, `data.${type}.${name}`)) : undefined;
    if (svc?.t === 'str' && ev.env.partition === 'aws') return str(`${svc.v}.amazonaws.com`, loc);
  }
  if (type === 'template_file' && field === 'rendered') {
    const rendered = templateFileData(ev, name, loc);
    if (rendered) return rendered;
  }
  if (type === 'aws_iam_policy_document' && (field === 'json' || field === 'minified_json')) {
    const v = ev.policyDocument(name, loc);
    return v.t === 'sym' ? v : { ...v, loc };
  }
  return sym(`data.${type}.${name}${field ? `.${field}` : ''} (read at plan time)`, wrap(text), loc);
}

/**
 * `data.template_file.NAME.rendered` (the `template` provider): its `template` string rendered with
 * its `vars`, as `templatefile()` renders a file. Undefined when the template is not a known string.
 */
function templateFileData(ev: ModuleEvaluator, name: string, loc: SourceLocation): Val | undefined {
  const block = ev.mod.data.get(`template_file.${name}`);
  if (!block) return undefined;
  const scope = metaScope(ev, block, `data.template_file.${name}`);
  const attrs = bodyAttrs(block.body);
  const tplNode = attrs.get('template');
  const tpl = tplNode ? ev.eval(tplNode, scope) : NULL;
  if (tpl.t !== 'str') return undefined;
  const varsNode = attrs.get('vars');
  const vars = varsNode ? ev.eval(varsNode, scope) : NULL;
  const names = new Map<string, Val>();
  if (vars.t === 'obj') for (const [k, v] of vars.v) names.set(k, v);
  else if (vars.t !== 'null') return undefined;
  const at = locOf(tplNode ?? block.node);
  // Parsed for each use (the text may differ between instances and branches), located in the file
  // from the line the template's text starts on.
  const firstLine = tpl.map?.segs[0]?.line ?? at.line ?? 1;
  const ast = parseTemplateFile(ev.env.parser, { path: at.file, text: tpl.v }, firstLine);
  if (!ast) return undefined;
  return { ...evalTemplate(ev, ast, { names, templateOnly: true }), loc };
}
