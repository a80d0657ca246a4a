import type { ZoneOfTrust } from '../analysis/zone.js';
import { fingerprint } from '../findings/fingerprint.js';
import type { Finding, FindingDraft, FindingPrincipal, Severity } from '../findings/types.js';
import { JsonIds } from '../model/json-ids.js';
import type { Role, Statement } from '../model/types.js';
import { givesNoOptions, RuleOptionsError, ruleOptions, type Zod } from './options.js';
import type { AnyRule, RuleContext } from './types.js';

export { RuleOptionsError };

/** Per-rule settings after config is applied. */
export interface RuleSetting {
  enabled: boolean;
  severity?: Severity;
  /** Raw options; validated by the rule's own schema. */
  options?: unknown;
}

export interface EngineOptions {
  zone: ZoneOfTrust;
  settings?: ReadonlyMap<string, RuleSetting>;
  /** zod, to check the options a setting gives (see `settingsNeedZod`); not needed otherwise. */
  zod?: Zod;
}

/** The rules that will run, each with its validated options. */
export function prepareRules(
  rules: readonly AnyRule[],
  settings?: ReadonlyMap<string, RuleSetting>,
  zod?: Zod,
): { rule: AnyRule; options: unknown; severity: Severity }[] {
  const out: { rule: AnyRule; options: unknown; severity: Severity }[] = [];
  for (const rule of rules) {
    const s = settings?.get(rule.meta.id);
    const enabled = s?.enabled ?? rule.meta.enabledByDefault;
    if (!enabled) continue;
    const options = ruleOptions(rule.meta.id, rule.options, s?.options, zod);
    out.push({ rule, options, severity: s?.severity ?? rule.meta.severity });
  }
  return out;
}

/** Whether some setting gives options to check, so that the caller loads zod for `EngineOptions.zod`. */
export function settingsNeedZod(settings: ReadonlyMap<string, RuleSetting> | undefined): boolean {
  for (const s of settings?.values() ?? []) if (!givesNoOptions(s.options)) return true;
  return false;
}

/** The principals of a finding as they enter its fingerprint: values, sorted, comma-separated. */
function joinPrincipals(principals: readonly FindingPrincipal[]): string {
  return principals
    .map((p) => p.value)
    .sort()
    .join(',');
}

/** `joinPrincipals` once per list within a run: rules share one list between the roles of a memoised policy. */
function principalsKeys(): (principals: readonly FindingPrincipal[]) => string {
  const keys = new Map<readonly FindingPrincipal[], string>();
  return (principals) => {
    let k = keys.get(principals);
    if (k === undefined) {
      k = joinPrincipals(principals);
      keys.set(principals, k);
    }
    return k;
  };
}

/** Turn a rule's draft into a full finding (metadata, resource, location, fingerprint). */
export function completeFinding(
  rule: AnyRule,
  severity: Severity,
  role: Role,
  d: FindingDraft,
  principalsKey: (principals: readonly FindingPrincipal[]) => string = joinPrincipals,
): Finding {
  const st = d.statement ? role.trustPolicy.statements[d.statement.index] : undefined;
  const location = d.location ?? st?.location ?? role.trustPolicy.location ?? role.source.location;
  // Plain assignments rather than conditional spreads: this runs once per finding.
  const resource: Finding['resource'] = {
    kind: 'aws-iam-role',
    id: role.id,
    name: role.name,
    source: role.source.kind,
  };
  if (role.account) resource.account = role.account;
  if (role.arn) resource.arn = role.arn;
  if (role.source.construct) resource.construct = role.source.construct;
  if (role.variant) resource.variant = role.variant;
  const f: Finding = {
    ruleId: rule.meta.id,
    severity: d.severity ?? severity,
    title: rule.meta.title,
    message: d.message,
    resource,
    location,
    // Undefined when the finding is about no statement (absent from JSON output).
    statement: d.statement,
    principals: d.principals,
    evidence: d.evidence,
    remediation: d.remediation,
    // The variant is left out: the same finding in several Fn::If branches is one finding (see runRules).
    fingerprint: fingerprint([
      rule.meta.id,
      role.id,
      d.statement?.sid ?? d.statement?.index,
      principalsKey(d.principals),
      d.fingerprintExtra,
    ]),
    suppressed: false,
  };
  return f;
}

