import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../helpers/cli.js';

/**
 * The composite action (action.yml): its inputs reach the scan step only as environment variables,
 * and that step (scripts/action-scan.sh) is run here as the runner would run it, with GITHUB_OUTPUT
 * and GITHUB_EVENT_NAME set. The install step (npm ci + build in the action's checkout) is what
 * `npm test` itself does first, so it is not repeated.
 */
interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: {
    using: string;
    steps: { id?: string; run?: string; env?: Record<string, string>; uses?: string }[];
  };
}
const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as Action;

const UNPROTECTED = `resource "aws_iam_role" "vendor" {
  name = "vendor"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::464622532012:root" }, Action = "sts:AssumeRole" }]
  })
}
`;

function workspace(): string {
  const ws = mkdtempSync(join(tmpdir(), 'ta-action-'));
  mkdirSync(join(ws, '.git'));
  mkdirSync(join(ws, 'infra'));
  writeFileSync(join(ws, 'infra/main.tf'), UNPROTECTED);
  return ws;
}

function runScanStep(ws: string, inputs: Record<string, string>, event = 'push') {
  const step = action.runs.steps.find((s) => s.id === 'scan');
  const env: Record<string, string> = {};
  for (const [name, expr] of Object.entries(step?.env ?? {})) {
    const m = /^\$\{\{ inputs\.([a-z-]+) \}\}$/.exec(expr);
    if (!m) throw new Error(`${name} is not a plain input: ${expr}`);
    env[name] = inputs[m[1]!] ?? action.inputs[m[1]!]?.default ?? '';
  }
  const output = join(ws, 'github-output');
  writeFileSync(output, '');
  const r = spawnSync('bash', [join(repoRoot, 'scripts/action-scan.sh')], {
    cwd: ws,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      HOME: ws,
      ...env,
      GITHUB_OUTPUT: output,
      GITHUB_EVENT_NAME: event,
      NO_COLOR: '1',
    },
  });
  const outputs = Object.fromEntries(
    readFileSync(output, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { ...r, outputs };
}

describe('action.yml', () => {
  it('is a composite action whose steps are the scripts, the upload and the final verdict', () => {
    expect(action.runs.using).toBe('composite');
    const runs = action.runs.steps.map((s) => s.run ?? s.uses ?? '');
    expect(runs[0]).toContain('scripts/action-install.sh');
    expect(runs[1]).toContain('scripts/action-scan.sh');
    expect(runs[2]).toMatch(/^github\/codeql-action\/upload-sarif@/);
    expect(existsSync(join(repoRoot, 'scripts/action-install.sh'))).toBe(true);
    for (const name of ['paths', 'account', 'config', 'formats', 'fail-on', 'upload-sarif'])
      expect(action.inputs[name], name).toBeDefined();
  });

  it('never pastes an input into a shell command', () => {
    for (const step of action.runs.steps) expect(step.run ?? '', JSON.stringify(step)).not.toMatch(/\$\{\{/);
  });

  it('scans, writes SARIF and reports the exit code without failing before the upload', () => {
    const ws = workspace();
    const r = runScanStep(ws, { paths: 'infra', account: '123456789012', formats: 'sarif,json' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.outputs['exit-code']).toBe('1');
    expect(r.outputs['sarif-file']).toBe('trustaudit-reports/trustaudit.sarif');
    const sarif = JSON.parse(readFileSync(join(ws, r.outputs['sarif-file']!), 'utf8'));
    expect(sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toContain('TA001');
  });

  it('fail-on none gives exit code 0', () => {
    const r = runScanStep(workspace(), { paths: 'infra', account: '123456789012', 'fail-on': 'none' });
    expect(r.outputs['exit-code']).toBe('0');
  });

  it('treats paths as data: shell syntax in an input runs nothing', () => {
    const ws = workspace();
    const r = runScanStep(ws, { paths: 'infra\n$(touch pwned)\n`touch pwned2`; touch pwned3' });
    expect(existsSync(join(ws, 'pwned'))).toBe(false);
    expect(existsSync(join(ws, 'pwned2'))).toBe(false);
    expect(existsSync(join(ws, 'pwned3'))).toBe(false);
    expect(r.outputs['exit-code']).toBe('2'); // the odd "paths" do not exist
  });

  it('on pull requests ignores the config file and inline suppressions of the scanned tree', () => {
    const ws = workspace();
    // A pull request that tries to silence its own finding.
    writeFileSync(join(ws, 'trustaudit.config.yaml'), 'trustedAccounts: ["464622532012"]\n');
    const push = runScanStep(ws, { paths: 'infra', account: '123456789012' }, 'push');
    const pr = runScanStep(ws, { paths: 'infra', account: '123456789012' }, 'pull_request');
    expect(push.outputs['exit-code']).toBe('0');
    expect(pr.outputs['exit-code']).toBe('1');
  });

  it('rejects a bad value for untrusted', () => {
    const r = runScanStep(workspace(), { paths: 'infra', untrusted: 'maybe' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('untrusted must be true, false or auto');
  });
});
