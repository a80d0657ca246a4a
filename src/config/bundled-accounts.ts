import { readFileSync } from 'node:fs';
import type { KnownAccount } from '../analysis/zone.js';
import { packageRoot } from '../version.js';
import { parseKnownAccounts } from './known-accounts.js';

/**
 * The vendor accounts trustaudit names by default: a snapshot of the fwdcloudsec known_aws_accounts
 * list (`data/known-aws-accounts.yaml`, see NOTICE) and our own additions
 * (`data/vendor-accounts-extra.yaml`), which never override the list. Both ship with the package.
 */
const FILES = ['data/known-aws-accounts.yaml', 'data/vendor-accounts-extra.yaml'] as const;

export function loadBundledKnownAccounts(): Map<string, KnownAccount> {
  const out = new Map<string, KnownAccount>();
  for (const rel of FILES) {
    const url = new URL(rel, packageRoot());
    for (const [id, entry] of parseKnownAccounts(readFileSync(url, 'utf8'), rel.slice('data/'.length))) {
      if (!out.has(id)) out.set(id, entry);
    }
  }
  return out;
}

/** The bundled list, then a user's list on top (the user's names win). */
export function mergeKnownAccounts(
  ...lists: readonly ReadonlyMap<string, KnownAccount>[]
): Map<string, KnownAccount> {
  const out = new Map<string, KnownAccount>();
  for (const list of lists) for (const [id, entry] of list) out.set(id, entry);
  return out;
}