/** Run every enabled rule over every role. Findings come back in a deterministic order. */
export function runRules(roles: readonly Role[], rules: readonly AnyRule[], opts: EngineOptions): Finding[] {
  const prepared = prepareRules(rules, opts.settings, opts.zod);
  const byPrint = new Map<string, Finding>();
  const principalsKey = principalsKeys();
  // The alternatives (CloudFormation Fn::If variants) each finding holds in; none for most roles.
  const variantsByPrint = new Map<string, Set<string>>();
  // Role by role, every rule in turn: a role's policy key is computed once (when some rule needs it)
  // and the rules get it without a lookup.
  const keyOf = policyKeys();
  let current: Role | undefined;
  let currentKey = -1;
  const policyKey = (role: Role): number => {
    if (role !== current) return keyOf(role);
    if (currentKey < 0) currentKey = keyOf(role);
    return currentKey;
  };
  const runs = [];
  for (const { rule, options, severity } of prepared) {
    const ctx: RuleContext<unknown> = {
      zone: opts.zone,
      options,
      allRoles: roles,
      policyKey,
      memo: new Map(),
    };
    // A scan-wide rule that already knows it has nothing to report is not asked about each role.
    if (rule.prepare !== undefined && !rule.prepare(ctx)) continue;
    // For a perPolicy rule: the policy keys that gave no finding (indexed by key).
    const quiet: boolean[] | undefined = rule.perPolicy ? [] : undefined;
    runs.push({ rule, severity, ctx, quiet });
  }
  for (let r = 0; r < roles.length; r++) {
    const role = roles[r] as Role;
    current = role;
    currentKey = -1;
    for (let k = 0; k < runs.length; k++) {
      const { rule, severity, ctx, quiet } = runs[k] as (typeof runs)[number];
      if (quiet !== undefined) {
        if (currentKey < 0) currentKey = keyOf(role);
        if (quiet[currentKey] === true) continue;
      }
      const drafts = rule.check(role, ctx);
      if (quiet !== undefined && drafts.length === 0) quiet[currentKey] = true;
      for (let i = 0; i < drafts.length; i++) {
        const f = completeFinding(rule, severity, role, drafts[i] as FindingDraft, principalsKey);
        // A role judged in several alternatives (CloudFormation Fn::If) can yield the same finding in
        // each: report it once, labelled with the alternatives it holds in.
        if (role.variant) {
          const set = variantsByPrint.get(f.fingerprint);
          if (set) set.add(role.variant);
          else variantsByPrint.set(f.fingerprint, new Set([role.variant]));
        }
        if (!byPrint.has(f.fingerprint)) byPrint.set(f.fingerprint, f);
      }
    }
  }
  const findings = [...byPrint.values()];
  if (variantsByPrint.size === 0) return sortFindings(findings);
  const variantsOf = new Map<string, Set<string>>();
  for (const r of roles) {
    if (!r.variant) continue;
    const set = variantsOf.get(r.id) ?? new Set<string>();
    set.add(r.variant);
    variantsOf.set(r.id, set);
  }
  for (const finding of findings) {
    const variants = variantsByPrint.get(finding.fingerprint);
    if (variants !== undefined) {
      const all = variantsOf.get(finding.resource.id);
      if (all && variants.size === all.size) {
        // Holds whatever the conditions are: no variant to name.
        delete finding.resource.variant;
      } else {
        finding.resource.variant = [...variants].sort().join(' or ');
      }
    }
  }
  return sortFindings(findings);
}

/** A rule context for one rule run (tests and callers that run a single rule by hand). */
export function makeRuleContext<O>(zone: ZoneOfTrust, options: O, allRoles: readonly Role[]): RuleContext<O> {
  return { zone, options, allRoles, policyKey: policyKeys(), memo: new Map() };
}

/**
 * Content keys of roles' trust policies, interned as small numbers (cheap memo keys). A document is
 * serialised once per parse; roles that share a parse, and later calls for the same role, find the
 * key by identity. Everything an analysis may read besides the document is part of the key (owner
 * account, path, partition, service-linked); the role's name and locations are not, so rules must take
 * those from the role itself, not from a memoised result.
 */
export function policyKeys(): (role: Role) => number {
  type Docs = {
    byParse: Map<readonly Statement[], number>;
    byText: Map<string, number>;
    byJson: Map<number, number>;
  };
  const jsonIds = new JsonIds();
  // Role facts first (few distinct values), then the document: no long joined string per role.
  const byFacts = new Map<string, Docs>();
  // Consecutive roles usually share their facts (one account, path "/"): skip building the facts key.
  let last: { account?: string; path?: string; partition: string; slr: boolean; docs: Docs } | undefined;
  let next = 0;
  const docsOf = (role: Role, slr: boolean): Docs => {
    if (
      last !== undefined &&
      last.account === role.account &&
      last.path === role.path &&
      last.partition === role.partition &&
      last.slr === slr
    ) {
      return last.docs;
    }
    const facts = `${role.account ?? ''}\u0000${role.path ?? ''}\u0000${role.partition}\u0000${slr ? 'slr' : ''}`;
    let docs = byFacts.get(facts);
    if (docs === undefined) {
      docs = { byParse: new Map(), byText: new Map(), byJson: new Map() };
      byFacts.set(facts, docs);
    }
    last = { partition: role.partition, slr, docs };
    if (role.account !== undefined) last.account = role.account;
    if (role.path !== undefined) last.path = role.path;
    return docs;
  };
  return (role) => {
    // The ARN itself differs for every role; all an analysis reads from it is whether the role is service-linked.
    const slr = role.arn?.includes(':role/aws-service-role/') === true;
    const docs = docsOf(role, slr);
    // The document is serialised once per parse: roles whose source shared one parse of the same
    // document (TrustPolicyCache), and later calls for the same role, find it by identity.
    const statements = role.trustPolicy.statements;
    let id = docs.byParse.get(statements);
    if (id === undefined) {
      const raw = role.trustPolicy.raw;
      // A document given as text and the same content as parsed JSON get different keys (their `raw`
      // differs, which corrected policies are built from).
      if (typeof raw === 'string') {
        id = docs.byText.get(raw);
        if (id === undefined) {
          id = next++;
          docs.byText.set(raw, id);
        }
      } else {
        const content = jsonIds.id(raw);
        id = content === undefined ? undefined : docs.byJson.get(content);
        if (id === undefined) {
          id = next++;
          // A document too deep to key gets a key of its own (no sharing, no crash).
          if (content !== undefined) docs.byJson.set(content, id);
        }
      }
      docs.byParse.set(statements, id);
    }
    return id;
  };
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      cmp(a.location.file, b.location.file) ||
      (a.location.line ?? 0) - (b.location.line ?? 0) ||
      // Several roles on one line (a minified export): in the order they are written.
      (a.location.column ?? 0) - (b.location.column ?? 0) ||
      cmp(a.resource.id, b.resource.id) ||
      cmp(a.ruleId, b.ruleId) ||
      (a.statement?.index ?? -1) - (b.statement?.index ?? -1) ||
      cmp(a.fingerprint, b.fingerprint),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
