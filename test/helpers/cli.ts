import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const corpusDir = resolve(repoRoot, '../shared/corpus');
export const binPath = join(repoRoot, 'bin/trustaudit.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the real, built CLI (`npm test` builds dist/ first) as a child process. */
export function runCli(
  args: string[],
  opts: { cwd?: string; input?: string; env?: Record<string, string> } = {},
): CliRun {
  const r = spawnSync(process.execPath, [binPath, ...args], {
    cwd: opts.cwd ?? repoRoot,
    input: opts.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', TRUSTAUDIT_DB: 'off', ...opts.env },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Parse the JSON report printed by `--format json`. */
export function runJson(
  args: string[],
  opts: Parameters<typeof runCli>[1] = {},
): { code: number; report: JsonReport; stderr: string } {
  const r = runCli([...args, '--format', 'json'], opts);
  let report: JsonReport;
  try {
    report = JSON.parse(r.stdout) as JsonReport;
  } catch {
    throw new Error(`not JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  return { code: r.code, report, stderr: r.stderr };
}

export function tempDir(prefix = 'trustaudit-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface JsonReport {
  schemaVersion: string;
  tool: { name: string; version: string };
  findings: {
    ruleId: string;
    severity: string;
    message: string;
    resource: { id: string; name: string; account?: string; arn?: string };
    location: { file: string; line?: number; column?: number };
    statement?: { index: number; sid?: string };
    principals: { value: string; kind: string; account?: string; note?: string }[];
    evidence: { summary: string; details: string[]; ownerKnown?: boolean; request?: unknown };
    remediation: { summary: string; steps: string[]; command?: string; correctedPolicyId?: string };
    fingerprint: string;
    suppressed: boolean;
  }[];
  /** Corrected trust policies by id (`remediation.correctedPolicyId`), each written once. */
  correctedPolicies: Record<string, unknown>;
  errors: {
    source: string;
    code: string;
    message: string;
    file?: string;
    line?: number;
    column?: number;
    account?: string;
  }[];
  warnings: { code: string; message: string }[];
  summary: {
    rolesScanned: number;
    filesScanned: number;
    findings: number;
    errors: number;
    complete: boolean;
  };
}
