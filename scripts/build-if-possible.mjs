#!/usr/bin/env node
// `prepare` runs on every `npm install`/`npm ci` of this folder and before a git install is packed.
// Build when TypeScript is installed (a clone, a git install); say what to do when it is not
// (`npm ci --omit=dev`), instead of failing the install with "tsc: not found".
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
let tsc;
try {
  tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
} catch {
  tsc = undefined;
}
if (!tsc) {
  const built = existsSync(join(root, 'dist', 'cli', 'main.js'));
  process.stderr.write(
    built
      ? 'trustaudit: TypeScript is not installed; keeping the existing build in dist/.\n'
      : 'trustaudit: TypeScript is not installed (devDependencies omitted), so dist/ was not built. Install from the packed tarball (npm pack), or run `npm ci && npm run build`.\n',
  );
  process.exit(0);
}
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
if (r.status !== 0) process.exit(r.status ?? 1);
// The bundle is an optimisation: bin/trustaudit.js runs the tsc output when it is missing.
let hasEsbuild = true;
try {
  require.resolve('esbuild');
} catch {
  hasEsbuild = false;
}
if (hasEsbuild) {
  const b = spawnSync(process.execPath, [join(root, 'scripts/bundle.mjs')], { stdio: 'inherit', cwd: root });
  process.exit(b.status ?? 1);
}
