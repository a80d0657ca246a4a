import { readFileSync, statSync } from 'node:fs';
import type { KnownAccount } from '../analysis/zone.js';
import { packageRoot } from '../version.js';

/**
 * The vendor accounts trustaudit names by default: a snapshot of the fwdcloudsec known_aws_accounts
 * list (`data/known-aws-accounts.yaml`, see NOTICE) and our own additions
 * (`data/vendor-accounts-extra.yaml`), which never override the list. Both ship with the package.
 */
export const BUNDLED_ACCOUNT_FILES = [
  'data/known-aws-accounts.yaml',
  'data/vendor-accounts-extra.yaml',
] as const;

/**
 * The same lists compiled at build time (`scripts/compile-accounts.mjs`): parsing the YAML and checking
 * it against the schema costs a scan tens of milliseconds; reading this JSON costs about one.
 */
export const COMPILED_ACCOUNTS_FILE = 'dist/data/known-accounts.json';

/** Where the lists are read from: the package root (tests point it elsewhere). */
export interface BundledAccountsPlace {
  root: URL;
}

/**
 * The bundled list. The compiled JSON is used when it is there and at least as new as every YAML list
 * (so an edited list is never shadowed by an old build); otherwise the YAML is parsed.
 */
export async function loadBundledKnownAccounts(
  place: BundledAccountsPlace = { root: packageRoot() },
): Promise<Map<string, KnownAccount>> {
  const compiled = readCompiled(place.root);
  if (compiled) return compiled;
  // Only without a current build are the YAML parser and the schema loaded.
  const { parseBundledAccounts } = await import('./known-accounts.js');
  return parseBundledAccounts(readYamlLists(place.root));
}

function readYamlLists(root: URL): { rel: string; text: string }[] {
  return BUNDLED_ACCOUNT_FILES.map((rel) => ({ rel, text: readFileSync(new URL(rel, root), 'utf8') }));
}

/** The compiled list, or undefined when it is missing, older than a YAML list, or not of this format. */
function readCompiled(root: URL): Map<string, KnownAccount> | undefined {
  const file = new URL(COMPILED_ACCOUNTS_FILE, root);
  let compiledAt: number;
  try {
    compiledAt = statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
  for (const rel of BUNDLED_ACCOUNT_FILES) {
    try {
      if (statSync(new URL(rel, root)).mtimeMs > compiledAt) return undefined;
    } catch {
      // A list that is gone is not newer; its entries stay as compiled.
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (!isCompiled(parsed)) return undefined;
  return new Map(parsed.accounts.map((a) => [a.id, a]));
}

function isCompiled(v: unknown): v is { format: 1; accounts: KnownAccount[] } {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as { format?: unknown; accounts?: unknown };
  return (
    o.format === 1 &&
    Array.isArray(o.accounts) &&
    o.accounts.every(
      (a: unknown) =>
        typeof a === 'object' &&
        a !== null &&
        typeof (a as KnownAccount).id === 'string' &&
        typeof (a as KnownAccount).name === 'string',
    )
  );
}

/** The bundled list, then a user's list on top (the user's names win). */
export function mergeKnownAccounts(
  ...lists: readonly ReadonlyMap<string, KnownAccount>[]
): Map<string, KnownAccount> {
  const out = new Map<string, KnownAccount>();
  for (const list of lists) for (const [id, entry] of list) out.set(id, entry);
  return out;
}
