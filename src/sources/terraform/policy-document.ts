/**
 * The `aws_iam_policy_document` data source: its `statement`, `principals` and `condition` blocks
 * (`dynamic` ones expanded), `source_policy_documents` and `override_policy_documents` merged by Sid
 * as the AWS provider does, built into the IAM JSON form. Needs only the `Evaluator` (scope.ts).
 */
import type { SourceLocation } from '../../model/types.js';
import { append } from '../../util/append.js';
import { type Ast, attrNode, type BlockInfo, bodyAttrs, bodyBlocks, locOf, textOf } from './hcl.js';
import { decodePolicyValue } from './json-text.js';
import { childScope, EMPTY_SCOPE, type Evaluator, objOf, placeOf, type Scope } from './scope.js';
import { displayText, scalarText, str, sym, type Val, wrap } from './values.js';

/** One instance of a (possibly `dynamic`) nested block, with the scope its content is evaluated in. */
export interface BlockInstance {
  body: Ast | undefined;
  node: Ast;
  scope: Scope;
}

/**
 * The blocks of `type` in a body, `dynamic "type"` blocks expanded over their `for_each` when it is known.
 * An unknown `for_each` yields one instance whose iterator is symbolic (its content still shows).
 */
export function expandBlocks(
  inst: Evaluator,
  body: Ast | undefined,
  type: string,
  scope: Scope,
): BlockInstance[] {
  const out: BlockInstance[] = [];
  for (const b of bodyBlocks(body)) {
    if (b.type === type) {
      out.push({ body: b.body, node: b.node, scope });
      continue;
    }
    if (b.type !== 'dynamic' || b.labels[0] !== type) continue;
    const attrs = bodyAttrs(b.body);
    const content = bodyBlocks(b.body).find((x) => x.type === 'content');
    if (!content) continue;
    const itNode = attrs.get('iterator');
    const it = itNode ? textOf(itNode).trim() : type;
    const fe = attrs.get('for_each');
    const coll = fe ? inst.eval(fe, scope) : { t: 'null' as const };
    const pairs: [Val, Val][] = [];
    if (coll.t === 'list') {
      for (const [i, v] of coll.v.entries()) pairs.push([{ t: 'num', v: i }, v]);
    } else if (coll.t === 'obj') for (const [k, v] of coll.v) pairs.push([str(k), v]);
    else if (coll.t === 'sym') {
      const what = fe ? textOf(fe).trim() : 'for_each';
      pairs.push([
        sym(`${it}.key (dynamic "${type}" over ${coll.description})`, wrap(`${it}.key`)),
        sym(`each element of ${what} (${coll.description})`, wrap(`${it}.value`)),
      ]);
    }
    for (const [k, v] of pairs) {
      inst.meter.grow(out.length + 1, () => placeOf(b.node));
      out.push({
        body: content.body,
        node: content.node,
        scope: childScope(scope, new Map([[it, objOf({ key: k, value: v })]])),
      });
    }
  }
  return out;
}

function attr(inst: Evaluator, b: BlockInstance, name: string): Val | undefined {
  const n = bodyAttrs(b.body).get(name);
  return n ? inst.eval(n, b.scope) : undefined;
}

/** A value that should be a list of strings: lists stay, a single string becomes a one-element list. */
function asList(v: Val, at: SourceLocation): Val {
  if (v.t === 'list') return { ...v, loc: at, v: v.v.map((x) => (x.loc ? x : { ...x, loc: at })) };
  return { ...v, loc: v.loc ?? at };
}

function keyText(v: Val | undefined): string {
  if (!v) return '';
  return scalarText(v) ?? displayText(v);
}

