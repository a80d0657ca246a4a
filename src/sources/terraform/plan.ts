/**
 * Terraform plan JSON (`terraform show -json plan.out`): roles from `planned_values` (root and child
 * modules) and `resource_changes` (resources that are not deleted). State JSON (`terraform show -json`
 * without a plan) is read the same way from its `values`.
 *
 * A trust policy that is unknown until apply (`after_unknown.assume_role_policy`, typically because it
 * is built from a data source that depends on another resource) is read from the
 * `data "aws_iam_policy_document"` the configuration names for it, as the plan shows it
 * (planned_values / prior_state), values still unknown becoming symbolic values named after the
 * configuration's references. When no such data source is in the plan, the role is still reported,
 * with a wholly symbolic trust policy, and a ScanError `unknown-until-apply` says why it cannot be
 * judged. Nothing is guessed.
 */

import {
  findNodeAtLocation,
  getNodeValue,
  type Node as JsonNode,
  type ParseError,
  parseTree,
  printParseErrorCode,
} from 'jsonc-parser';
import { LineIndex } from '../../model/line-index.js';
import type { Role, ScanError, SourceLocation } from '../../model/types.js';
import { BUDGETS, budgetAdvice } from '../../scan/budgets.js';
import { append } from '../../util/append.js';
import { jsonTooDeepAt } from '../../util/json-depth.js';
import type { InputFile } from '../types.js';
import { decodePolicyValue } from './json-text.js';
import { mergeInto, statementsOf } from './policy-document.js';
import { trustPolicyOf } from './roles.js';
import { str, sym, type Val, wrap } from './values.js';

type J = null | boolean | number | string | J[] | { [k: string]: J };
type JObj = { [k: string]: J };

const isObj = (v: J | undefined): v is JObj => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArr = (v: J | undefined): J[] => (Array.isArray(v) ? v : []);

export { looksLikePlan } from './claims.js';

interface PlanResource {
  address: string;
  values: JObj;
  jsonPath: (string | number)[];
  /** Path of the object holding the attribute values (`values` or `change.after`). */
  valuesPath: (string | number)[];
  moduleAddress: string;
  index?: J;
  type: string;
  mode: string;
  name: string;
}

/** Offset -> 1-based line and column (the shared line index). */
function lineIndex(text: string): (off: number) => { line: number; column: number } {
  const index = new LineIndex(text);
  return (off) => index.position(off);
}

function collectModule(mod: J | undefined, jsonPath: (string | number)[], out: PlanResource[]): void {
  if (!isObj(mod)) return;
  asArr(mod.resources).forEach((r, i) => {
    if (!isObj(r) || typeof r.address !== 'string') return;
    const res: PlanResource = {
      address: r.address,
      values: isObj(r.values) ? r.values : {},
      jsonPath: [...jsonPath, 'resources', i],
      valuesPath: [...jsonPath, 'resources', i, 'values'],
      moduleAddress: typeof mod.address === 'string' ? mod.address : '',
      type: String(r.type ?? ''),
      mode: String(r.mode ?? ''),
      name: String(r.name ?? ''),
    };
    if (r.index !== undefined) res.index = r.index;
    out.push(res);
  });
  asArr(mod.child_modules).forEach((c, i) => {
    collectModule(c, [...jsonPath, 'child_modules', i], out);
  });
}

/** The configuration block of a resource (`module.a.module.b` + `aws_iam_role.x`). */
function configResource(
  config: J | undefined,
  moduleAddress: string,
  type: string,
  name: string,
  mode: string,
): JObj | undefined {
  if (!isObj(config)) return undefined;
  let mod: J | undefined = config.root_module;
  for (const m of moduleAddress.split('.').filter((_, i) => i % 2 === 1)) {
    const name2 = m.replace(/\[.*\]$/, '');
    const calls: J | undefined = isObj(mod) ? mod.module_calls : undefined;
    const call: J | undefined = isObj(calls) ? calls[name2] : undefined;
    mod = isObj(call) ? call.module : undefined;
  }
  if (!isObj(mod)) return undefined;
  for (const r of asArr(mod.resources)) {
    if (isObj(r) && r.type === type && r.name === name && (r.mode ?? 'managed') === mode) return r;
  }
  return undefined;
}

function refsOf(expr: J | undefined): string[] {
  return isObj(expr) ? asArr(expr.references).filter((x): x is string => typeof x === 'string') : [];
}

