#!/usr/bin/env node
// Bundle the CLI so that start-up reads a few files instead of several hundred. `tsc` still builds
// dist/ for the library and its types; bin/trustaudit.js runs the bundle when it is there.
//
// - dist/trustaudit.mjs: the CLI entry. Code splitting keeps what a command loads with `import()` in
//   separate chunks (dist/ta-*.mjs), so `--version` or a file scan never compiles the AWS SDK.
// - dist/scan-worker.mjs: the entry of the scan's worker threads (src/scan/workers/worker.ts).
// Chunks sit directly in dist/, at the depth of dist/version.js, so paths made from import.meta.url
// (`../package.json`, the package root) mean the same in the bundle as in the tsc output.
// Packages with native code or WebAssembly they locate on disk stay outside the bundle and are loaded
// from node_modules. re2js is left to Node too: the Terraform regex functions load it with a `require`
// of their own on first use (src/sources/terraform/regex-functions.ts), which esbuild does not follow.
// Source maps are written; bin/trustaudit.js turns them on for stack traces.
// The bundled vendor lists are compiled to JSON first (scripts/compile-accounts.mjs).
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { compileAccounts } from './compile-accounts.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

await compileAccounts(root);

// Chunks of an earlier build have other hashes: remove them so dist/ (and the package) holds one build.
for (const name of readdirSync(dist)) {
  if (/^ta-.*\.mjs(\.map)?$/.test(name)) rmSync(join(dist, name), { force: true });
}

await build({
  entryPoints: {
    trustaudit: join(dist, 'cli/main.js'),
    'scan-worker': join(dist, 'scan/workers/worker.js'),
  },
  outdir: dist,
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: 'ta-[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Prefer a package's ES module build (jsonc-parser's UMD build loads its parts with a dynamic require).
  mainFields: ['module', 'main'],
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
  external: ['better-sqlite3', 'web-tree-sitter', '@tree-sitter-grammars/tree-sitter-hcl'],
  // Bundled CommonJS dependencies may call require(): give the ES module one.
  banner: {
    js: "import { createRequire as __trustauditRequire } from 'node:module'; const require = __trustauditRequire(import.meta.url);",
  },
});
