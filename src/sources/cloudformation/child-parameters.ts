/**
 * What a parent template passes to a nested stack: its `Parameters` property, resolved in the parent
 * (its own parameters, conditions, pseudo parameters). Each `Fn::If` alternative that changes what is
 * passed is its own set, so a parent that passes `"*"` on one branch is judged on that branch. A value
 * the parent cannot know stays Symbolic; a value resting on one of the parent's own defaults is passed
 * as not fixed (a default can be changed at deploy time).
 */
import { isSymbolic, type JsonLike, type Symbolic } from '../../model/types.js';
import type { ChildLink } from './nested-stacks.js';
import { get, getEntry, type Pos, scalarText } from './nodes.js';
import {
  NO_VALUE,
  type PassedValue,
  type Resolved,
  type ResolveIssue,
  type ResolveOptions,
  Resolver,
} from './resolve.js';
import type { TemplateModel } from './template.js';
import { enumerateVariants } from './variants.js';

/** Most sets of parameters judged per nesting resource (as `MAX_VARIANTS` for a role). */
export const MAX_PARAMETER_SETS = 16;

export interface ParameterSet {
  /** The parent's conditions chosen for this set, when the parent can pass several (else empty). */
  chosen: [string, boolean][];
  passed: Map<string, PassedValue>;
  /** The whole `Parameters` property is unknown (an intrinsic): every child parameter is unknown. */
  unknownAll?: Symbolic;
  /**
   * When some of a stack set's instance groups override parameters: the groups (0-based) this set is
   * for, and whether it is theirs (`ParameterOverrides` applied) or the stack set's own `Parameters`.
   */
  groups?: { indexes: number[]; overrides: boolean };
}

export interface ParameterSets {
  sets: ParameterSet[];
  issues: ResolveIssue[];
  /** More alternatives than {@link MAX_PARAMETER_SETS}: the rest followed the parent's defaults. */
  capped: boolean;
  /** Where the resource's `Condition` is written, when it names a condition the parent lacks. */
  unknownCondition?: { name: string; pos: Pos };
}

interface Run {
  normal: Resolved;
  fixed: Resolved;
  /** A stack set's `StackInstancesGroup`, resolved (with and without defaults). */
  groups: Resolved;
  groupsFixed: Resolved;
  issues: ResolveIssue[];
}

/** The sets of parameter values the parent can pass to the child `link` names. */
export function parameterSets(tpl: TemplateModel, link: ChildLink, opts: ResolveOptions): ParameterSets {
  const res = link.entry.value;
  const fixedConditions = new Map<string, boolean>();
  let unknownCondition: ParameterSets['unknownCondition'];
  const condition = scalarText(get(res, 'Condition'));
  if (condition !== undefined) {
    if (!tpl.conditions.has(condition)) {
      const pos = getEntry(res, 'Condition')?.keyPos ?? link.entry.keyPos;
      unknownCondition = { name: condition, pos };
    } else {
      // A nested stack that certainly does not exist has no roles.
      if (new Resolver(tpl, opts).conditionValue(condition, true) === false)
        return { sets: [], issues: [], capped: false };
      fixedConditions.set(condition, true);
    }
  }
  const node = link.parameters;
  const groupsNode = link.instanceGroups;
  const run = (assignment: ReadonlyMap<string, boolean>, fork: boolean): Run => {
    const r = new Resolver(tpl, opts, assignment, fork);
    const strict = new Resolver(tpl, opts, assignment, false);
    const normal = node ? r.resolve(node) : NO_VALUE;
    const fixed = node ? strict.resolveFixed(node) : NO_VALUE;
    const groups = groupsNode ? r.resolve(groupsNode) : NO_VALUE;
    const groupsFixed = groupsNode ? strict.resolveFixed(groupsNode) : NO_VALUE;
    return {
      normal,
      fixed,
      groups,
      groupsFixed,
      issues: [...r.issues.splice(0), ...strict.issues.splice(0)],
    };
  };
  const { variants, capped } = enumerateVariants(run, fixedConditions, MAX_PARAMETER_SETS);
  const issues: ResolveIssue[] = [];
  const sets: ParameterSet[] = [];
  const seen = new Set<string>();
  for (const v of variants) {
    for (const i of v.value.issues) issues.push(i);
    const base = toSet(plainValue(v.value.normal), plainValue(v.value.fixed), link.parameterStyle);
    for (const set of withOverrides(base, v.value)) {
      const key = JSON.stringify([[...set.passed], set.unknownAll ?? null, set.groups ?? null]);
      if (seen.has(key)) continue;
      seen.add(key);
      sets.push({ ...set, chosen: v.chosen });
    }
  }
  if (sets.length === 1 && sets[0]) sets[0].chosen = [];
  return { sets, issues, capped, ...(unknownCondition ? { unknownCondition } : {}) };
}

