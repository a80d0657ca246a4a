/**
 * The settings step shared by `trustaudit scan` and the library: options (as the CLI parsed them, or as
 * a program passed them) plus the loaded config become what a scan runs with. Pure: it reads no file and
 * no environment variable; whatever had to be read (the config, vendor lists) is passed in already read.
 * A choice that cannot be used throws a `UsageError` whose message names it and says what is allowed.
 */
import type { KnownAccount, ZoneOfTrust } from '../analysis/zone.js';
import { emptyConfig } from '../config/empty.js';
import { buildZone, ruleSettingsFrom } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { Severity } from '../findings/types.js';
import { FORMAT_NAMES } from '../reporters/index.js';
import type { RuleSetting } from '../rules/engine.js';
import { allRules } from '../rules/index.js';
import { UsageError } from '../util/usage-error.js';
import { type BudgetName, parseLimitFlags } from './budgets.js';
import { applyRuleFlags, type RuleFlags } from './rule-flags.js';

/** The choices a scan is run with, whoever made them. Every field is optional. */
export interface SettingsOptions extends RuleFlags {
  /** Account that owns roles whose input does not say (`--account`; wins over the config's). */
  account?: string;
  /** Accounts of your own organization (`--trusted-account`), added to the config's. */
  trustedAccounts?: readonly string[];
  /** Organization ids (`--trusted-org`), added to the config's. */
  trustedOrgs?: readonly string[];
  /** Vendor names by account id, already read (bundled list, `--known-accounts`); none when absent. */
  knownAccounts?: ReadonlyMap<string, KnownAccount>;
  /** Evaluation limits as numbers (the library's `limits`). */
  limits?: Partial<Record<BudgetName, number>>;
  /** `--limit NAME=N` (repeatable): parsed, and they win over `limits`. */
  limitFlags?: readonly string[];
  /** `--fail-on`: wins over the config's `failOn`; the default is `low`. */
  failOn?: Severity | 'none';
  /** The rule ids a `--rule`, `--rules` or `--skip-rules` may name (default: every rule). */
  ruleIds?: readonly string[];
}

/** What a scan runs with. */
export interface ScanSettings {
  zone: ZoneOfTrust;
  ruleSettings: Map<string, RuleSetting>;
  budgets: Partial<Record<BudgetName, number>>;
  failOn: Severity | 'none';
}

/**
 * Options + config → scan settings. The options win over the config: `account`, `failOn` and rule flags
 * replace the config's; trusted accounts and organizations are added to it.
 */
export function scanSettings(options: SettingsOptions, config: Config = emptyConfig()): ScanSettings {
  const zone = buildZone(config, {
    ...(options.account ? { account: options.account } : {}),
    trustedAccounts: options.trustedAccounts ?? [],
  });
  for (const o of options.trustedOrgs ?? []) zone.trustedOrgIds.add(o);
  zone.known = new Map(options.knownAccounts ?? []);
  const ruleSettings = ruleSettingsFrom(config);
  applyRuleFlags(ruleSettings, options, options.ruleIds ?? allRules.map((r) => r.meta.id));
  let flags: Partial<Record<BudgetName, number>>;
  try {
    flags = parseLimitFlags(options.limitFlags ?? []);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return {
    zone,
    ruleSettings,
    budgets: { ...options.limits, ...flags },
    failOn: options.failOn ?? config.failOn ?? 'low',
  };
}

/** Where the report goes: standard output, one file (`--output`), or one file per format (`--output-dir`). */
export interface OutputChoice {
  /** `--format`: one name or several, comma-separated (any case). */
  format: string;
  output?: string;
  outputDir?: string;
}

/** The formats asked for, checked against the format table and the output chosen. */
export function outputFormatsFor(choice: OutputChoice): string[] {
  const formats = choice.format
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter(Boolean);
  if (formats.length === 0)
    throw new UsageError(
      `--format "${choice.format}" names no format; available: ${[...FORMAT_NAMES].sort().join(', ')}`,
    );
  for (const f of formats) {
    if (!FORMAT_NAMES.includes(f))
      throw new UsageError(`unknown format "${f}"; available: ${[...FORMAT_NAMES].sort().join(', ')}`);
  }
  if (formats.length > 1 && !choice.outputDir) {
    throw new UsageError('several formats need --output-dir DIR (one file per format)');
  }
  if (choice.output && choice.outputDir)
    throw new UsageError('use either --output or --output-dir, not both');
  return formats;
}