/** Unknown values named after the configuration expression that will produce them. */
function unknownVal(expr: J | undefined, what: string, at: SourceLocation): Val {
  const ref = refsOf(expr)[0];
  if (ref) return sym(`${ref} (known after apply)`, wrap(ref), at);
  return sym(`${what} (known after apply)`, wrap(what), at);
}

function valOf(v: J | undefined, expr: J | undefined, what: string, at: SourceLocation): Val {
  if (v === null || v === undefined) return unknownVal(expr, what, at);
  if (Array.isArray(v)) {
    return {
      t: 'list',
      v: v.map((x, i) =>
        valOf(x, isObj(expr) && Array.isArray(expr.constant_value) ? undefined : expr, `${what}[${i}]`, at),
      ),
      loc: at,
    };
  }
  if (typeof v === 'string') return str(v, at);
  if (typeof v === 'number') return { t: 'num', v, loc: at };
  if (typeof v === 'boolean') return { t: 'bool', v, loc: at };
  const m = new Map<string, Val>();
  for (const [k, x] of Object.entries(v)) m.set(k, valOf(x, undefined, `${what}.${k}`, at));
  return { t: 'obj', v: m, loc: at };
}

/** An `aws_iam_policy_document` as the plan shows its arguments -> the policy. */
function documentFromData(values: JObj, config: JObj | undefined, at: SourceLocation, address: string): Val {
  if (typeof values.json === 'string') {
    const d = decodePolicyValue(str(values.json, at), at);
    if (d.ok) return d.val;
  }
  const exprs = isObj(config?.expressions) ? (config.expressions as JObj) : {};
  const statements: Val[] = [];
  const docs = (key: string): Val[] => {
    const out: Val[] = [];
    for (const s of asArr(values[key])) {
      if (typeof s !== 'string') continue;
      const d = decodePolicyValue(str(s, at), at);
      if (d.ok) out.push(d.val);
    }
    return out;
  };
  for (const d of docs('source_policy_documents')) mergeInto(statements, statementsOf(d));
  const cfgStatements = asArr(exprs.statement);
  const built: Val[] = asArr(values.statement).map((s, i) => {
    const cs = cfgStatements[i];
    const ce: JObj = isObj(cs) ? cs : {};
    const st: JObj = isObj(s) ? s : {};
    const m = new Map<string, Val>();
    if (typeof st.sid === 'string' && st.sid !== '') m.set('Sid', str(st.sid, at));
    m.set('Effect', typeof st.effect === 'string' ? str(st.effect, at) : str('Allow', at));
    for (const [k, json] of [
      ['actions', 'Action'],
      ['not_actions', 'NotAction'],
      ['resources', 'Resource'],
      ['not_resources', 'NotResource'],
    ] as const) {
      const v = st[k];
      if (Array.isArray(v) && v.length > 0)
        m.set(json, valOf(v, ce[k], `${address}.statement[${i}].${k}`, at));
    }
    for (const [k, json] of [
      ['principals', 'Principal'],
      ['not_principals', 'NotPrincipal'],
    ] as const) {
      const blocks = asArr(st[k]);
      if (blocks.length === 0) continue;
      const cfgBlocks = asArr(ce[k]);
      const pm = new Map<string, Val>();
      blocks.forEach((b, j) => {
        if (!isObj(b)) return;
        const cb = cfgBlocks[j];
        const type = typeof b.type === 'string' ? b.type : '';
        const ids = valOf(
          b.identifiers,
          isObj(cb) ? cb.identifiers : undefined,
          `${address}.statement[${i}].${k}[${j}].identifiers`,
          at,
        );
        const prev = pm.get(type);
        const items = ids.t === 'list' ? ids.v : [ids];
        if (prev?.t === 'list') append(prev.v, items);
        else pm.set(type, { t: 'list', v: items, loc: at });
      });
      m.set(json, { t: 'obj', v: pm, loc: at });
    }
    const conds = asArr(st.condition);
    if (conds.length > 0) {
      const cfgConds = asArr(ce.condition);
      const cm = new Map<string, Val>();
      conds.forEach((c, j) => {
        if (!isObj(c)) return;
        const cc = cfgConds[j];
        const cfg: JObj = isObj(cc) ? cc : {};
        const test = typeof c.test === 'string' ? c.test : (refsOf(cfg.test)[0] ?? 'unknown');
        const variable =
          typeof c.variable === 'string' ? c.variable : `\${${refsOf(cfg.variable)[0] ?? 'unknown'}}`;
        const values2 = valOf(c.values, cfg.values, `${address}.statement[${i}].condition[${j}].values`, at);
        let byVar = cm.get(test);
        if (byVar?.t !== 'obj') {
          byVar = { t: 'obj', v: new Map(), loc: at };
          cm.set(test, byVar);
        }
        const prev = byVar.v.get(variable);
        const items = values2.t === 'list' ? values2.v : [values2];
        if (prev?.t === 'list') append(prev.v, items);
        else byVar.v.set(variable, { t: 'list', v: items, loc: at });
      });
      m.set('Condition', { t: 'obj', v: cm, loc: at });
    }
    return { t: 'obj', v: m, loc: at };
  });
  mergeInto(statements, built);
  for (const d of docs('override_policy_documents')) mergeInto(statements, statementsOf(d));
  const doc = new Map<string, Val>();
  doc.set('Version', typeof values.version === 'string' ? str(values.version, at) : str('2012-10-17', at));
  if (typeof values.policy_id === 'string') doc.set('Id', str(values.policy_id, at));
  doc.set('Statement', { t: 'list', v: statements, loc: at });
  return { t: 'obj', v: doc, loc: at };
}

