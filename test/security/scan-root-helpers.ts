/**
 * Helpers for the scan-root attack tests: a throw-away repository (a temp folder holding `.git`, so the
 * scan root is fixed), files written into it, and the real built CLI run with a time bound so that an
 * attack that used to hang fails the test instead of the suite.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { binPath, repoRoot } from '../helpers/cli.js';

/** A fresh repository root (real path) with an empty `.git` folder. */
export function makeRepo(prefix = 'trustaudit-root-'): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  mkdirSync(join(dir, '.git'));
  return dir;
}

/** A folder outside every repository (a sibling temp folder). */
export function makeOutside(prefix = 'trustaudit-outside-'): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

export function put(dir: string, rel: string, text: string): string {
  const file = join(dir, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

export interface BoundedRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The run was killed at the time bound (an attack that hangs). */
  timedOut: boolean;
}

/** Run the built CLI in `cwd`, killed after `timeoutMs` (generous: only a hang reaches it). */
export function runBounded(
  args: string[],
  opts: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): BoundedRun {
  const r = spawnSync(process.execPath, [binPath, ...args], {
    cwd: opts.cwd,
    input: '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', TRUSTAUDIT_DB: 'off', ...opts.env },
    timeout: opts.timeoutMs ?? 30_000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  if (r.error && !timedOut) throw r.error;
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', timedOut };
}

export interface Reports {
  run: BoundedRun;
  json: string;
  sarif: string;
  html: string;
  report: {
    findings: { resource: { name: string }; location: { file: string } }[];
    errors: { code: string; message: string; file?: string; line?: number; column?: number }[];
    warnings: { code: string; message: string; file?: string; line?: number; column?: number }[];
  };
  /** The SARIF run's tool notifications (where errors and warnings go). */
  notifications: { level?: string; message: { text: string } }[];
}

/** Scan `paths` in `cwd` and read the JSON, SARIF and HTML reports the CLI wrote. */
export function scanToReports(
  cwd: string,
  paths: string[],
  opts: { args?: string[]; env?: Record<string, string>; timeoutMs?: number } = {},
): Reports {
  const out = mkdtempSync(join(tmpdir(), 'trustaudit-reports-'));
  const run = runBounded(
    [
      'scan',
      ...paths,
      '--account',
      '111122223333',
      '--format',
      'json,sarif,html',
      '--output-dir',
      out,
      ...(opts.args ?? []),
    ],
    { cwd, ...(opts.env ? { env: opts.env } : {}), ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) },
  );
  if (run.timedOut) throw new Error(`scan did not finish:\n${run.stderr}`);
  const read = (name: string) => {
    try {
      return readFileSync(join(out, name), 'utf8');
    } catch {
      throw new Error(`no ${name} (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
    }
  };
  const json = read('trustaudit.json');
  const sarif = read('trustaudit.sarif');
  const html = read('trustaudit.html');
  const log = JSON.parse(sarif) as {
    runs: { invocations?: { toolExecutionNotifications?: Reports['notifications'] }[] }[];
  };
  return {
    run,
    json,
    sarif,
    html,
    report: JSON.parse(json) as Reports['report'],
    notifications: log.runs[0]?.invocations?.[0]?.toolExecutionNotifications ?? [],
  };
}

/** A Terraform role trusting a third-party account, with `sid` (an HCL expression) as its Sid. */
export function roleTf(name: string, sid = '"Vendor"'): string {
  return `resource "aws_iam_role" "${name}" {
  name = "${name}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = ${sid}
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::999988887777:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}
`;
}

/** Line (1-based) of the first line of `text` containing `needle`. */
export function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

export { repoRoot };
