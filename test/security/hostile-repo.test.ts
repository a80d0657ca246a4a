import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { binPath, repoRoot } from '../helpers/cli.js';

/**
 * The hostile-repository fixture (test/fixtures/hostile-repo/README.md lists its attacks), scanned
 * through the real CLI in every format at once, with a capped heap: it must finish, report the
 * legitimate roles next to the hostile ones, and leak nothing.
 */
const PLANTED = 'planted-ci-secret-7c1f0a9e';
const OUTSIDE = 'outside-the-root-5d2b8e11';
const FORMATS = ['json', 'sarif', 'html', 'csv', 'junit', 'markdown', 'text', 'asff', 'ocsf'];
const HEAP_MB = 768;

let parent: string;
let root: string;
let out: string;
let run: { status: number | null; stdout: string; stderr: string; ms: number };

function nested(depth: number): string {
  return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

beforeAll(() => {
  parent = mkdtempSync(join(tmpdir(), 'ta-hostile-'));
  // A file beside the repository: no template may read it.
  writeFileSync(join(parent, 'outside-secret.txt'), `${OUTSIDE}\n`);
  root = join(parent, 'repo');
  cpSync(join(repoRoot, 'test/fixtures/hostile-repo'), root, { recursive: true });
  mkdirSync(join(root, '.git'));
  // What git cannot hold, or should not: links, a FIFO, generated giants.
  symlinkSync('../../shared/linked-role.tf.txt', join(root, 'legit/terraform/linked.tf'));
  symlinkSync('/etc/passwd', join(root, 'legit/terraform/escape.tf'));
  execFileSync('mkfifo', [join(root, 'tf-exfil/pipe.txt')]);
  mkdirSync(join(root, 'tf-deep'));
  writeFileSync(join(root, 'tf-deep/main.tf'), `locals {\n  unused = ${nested(2000)}\n}\n`);
  const statements = Array.from({ length: 1000 }, (_, i) => ({
    Sid: `S${i}`,
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${String(100000000000 + i)}:root` },
    Action: 'sts:AssumeRole',
  }));
  writeFileSync(
    join(root, 'big-policy.json'),
    JSON.stringify({ Version: '2012-10-17', Statement: statements }),
  );
  writeFileSync(
    join(root, 'huge-sid.json'),
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'x'.repeat(19 * 1024 * 1024),
          Effect: 'Allow',
          Principal: { AWS: '666666666666' },
          Action: 'sts:AssumeRole',
        },
      ],
    }),
  );
  out = join(parent, 'reports');
  const started = Date.now();
  const r = spawnSync(
    process.execPath,
    [
      `--max-old-space-size=${HEAP_MB}`,
      binPath,
      'scan',
      '.',
      '--account',
      '123456789012',
      // The safe form for a pull request (README, docs/security.md): the tree's own config and
      // inline suppressions are the attacker's.
      '--no-repo-config',
      '--no-inline-suppressions',
      '--format',
      FORMATS.join(','),
      '--output-dir',
      out,
      '--no-db',
    ],
    {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: parent,
        NO_COLOR: '1',
        AWS_SECRET_ACCESS_KEY: PLANTED,
        MY_DEPLOY_TOKEN: PLANTED,
        TRUSTAUDIT_DB: 'off',
      },
    },
  );
  run = { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}, 180_000);

describe('a hostile repository', () => {
  it('is scanned to the end, within a capped heap, and says the result is incomplete', () => {
    expect(run.stderr).not.toMatch(/internal error|heap out of memory|at .+\.js:\d+/);
    expect(run.status, run.stderr).toBe(2);
    expect(run.ms).toBeLessThan(120_000);
    for (const f of readdirSync(out)) expect(readFileSync(join(out, f), 'utf8').length).toBeGreaterThan(0);
  });

  it('reports the legitimate roles next to the hostile ones', () => {
    const report = JSON.parse(readFileSync(join(out, 'trustaudit.json'), 'utf8')) as {
      findings: { ruleId: string; resource: { name: string }; suppressed: boolean }[];
    };
    const names = new Set(report.findings.map((f) => f.resource.name));
    for (const n of [
      'legit-cfn-vendor',
      'legit-tf-vendor',
      'legit-linked-vendor',
      'exfil-vendor',
      'regex-vendor',
    ])
      expect(names, n).toContain(n);
    expect(names).not.toContain('legit-cfn-protected');
    expect(report.findings.every((f) => !f.suppressed)).toBe(true);
  });

  it('never applies the planted config silently when run without the safe flags', () => {
    const r = spawnSync(
      process.execPath,
      [binPath, 'scan', 'legit', '--account', '123456789012', '--no-db'],
      {
        cwd: root,
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', HOME: parent, NO_COLOR: '1', TRUSTAUDIT_DB: 'off' },
      },
    );
    expect(r.stderr + r.stdout).toContain('trustaudit.config.yaml');
  });

  it('leaks no environment variable, no line of /etc/passwd and no file outside the root', () => {
    const passwdFirst = readFileSync('/etc/passwd', 'utf8').split('\n')[0]!;
    for (const f of readdirSync(out)) {
      const text = readFileSync(join(out, f), 'utf8');
      expect(text, f).not.toContain(PLANTED);
      expect(text, f).not.toContain(OUTSIDE);
      expect(text, f).not.toContain(passwdFirst);
      expect(text, f).not.toMatch(/root:x:0:0/);
    }
    expect(run.stderr).not.toContain(PLANTED);
    expect(run.stderr).not.toMatch(/root:x:0:0/);
  });

  it('keeps every report linear in the input: no copy of the policy per finding, no 19 MB message', () => {
    let input = 0;
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory() && e.name !== '.git') walk(join(dir, e.name));
        else if (e.isFile()) input += readFileSync(join(dir, e.name)).length;
      }
    };
    walk(root);
    for (const f of readdirSync(out)) {
      const size = readFileSync(join(out, f)).length;
      // The HTML report shows each policy and its corrected form (two copies at most); nothing else
      // may come near the input's size.
      expect(size, f).toBeLessThan(f.endsWith('.html') ? input * 2.5 + 8 * 1024 * 1024 : 12 * 1024 * 1024);
    }
    // Messages quote at most the message-length budget of the 19 MB Sid.
    expect(readFileSync(join(out, 'trustaudit.sarif'), 'utf8')).not.toContain('x'.repeat(100_000));
  });

  it('prints no terminal escape sequence from the input', () => {
    const text = readFileSync(join(out, 'trustaudit.txt'), 'utf8');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters
    expect(text).not.toMatch(/\u001b|\u0007/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: as above
    expect(run.stderr).not.toMatch(/\u001b|\u0007/);
  });

  it('quotes role names in the suggested commands: running them runs no injected code', () => {
    const report = JSON.parse(readFileSync(join(out, 'trustaudit.json'), 'utf8')) as {
      findings: { resource: { name: string }; remediation: { command?: string } }[];
    };
    const shell = report.findings.find((f) => f.resource.name.startsWith('vendor$('));
    expect(shell?.remediation.command).toBeDefined();
    // A stand-in `aws` that prints its arguments, one per line.
    const fake = mkdtempSync(join(tmpdir(), 'ta-fake-aws-'));
    writeFileSync(join(fake, 'aws'), '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n');
    chmodSync(join(fake, 'aws'), 0o755);
    const r = spawnSync('sh', ['-c', shell!.remediation.command!], {
      cwd: fake,
      encoding: 'utf8',
      env: { PATH: `${fake}:${process.env.PATH ?? ''}` },
    });
    expect(existsSync(join(fake, 'pwned-by-role-name'))).toBe(false);
    expect(existsSync(join(fake, 'pwned-quote'))).toBe(false);
    expect(r.stdout.split('\n')).toContain(shell!.resource.name);
  });
});
