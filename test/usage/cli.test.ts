import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UsageEvidence } from '../../src/usage/types.js';
import { repoRoot, runCli, runJson, tempDir } from '../helpers/cli.js';

const FIX = 'test/fixtures/cloudtrail';
const EXPORT = `${FIX}/account-export.json`;
// The fixtures' events are dated November 2026: a window of 100 years keeps them in it whenever the test runs.
const WIDE = ['--usage-days', '36500'];

function usageOf(report: ReturnType<typeof runJson>['report'], role: string): UsageEvidence | undefined {
  const f = report.findings.find((x) => x.ruleId === 'TA001' && x.resource.name === role);
  return (f?.evidence as { usage?: UsageEvidence } | undefined)?.usage;
}

describe('scan --cloudtrail (built CLI)', () => {
  it('puts evidence.usage with a verdict per third party on the TA001 finding', () => {
    const { code, report, stderr } = runJson([
      'scan',
      EXPORT,
      '--cloudtrail',
      `${FIX}/org`,
      '--cloudtrail',
      `${FIX}/plain`,
      ...WIDE,
    ]);
    expect(code).toBe(1);
    expect(report.errors).toEqual([]);
    const usage = usageOf(report, 'VendorAccess');
    expect(usage?.sources).toEqual([
      `CloudTrail log files under ${FIX}/org`,
      `CloudTrail log files under ${FIX}/plain`,
    ]);
    const by = Object.fromEntries((usage?.thirdParties ?? []).map((t) => [t.account, t]));
    expect(by['999988887777']).toMatchObject({
      verdict: 'safe-to-enforce',
      calls: 4,
      deniedCalls: 1,
      externalIds: [{ value: 'vendor-id-1', count: 4 }],
      firstSeen: '2026-11-20T08:00:00.000Z',
      lastSeen: '2026-11-22T08:00:00.000Z',
    });
    expect(by['444455556666']).toMatchObject({ verdict: 'sends-none', calls: 2, callsWithMfa: 1 });
    expect(by['777788889999']).toMatchObject({
      verdict: 'sends-several-ids',
      externalIds: [
        { value: 'second-id', count: 2 },
        { value: 'first-id', count: 1 },
      ],
    });
    expect(by['222233334444']).toMatchObject({ verdict: 'unused-in-window', calls: 0 });
    // The role owner itself is never a third party.
    expect(by['111122223333']).toBeUndefined();
    expect(usage?.roleLastUsed).toEqual({ lastUsedDate: '2026-11-22T09:00:00.000Z', region: 'us-east-1' });
    expect(usage?.caveat).toMatch(/never proof of no use/);
    expect(stderr).toMatch(/2 log files read under test\/fixtures\/cloudtrail\/org/);
  });

  it('--usage-days leaves out older events: then every third party is unused in the window', () => {
    // Every fixture event is from November 2026, more than a day before any run of this test.
    const { report } = runJson(['scan', EXPORT, '--cloudtrail', `${FIX}/org`, '--usage-days', '1']);
    const usage = usageOf(report, 'VendorAccess');
    expect(usage?.window?.days).toBe(1);
    expect(usage?.thirdParties).toHaveLength(4);
    expect(usage?.thirdParties.every((t) => t.verdict === 'unused-in-window' && t.calls === 0)).toBe(true);
  });

  it('a never-used role (RoleLastUsed {}) is a removal candidate, even without --cloudtrail', () => {
    const { report } = runJson(['scan', EXPORT]);
    const usage = usageOf(report, 'OldAuditor');
    expect(usage?.roleLastUsed).toEqual({ lastUsedDate: null });
    expect(usage?.note).toMatch(/candidates for removal rather than for an external id/);
    expect(usage?.thirdParties).toEqual([]);
  });

  it('shows the evidence as SARIF result properties', () => {
    const r = runCli(['scan', EXPORT, '--cloudtrail', `${FIX}/org`, ...WIDE, '--format', 'sarif']);
    const sarif = JSON.parse(r.stdout) as {
      runs: {
        results: { ruleId: string; properties: { usage?: UsageEvidence; resource: { name: string } } }[];
      }[];
    };
    const res = sarif.runs[0]?.results.find((x) => x.properties.resource.name === 'VendorAccess');
    expect(res?.properties.usage?.thirdParties.find((t) => t.account === '999988887777')?.verdict).toBe(
      'safe-to-enforce',
    );
  });

  it('a bad log file is an error naming it (exit 2); the other files still count', () => {
    const dir = tempDir();
    cpSync(join(repoRoot, FIX, 'org'), join(dir, 'org'), { recursive: true });
    const bad = join(
      dir,
      'org/AWSLogs/o-exampleorg1/111122223333/CloudTrail/us-east-1/2026/11/20/broken.json.gz',
    );
    writeFileSync(bad, readFileSync(join(repoRoot, EXPORT)).subarray(0, 40));
    const { code, report } = runJson(['scan', EXPORT, '--cloudtrail', join(dir, 'org'), ...WIDE]);
    expect(code).toBe(2);
    expect(report.errors).toEqual([
      expect.objectContaining({ source: 'usage', code: 'cloudtrail-gzip', file: bad }),
    ]);
    expect(report.errors[0]?.message).toContain(bad);
    const vendor = usageOf(report, 'VendorAccess')?.thirdParties.find((t) => t.account === '999988887777');
    expect(vendor?.calls).toBe(3);
  });

  it('a --cloudtrail path that does not exist is a usage error', () => {
    const r = runCli(['scan', EXPORT, '--cloudtrail', 'no/such/folder']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--cloudtrail no\/such\/folder: no such file or folder/);
  });
});
