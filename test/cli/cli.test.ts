import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli, runJson, tempDir } from '../helpers/cli.js';

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };

const UNPROTECTED = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Vendor',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: 'sts:AssumeRole',
    },
  ],
});
const PROTECTED = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: '111122223333' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': 'a-fixed-secret-id' } },
    },
  ],
});

function dirWith(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('trustaudit CLI (real binary)', () => {
  it('--version prints the package version', () => {
    const r = runCli(['--version']);
    expect(r.code, `stderr: ${r.stderr}`).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('--help lists the commands and exits 0', () => {
    const r = runCli(['--help']);
    expect(r.code, `stderr: ${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/scan/);
    expect(r.stdout).toMatch(/explain/);
  });

  const usageErrors: { name: string; args: string[]; stderr: RegExp }[] = [
    { name: 'unknown option', args: ['scan', '--no-such-flag', 'x'], stderr: /unknown option/ },
    { name: 'unknown format', args: ['scan', 'examples', '--format', 'pdf'], stderr: /unknown format "pdf"/ },
    {
      name: 'several formats need --output-dir',
      args: ['scan', 'examples', '--format', 'json,text'],
      stderr: /--output-dir/,
    },
    { name: 'bad --fail-on', args: ['scan', 'examples', '--fail-on', 'urgent'], stderr: /expected one of/ },
    { name: 'bad --account', args: ['scan', 'examples', '--account', '12'], stderr: /12-digit/ },
    { name: 'nothing to scan', args: ['scan'], stderr: /nothing to scan/ },
    { name: 'unknown rule for explain', args: ['explain', 'TA999'], stderr: /unknown rule "TA999"/ },
    { name: 'bad --rule setting', args: ['scan', 'examples', '--rule', 'TA001'], stderr: /Name=Value/ },
  ];
  for (const c of usageErrors) {
    it(`usage error exits 2: ${c.name}`, () => {
      const r = runCli(c.args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(c.stderr);
    });
  }

  it('a config error exits 2 naming file, line and field', () => {
    const dir = dirWith({ 'trustaudit.config.yaml': 'trustedAccounts:\n  - nope\n', 'p.json': PROTECTED });
    const r = runCli(['scan', 'p.json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/trustaudit\.config\.yaml:2:5: trustedAccounts\.0/);
  });

  it('exit 1 with a finding, 0 when protected, and --fail-on raises the bar', () => {
    const dir = dirWith({ 'bad.json': UNPROTECTED, 'good.json': PROTECTED });
    expect(runCli(['scan', 'bad.json'], { cwd: dir }).code).toBe(1);
    expect(runCli(['scan', 'good.json'], { cwd: dir }).code).toBe(0);
    expect(runCli(['scan', 'bad.json', '--fail-on', 'high'], { cwd: dir }).code).toBe(0);
    expect(runCli(['scan', 'bad.json', '--fail-on', 'none'], { cwd: dir }).code).toBe(0);
  });

  it('an unreadable input exits 2 but the other inputs are still scanned and reported', () => {
    const dir = dirWith({
      'bad.json': UNPROTECTED,
      'broken.json': '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow",,}\n  ]\n}\n',
    });
    const { code, report } = runJson(['scan', 'bad.json', 'broken.json', 'missing.json'], { cwd: dir });
    expect(code).toBe(2);
    expect(report.summary.complete).toBe(false);
    expect(report.findings.map((f) => f.location.file)).toEqual(['bad.json']);
    const broken = report.errors.find((e) => e.file === 'broken.json');
    expect(broken).toMatchObject({ line: 4 });
    expect(broken?.column).toBeGreaterThan(1);
    expect(report.errors.find((e) => e.file === 'missing.json')?.code).toBe('not-found');
  });

  it('an explicit file that is not a policy, export or template is an error; a walked one is skipped', () => {
    const dir = dirWith({ 'notes.json': '{"hello": "world"}', 'bad.json': UNPROTECTED });
    const explicit = runJson(['scan', 'notes.json'], { cwd: dir });
    expect(explicit.code).toBe(2);
    expect(explicit.report.errors[0]).toMatchObject({ file: 'notes.json', code: 'unrecognised' });
    const walked = runJson(['scan', '.'], { cwd: dir });
    expect(walked.code).toBe(1);
    expect(walked.report.errors).toEqual([]);
    expect(walked.report.summary.filesScanned).toBe(1);
  });

  it('reads standard input with -', () => {
    const { code, report } = runJson(['scan', '-'], { input: UNPROTECTED });
    expect(code).toBe(1);
    expect(report.findings[0]?.ruleId).toBe('TA001');
    expect(report.findings[0]?.location.file).toBe('<stdin>');
  });

  it('--account makes the owner known: same-account trust is not a finding', () => {
    const dir = dirWith({ 'own.json': UNPROTECTED });
    const unknownOwner = runJson(['scan', 'own.json'], { cwd: dir });
    expect(unknownOwner.report.findings).toHaveLength(1);
    expect(unknownOwner.report.findings[0]?.evidence.ownerKnown).toBe(false);
    const own = runJson(['scan', 'own.json', '--account', '111122223333'], { cwd: dir });
    expect(own.code).toBe(0);
    expect(own.report.findings).toEqual([]);
    const trusted = runJson(
      ['scan', 'own.json', '--account', '123456789012', '--trusted-account', '111122223333'],
      { cwd: dir },
    );
    expect(trusted.report.findings).toEqual([]);
  });

  it('--output writes the file and --output-dir writes one file per format', () => {
    const dir = dirWith({ 'bad.json': UNPROTECTED });
    const r = runCli(['scan', 'bad.json', '--format', 'json', '--output', 'out.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')).findings).toHaveLength(1);
    const r2 = runCli(['scan', 'bad.json', '--format', 'json,text', '--output-dir', 'reports'], { cwd: dir });
    expect(r2.code).toBe(1);
    expect(readFileSync(join(dir, 'reports/trustaudit.txt'), 'utf8')).toMatch(/TA001/);
    expect(JSON.parse(readFileSync(join(dir, 'reports/trustaudit.json'), 'utf8')).schemaVersion).toMatch(
      /^2\./,
    );
  });

  it('the JSON report follows the documented contract, deterministically', () => {
    const dir = dirWith({ 'bad.json': UNPROTECTED, 'good.json': PROTECTED });
    const a = runCli(['scan', '.', '--format', 'json'], { cwd: dir });
    const b = runCli(['scan', '.', '--format', 'json'], { cwd: dir });
    expect(a.stdout).toBe(b.stdout);
    const report = JSON.parse(a.stdout);
    expect(Object.keys(report)).toEqual([
      'schemaVersion',
      'tool',
      'findings',
      'correctedPolicies',
      'errors',
      'warnings',
      'summary',
    ]);
    expect(report.tool).toEqual({ name: 'trustaudit', version: pkg.version });
    const f = report.findings[0];
    for (const key of [
      'ruleId',
      'severity',
      'title',
      'message',
      'resource',
      'location',
      'statement',
      'principals',
      'evidence',
      'remediation',
      'fingerprint',
      'suppressed',
    ]) {
      expect(f).toHaveProperty(key);
    }
    expect(f.resource).toMatchObject({ kind: 'aws-iam-role' });
    expect(f.statement).toEqual({ index: 0, sid: 'Vendor' });
    expect(f.principals[0]).toMatchObject({
      value: 'arn:aws:iam::111122223333:root',
      account: '111122223333',
    });
    expect(f.remediation.command).toMatch(/aws iam update-assume-role-policy/);
  });

  it('text output names the role, rule, location and fix, and ends with a summary', () => {
    const dir = dirWith({ 'bad.json': UNPROTECTED });
    const r = runCli(['scan', 'bad.json'], { cwd: dir });
    expect(r.stdout).toMatch(/TA001/);
    expect(r.stdout).toMatch(/bad\.json:\d+/);
    // One line per finding by default; --verbose adds the fix.
    expect(r.stdout).not.toMatch(/fix:/);
    expect(runCli(['scan', 'bad.json', '--verbose'], { cwd: dir }).stdout).toMatch(/fix:/);
    expect(r.stdout).toMatch(/1 finding \(1 medium\) in 1 role from 1 input\./);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI colour escapes on purpose
    expect(r.stdout).not.toMatch(/\u001b\[/); // no colour when not a terminal
  });

  it('rules lists every rule and explain prints a rule doc', () => {
    const r = runCli(['rules', '--format', 'json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { id: string; severity: string; enabled: boolean }[];
    expect(rows.find((x) => x.id === 'TA001')).toMatchObject({ severity: 'medium', enabled: true });
    const text = runCli(['rules']);
    expect(text.stdout).toMatch(/TA001\s+cross-account-trust-without-external-id-or-mfa\s+medium\s+yes/);
    const doc = runCli(['explain', 'TA001']);
    expect(doc.code).toBe(0);
    expect(doc.stdout).toBe(readFileSync(join(repoRoot, 'docs/rules/TA001.md'), 'utf8'));
  });

  it('--rule and config turn rules off and change severity', () => {
    const dir = dirWith({ 'bad.json': UNPROTECTED });
    expect(runJson(['scan', 'bad.json', '--rule', 'TA001=off'], { cwd: dir }).report.findings).toEqual([]);
    const high = runJson(['scan', 'bad.json', '--rule', 'TA001=high'], { cwd: dir });
    expect(high.report.findings[0]?.severity).toBe('high');
    writeFileSync(join(dir, 'trustaudit.config.json'), JSON.stringify({ rules: { TA001: 'critical' } }));
    expect(runJson(['scan', 'bad.json'], { cwd: dir }).report.findings[0]?.severity).toBe('critical');
  });
});