export function scanPlan(
  file: InputFile,
  account: string,
  partition: string,
  maxDepth: number = BUDGETS['nesting-depth'].default,
): { roles: Role[]; errors: ScanError[] } {
  const roles: Role[] = [];
  const errors: ScanError[] = [];
  const pos = lineIndex(file.text);
  // Measured before parsing: the JSON parser and the walks below are recursive.
  const deep = jsonTooDeepAt(file.text, maxDepth);
  if (deep !== -1) {
    const p = pos(deep);
    errors.push({
      source: 'terraform',
      code: 'limit-nesting-depth',
      message: `the plan is nested too deeply: ${budgetAdvice('nesting-depth', maxDepth)}; it was not read`,
      file: file.path,
      line: p.line,
      column: p.column,
    });
    return { roles, errors };
  }
  const parseErrors: ParseError[] = [];
  const tree = parseTree(file.text, parseErrors, { disallowComments: true });
  if (!tree || parseErrors.length > 0) {
    const e = parseErrors[0];
    const p = pos(e?.offset ?? 0);
    errors.push({
      source: 'terraform',
      code: 'json-syntax',
      message: `plan JSON is not valid: ${e ? printParseErrorCode(e.error) : 'empty'}`,
      file: file.path,
      line: p.line,
      column: p.column,
    });
    return { roles, errors };
  }
  const plan = getNodeValue(tree) as J;
  if (!isObj(plan)) return { roles, errors };
  const locAt = (jsonPath: (string | number)[], fallback?: SourceLocation): SourceLocation => {
    const n: JsonNode | undefined = findNodeAtLocation(tree, jsonPath);
    if (!n && fallback) return fallback;
    const p = pos(n?.offset ?? 0);
    return { file: file.path, line: p.line, column: p.column };
  };

  const planned: PlanResource[] = [];
  collectModule(
    isObj(plan.planned_values) ? plan.planned_values.root_module : undefined,
    ['planned_values', 'root_module'],
    planned,
  );
  // `terraform show -json` of a state file has `values` instead of `planned_values`.
  collectModule(isObj(plan.values) ? plan.values.root_module : undefined, ['values', 'root_module'], planned);
  const prior: PlanResource[] = [];
  const priorValues =
    isObj(plan.prior_state) && isObj(plan.prior_state.values) ? plan.prior_state.values : undefined;
  collectModule(priorValues?.root_module, ['prior_state', 'values', 'root_module'], prior);
  const dataByAddress = new Map<string, PlanResource>();
  for (const r of [...prior, ...planned])
    if (r.mode === 'data' && r.type === 'aws_iam_policy_document') dataByAddress.set(r.address, r);

  const changes = new Map<string, { change: JObj; index: number; rc: JObj }>();
  asArr(plan.resource_changes).forEach((rc, index) => {
    if (isObj(rc) && typeof rc.address === 'string' && isObj(rc.change))
      changes.set(rc.address, { change: rc.change, index, rc });
  });

  const roleResources = planned.filter((r) => r.mode === 'managed' && r.type === 'aws_iam_role');
  const seen = new Set(roleResources.map((r) => r.address));
  // Roles only in resource_changes (e.g. plans without planned_values for them), unless being deleted.
  for (const [address, { change, index, rc }] of changes) {
    if (seen.has(address) || rc.type !== 'aws_iam_role' || (rc.mode ?? 'managed') !== 'managed') continue;
    const actions = asArr(change.actions);
    if (actions.length === 1 && actions[0] === 'delete') continue;
    const res: PlanResource = {
      address,
      values: isObj(change.after) ? change.after : {},
      jsonPath: ['resource_changes', index],
      valuesPath: ['resource_changes', index, 'change', 'after'],
      moduleAddress: typeof rc.module_address === 'string' ? rc.module_address : '',
      type: 'aws_iam_role',
      mode: 'managed',
      name: String(rc.name ?? ''),
    };
    if (rc.index !== undefined) res.index = rc.index;
    roleResources.push(res);
  }

  for (const r of roleResources) {
    const at = locAt(r.jsonPath);
    const change = changes.get(r.address)?.change;
    const unknownFlags = isObj(change?.after_unknown) ? change.after_unknown : {};
    const raw = r.values.assume_role_policy;
    let doc: Val | undefined;
    let note: string | undefined;
    if (typeof raw === 'string' && raw !== '') {
      const d = decodePolicyValue(str(raw, locAt([...r.valuesPath, 'assume_role_policy'], at)), at);
      if (!d.ok) {
        errors.push({
          source: 'terraform',
          code: 'policy-json',
          message: `${r.address}: assume_role_policy: ${d.message}`,
          file: file.path,
          line: at.line ?? 1,
          column: at.column ?? 1,
        });
        continue;
      }
      doc = d.val;
    } else {
      const cfg = configResource(plan.configuration, r.moduleAddress, 'aws_iam_role', r.name, 'managed');
      const expr = isObj(cfg?.expressions) ? cfg.expressions.assume_role_policy : undefined;
      const dataRef = refsOf(expr).find((x) => x.startsWith('data.aws_iam_policy_document.'));
      if (dataRef) {
        const prefix = r.moduleAddress ? `${r.moduleAddress}.` : '';
        const base = `${prefix}${dataRef.replace(/\.json$|\.minified_json$/, '')}`;
        const candidates = r.index !== undefined ? [`${base}[${JSON.stringify(r.index)}]`, base] : [base];
        const data = candidates.map((c) => dataByAddress.get(c)).find((x) => x !== undefined);
        if (data) {
          const dcfg = configResource(
            plan.configuration,
            data.moduleAddress,
            'aws_iam_policy_document',
            data.name,
            'data',
          );
          doc = documentFromData(data.values, dcfg, locAt(data.jsonPath), data.address);
          note = `assume_role_policy is known only after apply; read from ${data.address} in the plan`;
        }
      }
      if (!doc) {
        const why = unknownFlags.assume_role_policy === true ? 'known only after apply' : 'not in the plan';
        doc = sym(`assume_role_policy of ${r.address} (${why})`, wrap(`${r.address}.assume_role_policy`), at);
        errors.push({
          source: 'terraform',
          code: 'unknown-until-apply',
          message: `${r.address}: the trust policy is ${why}${dataRef ? ` and ${dataRef} is not in the plan` : ''}; it cannot be judged from this plan`,
          file: file.path,
          line: at.line ?? 1,
          column: at.column ?? 1,
        });
      }
    }
    const name = typeof r.values.name === 'string' ? r.values.name : r.address;
    // A role already in the state knows its ARN: its account and partition win over --account.
    const arnParts =
      typeof r.values.arn === 'string' ? /^arn:([^:]+):iam::(\d{12}):role\//.exec(r.values.arn) : null;
    const role: Role = {
      // Two plans can hold the same address: the plan file makes the id unique.
      id: `${file.path}#${r.address}`,
      name,
      account: arnParts?.[2] ?? account,
      partition: arnParts?.[1] ?? partition,
      source: { kind: 'terraform-plan', location: at },
      trustPolicy: trustPolicyOf(doc, file.path, at),
    };
    if (r.moduleAddress) role.source.construct = r.moduleAddress;
    if (typeof r.values.path === 'string') role.path = r.values.path;
    if (typeof r.values.description === 'string') role.description = r.values.description;
    if (typeof r.values.arn === 'string') role.arn = r.values.arn;
    if (typeof r.values.unique_id === 'string') role.roleId = r.values.unique_id;
    if (isObj(r.values.tags)) {
      const tags: Record<string, string> = {};
      for (const [k, v] of Object.entries(r.values.tags)) if (typeof v === 'string') tags[k] = v;
      role.tags = tags;
    }
    role.extra = { terraform: { address: r.address, ...(note ? { note } : {}) } };
    roles.push(role);
  }
  return { roles, errors };
}