/** Builds a statement in IAM JSON form from a `statement` block. */
function buildStatement(inst: Evaluator, s: BlockInstance): Val {
  const m = new Map<string, Val>();
  const loc = locOf(s.node);
  const sid = attr(inst, s, 'sid');
  if (sid && sid.t !== 'null') m.set('Sid', sid);
  const effect = attr(inst, s, 'effect');
  m.set('Effect', effect && effect.t !== 'null' ? effect : str('Allow', loc));
  const lists: [string, string][] = [
    ['actions', 'Action'],
    ['not_actions', 'NotAction'],
    ['resources', 'Resource'],
    ['not_resources', 'NotResource'],
  ];
  for (const [hcl, json] of lists) {
    const v = attr(inst, s, hcl);
    const node = attrNode(s.body, hcl);
    if (v && v.t !== 'null' && !(v.t === 'list' && v.v.length === 0))
      m.set(json, asList(v, node ? locOf(node) : loc));
  }
  for (const [blockType, json] of [
    ['principals', 'Principal'],
    ['not_principals', 'NotPrincipal'],
  ] as const) {
    const blocks = expandBlocks(inst, s.body, blockType, s.scope);
    if (blocks.length === 0) continue;
    const byType = new Map<string, Val[]>();
    let firstLoc: SourceLocation | undefined;
    let star = false;
    let unknownType: Val | undefined;
    for (const p of blocks) {
      const ploc = locOf(p.node);
      firstLoc ??= ploc;
      const typeVal = attr(inst, p, 'type');
      if (typeVal?.t === 'sym') unknownType ??= { ...typeVal, loc: ploc };
      const type = keyText(typeVal);
      const ids = attr(inst, p, 'identifiers') ?? { t: 'list', v: [] };
      const idList: Val[] =
        ids.t === 'list' ? ids.v.map((x) => (x.loc ? x : { ...x, loc: ploc })) : [{ ...ids, loc: ploc }];
      if (type === '*' && idList.length === 1 && idList[0]?.t === 'str' && idList[0].v === '*') star = true;
      const list = byType.get(type) ?? [];
      append(list, idList);
      byType.set(type, list);
    }
    if (unknownType?.t === 'sym') {
      // A principal whose type is unknown cannot be written as a key: the whole element is unknown.
      m.set(json, {
        t: 'sym',
        description: `${blockType} with an unknown type (${unknownType.description})`,
        text: `${blockType} { type = ${unknownType.text} }`,
        ...(unknownType.loc ? { loc: unknownType.loc } : {}),
      });
      continue;
    }
    if (star && byType.size === 1) {
      m.set(json, str('*', firstLoc));
      continue;
    }
    const pm = new Map<string, Val>();
    for (const [type, ids] of byType)
      pm.set(type, { t: 'list', v: ids, loc: ids[0]?.loc ?? firstLoc ?? loc });
    m.set(json, { t: 'obj', v: pm, loc: firstLoc ?? loc });
  }
  const conds = expandBlocks(inst, s.body, 'condition', s.scope);
  if (conds.length > 0) {
    const cm = new Map<string, Val>();
    let firstLoc: SourceLocation | undefined;
    let unknownTest: Val | undefined;
    for (const c of conds) {
      const cloc = locOf(c.node);
      firstLoc ??= cloc;
      const testVal = attr(inst, c, 'test');
      if (testVal?.t === 'sym') unknownTest ??= { ...testVal, loc: cloc };
      const test = keyText(testVal);
      const variable = keyText(attr(inst, c, 'variable'));
      const values = attr(inst, c, 'values') ?? { t: 'list', v: [] };
      const vlist: Val[] =
        values.t === 'list'
          ? values.v.map((x) => (x.loc ? x : { ...x, loc: cloc }))
          : [{ ...values, loc: cloc }];
      let byVar = cm.get(test);
      if (byVar?.t !== 'obj') {
        byVar = { t: 'obj', v: new Map(), loc: cloc };
        cm.set(test, byVar);
      }
      const prev = byVar.v.get(variable);
      if (prev?.t === 'list') append(prev.v, vlist);
      else byVar.v.set(variable, { t: 'list', v: vlist, loc: cloc });
    }
    if (unknownTest?.t === 'sym') {
      // An unknown operator could mean anything: the statement's conditions are unknown as a whole.
      m.set('Condition', {
        t: 'sym',
        description: `condition with an unknown test (${unknownTest.description})`,
        text: `condition { test = ${unknownTest.text} }`,
        ...(unknownTest.loc ? { loc: unknownTest.loc } : {}),
      });
    } else m.set('Condition', { t: 'obj', v: cm, loc: firstLoc ?? loc });
  }
  return { t: 'obj', v: m, loc };
}

