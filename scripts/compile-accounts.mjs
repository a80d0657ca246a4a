#!/usr/bin/env node
// Compile the bundled vendor lists (data/*.yaml, kept byte-exact as published) into one JSON file,
// dist/data/known-accounts.json, so a scan reads a few kilobytes of JSON instead of parsing YAML and
// checking it against a schema every time. It uses the compiled parser (dist/config/known-accounts.js,
// from `tsc`), so the JSON holds exactly what parsing the YAML at run time gives.
// src/config/bundled-accounts.ts falls back to the YAML when this file is missing or older than it.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function compileAccounts(packageDir = root) {
  const { BUNDLED_ACCOUNT_FILES, COMPILED_ACCOUNTS_FILE } = await import(
    pathToFileURL(join(packageDir, 'dist/config/bundled-accounts.js')).href
  );
  const { parseBundledAccounts } = await import(
    pathToFileURL(join(packageDir, 'dist/config/known-accounts.js')).href
  );
  const texts = BUNDLED_ACCOUNT_FILES.map((rel) => ({ rel, text: readFileSync(join(packageDir, rel), 'utf8') }));
  const accounts = parseBundledAccounts(texts);
  const out = join(packageDir, COMPILED_ACCOUNTS_FILE);
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ format: 1, accounts: [...accounts.values()] })}\n`);
  renameSync(tmp, out);
  return { file: out, count: accounts.size };
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const { file, count } = await compileAccounts();
  process.stdout.write(`${count} vendor accounts -> ${file}\n`);
}
