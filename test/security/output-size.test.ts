/**
 * Issue 11 item 3: a report grows with the input, not with findings times policy size. One trust
 * policy with 1,000 statements used to give a 238 MB JSON report (every finding embedded a whole
 * corrected policy) and 4,000 statements crashed V8; the per-policy size limits now make an oversized
 * policy an error for its role.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { dirWith, FILES, FORMATS, manyStatements } from './output-helpers.js';

const OWNER = ['--account', '123456789012', '--no-db'];

interface Written {
  findings: { remediation: { correctedPolicyId?: string; correctedPolicy?: unknown } }[];
  correctedPolicies: Record<string, { Statement: { Condition?: unknown }[] }>;
  errors: { code: string; message: string; file?: string; line?: number }[];
}

/** Generous bound for a CLI run on a shared, loaded machine: the old code took minutes or crashed. */
const SLOW = 20_000;

describe('reports of one large trust policy stay linear', () => {
  it('1,000 statements: each corrected policy is written once and the JSON stays small', () => {
    const dir = dirWith({ 'trust.json': JSON.stringify(manyStatements(1000)) });
    const started = Date.now();
    const r = runCli(['scan', 'trust.json', ...OWNER, '--format', FORMATS, '--output-dir', 'out'], {
      cwd: dir,
    });
    const elapsed = Date.now() - started;
    expect(r.code, r.stderr).toBe(1);
    expect(elapsed).toBeLessThan(SLOW);
    const jsonBytes = statSync(join(dir, 'out', FILES.json!)).size;
    // Old: 237,793,737 bytes. Now about 4 MB (linear: a few KB of text per finding).
    expect(jsonBytes).toBeLessThan(12 * 1024 * 1024);
    const report = JSON.parse(readFileSync(join(dir, 'out', FILES.json!), 'utf8')) as Written;
    expect(report.findings).toHaveLength(1000);
    const ids = new Set(report.findings.map((f) => f.remediation.correctedPolicyId));
    expect(ids.size).toBe(1);
    expect(report.findings.every((f) => f.remediation.correctedPolicy === undefined)).toBe(true);
    const [id] = [...ids];
    const corrected = report.correctedPolicies[id as string];
    expect(Object.keys(report.correctedPolicies)).toEqual([id]);
    // The one corrected policy fixes every statement the findings name.
    expect(corrected?.Statement).toHaveLength(1000);
    // (one placeholder per third-party account: <EXTERNAL-ID-FOR-…>)
    for (const st of corrected?.Statement ?? [])
      expect(st.Condition).toEqual({
        StringEquals: { 'sts:ExternalId': expect.stringMatching(/^<EXTERNAL-ID/) },
      });
    for (const [format, file] of Object.entries(FILES)) {
      expect(statSync(join(dir, 'out', file)).size, format).toBeLessThan(16 * 1024 * 1024);
    }
    // The HTML page carries the corrected policy once too.
    const html = readFileSync(join(dir, 'out', FILES.html!), 'utf8');
    expect(html.split('"Sid":"Vendor999"').length - 1).toBeLessThanOrEqual(2); // trust policy + corrected
  }, 60_000);

  it('4,000 statements: over the statements limit, an error for that role (file, limit, how to raise it)', () => {
    const dir = dirWith({
      'big.json': JSON.stringify(manyStatements(4000)),
      'small.json': JSON.stringify(manyStatements(1)),
    });
    const started = Date.now();
    const r = runCli(['scan', '.', ...OWNER, '--format', 'json'], { cwd: dir });
    expect(Date.now() - started).toBeLessThan(SLOW);
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout) as Written;
    const e = report.errors.find((x) => x.code === 'budget-exceeded');
    expect(e?.file).toBe('big.json');
    expect(e?.line).toBe(1);
    expect(e?.message).toMatch(/4000 statements/);
    expect(e?.message).toMatch(/the statements limit is 1000 .*--limit statements=2000/);
    // The other input is still judged.
    expect(report.findings).toHaveLength(1);
  }, 60_000);

  it('4,000 statements with the limit raised: scanned, and the report is still linear', () => {
    const dir = dirWith({ 'big.json': JSON.stringify(manyStatements(4000)) });
    const started = Date.now();
    const r = runCli(
      ['scan', 'big.json', ...OWNER, '--limit', 'statements=4000', '--format', 'json', '-o', 'r.json'],
      {
        cwd: dir,
      },
    );
    expect(Date.now() - started).toBeLessThan(SLOW * 2);
    expect(r.code, r.stderr).toBe(1);
    // About 16 MB (4x the 1,000-statement report); the old code ran out of memory.
    expect(statSync(join(dir, 'r.json')).size).toBeLessThan(48 * 1024 * 1024);
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Written;
    expect(report.findings).toHaveLength(4000);
    expect(Object.keys(report.correctedPolicies)).toHaveLength(1);
  }, 120_000);

  it('too many principals or condition values: an error naming that limit', () => {
    const principals = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: Array.from({ length: 12 }, (_, i) => String(300000000000 + i)) },
          Action: 'sts:AssumeRole',
        },
      ],
    };
    const values = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: '111122223333' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': Array.from({ length: 12 }, (_, i) => `id-${i}`) } },
        },
      ],
    };
    const dir = dirWith({
      'principals.json': JSON.stringify(principals),
      'values.json': JSON.stringify(values),
    });
    const r = runCli(
      [
        'scan',
        '.',
        ...OWNER,
        '--limit',
        'principals=10',
        '--limit',
        'condition-values=10',
        '--format',
        'json',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout) as Written;
    const byFile = Object.fromEntries(report.errors.map((e) => [e.file, e.message]));
    expect(byFile['principals.json']).toMatch(/12 principals.*the principals limit is 10/);
    expect(byFile['values.json']).toMatch(/12 values in one condition.*the condition-values limit is 10/);
  });

  it("a policy at IAM's largest quota (4,096 characters) scans quickly in every format", () => {
    // As many statements as fit in 4,096 characters (whitespace excluded, as IAM counts).
    let n = 1;
    while (JSON.stringify(manyStatements(n + 1)).length <= 4096) n++;
    const doc = JSON.stringify(manyStatements(n));
    expect(doc.length).toBeLessThanOrEqual(4096);
    expect(doc.length).toBeGreaterThan(3900);
    const dir = dirWith({ 'quota.json': doc });
    const started = Date.now();
    const r = runCli(['scan', 'quota.json', ...OWNER, '--format', FORMATS, '--output-dir', 'out'], {
      cwd: dir,
    });
    expect(r.code, r.stderr).toBe(1);
    // A generous bound (process start included); the scan itself takes milliseconds.
    expect(Date.now() - started).toBeLessThan(10_000);
    const report = JSON.parse(readFileSync(join(dir, 'out', FILES.json!), 'utf8')) as Written;
    expect(report.findings).toHaveLength(n);
    expect(Object.keys(report.correctedPolicies)).toHaveLength(1);
  }, 60_000);
});

describe('TA006 on many stale principals', () => {
  it('builds one corrected policy for the role, not one per finding', () => {
    // 1,000 statements, each naming the unique id of a deleted role: 1,000 TA006 findings.
    const statements = Array.from({ length: 1000 }, (_, i) => ({
      Effect: 'Allow',
      Principal: { AWS: `AROA${String(i).padStart(17, 'X')}` },
      Action: 'sts:AssumeRole',
    }));
    const dir = dirWith({ 'trust.json': JSON.stringify({ Version: '2012-10-17', Statement: statements }) });
    const started = Date.now();
    const r = runCli(['scan', 'trust.json', ...OWNER, '--format', 'json', '--output', 'out.json'], {
      cwd: dir,
    });
    expect(Date.now() - started).toBeLessThan(SLOW);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as {
      findings: { ruleId: string; remediation: { correctedPolicyId?: string } }[];
    };
    const ta006 = report.findings.filter((f) => f.ruleId === 'TA006');
    expect(ta006).toHaveLength(1000);
    expect(new Set(ta006.map((f) => f.remediation.correctedPolicyId)).size).toBe(1);
    expect(statSync(join(dir, 'out.json')).size).toBeLessThan(6 * 1024 * 1024);
  });
});
