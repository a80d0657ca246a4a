/**
 * One `resource "aws_iam_role"` instance to a Role: its trust policy (`assume_role_policy`) decoded and
 * located, its name, tags and inline `# trustaudit:skip` suppressions.
 */
import { parseTrustDocument } from '../../model/normalise.js';
import type { InlineSuppression, Role, ScanError, SourceLocation, TrustPolicy } from '../../model/types.js';
import { attrNode, type BlockInfo, bodyAttrs, type HclComment, locOf, textOf } from './hcl.js';
import { decodePolicyValue } from './json-text.js';
import type { BlockInstance, ModuleEvaluator } from './scope.js';
import { assumeUnknownActions } from './unknown-actions.js';
import { locator, scalarText, toJsonLike, type Val } from './values.js';

const SKIP = /trustaudit:skip=([A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*)(.*)$/;

/** `# trustaudit:skip=TA001 reason` comments inside a block. A suppression without a reason is an error. */
export function suppressionsIn(
  block: BlockInfo,
  comments: readonly HclComment[],
  errors: ScanError[],
): InlineSuppression[] {
  const out: InlineSuppression[] = [];
  const file = block.node.f.path;
  for (const c of comments) {
    if (c.si < block.node.si || c.si >= block.node.ei) continue;
    const body = c.text.replace(/^(#|\/\/|\/\*)/, '').replace(/\*\/$/, '');
    const m = SKIP.exec(body);
    if (!m) continue;
    const reason = (m[2] ?? '').trim().replace(/^[-:—]\s*/, '');
    const location: SourceLocation = { file, line: c.line, column: c.column };
    if (!reason) {
      errors.push({
        source: 'terraform',
        code: 'suppression-without-reason',
        message: `inline suppression "trustaudit:skip=${m[1]}" has no reason; write the reason after the rule id`,
        file,
        line: c.line,
        column: c.column,
      });
      continue;
    }
    for (const ruleId of (m[1] ?? '').split(',')) out.push({ ruleId: ruleId.trim(), reason, location });
  }
  return out;
}

/** Trust policy of a decoded document value, with every element located. */
export function trustPolicyOf(doc: Val, file: string, base: SourceLocation): TrustPolicy {
  const { json, locations } = toJsonLike(doc);
  return parseTrustDocument(json, { file, locate: locator(locations), base });
}

export interface RoleBuildResult {
  role?: Role;
  errors: ScanError[];
  warnings?: ScanError[];
}

/** One `resource "aws_iam_role"` block of a module instance -> a Role (or a ScanError). */
export function buildRole(
  inst: ModuleEvaluator,
  block: BlockInfo,
  comments: readonly HclComment[],
  account: string,
  partition: string,
  instance: BlockInstance,
): RoleBuildResult {
  const errors: ScanError[] = [];
  const name = block.labels[1] ?? '';
  const address = `${inst.address}aws_iam_role.${name}${instance.suffix}`;
  const loc = locOf(block.node);
  const file = loc.file;
  const scope = instance.scope;
  const attrs = bodyAttrs(block.body);
  const policyNode = attrs.get('assume_role_policy');
  if (!policyNode) {
    errors.push({
      source: 'terraform',
      code: 'missing-trust-policy',
      message: `${address} has no assume_role_policy`,
      file,
      line: loc.line,
      column: loc.column,
    });
    return { errors };
  }
  const attrLoc = locOf(attrNode(block.body, 'assume_role_policy') ?? policyNode);
  const value = inst.eval(policyNode, scope);
  const decoded = decodePolicyValue(value, attrLoc);
  if (!decoded.ok) {
    const at = decoded.loc ?? attrLoc;
    errors.push({
      source: 'terraform',
      code: 'policy-json',
      message: `${address}: assume_role_policy: ${decoded.message}`,
      file: at.file,
      ...(at.line !== undefined ? { line: at.line } : {}),
      ...(at.column !== undefined ? { column: at.column } : {}),
    });
    return { errors };
  }
  if (decoded.val.t === 'sym' && decoded.val.err) {
    errors.push({
      source: 'terraform',
      code: 'unresolved-policy',
      message: `${address}: assume_role_policy cannot be evaluated: ${decoded.val.description}`,
      file,
      ...(attrLoc.line !== undefined ? { line: attrLoc.line } : {}),
      ...(attrLoc.column !== undefined ? { column: attrLoc.column } : {}),
    });
  }
  const trustPolicy = trustPolicyOf(decoded.val, file, attrLoc);
  const text = (n: string): string | undefined => {
    const node = attrs.get(n);
    if (!node) return undefined;
    const v = inst.eval(node, scope);
    if (v.t === 'null') return undefined;
    return scalarText(v) ?? (v.t === 'sym' ? v.text : undefined);
  };
  const named = text('name');
  const prefix = text('name_prefix');
  const roleName = named ? named : prefix ? `${prefix}*` : address;
  const role: Role = {
    id: address,
    name: roleName,
    account,
    partition,
    source: { kind: 'terraform', location: loc },
    trustPolicy,
  };
  if (inst.address) role.source.construct = inst.address.slice(0, -1);
  const rolePath = text('path');
  if (rolePath !== undefined) role.path = rolePath;
  const description = text('description');
  if (description !== undefined) role.description = description;
  const tagsNode = attrs.get('tags');
  if (tagsNode) {
    const tags = inst.eval(tagsNode, scope);
    if (tags.t === 'obj') {
      const t: Record<string, string> = {};
      for (const [k, v] of tags.v) {
        const s = scalarText(v);
        if (s !== undefined) t[k] = s;
      }
      role.tags = t;
    }
  }
  if (/^\d{12}$/.test(account) && roleName !== address && !roleName.includes('${')) {
    role.arn = `arn:${partition}:iam::${account}:role${normalisePath(rolePath)}${roleName}`;
  }
  const extra: Record<string, unknown> = { address };
  const count = attrs.get('count');
  const forEach = attrs.get('for_each');
  if (count) extra.count = textOf(count).trim();
  if (forEach) extra.forEach = textOf(forEach).trim();
  if ((count || forEach) && !instance.known) {
    extra.note = `${address} has ${count ? 'count' : 'for_each'} over a collection that is not known; this one symbolic instance stands for every instance`;
    extra.symbolicInstance = true;
  }
  role.extra = { terraform: extra };
  const sups = suppressionsIn(block, comments, errors);
  if (sups.length > 0) role.inlineSuppressions = sups;
  const warnings = assumeUnknownActions(role);
  return warnings.length > 0 ? { role, errors, warnings } : { role, errors };
}

function normalisePath(p: string | undefined): string {
  if (!p) return '/';
  let s = p.startsWith('/') ? p : `/${p}`;
  if (!s.endsWith('/')) s += '/';
  return s;
}