export function statementsOf(doc: Val): Val[] {
  if (doc.t === 'sym') return [doc];
  if (doc.t !== 'obj') return [];
  const s = doc.v.get('Statement');
  if (!s) return [];
  if (s.t === 'list') return s.v;
  return [s];
}

function sidOf(s: Val): string | undefined {
  if (s.t !== 'obj') return undefined;
  const sid = s.v.get('Sid');
  const t = sid ? scalarText(sid) : undefined;
  return t === '' ? undefined : t;
}

/**
 * Statements with a Sid replace the first same-Sid statement; the others are appended. Linear: the
 * Sids of `target` are indexed once per call.
 */
export function mergeInto(target: Val[], incoming: Val[]): void {
  const bySid = new Map<string, number>();
  target.forEach((x, i) => {
    const sid = sidOf(x);
    if (sid !== undefined && !bySid.has(sid)) bySid.set(sid, i);
  });
  for (const s of incoming) {
    const sid = sidOf(s);
    const i = sid === undefined ? undefined : bySid.get(sid);
    if (i !== undefined) target[i] = s;
    else {
      if (sid !== undefined) bySid.set(sid, target.length);
      target.push(s);
    }
  }
}

function docsOf(
  inst: Evaluator,
  body: Ast | undefined,
  scope: Scope,
  listAttr: string,
  legacyAttr: string,
): Val[] {
  const out: Val[] = [];
  const attrs = bodyAttrs(body);
  const push = (v: Val, at: SourceLocation): void => {
    const d = decodePolicyValue(v, at, inst.meter.budgets['nesting-depth']);
    if (d.ok) out.push(d.val);
    else out.push(sym(`${listAttr} entry: ${d.message}`, wrap(displayText(v)), d.loc ?? at));
  };
  const legacy = attrs.get(legacyAttr);
  if (legacy) {
    const v = inst.eval(legacy, scope);
    if (v.t !== 'null') push(v, locOf(legacy));
  }
  const list = attrs.get(listAttr);
  if (list) {
    const v = inst.eval(list, scope);
    if (v.t === 'list') for (const x of v.v) push(x, x.loc ?? locOf(list));
    else if (v.t !== 'null') out.push({ ...v, loc: v.loc ?? locOf(list) });
  }
  return out;
}

/**
 * `data "aws_iam_policy_document"` -> the policy it renders, as a value whose nodes carry the locations of
 * the HCL blocks (statement, principals, condition) they come from.
 */
export function buildPolicyDocument(inst: Evaluator, block: BlockInfo, scope: Scope = EMPTY_SCOPE): Val {
  const body = block.body;
  const attrs = bodyAttrs(body);
  const loc = locOf(block.node);
  const statements: Val[] = [];
  for (const src of docsOf(inst, body, scope, 'source_policy_documents', 'source_json'))
    mergeInto(statements, statementsOf(src));
  mergeInto(
    statements,
    expandBlocks(inst, body, 'statement', scope).map((s) => buildStatement(inst, s)),
  );
  for (const ov of docsOf(inst, body, scope, 'override_policy_documents', 'override_json'))
    mergeInto(statements, statementsOf(ov));
  const m = new Map<string, Val>();
  const version = attrs.get('version');
  m.set('Version', version ? inst.eval(version, scope) : str('2012-10-17', loc));
  const id = attrs.get('policy_id');
  if (id) m.set('Id', inst.eval(id, scope));
  m.set('Statement', { t: 'list', v: statements, loc });
  return { t: 'obj', v: m, loc };
}
