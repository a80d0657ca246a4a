import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { binPath, repoRoot, tempDir } from '../helpers/cli.js';

/**
 * Issue 17 (start-up): what a small scan loads. The built CLI (`npm test` builds it) runs with a module
 * hook that logs every ES module Node loads and, at exit, every CommonJS module it required. Each bundle
 * chunk names the sources it holds in its source map, so the test sees source files, not chunk names.
 * A scan must not load what it does not use: the readers of other kinds of file, the YAML parser, the
 * RE2 engine, the glob matcher, zod, the HTML reporter, the history database.
 */

const TF = `resource "aws_iam_role" "vendor" {
  name = "vendor-read"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::464622532012:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}
`;

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::464622532012:root' }, Action: 'sts:AssumeRole' },
  ],
});

const HOOK = `export async function load(url, context, next) {
  process.stderr.write('LOAD ' + url + '\\n');
  return next(url, context);
}
`;

const PRELOAD = `import { createRequire, register } from 'node:module';
register(new URL('./hook.mjs', import.meta.url));
const require = createRequire(import.meta.url);
process.on('exit', () => {
  for (const file of Object.keys(require.cache)) process.stderr.write('CJS ' + file + '\\n');
});
`;

/** Every reader but the one the scan needs, and the modules loaded only on first use. */
const LAZY = [
  /\/node_modules\/yaml\//,
  /\/node_modules\/re2js\//,
  /\/node_modules\/picomatch\//,
  /\/node_modules\/zod\//,
  /\/src\/reporters\/html/,
  /\/src\/history\/store\.ts$/,
  /\/src\/sources\/cloudformation\/(load|parse|parse-yaml|parse-json|scan-template)\.ts$/,
  /\/src\/sources\/(ansible|kubernetes|pulumi|serverless)\/load\.ts$/,
  /\/src\/sources\/kubernetes\/yaml-stream\.ts$/,
  /\/src\/sources\/terraform\/plan\.ts$/,
];

/** The source files (absolute, forward slashes) that `trustaudit scan <file>` loads in `dir`. */
function loadedSources(dir: string, file: string): { sources: string[]; chunks: number } {
  writeFileSync(join(dir, 'hook.mjs'), HOOK);
  writeFileSync(join(dir, 'preload.mjs'), PRELOAD);
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      pathToFileURL(join(dir, 'preload.mjs')).href,
      binPath,
      'scan',
      file,
      '--account',
      '123456789012',
      '--no-db',
      '-q',
    ],
    { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', TRUSTAUDIT_DB: 'off' } },
  );
  // One finding: the vendor account can assume the role.
  expect(r.status, r.stderr).toBe(1);
  const sources = new Set<string>();
  let chunks = 0;
  for (const line of r.stderr.split('\n')) {
    const url = line.startsWith('LOAD file:') ? line.slice('LOAD '.length) : undefined;
    const path = url ? fileURLToPath(url) : line.startsWith('CJS ') ? line.slice('CJS '.length) : undefined;
    if (!path) continue;
    if (url && path.startsWith(join(repoRoot, 'dist')) && path.endsWith('.mjs')) {
      chunks++;
      const map = JSON.parse(readFileSync(`${path}.map`, 'utf8')) as { sources: string[] };
      for (const s of map.sources) sources.add(resolve(dirname(path), s).split('\\').join('/'));
    } else sources.add(path.split('\\').join('/'));
  }
  return { sources: [...sources], chunks };
}

describe('start-up: a small scan loads only what it uses', () => {
  const cases = [
    { name: 'a one-file Terraform scan', file: 'main.tf', text: TF, reader: 'terraform', other: 'export' },
    { name: 'a one-policy scan', file: 'policy.json', text: POLICY, reader: 'export', other: 'terraform' },
  ];
  it.each(cases)('$name', ({ file, text, reader, other }) => {
    const dir = tempDir();
    writeFileSync(join(dir, file), text);
    const { sources, chunks } = loadedSources(dir, file);
    expect(chunks, 'the bundle is not built: run `npm run build`').toBeGreaterThan(1);
    // The hook saw the reader that did the work, so what it did not see was not loaded.
    expect(sources).toContain(join(repoRoot, `src/sources/${reader}/load.ts`).split('\\').join('/'));
    const lazy = [...LAZY, new RegExp(`/src/sources/${other}/load\\.ts$`)];
    expect(sources.filter((s) => lazy.some((re) => re.test(s)))).toEqual([]);
  });
});
