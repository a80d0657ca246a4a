import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = resolve(repoRoot, 'bin/trustaudit.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the real CLI (`node bin/trustaudit.js`, built into dist/ by `npm test`). */
export function runCli(
  args: string[],
  env: Record<string, string>,
  opts: { cwd?: string } = {},
): Promise<CliRun> {
  if (!existsSync(resolve(repoRoot, 'dist/cli/main.js'))) {
    throw new Error('dist/ is not built: run `npm run build` (npm test does it first)');
  }
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: opts.cwd ?? repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}
