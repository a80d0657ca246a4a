/**
 * `fn::invoke` of `aws:iam:getPolicyDocument` (the Pulumi form of Terraform's `aws_iam_policy_document`):
 * its arguments map one to one onto an IAM policy, so the document is built here, each element keeping
 * the position of the argument it comes from. Merged documents (`sourcePolicyDocuments`,
 * `overridePolicyDocuments`) are not: the result is then unknown.
 */
import { isSymbolic, type JsonLike } from '../../model/types.js';
import type { RKid, RNode } from '../cloudformation/resolve.js';

export const POLICY_DOCUMENT_FUNCTIONS: ReadonlySet<string> = new Set([
  'aws:iam:getPolicyDocument',
  'aws:iam/getPolicyDocument:getPolicyDocument',
]);

function kid(n: RNode | undefined, key: string | number): RNode | undefined {
  return n?.kids?.get(key)?.node;
}

function items(n: RNode | undefined): RNode[] {
  if (!n || !Array.isArray(n.v)) return [];
  return n.v.map((v, i) => kid(n, i) ?? { v, ...(n.pos ? { pos: n.pos } : {}) });
}

/** An object node from entries, each with the node (and position) it comes from. */
function object(entries: [string, RNode][], at: RNode): RNode {
  const kids = new Map<string | number, RKid>();
  for (const [k, node] of entries) kids.set(k, { node, ...(node.pos ? { keyPos: node.pos } : {}) });
  const v = Object.fromEntries(entries.map(([k, node]) => [k, node.v])) as JsonLike;
  return { v, ...(at.pos ? { pos: at.pos } : {}), kids };
}

function list(nodes: RNode[], at: RNode): RNode {
  const kids = new Map<string | number, RKid>();
  nodes.forEach((node, i) => {
    kids.set(i, { node });
  });
  return { v: nodes.map((n) => n.v), ...(at.pos ? { pos: at.pos } : {}), kids };
}

const STATEMENT_FIELDS: readonly [string, string][] = [
  ['sid', 'Sid'],
  ['effect', 'Effect'],
  ['actions', 'Action'],
  ['notActions', 'NotAction'],
  ['resources', 'Resource'],
  ['notResources', 'NotResource'],
];

/** `principals: [{type, identifiers}]` -> `{Type: [ids…]}`; `type: "*"` with `["*"]` is `"*"`. */
function principals(n: RNode, at: RNode): RNode {
  const byType = new Map<string, RNode[]>();
  for (const p of items(n)) {
    const type = kid(p, 'type');
    const ids = kid(p, 'identifiers');
    const t = typeof type?.v === 'string' ? type.v : undefined;
    if (t === undefined || !ids) continue;
    const all = byType.get(t) ?? [];
    all.push(...(Array.isArray(ids.v) ? items(ids) : [ids]));
    byType.set(t, all);
  }
  const star = byType.get('*');
  if (byType.size === 1 && star && star.every((s) => s.v === '*'))
    return { v: '*', ...(at.pos ? { pos: at.pos } : {}) };
  return object(
    [...byType].map(([t, ids]) => [t, list(ids, ids[0] ?? at)]),
    at,
  );
}

/** `conditions: [{test, variable, values}]` -> `{test: {variable: [values…]}}`. */
function conditions(n: RNode, at: RNode): RNode {
  const byTest = new Map<string, [string, RNode][]>();
  for (const c of items(n)) {
    const test = kid(c, 'test')?.v;
    const variable = kid(c, 'variable')?.v;
    const values = kid(c, 'values');
    if (typeof test !== 'string' || typeof variable !== 'string' || !values) continue;
    const keys = byTest.get(test) ?? [];
    // The key's position is where the condition is written.
    keys.push([variable, { ...values, ...(c.pos ? { pos: c.pos } : {}) }]);
    byTest.set(test, keys);
  }
  return object(
    [...byTest].map(([test, keys]) => [test, object(keys, at)]),
    at,
  );
}

function statement(s: RNode): RNode {
  const out: [string, RNode][] = [];
  for (const [arg, element] of STATEMENT_FIELDS) {
    const v = kid(s, arg);
    if (v) out.push([element, v]);
  }
  if (!out.some(([k]) => k === 'Effect'))
    out.push(['Effect', { v: 'Allow', ...(s.pos ? { pos: s.pos } : {}) }]);
  const p = kid(s, 'principals');
  if (p) out.push(['Principal', principals(p, p)]);
  const np = kid(s, 'notPrincipals');
  if (np) out.push(['NotPrincipal', principals(np, np)]);
  const c = kid(s, 'conditions');
  if (c) out.push(['Condition', conditions(c, c)]);
  return object(out, s);
}

/** The policy the arguments describe, or undefined when it cannot be known from them. */
export function policyDocument(args: RNode): RNode | undefined {
  if (isSymbolic(args.v) || kid(args, 'sourcePolicyDocuments') || kid(args, 'overridePolicyDocuments'))
    return undefined;
  const st = kid(args, 'statements');
  if (st && !Array.isArray(st.v)) return undefined;
  const entries: [string, RNode][] = [];
  const version = kid(args, 'version');
  entries.push(['Version', version ?? { v: '2012-10-17', ...(args.pos ? { pos: args.pos } : {}) }]);
  const id = kid(args, 'policyId');
  if (id) entries.push(['Id', id]);
  entries.push(['Statement', list(items(st).map(statement), st ?? args)]);
  return object(entries, args);
}
