/**
 * Template -> roles: `AWS::IAM::Role` resources and SAM functions that declare their own trust policy.
 * Each `Fn::If` alternative that changes the trust policy becomes its own Role (same id, `variant` label).
 */
import { parseTrustDocument } from '../../model/normalise.js';
import {
  DEPLOYING_ACCOUNT,
  type InlineSuppression,
  isSymbolic,
  type JsonLike,
  type PolicyIssue,
  type Role,
  type ScanError,
  type SourceLocation,
  type Symbolic,
} from '../../model/types.js';
import { BudgetExceeded, BudgetMeter, DEFAULT_BUDGETS } from '../../scan/budgets.js';
import { append } from '../../util/append.js';
import { expandJsonDocument, locateIn } from './embedded.js';
import type { CEntry, CNode, Pos } from './nodes.js';
import { get, getEntry, scalarText } from './nodes.js';
import { NO_VALUE, type ResolveIssue, type ResolveOptions, Resolver, type RNode } from './resolve.js';
import { isSam, type TemplateModel } from './template.js';
import { enumerateVariants, variantLabel } from './variants.js';

/** Most alternatives judged per resource; beyond this, remaining conditions follow parameter defaults. */
export const MAX_VARIANTS = 16;

export interface ExtractOptions extends ResolveOptions {
  /** Extra fields for `Role.extra` (e.g. the CDK manifest a template came from). */
  extra?: Record<string, unknown>;
  /** Logical id -> CDK construct path (from a cloud assembly manifest), when the template has no `aws:cdk:path`. */
  constructs?: ReadonlyMap<string, string>;
  /**
   * For a template read as the child of another (a nested stack, a stack set's body): role ids are
   * `prefix` + the id the template alone gives (`parent.yaml#Stack/child.yaml#Role`); `inline` drops the
   * file part, for a body written inside the parent (`parent.yaml#StackSet/Role`).
   */
  nesting?: { prefix: string; inline: boolean };
}

interface Resolved {
  doc?: RNode;
  docIssues: ResolveIssue[];
  otherIssues: ResolveIssue[];
  name?: string | Symbolic;
  path?: string | Symbolic;
  partition: string | Symbolic;
}

function loc(file: string, p: Pos | undefined): SourceLocation {
  return p ? { file, line: p.line, column: p.column } : { file };
}

function err(tpl: TemplateModel, code: string, message: string, p: Pos | undefined): ScanError {
  const e: ScanError = { source: 'cloudformation', code, message, file: tpl.file };
  if (p) {
    e.line = p.line;
    e.column = p.column;
  }
  return e;
}

/**
 * Every role the template declares. Never throws for bad input. All resolutions of the template share
 * one meter: a limit that runs out is an error for the resource being read (`eval-steps`, which covers
 * the whole template, also ends the reading of the template).
 */
export function extractRoles(
  tpl: TemplateModel,
  given: ExtractOptions,
): { roles: Role[]; errors: ScanError[] } {
  const roles: Role[] = [];
  const errors: ScanError[] = [];
  const opts: ExtractOptions = {
    ...given,
    meter: given.meter ?? new BudgetMeter(given.budgets ?? DEFAULT_BUDGETS),
  };
  for (const [logicalId, entry] of tpl.resources) {
    if (logicalId.startsWith('Fn::ForEach::')) {
      if (/AWS::IAM::Role|AWS::Serverless::Function/.test(JSON.stringify(plainish(entry.value)))) {
        errors.push(
          err(
            tpl,
            'cfn-foreach-unsupported',
            `${logicalId} (AWS::LanguageExtensions) generates roles from a loop; they were not expanded and not judged`,
            entry.keyPos,
          ),
        );
      }
      continue;
    }
    const type = tpl.resourceTypes.get(logicalId);
    const kind =
      type === 'AWS::IAM::Role'
        ? 'role'
        : type === 'AWS::Serverless::Function' && isSam(tpl)
          ? 'sam-function'
          : undefined;
    if (!kind) continue;
    try {
      resourceRoles(tpl, logicalId, entry, kind, opts, roles, errors);
    } catch (e) {
      if (e instanceof BudgetExceeded) {
        const stop = e.budget === 'eval-steps';
        const at =
          e.at?.line !== undefined ? { offset: 0, line: e.at.line, column: e.at.column ?? 1 } : entry.keyPos;
        const outcome = stop
          ? `${logicalId} and the resources after it were not judged`
          : `${logicalId} was not judged`;
        errors.push(err(tpl, `limit-${e.budget}`, `${e.message}; ${outcome}`, at));
        if (stop) break;
        continue;
      }
      // One resource that cannot be judged must not cost the others.
      const why = e instanceof RangeError ? 'it is nested too deeply' : String((e as Error)?.message ?? e);
      errors.push(err(tpl, 'internal', `${logicalId} could not be read: ${why}`, entry.keyPos));
    }
  }
  return { roles, errors: dedupeErrors(errors) };
}

