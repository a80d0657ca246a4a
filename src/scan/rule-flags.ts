import { SEVERITIES, type Severity, severityRank } from '../findings/types.js';
import type { ScanError } from '../model/types.js';
import type { RuleSetting } from '../rules/engine.js';
import { parsePairs, UsageError } from '../util/usage-error.js';

/** The rule flags of `scan`, as commander parsed them. */
export interface RuleFlags {
  /** `--rule ID=setting` (repeatable): off, on, or a severity. */
  rule?: readonly string[];
  /** `--rules ID,ID`: run only these. */
  rules?: readonly string[];
  /** `--skip-rules ID,ID`: do not run these. */
  skipRules?: readonly string[];
  /** `--require MODE`: TA001's option. */
  require?: string;
}

/**
 * Apply the rule flags on top of the config's settings. Flags win over the config, and `--rules` /
 * `--skip-rules` win over `--rule ID=on`. An unknown rule id or a bad value is a usage error that
 * names it and lists what is allowed.
 */
export function applyRuleFlags(
  settings: Map<string, RuleSetting>,
  flags: RuleFlags,
  knownIds: readonly string[],
): void {
  const known = new Set(knownIds.map((id) => id.toUpperCase()));
  const check = (id: string, flag: string): string => {
    const key = id.trim().toUpperCase();
    if (!known.has(key))
      throw new UsageError(
        `${flag}: unknown rule "${id.trim()}"; the rules are ${[...known].sort().join(', ')}`,
      );
    return key;
  };
  for (const [id, value] of parsePairs(flags.rule ?? [], 'rule setting')) {
    const key = check(id, '--rule');
    const prev = settings.get(key);
    const v = value.trim().toLowerCase();
    if (v === 'off' || v === 'false') settings.set(key, { ...prev, enabled: false });
    else if (v === 'on' || v === 'true') settings.set(key, { ...prev, enabled: true });
    else if ((SEVERITIES as readonly string[]).includes(v))
      settings.set(key, { ...prev, enabled: true, severity: v as Severity });
    else
      throw new UsageError(
        `--rule ${id}=${value}: the setting must be off, on, or a severity (${SEVERITIES.join(', ')})`,
      );
  }
  const only = listOf(flags.rules).map((id) => check(id, '--rules'));
  if (flags.rules && only.length === 0) throw new UsageError('--rules: name at least one rule');
  if (only.length > 0) {
    for (const key of known) {
      const prev = settings.get(key);
      settings.set(key, { ...prev, enabled: only.includes(key) });
    }
  }
  for (const id of listOf(flags.skipRules)) {
    const key = check(id, '--skip-rules');
    settings.set(key, { ...settings.get(key), enabled: false });
  }
  if (flags.require) {
    const prev = settings.get('TA001');
    settings.set('TA001', {
      enabled: prev?.enabled ?? true,
      ...(prev?.severity ? { severity: prev.severity } : {}),
      options: { ...((prev?.options as Record<string, unknown> | undefined) ?? {}), require: flags.require },
    });
  }
}

function listOf(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).filter((v) => v.trim() !== '');
}

/**
 * `--severity LEVEL`: keep only findings at or above it in the report. The ones left out are counted
 * in a warning, so the report never hides that they exist.
 */
export function keepAtOrAbove<F extends { severity: Severity }>(
  findings: readonly F[],
  min: Severity | undefined,
): { findings: F[]; warning?: ScanError } {
  if (!min) return { findings: [...findings] };
  const kept = findings.filter((f) => severityRank(f.severity) >= severityRank(min));
  const hidden = findings.length - kept.length;
  if (hidden === 0) return { findings: kept };
  return {
    findings: kept,
    warning: {
      source: 'input',
      code: 'severity-filter',
      message: `${hidden} finding(s) below ${min} are not shown (--severity ${min})`,
    },
  };
}
