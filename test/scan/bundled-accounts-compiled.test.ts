import { cpSync, existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  BUNDLED_ACCOUNT_FILES,
  COMPILED_ACCOUNTS_FILE,
  loadBundledKnownAccounts,
} from '../../src/config/bundled-accounts.js';
import { parseBundledAccounts } from '../../src/config/known-accounts.js';
import { repoRoot, tempDir } from '../helpers/cli.js';

/**
 * The vendor lists are compiled to JSON at build time (scripts/compile-accounts.mjs); a scan reads the
 * JSON when it is at least as new as the YAML, and parses the YAML otherwise.
 */
const fromYaml = () =>
  parseBundledAccounts(
    BUNDLED_ACCOUNT_FILES.map((rel) => ({ rel, text: readFileSync(join(repoRoot, rel), 'utf8') })),
  );

/** A package folder holding copies of the YAML lists and, when given, a compiled list. */
function packageWith(compiled?: { accounts: unknown[]; format?: number }): { root: URL; file: string } {
  const dir = tempDir('ta-accounts-');
  mkdirSync(join(dir, 'data'));
  for (const rel of BUNDLED_ACCOUNT_FILES) cpSync(join(repoRoot, rel), join(dir, rel));
  const file = join(dir, COMPILED_ACCOUNTS_FILE);
  if (compiled) {
    mkdirSync(join(dir, 'dist/data'), { recursive: true });
    writeFileSync(file, JSON.stringify({ format: 1, ...compiled }));
  }
  return { root: pathToFileURL(`${dir}/`), file };
}

describe('the compiled vendor list', () => {
  it('is what parsing the YAML gives (the build in dist/)', () => {
    const built = join(repoRoot, COMPILED_ACCOUNTS_FILE);
    expect(existsSync(built)).toBe(true);
    const compiled = JSON.parse(readFileSync(built, 'utf8')) as { accounts: { id: string }[] };
    expect(new Map(compiled.accounts.map((a) => [a.id, a]))).toEqual(fromYaml());
  });

  it('is read instead of the YAML when it is at least as new', async () => {
    const { root } = packageWith({ accounts: [{ id: '111122223333', name: 'Only in the compiled list' }] });
    const list = await loadBundledKnownAccounts({ root });
    expect([...list.values()]).toEqual([{ id: '111122223333', name: 'Only in the compiled list' }]);
  });

  it('is not used when it is missing, older than a YAML list, or not of this format', async () => {
    const yaml = fromYaml();
    expect(await loadBundledKnownAccounts({ root: packageWith().root })).toEqual(yaml);

    const old = packageWith({ accounts: [{ id: '111122223333', name: 'Old' }] });
    const past = new Date(Date.now() - 3_600_000);
    utimesSync(old.file, past, past);
    expect(await loadBundledKnownAccounts({ root: old.root })).toEqual(yaml);

    const other = packageWith({ format: 2, accounts: [{ id: '111122223333', name: 'Other' }] });
    expect(await loadBundledKnownAccounts({ root: other.root })).toEqual(yaml);

    const broken = packageWith({ accounts: [] });
    writeFileSync(broken.file, '{"format": 1, "accounts": [');
    expect(await loadBundledKnownAccounts({ root: broken.root })).toEqual(yaml);
  });
});
