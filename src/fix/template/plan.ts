/**
 * From a report's findings to new template texts: each role's trust policy is found in its file, the
 * conditions its corrected policy adds are written in the file's own syntax, and the result is read back
 * to prove the conditions are there and nothing else moved. A role that cannot be edited that way is
 * listed with the reason, never patched approximately.
 */
import { additionsFor, type ExternalIds, removalsFor, statementsOf } from './additions.js';
import type { ReportFinding } from './report.js';
import type { RootedFile } from './root.js';
import type { ConditionAddition, LocatedPolicy, LocatePolicy, RoleLocator } from './types.js';

/** A file the patch changes: its text before and after. */
export interface FileChange {
  file: RootedFile;
  before: string;
  after: string;
}

export interface NotPatched {
  role: string;
  file: string;
  reason: string;
}

export interface TemplatePlan {
  changes: FileChange[];
  /** `sharedWith`: the role's statements were already given their conditions for another role (a shared document). */
  patched: { role: string; file: string; statements: number[]; sharedWith?: true; split?: true }[];
  notPatched: NotPatched[];
}

/** What the planner needs from the outside world. */
export interface PlanDeps {
  /** The file a finding names, inside the scan root (throws when it is not). */
  rooted(file: string): RootedFile;
  read(abs: string): string;
  /** The editor for a file of a source, or why there is none. */
  editorFor(source: string, file: RootedFile, text: string): LocatePolicy | string;
  ids: ExternalIds;
}

interface RoleGroup {
  file: RootedFile;
  findings: ReportFinding[];
}

function roleLabel(f: ReportFinding): string {
  return f.resource.id;
}

/**
 * Group findings by file and role. Within a file the last role comes first: an edit only adds lines inside
 * its own role, so the lines the report gives for the roles above it stay true.
 */
function groups(findings: readonly ReportFinding[], deps: PlanDeps): RoleGroup[] {
  const byKey = new Map<string, RoleGroup>();
  for (const f of findings) {
    const file = deps.rooted(f.location.file);
    const key = `${file.abs}\0${f.resource.id}`;
    const g = byKey.get(key) ?? { file, findings: [] };
    g.findings.push(f);
    byKey.set(key, g);
  }
  const lineOf = (g: RoleGroup) => Math.min(...g.findings.map((f) => f.location.line ?? 0));
  return [...byKey.values()].sort((a, b) => a.file.rel.localeCompare(b.file.rel) || lineOf(b) - lineOf(a));
}

function locatorOf(f: ReportFinding): RoleLocator {
  return {
    resourceId: f.resource.id,
    resourceName: f.resource.name,
    source: f.resource.source,
    statementIndex: f.statement?.index ?? 0,
    ...(f.location.line !== undefined ? { line: f.location.line } : {}),
    ...(f.location.column !== undefined ? { column: f.location.column } : {}),
  };
}

const SPLIT_BY_HAND = 'make that change by hand from the corrected policy';

/** The corrected policy's statements for a finding, or why there are none. */
function correctedOf(f: ReportFinding, policies: Readonly<Record<string, unknown>>): unknown[] | string {
  const id = f.remediation.correctedPolicyId;
  const policy = id === undefined ? undefined : policies[id];
  if (policy === undefined)
    return `the report has no corrected policy for statement ${f.statement?.index ?? 0}`;
  return statementsOf(policy) ?? 'the corrected policy has no Statement list';
}

/** Why the statements the findings name are not where the report says (the file changed), if they are not. */
function lineProblem(g: RoleGroup, located: LocatedPolicy): string | undefined {
  for (const f of g.findings) {
    const index = f.statement?.index;
    if (index === undefined) return 'the finding names no statement';
    const view = located.statement(index);
    if (typeof view === 'string') return `statement ${index}: ${view}`;
    if (f.location.line !== undefined && view.line !== f.location.line) {
      return `statement ${index} is at line ${view.line}, the report says line ${f.location.line}: was the file changed since the scan?`;
    }
  }
  return undefined;
}

