import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { binPath, repoRoot } from '../helpers/cli.js';

/**
 * .pre-commit-hooks.yaml through Debian's pre-commit (`pre-commit try-repo`, installed by
 * scripts/test-prereqs.sh) on a temporary repository. The `system` hook runs the trustaudit on PATH
 * (here a shim to this build); the `node` hook makes pre-commit npm-install this repository, which
 * takes minutes, so only its manifest entry is checked here.
 */
const UNPROTECTED = `resource "aws_iam_role" "vendor" {
  name = "vendor"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::464622532012:root" }, Action = "sts:AssumeRole" }]
  })
}
`;

function repoWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ta-precommit-'));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: dir });
  git('init', '-q');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  git('add', '.');
  git('commit', '-qm', 'init');
  return dir;
}

function tryRepo(dir: string) {
  const shim = mkdtempSync(join(tmpdir(), 'ta-shim-'));
  mkdirSync(join(shim, 'bin'));
  const exe = join(shim, 'bin', 'trustaudit');
  writeFileSync(exe, `#!/bin/sh\nexec "${process.execPath}" "${binPath}" "$@"\n`);
  chmodSync(exe, 0o755);
  return spawnSync('pre-commit', ['try-repo', repoRoot, 'trustaudit-system', '--all-files'], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: `${join(shim, 'bin')}:${process.env.PATH ?? ''}`,
      PRE_COMMIT_HOME: join(shim, 'cache'),
      TRUSTAUDIT_DB: 'off',
      NO_COLOR: '1',
    },
  });
}

describe('.pre-commit-hooks.yaml', () => {
  it('declares a node hook and a system hook that scan the whole repository', () => {
    const hooks = parse(readFileSync(join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8')) as {
      id: string;
      language: string;
      pass_filenames: boolean;
      entry: string;
    }[];
    expect(hooks.map((h) => [h.id, h.language])).toEqual([
      ['trustaudit', 'node'],
      ['trustaudit-system', 'system'],
    ]);
    for (const h of hooks) {
      expect(h.pass_filenames).toBe(false);
      expect(h.entry).toMatch(/^trustaudit scan \. /);
    }
  });

  it('fails a commit that adds an unprotected third-party trust, and names it', () => {
    const r = tryRepo(repoWith({ 'main.tf': UNPROTECTED }));
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain('TA001');
    expect(r.stdout).toContain('main.tf');
  });

  it('passes a commit whose trust requires an external id', () => {
    const protectedTf = UNPROTECTED.replace(
      'Action = "sts:AssumeRole" }',
      'Action = "sts:AssumeRole", Condition = { StringEquals = { "sts:ExternalId" = "abc-123" } } }',
    );
    const r = tryRepo(repoWith({ 'main.tf': protectedTf }));
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Passed/);
  });
});