function plainish(n: CNode): unknown {
  if (n.t === 'scalar') return n.v;
  if (n.t === 'seq') return n.items.map(plainish);
  return Object.fromEntries(n.entries.map((e) => [e.key, plainish(e.value)]));
}

function dedupeErrors(errors: ScanError[]): ScanError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = `${e.code}|${e.message}|${e.line}|${e.column}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function resourceRoles(
  tpl: TemplateModel,
  logicalId: string,
  entry: CEntry,
  kind: 'role' | 'sam-function',
  opts: ExtractOptions,
  roles: Role[],
  errors: ScanError[],
): void {
  const res = entry.value;
  const props = get(res, 'Properties');
  let docEntry = getEntry(props, 'AssumeRolePolicyDocument');
  if (kind === 'sam-function') {
    // A function given its own Role gets no generated role; one without a trust policy gets a role
    // that trusts lambda.amazonaws.com, which is not a cross-account trust: neither is reported.
    if (get(props, 'Role')) return;
    docEntry ??= getEntry(get(tpl.globals, 'Function'), 'AssumeRolePolicyDocument');
    if (!docEntry) return;
  }
  if (!docEntry) {
    const macros = tpl.transforms.filter((t) => !t.startsWith('AWS::'));
    const why =
      macros.length > 0
        ? ` (the template's macro ${macros.join(', ')} may write it at deploy time; the role was not judged)`
        : ' (CloudFormation requires one; the role was not judged)';
    errors.push(
      err(
        tpl,
        'cfn-no-trust-policy',
        `${logicalId} (AWS::IAM::Role) has no AssumeRolePolicyDocument${why}`,
        entry.keyPos,
      ),
    );
    return;
  }
  if (res.t !== 'map') return;

  // A resource with `Condition: X` exists only when X is true: judge it in that world, skip it when X is
  // certainly false.
  const fixed = new Map<string, boolean>();
  const resCondition = scalarText(get(res, 'Condition'));
  if (resCondition !== undefined) {
    const probe = new Resolver(tpl, opts);
    if (!tpl.conditions.has(resCondition)) {
      errors.push(
        err(
          tpl,
          'cfn-unknown-condition',
          `${logicalId} names condition ${resCondition}, which the template does not define`,
          getEntry(res, 'Condition')?.keyPos,
        ),
      );
    } else {
      if (probe.conditionValue(resCondition, true) === false) return;
      fixed.set(resCondition, true);
    }
  }

  const docNode = docEntry.value;
  const roleName = kind === 'role' ? get(props, 'RoleName') : undefined;
  const pathNode = get(props, kind === 'role' ? 'Path' : 'RolePath');
  // Only the trust policy forks (an `Fn::If` in RoleName alone does not make two roles to judge); the
  // name and path follow the conditions chosen for the trust policy, and the defaults for the rest.
  const run = (assignment: ReadonlyMap<string, boolean>, fork: boolean): Resolved => {
    const r = new Resolver(tpl, opts, assignment, fork);
    const d = r.resolve(docNode);
    const out: Resolved = { docIssues: r.issues.splice(0), otherIssues: [], partition: r.partition() };
    if (d !== NO_VALUE) out.doc = d;
    const names = new Resolver(tpl, opts, assignment, false);
    if (roleName) {
      const n = names.text(roleName);
      if (n !== undefined) out.name = n;
    }
    if (pathNode) {
      const p = names.text(pathNode);
      if (p !== undefined) out.path = p;
    }
    out.otherIssues = names.issues.splice(0);
    return out;
  };
  const { variants, capped } = enumerateVariants(run, fixed, MAX_VARIANTS);
  if (capped) {
    errors.push(
      err(
        tpl,
        'cfn-variants-capped',
        `${logicalId}: more than ${MAX_VARIANTS} combinations of conditions shape this role; ${MAX_VARIANTS} were judged and the remaining conditions follow the parameter defaults`,
        entry.keyPos,
      ),
    );
  }

  // Alternatives that read the same are one role.
  const seen = new Set<string>();
  const distinct = variants.filter((v) => {
    const key = JSON.stringify(v.value.doc?.v ?? null);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });

  // Static fields resolved once with the defaults.
  const plain = new Resolver(tpl, opts, fixed, false);
  const description = textIfStatic(plain, get(props, 'Description'));
  const tags = tagsOf(plain, get(props, 'Tags'), kind);
  const metadata = get(res, 'Metadata');
  const construct = scalarText(get(metadata, 'aws:cdk:path')) ?? opts.constructs?.get(logicalId);
  const suppressions = suppressionsOf(tpl, metadata, logicalId, errors);
  const roleLoc = loc(tpl.file, entry.keyPos);
  const docLoc = loc(tpl.file, docEntry.keyPos);

  for (const v of distinct) {
    const r = v.value;
    for (const i of r.otherIssues) errors.push(err(tpl, i.code, `${logicalId}: ${i.message}`, i.pos));
    if (!r.doc) {
      errors.push(
        err(
          tpl,
          'cfn-no-trust-policy',
          `${logicalId}: AssumeRolePolicyDocument resolves to nothing (AWS::NoValue)`,
          docEntry.keyPos,
        ),
      );
      continue;
    }
    const doc = expandJsonDocument(r.doc, tpl.text, tpl.lines);
    const trustPolicy = parseTrustDocument(doc.v, {
      file: tpl.file,
      base: docLoc,
      locate: (path) => (path.length === 0 ? docLoc : loc(tpl.file, locateIn(doc, path))),
    });
    append(
      trustPolicy.issues,
      r.docIssues.map((i) => policyIssue(tpl.file, i)),
    );
    const partition = typeof r.partition === 'string' ? r.partition : 'aws';
    const localId = kind === 'role' ? logicalId : `${logicalId}Role`;
    const id = opts.nesting
      ? `${opts.nesting.prefix}${opts.nesting.inline ? localId : `${tpl.file}#${localId}`}`
      : `${tpl.file}#${localId}`;
    const staticName = typeof r.name === 'string' ? r.name : undefined;
    const name = staticName ?? (kind === 'role' ? logicalId : `${logicalId}Role`);
    const path = typeof r.path === 'string' ? r.path : undefined;
    const role: Role = {
      id,
      name,
      account: opts.owner ?? DEPLOYING_ACCOUNT,
      partition,
      source: { kind: 'cloudformation', location: roleLoc, ...(construct ? { construct } : {}) },
      trustPolicy,
      extra: {
        logicalId,
        resourceType: kind === 'role' ? 'AWS::IAM::Role' : 'AWS::Serverless::Function',
        ...(kind === 'sam-function' ? { samFunction: logicalId } : {}),
        ...(isSymbolic(r.name) ? { roleName: r.name } : {}),
        ...(opts.extra ?? {}),
      },
    };
    if (staticName && opts.owner)
      role.arn = `arn:${partition}:iam::${opts.owner}:role${path ?? '/'}${staticName}`;
    if (path) role.path = path;
    if (description) role.description = description;
    if (tags) role.tags = tags;
    if (suppressions.length > 0) role.inlineSuppressions = suppressions;
    if (distinct.length > 1) {
      const label = variantLabel(v.chosen);
      if (label)
        role.variant = capped ? `${label} (other conditions as the parameter defaults give them)` : label;
    }
    roles.push(role);
  }
}

