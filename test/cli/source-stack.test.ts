import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../helpers/cli.js';

/**
 * bin/source-stack.js: an internal error's stack, read through the bundle's source maps. Run in a
 * plain Node process, as bin/trustaudit.js runs (vitest maps stacks itself).
 */
describe('stack traces of the bundled CLI', () => {
  it('name the TypeScript file and line a frame comes from', async () => {
    const dir = tempDir('ta-stack-');
    writeFileSync(
      join(dir, 'thrower.ts'),
      'export function fail(): never {\n  // a comment\n  throw new Error("bug");\n}\n',
    );
    await build({
      entryPoints: [join(dir, 'thrower.ts')],
      outfile: join(dir, 'out.mjs'),
      bundle: true,
      format: 'esm',
      platform: 'node',
      sourcemap: true,
      logLevel: 'silent',
    });
    writeFileSync(
      join(dir, 'run.mjs'),
      `import { fail } from './out.mjs';
import { sourceStack } from ${JSON.stringify(pathToFileURL(join(repoRoot, 'bin/source-stack.js')).href)};
try { fail(); } catch (e) {
  console.log(JSON.stringify({ raw: e.stack, mapped: sourceStack(e.stack), none: sourceStack('Error: x\\n    at file:///nowhere/none.mjs:1:1') }));
}
`,
    );
    const r = spawnSync(process.execPath, [join(dir, 'run.mjs')], { encoding: 'utf8' });
    const out = JSON.parse(r.stdout) as { raw: string; mapped: string; none: string };
    expect(out.raw).toContain('out.mjs:');
    expect(out.mapped).toContain(`${join(dir, 'thrower.ts')}:3:9`);
    expect(out.mapped).not.toContain('out.mjs:');
    // Frames without a map are left as they are.
    expect(out.none).toBe('Error: x\n    at file:///nowhere/none.mjs:1:1');
  });
});
