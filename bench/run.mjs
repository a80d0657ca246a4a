#!/usr/bin/env node
// Runs every bench/*.bench.mjs (each exports `run({ repoRoot, corpusDir, log })`) in name order.
// Each benchmark measures a baseline in the same run and prints ratios against it, so numbers are
// comparable across machines. Usage: npm run bench [-- name-filter]
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..');
const corpusDir = resolve(repoRoot, '../shared/corpus');
const filter = process.argv[2];
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => !filter || f.includes(filter))
  .sort();

let failed = 0;
for (const file of benches) {
  const name = file.replace(/\.bench\.mjs$/, '');
  console.log(`\n## ${name}`);
  const log = (line) => console.log(`  ${line}`);
  try {
    const mod = await import(pathToFileURL(join(here, file)).href);
    await mod.run({ repoRoot, corpusDir, log });
  } catch (e) {
    failed++;
    console.log(`  FAILED: ${e?.stack ?? e}`);
  }
}
if (failed) {
  console.log(`\n${failed} benchmark(s) failed`);
  process.exitCode = 1;
}