interface Split {
  index: number;
  /** Principal types the copy takes; the statement keeps the others. */
  move: string[];
  keep: string[];
  sid?: string;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The one statement the corrected policy splits by principal type (its other principals keep it unchanged,
 * a copy right after it holds the third parties), undefined when it splits none, or why it cannot be done
 * in the template (several splits, a split inside a principal type's list: one statement per account).
 */
function splitOf(
  g: RoleGroup,
  located: LocatedPolicy,
  policies: Readonly<Record<string, unknown>>,
): Split | undefined | string {
  const lists = g.findings.map((f) => correctedOf(f, policies));
  const first = lists[0];
  if (first === undefined) return undefined;
  if (typeof first === 'string') return first;
  for (const l of lists) if (typeof l === 'string') return l;
  if (first.length === located.statementCount) return undefined;
  const message = `the fix turns ${located.statementCount} statement(s) into ${first.length} (a statement is split so that each third-party account gets its own external id, or so that the other principals keep theirs): ${SPLIT_BY_HAND}`;
  if (first.length !== located.statementCount + 1 || !located.split) return message;
  if (lists.some((l) => JSON.stringify(l) !== JSON.stringify(first))) return message;
  const found: Split[] = [];
  for (const f of g.findings) {
    const i = f.statement?.index ?? 0;
    const kept = first[i];
    const copy = first[i + 1];
    const view = located.statement(i);
    if (!isObj(kept) || !isObj(copy) || typeof view === 'string' || !view.principalTypes) continue;
    if (!isObj(kept.Principal) || !isObj(copy.Principal)) continue;
    const keep = Object.keys(kept.Principal);
    const move = Object.keys(copy.Principal);
    const all = new Set(view.principalTypes);
    if (keep.some((t) => move.includes(t)) || keep.length + move.length !== all.size) continue;
    if (![...keep, ...move].every((t) => all.has(t))) continue;
    // The copy is the statement with another Principal, Sid and Condition; the rest is the same.
    const same = (k: string) => JSON.stringify(kept[k]) === JSON.stringify(copy[k]);
    const keys = new Set([...Object.keys(kept), ...Object.keys(copy)]);
    if (![...keys].every((k) => k === 'Principal' || k === 'Sid' || k === 'Condition' || same(k))) continue;
    const added = additionsFor(kept, view, { byAccount: new Map() });
    if (typeof added === 'string' ? isObj(kept.Condition) : added.length > 0) continue;
    const sid = typeof copy.Sid === 'string' && copy.Sid !== kept.Sid ? copy.Sid : undefined;
    found.push({ index: i, move, keep, ...(sid !== undefined ? { sid } : {}) });
  }
  return found.length === 1 ? found[0] : message;
}

/**
 * The additions per statement of `located` (whose statement `at(i)` is the report's statement `i`), or
 * why the role cannot be patched.
 */
function roleAdditions(
  g: RoleGroup,
  located: LocatedPolicy,
  policies: Readonly<Record<string, unknown>>,
  ids: ExternalIds,
  at: (index: number) => number,
): Map<number, ConditionAddition[]> | string {
  const out = new Map<number, ConditionAddition[]>();
  for (const f of g.findings) {
    const index = at(f.statement?.index ?? 0);
    const corrected = correctedOf(f, policies);
    if (typeof corrected === 'string') return corrected;
    if (corrected.length !== located.statementCount) {
      return `the fix turns ${located.statementCount} statement(s) into ${corrected.length}: ${SPLIT_BY_HAND}`;
    }
    const view = located.statement(index);
    if (typeof view === 'string') return `statement ${index}: ${view}`;
    const adds = additionsFor(corrected[index], view, ids);
    if (typeof adds === 'string') return `statement ${index}: ${adds}`;
    if (adds.length === 0) continue;
    const prev = out.get(index);
    if (prev && JSON.stringify(prev) !== JSON.stringify(adds)) {
      return `statement ${index} needs different conditions in different variants (${f.resource.variant ?? 'Fn::If branches'})`;
    }
    out.set(index, adds);
  }
  return out;
}

/** Read the edited text back: the same statements, each with its old conditions plus the added ones. */
function verify(
  before: LocatedPolicy,
  locate: LocatePolicy,
  text: string,
  g: RoleGroup,
  additions: ReadonlyMap<number, readonly ConditionAddition[]>,
): string | undefined {
  const first = g.findings[0] as ReportFinding;
  const again = locate(text, locatorOf(first));
  if ('reason' in again) return `the edited file could not be read back (${again.reason})`;
  if (again.statementCount !== before.statementCount)
    return 'the edited file has a different number of statements';
  for (let i = 0; i < before.statementCount; i++) {
    const a = before.statement(i);
    const b = again.statement(i);
    if (typeof a === 'string') continue;
    if (typeof b === 'string') return `statement ${i} of the edited file: ${b}`;
    const wanted = [
      ...a.existing,
      ...(additions.get(i) ?? []).map((x) => ({ operator: x.operator, key: x.key })),
    ];
    const key = (e: { operator: string; key: string }) => `${e.operator}\0${e.key}`;
    const got = b.existing.map(key).sort();
    if (JSON.stringify(got) !== JSON.stringify(wanted.map(key).sort()))
      return `statement ${i} of the edited file does not hold the conditions meant`;
  }
  return undefined;
}

/** A role's new file text (undefined: its statements already have the conditions), or why there is none. */
type RoleOutcome = { after?: string; statements: number[]; split?: true } | { reason: string };

function planRole(
  g: RoleGroup,
  text: string,
  policies: Readonly<Record<string, unknown>>,
  deps: PlanDeps,
): RoleOutcome {
  const first = g.findings[0] as ReportFinding;
  if (first.resource.source === 'cloudformation' && first.resource.construct !== undefined) {
    return {
      reason: `the template is generated by the CDK (construct ${first.resource.construct}): change the CDK app`,
    };
  }
  const locate = deps.editorFor(first.resource.source, g.file, text);
  if (typeof locate === 'string') {
    return { reason: locate };
  }
  const located = locate(text, locatorOf(first));
  if ('reason' in located) {
    return { reason: located.reason };
  }
  const moved = lineProblem(g, located);
  if (moved) return { reason: moved };
  const split = splitOf(g, located, policies);
  if (typeof split === 'string') return { reason: split };
  // A split is made first (the statement, then its copy for the third parties); the conditions go on the copy.
  let target = located;
  let at = (i: number) => i;
  if (split && located.split) {
    const r = located.split(split.index, split.move, split.sid);
    if ('reason' in r)
      return { reason: `statement ${split.index} cannot be split here (${r.reason}): ${SPLIT_BY_HAND}` };
    const again = locate(r.text, locatorOf(first));
    if ('reason' in again) return { reason: `the split statement could not be read back (${again.reason})` };
    target = again;
    at = (i) => (i < split.index ? i : i + 1);
  }
  // Conditions the fix replaces (a wildcard or IfExists external id) are removed first, where the syntax allows.
  let removed: number[] = [];
  if (!split && target.remove) {
    const removals = new Map<number, { operator: string; key: string }[]>();
    for (const f of g.findings) {
      const i = f.statement?.index ?? 0;
      const corrected = correctedOf(f, policies);
      const view = target.statement(i);
      if (typeof corrected === 'string' || typeof view === 'string') continue;
      const r = removalsFor(corrected[i], view);
      if (typeof r !== 'string' && r.length > 0) removals.set(i, r);
    }
    if (removals.size > 0) {
      const r = target.remove(removals);
      if ('reason' in r)
        return {
          reason: `the condition the fix replaces cannot be removed here (${r.reason}): ${SPLIT_BY_HAND}`,
        };
      const again = locate(r.text, locatorOf(first));
      if ('reason' in again) return { reason: `the file could not be read back (${again.reason})` };
      target = again;
      removed = [...removals.keys()];
    }
  }
  const additions = roleAdditions(g, target, policies, deps.ids, at);
  if (typeof additions === 'string') {
    return { reason: additions };
  }
  if (additions.size === 0 && !split && removed.length === 0) {
    return { statements: [] };
  }
  let after: string;
  try {
    after = target.edit(additions);
  } catch (e) {
    return { reason: `the edit could not be made (${e instanceof Error ? e.message : String(e)})` };
  }
  const problem =
    verify(target, locate, after, g, additions) ?? (split ? verifySplit(locate, after, g, split) : undefined);
  if (problem) {
    return { reason: `not patched: ${problem}` };
  }
  const statements = split
    ? [split.index]
    : [...new Set([...additions.keys(), ...removed])].sort((a, b) => a - b);
  return { after, statements, ...(split ? { split: true } : {}) };
}

/** After a split: the statement holds the principal types it keeps, the copy after it the third parties'. */
function verifySplit(locate: LocatePolicy, text: string, g: RoleGroup, split: Split): string | undefined {
  const again = locate(text, locatorOf(g.findings[0] as ReportFinding));
  if ('reason' in again) return `the edited file could not be read back (${again.reason})`;
  const a = again.statement(split.index);
  const b = again.statement(split.index + 1);
  const types = (v: typeof a) =>
    typeof v === 'string' ? v : JSON.stringify([...(v.principalTypes ?? [])].sort());
  if (
    types(a) !== JSON.stringify([...split.keep].sort()) ||
    types(b) !== JSON.stringify([...split.move].sort())
  )
    return `the split statement ${split.index} does not hold the principals meant`;
  return undefined;
}

/** Plan the template changes for the findings of a report. Throws when a finding names a file outside the root. */
export function planTemplateFixes(
  findings: readonly ReportFinding[],
  policies: Readonly<Record<string, unknown>>,
  deps: PlanDeps,
): TemplatePlan {
  const plan: TemplatePlan = { changes: [], patched: [], notPatched: [] };
  const texts = new Map<string, FileChange>();
  for (const g of groups(findings, deps)) {
    const first = g.findings[0] as ReportFinding;
    const role = roleLabel(first);
    const skip = (reason: string) => plan.notPatched.push({ role, file: g.file.rel, reason });
    let change = texts.get(g.file.abs);
    if (!change) {
      let before: string;
      try {
        before = deps.read(g.file.abs);
      } catch (e) {
        skip(`cannot read the file (${e instanceof Error ? e.message : String(e)})`);
        continue;
      }
      change = { file: g.file, before, after: before };
    }
    let outcome: RoleOutcome;
    try {
      outcome = planRole(g, change.after, policies, deps);
    } catch (e) {
      // A template that defeats a parser (nesting too deep for it…) is that role's problem only.
      outcome = { reason: `the file could not be edited (${e instanceof Error ? e.message : String(e)})` };
    }
    if ('reason' in outcome) {
      skip(outcome.reason);
      continue;
    }
    if (outcome.after === undefined) {
      plan.patched.push({ role, file: g.file.rel, statements: [], sharedWith: true });
      continue;
    }
    change.after = outcome.after;
    texts.set(g.file.abs, change);
    plan.patched.push({
      role,
      file: g.file.rel,
      statements: outcome.statements,
      ...(outcome.split ? { split: true as const } : {}),
    });
  }
  plan.changes = [...texts.values()].filter((c) => c.after !== c.before);
  const order = (a: { file: string; role: string }, b: { file: string; role: string }) =>
    a.file.localeCompare(b.file) || a.role.localeCompare(b.role);
  plan.patched.sort(order);
  plan.notPatched.sort(order);
  return plan;
}
