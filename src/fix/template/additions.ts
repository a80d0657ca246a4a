/** What a template statement needs: the corrected policy's conditions it does not have yet. */
import type { ConditionAddition, StatementView } from './types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** External ids to write instead of the placeholders: `ACCOUNT=ID` flags, and one `ID` for every account. */
export interface ExternalIds {
  byAccount: ReadonlyMap<string, string>;
  all?: string;
}

/** The statements of a policy document (a single Statement object counts as a list of one). */
export function statementsOf(policy: unknown): unknown[] | undefined {
  if (!isObj(policy)) return undefined;
  const st = policy.Statement;
  return Array.isArray(st) ? st : isObj(st) ? [st] : undefined;
}

function withIds(value: string, ids: ExternalIds): string {
  const m = /^<EXTERNAL-ID-FOR-(\d{12})>$/.exec(value);
  if (m) return ids.byAccount.get(m[1] as string) ?? ids.all ?? value;
  if (value === '<EXTERNAL-ID>') return ids.all ?? value;
  return value;
}

/**
 * The conditions the corrected statement has and the template's statement lacks, or why adding them would
 * not give the corrected statement (the fix replaces or removes a condition the template has).
 */
export function additionsFor(
  corrected: unknown,
  view: StatementView,
  ids: ExternalIds,
): ConditionAddition[] | string {
  if (!isObj(corrected)) return 'the corrected statement is not an object';
  const cond = corrected.Condition;
  if (!isObj(cond)) return 'the corrected policy adds no condition to it';
  const has = (op: string, key: string) =>
    view.existing.some((e) => e.operator === op && e.key.toLowerCase() === key.toLowerCase());
  const wanted: { operator: string; key: string; value: unknown }[] = [];
  for (const [op, block] of Object.entries(cond)) {
    if (!isObj(block)) return `the corrected ${op} condition is not an object`;
    for (const [key, value] of Object.entries(block)) wanted.push({ operator: op, key, value });
  }
  const replaced = removalsFor(corrected, view);
  if (typeof replaced === 'string') return replaced;
  const first = replaced[0];
  if (first) {
    return `the fix replaces its condition ${first.operator} ${first.key}: change it by hand as the corrected policy shows`;
  }
  const out: ConditionAddition[] = [];
  for (const w of wanted) {
    if (has(w.operator, w.key)) continue;
    const list = Array.isArray(w.value) ? w.value : [w.value];
    if (list.length === 0 || !list.every((v): v is string => typeof v === 'string'))
      return `the corrected ${w.operator} ${w.key} condition has a value that is not text`;
    out.push({ operator: w.operator, key: w.key, values: list.map((v) => withIds(v, ids)) });
  }
  // Empty when the statement has them all already (another role sharing the document was patched first).
  return out;
}

/** The keys a fix sets: a statement's condition on one of them with another value is replaced. */
const FIXED_KEYS = new Set(['sts:externalid', 'aws:multifactorauthpresent', 'aws:principalorgid']);

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  return JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
}

/**
 * The statement's conditions the corrected statement does not keep as they are (removed, or the same
 * operator and key with another value), or why that cannot be told (a computed value the fix changes).
 */
export function removalsFor(
  corrected: unknown,
  view: StatementView,
): { operator: string; key: string }[] | string {
  if (!isObj(corrected)) return 'the corrected statement is not an object';
  const cond = isObj(corrected.Condition) ? corrected.Condition : {};
  const out: { operator: string; key: string }[] = [];
  for (const e of view.existing) {
    const block = cond[e.operator];
    const entry = isObj(block)
      ? Object.entries(block).find(([k]) => k.toLowerCase() === e.key.toLowerCase())
      : undefined;
    if (!entry) {
      out.push({ operator: e.operator, key: e.key });
      continue;
    }
    if (!FIXED_KEYS.has(e.key.toLowerCase())) continue;
    const want = Array.isArray(entry[1]) ? entry[1] : [entry[1]];
    if (!want.every((v): v is string => typeof v === 'string')) continue;
    if (e.values === undefined)
      return `its ${e.operator} ${e.key} condition is computed and the fix changes it: change it by hand`;
    if (sameValues(e.values, want)) continue;
    // A value written in the template is never traded for a placeholder (an organization the config
    // does not declare): that would lose what the template knows.
    if (want.every((v) => /^<[A-Z-]+(?:-\d{12})?>$/.test(v)))
      return `the fix would replace its ${e.operator} ${e.key} ${JSON.stringify(e.values.join(', '))} with the placeholder ${want.join(', ')}: declare the value in the config (organization id, trusted accounts) and scan again, or change it by hand`;
    out.push({ operator: e.operator, key: e.key });
  }
  return out;
}
