import { dirname, resolve } from 'node:path';
import type { KnownAccount, ZoneOfTrust } from '../analysis/zone.js';
import { loadBundledKnownAccounts, mergeKnownAccounts } from '../config/bundled-accounts.js';
import { loadKnownAccounts } from '../config/known-accounts.js';
import { buildZone, loadConfig, ruleSettingsFrom } from '../config/load.js';
import type { ConfigSuppression } from '../config/schema.js';
import type { RuleSetting } from '../rules/engine.js';
import type { PlanZone } from './plan-file.js';

/** What `fix` takes from the config file: the zone of trust, rule settings, suppressions, vendors. */
export interface FixSettings {
  zone: ZoneOfTrust;
  ruleSettings: Map<string, RuleSetting>;
  suppressions: readonly ConfigSuppression[];
  /** The bundled vendor list with the config's `knownAccounts` list on top. */
  known: Map<string, KnownAccount>;
}

export async function loadFixSettings(cwd: string, configFile: string | undefined): Promise<FixSettings> {
  const { config, file } = await loadConfig(cwd, configFile);
  const zone = buildZone(config, {});
  const bundled = await loadBundledKnownAccounts();
  // A vendor list named in the config is relative to the config file, as for `scan`.
  const known =
    config.knownAccounts && file
      ? mergeKnownAccounts(bundled, loadKnownAccounts(resolve(dirname(file), config.knownAccounts)))
      : bundled;
  zone.known = known;
  return { zone, ruleSettings: ruleSettingsFrom(config), suppressions: config.suppressions, known };
}

/** The zone with more trusted accounts and organizations (from a report, a plan, an Organization scan). */
export function widenZone(zone: ZoneOfTrust, more: PlanZone): ZoneOfTrust {
  const out: ZoneOfTrust = {
    ...zone,
    trusted: new Map(zone.trusted),
    trustedOrgIds: new Set(zone.trustedOrgIds),
  };
  for (const id of more.trustedAccounts) if (!out.trusted.has(id)) out.trusted.set(id, { id });
  for (const o of more.trustedOrgs) out.trustedOrgIds.add(o);
  return out;
}

/** The part of a zone a plan records (accounts trusted for every role, organizations). */
export function planZoneOf(zone: ZoneOfTrust): PlanZone {
  return {
    trustedAccounts: [...zone.trusted.values()]
      .filter((t) => !t.rolePaths?.length)
      .map((t) => t.id)
      .sort(),
    trustedOrgs: [...zone.trustedOrgIds].sort(),
  };
}