function plainValue(r: Resolved): JsonLike | undefined {
  return r === NO_VALUE ? undefined : r.v;
}

/**
 * A stack set's instances take its `Parameters`, and each `StackInstancesGroup` entry may override
 * some of them (`ParameterOverrides`): one set per group that does, and the plain set when some group
 * (or no group at all) takes the stack set's own values.
 */
function withOverrides(base: Omit<ParameterSet, 'chosen'>, run: Run): Omit<ParameterSet, 'chosen'>[] {
  const groups = plainValue(run.groups);
  if (!Array.isArray(groups)) return [base];
  const fixedGroups = plainValue(run.groupsFixed);
  const out: Omit<ParameterSet, 'chosen'>[] = [];
  const plain: number[] = [];
  groups.forEach((g, i) => {
    const overrides = isObject(g) ? g.ParameterOverrides : undefined;
    if (!Array.isArray(overrides) || overrides.length === 0) {
      plain.push(i);
      return;
    }
    const fg = Array.isArray(fixedGroups) ? fixedGroups[i] : undefined;
    const own = toSet(overrides, isObject(fg) ? fg.ParameterOverrides : undefined, 'list');
    const passed = new Map([...base.passed, ...own.passed]);
    out.push({ ...base, passed, groups: { indexes: [i], overrides: true } });
  });
  if (out.length === 0) return [base];
  return plain.length > 0 ? [{ ...base, groups: { indexes: plain, overrides: false } }, ...out] : out;
}

function isObject(v: JsonLike | undefined): v is { [k: string]: JsonLike } {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v) && !isSymbolic(v);
}

function toSet(
  normal: JsonLike | undefined,
  fixed: JsonLike | undefined,
  style: 'map' | 'list',
): Omit<ParameterSet, 'chosen'> {
  const passed = new Map<string, PassedValue>();
  if (normal === undefined) return { passed };
  if (isSymbolic(normal)) return { passed, unknownAll: normal };
  const pairs = style === 'map' ? mapPairs(normal) : listPairs(normal);
  const fixedPairs = new Map(fixed === undefined ? [] : style === 'map' ? mapPairs(fixed) : listPairs(fixed));
  for (const [name, value] of pairs) {
    const text = valueText(value, name);
    const certain = valueText(fixedPairs.get(name) ?? null, name);
    passed.set(name, { value: text, fixed: typeof text === 'string' && certain === text });
  }
  return { passed };
}

function mapPairs(v: JsonLike): [string, JsonLike][] {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || isSymbolic(v)) return [];
  return Object.entries(v);
}

/** A stack set's `[{ParameterKey: K, ParameterValue: V}]`. */
function listPairs(v: JsonLike): [string, JsonLike][] {
  if (!Array.isArray(v)) return [];
  const out: [string, JsonLike][] = [];
  for (const item of v) {
    if (item === null || typeof item !== 'object' || Array.isArray(item) || isSymbolic(item)) continue;
    const key = item.ParameterKey;
    if (typeof key !== 'string') continue;
    out.push([key, item.ParameterValue ?? null]);
  }
  return out;
}

/** A passed value as the child's parameter reads it: text (lists joined with commas) or Symbolic. */
function valueText(v: JsonLike, name: string): string | Symbolic {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (isSymbolic(v)) return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number'))
    return v.map(String).join(',');
  if (Array.isArray(v) && v.some(isSymbolic))
    return { symbolic: true, description: `parameter ${name} (a list the parent builds at deploy time)` };
  return { symbolic: true, description: `parameter ${name} (the parent passes a value that is not text)` };
}
