import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runJson, tempDir } from '../helpers/cli.js';

/** Exit codes for CI through the real CLI: `--allow-unreadable`, and the baseline summary. */
const OWNER = '123456789012';

const openPolicy = (account: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' },
    ],
  });

/** One readable vendor trust (a finding) and one file that is not JSON (an error). */
function brokenTree(): string {
  const dir = tempDir('trustaudit-exit-');
  mkdirSync(join(dir, 'infra'));
  writeFileSync(join(dir, 'infra/vendor.json'), openPolicy('464622532012'));
  writeFileSync(join(dir, 'infra/broken.json'), '{"Version": "2012-10-17", "Statement": [');
  return dir;
}

describe('--allow-unreadable', () => {
  it('by default an input that cannot be scanned makes the exit code 2', () => {
    const { code, report } = runJson(['scan', 'infra', '--account', OWNER], { cwd: brokenTree() });
    expect(code).toBe(2);
    expect(report.errors.map((e) => e.file)).toEqual(['infra/broken.json']);
  });

  it('keeps the error in every report, and the exit code is the findings’ (1)', () => {
    const dir = brokenTree();
    const { code, report, stderr } = runJson(['scan', 'infra', '--account', OWNER, '--allow-unreadable'], {
      cwd: dir,
    });
    expect(code).toBe(1);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ file: 'infra/broken.json' });
    expect(report.errors[0]?.line).toBeGreaterThan(0);
    expect(report.summary.complete).toBe(false);
    expect(stderr).toMatch(/1 input could not be scanned .*--allow-unreadable/);
    const text = runCli(['scan', 'infra', '--account', OWNER, '--allow-unreadable'], { cwd: dir });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/Could not be scanned:\n {2}infra\/broken\.json:1:\d+/);
    expect(text.stdout).toMatch(/Incomplete: 1 input could not be scanned\./);
    const sarif = runCli(['scan', 'infra', '--account', OWNER, '--allow-unreadable', '--format', 'sarif'], {
      cwd: dir,
    });
    expect(sarif.stdout).toContain('infra/broken.json');
  });

  it('with --fail-on none and only errors, the exit code is 0', () => {
    const dir = brokenTree();
    const { code, report } = runJson(
      ['scan', 'infra', '--account', OWNER, '--allow-unreadable', '--fail-on', 'none'],
      {
        cwd: dir,
      },
    );
    expect(code).toBe(0);
    expect(report.errors).toHaveLength(1);
  });

  it('usage errors still exit 2', () => {
    const r = runCli(['scan', 'infra', '--allow-unreadable', '--rule', 'TA001=foo'], { cwd: brokenTree() });
    expect(r.code).toBe(2);
  });
});

describe('baseline summary', () => {
  it('the text and JSON summaries say how many findings are new and how many the baseline had', () => {
    const dir = tempDir('trustaudit-baseline-');
    writeFileSync(join(dir, 'old.json'), openPolicy('464622532012'));
    const saved = runCli(
      ['scan', 'old.json', '--account', OWNER, '--format', 'json', '--output', 'base.json'],
      {
        cwd: dir,
      },
    );
    expect(saved.code).toBe(1);
    writeFileSync(join(dir, 'new.json'), openPolicy('210987654321'));
    const args = ['scan', 'old.json', 'new.json', '--account', OWNER, '--baseline', 'base.json'];
    const { code, report } = runJson(args, { cwd: dir });
    expect(code).toBe(1);
    expect((report.summary as { baseline?: unknown }).baseline).toEqual({ new: 1, inBaseline: 1 });
    const text = runCli(args, { cwd: dir });
    expect(text.stdout).toMatch(
      /2 findings \(2 medium\) in 2 roles from 2 inputs\. 1 new, 1 in the baseline\./,
    );
  });

  it('no baseline, no baseline counts', () => {
    const dir = tempDir('trustaudit-baseline-');
    writeFileSync(join(dir, 'old.json'), openPolicy('464622532012'));
    const { report } = runJson(['scan', 'old.json', '--account', OWNER], { cwd: dir });
    expect((report.summary as { baseline?: unknown }).baseline).toBeUndefined();
    expect(runCli(['scan', 'old.json', '--account', OWNER], { cwd: dir }).stdout).not.toMatch(
      /in the baseline/,
    );
  });
});