function policyIssue(file: string, i: ResolveIssue): PolicyIssue {
  return { code: i.code, message: i.message, location: loc(file, i.pos) };
}

function textIfStatic(r: Resolver, n: CNode | undefined): string | undefined {
  if (!n) return undefined;
  const t = r.text(n);
  return typeof t === 'string' ? t : undefined;
}

function tagsOf(
  r: Resolver,
  n: CNode | undefined,
  kind: 'role' | 'sam-function',
): Record<string, string> | undefined {
  if (!n) return undefined;
  const out: Record<string, string> = {};
  const res = r.resolve(n);
  if (res === NO_VALUE) return undefined;
  const v: JsonLike = res.v;
  if (kind === 'role' && Array.isArray(v)) {
    for (const t of v) {
      if (t && typeof t === 'object' && !Array.isArray(t) && !isSymbolic(t)) {
        const key = t.Key;
        const value = t.Value;
        if (
          typeof key === 'string' &&
          (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
        ) {
          out[key] = String(value);
        }
      }
    }
  } else if (v && typeof v === 'object' && !Array.isArray(v) && !isSymbolic(v)) {
    // SAM functions write tags as a map.
    for (const [key, value] of Object.entries(v)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
        out[key] = String(value);
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `Metadata: { trustaudit: { skip: [{ id: TA001, reason: "..." }] } }` */
function suppressionsOf(
  tpl: TemplateModel,
  metadata: CNode | undefined,
  logicalId: string,
  errors: ScanError[],
): InlineSuppression[] {
  const ta = get(metadata, 'trustaudit');
  if (!ta) return [];
  const skip = get(ta, 'skip');
  if (!skip) {
    errors.push(err(tpl, 'bad-suppression', `${logicalId}: Metadata.trustaudit has no "skip" list`, ta.pos));
    return [];
  }
  const items = skip.t === 'seq' ? skip.items : [skip];
  const out: InlineSuppression[] = [];
  for (const item of items) {
    const id = scalarText(get(item, 'id')) ?? scalarText(get(item, 'rule'));
    const reason = scalarText(get(item, 'reason'))?.trim();
    if (item.t !== 'map' || !id) {
      errors.push(
        err(
          tpl,
          'bad-suppression',
          `${logicalId}: a trustaudit skip entry needs an "id" (e.g. TA001) and a "reason"`,
          item.pos,
        ),
      );
      continue;
    }
    if (!reason) {
      errors.push(
        err(
          tpl,
          'suppression-without-reason',
          `${logicalId}: the trustaudit skip of ${id} has no reason; it is not applied`,
          item.pos,
        ),
      );
      continue;
    }
    out.push({ ruleId: id, reason, location: loc(tpl.file, item.pos) });
  }
  return out;
}
