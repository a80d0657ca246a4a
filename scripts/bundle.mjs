#!/usr/bin/env node
// Bundle the CLI into one ES module (dist/trustaudit.mjs, with a source map) so that start-up reads one
// file instead of several hundred. `tsc` still builds dist/ for the library and its types; bin/trustaudit.js
// runs the bundle when it is there. Packages with native code or WebAssembly they locate on disk stay
// outside the bundle and are loaded from node_modules.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await build({
  entryPoints: [join(root, 'dist/cli/main.js')],
  outfile: join(root, 'dist/trustaudit.mjs'),
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
  banner: { js: "import { createRequire as __trustauditRequire } from 'node:module'; const require = __trustauditRequire(import.meta.url);" },
});
