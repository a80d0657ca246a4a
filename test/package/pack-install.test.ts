import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';

/**
 * The package as a user gets it: `npm pack`, installed into an empty project (no devDependencies,
 * no optional native module), then the README's library example type-checked and run against it,
 * and the installed CLI run on a bundled example.
 */
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let work: string;
let project: string;

const EXAMPLE = `import { renderReport, scanPolicies } from 'trustaudit';

const policy = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::464622532012:root' }, Action: 'sts:AssumeRole' }],
};
const report = await scanPolicies([{ name: 'vendor.json', policy }], { account: '123456789012' });
for (const f of report.findings) console.log(f.ruleId, f.severity, f.message.split('\\n')[0]);
const sarif = JSON.parse(renderReport(report, 'sarif')) as { version: string };
console.log('sarif', sarif.version, 'findings', report.summary.findings);
`;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'trustaudit-pack-'));
  // `npm test` built dist/ (and the bundle) already; `--ignore-scripts` keeps prepack from rebuilding
  // it in place while other test files run the CLI from it.
  execFileSync(npm, ['pack', '--ignore-scripts', '--pack-destination', work, '--silent'], {
    cwd: repoRoot,
    stdio: 'pipe',
  });
  project = join(work, 'project');
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'uses-trustaudit', version: '1.0.0', type: 'module', private: true }),
  );
  const tgz = readdirSync(work).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error('npm pack wrote no tarball');
  execFileSync(
    npm,
    ['install', '--omit=optional', '--no-audit', '--no-fund', '--prefer-offline', join(work, tgz)],
    { cwd: project, stdio: 'pipe' },
  );
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('ships the build, the licence and no tests', () => {
    const listing = execFileSync(
      'tar',
      ['-tzf', join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!)],
      {
        encoding: 'utf8',
      },
    );
    expect(listing).toContain('package/dist/index.js');
    expect(listing).toContain('package/dist/index.d.ts');
    expect(listing).toContain('package/dist/cli/main.js');
    // The bundled CLI that bin/trustaudit.js runs, with its source map, and the vendor list.
    expect(listing).toContain('package/dist/trustaudit.mjs');
    expect(listing).toContain('package/dist/trustaudit.mjs.map');
    expect(listing).toContain('package/data/known-aws-accounts.yaml');
    expect(listing).toContain('package/NOTICE');
    expect(listing).toContain('package/LICENSE');
    expect(listing).not.toMatch(/package\/test\//);
    expect(listing).not.toMatch(/package\/src\//);
  });

  it('type-checks and runs the README library example', () => {
    writeFileSync(join(project, 'example.mts'), EXAMPLE);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: true,
          outDir: 'out',
          types: ['node'],
          typeRoots: [join(repoRoot, 'node_modules/@types')],
        },
        files: ['example.mts'],
      }),
    );
    const tsc = spawnSync(
      process.execPath,
      [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', project],
      {
        encoding: 'utf8',
      },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    const run = spawnSync(process.execPath, [join(project, 'out/example.mjs')], {
      encoding: 'utf8',
      cwd: project,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^TA001 medium /m);
    expect(run.stdout).toMatch(/^sarif 2\.1\.0 findings 1$/m);
  });

  it('installs a working CLI', () => {
    const bin = join(project, 'node_modules/.bin/trustaudit');
    const v = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    expect(v.status).toBe(0);
    const scan = spawnSync(
      bin,
      ['scan', join(repoRoot, 'examples/account-export.json'), '--no-db', '--format', 'json'],
      {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    expect(scan.status).toBe(1);
    const report = JSON.parse(scan.stdout) as { summary: { findings: number } };
    expect(report.summary.findings).toBeGreaterThan(0);
  });

  it('scans without the optional history module, and says once that history is off', () => {
    expect(existsSync(join(project, 'node_modules/better-sqlite3'))).toBe(false);
    const bin = join(project, 'node_modules/.bin/trustaudit');
    const scan = spawnSync(
      bin,
      ['scan', join(repoRoot, 'examples/account-export.json'), '--format', 'json'],
      {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', TRUSTAUDIT_DB: join(work, 'history.db') },
      },
    );
    expect(scan.status, scan.stderr).toBe(1);
    expect(JSON.parse(scan.stdout).summary.findings).toBeGreaterThan(0);
    expect(scan.stderr.match(/history is off/g)).toHaveLength(1);
    expect(scan.stderr).toContain('better-sqlite3');
  });
});
