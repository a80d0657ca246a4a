// The "unused in the window" verdict and IAM's RoleLastUsed must agree: a use that IAM saw and that no
// logged call explains, or logs that could not be read, never make a third party "unused".
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyZone } from '../../src/analysis/zone.js';
import { buildReport } from '../../src/scan/report.js';
import { runScan } from '../../src/scan/run.js';
import { LAST_USE_EXPLAINED_MS, UsageCollector, windowEndingAt } from '../../src/usage/aggregate.js';
import { attachUsage } from '../../src/usage/attach.js';
import { readCloudTrailPath } from '../../src/usage/files.js';
import type { AssumeRoleCall, RoleLastUsed } from '../../src/usage/types.js';
import { repoRoot } from '../helpers/cli.js';

const NOW = Date.parse('2026-12-01T00:00:00Z');
const DAY = 86_400_000;
const OWNER = '111122223333';
const VENDOR = '999988887777';
const ARN = `arn:aws:iam::${OWNER}:role/VendorAccess`;

/** A get-role answer for a role trusting VENDOR with no condition, with the given RoleLastUsed. */
function getRole(lastUsed: Record<string, string>) {
  return JSON.stringify({
    Role: {
      RoleName: 'VendorAccess',
      Arn: ARN,
      RoleId: 'AROAVENDOR',
      Path: '/',
      RoleLastUsed: lastUsed,
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${VENDOR}:root` }, Action: 'sts:AssumeRole' },
        ],
      },
    },
  });
}

async function scan(lastUsed: Record<string, string>) {
  const result = await runScan({
    paths: [],
    documents: [{ name: 'role.json', text: getRole(lastUsed) }],
    cwd: repoRoot,
    zone: emptyZone(),
    root: repoRoot,
  });
  const report = buildReport(result);
  expect(report.findings.length).toBeGreaterThan(0);
  return { roles: result.roles, report };
}

let n = 0;
function call(caller: string, at: number, extra: Partial<AssumeRoleCall> = {}): AssumeRoleCall {
  n++;
  return {
    key: `k${n}`,
    roleAccount: OWNER,
    roleName: 'vendoraccess',
    roleArn: ARN,
    callerAccount: caller,
    identityType: caller === OWNER ? 'AssumedRole' : 'AWSAccount',
    time: new Date(at).toISOString(),
    at,
    mfa: false,
    recipientAccount: OWNER,
    region: 'us-east-1',
    ...extra,
  };
}

function usageOf(report: ReturnType<typeof attachUsage>) {
  const u = report.findings[0]?.evidence.usage;
  expect(u).toBeDefined();
  return u!;
}

describe('RoleLastUsed and the "unused in the window" verdict', () => {
  it('a use IAM saw in the window that no logged call explains: inconclusive, naming what was missed', async () => {
    const { roles, report } = await scan({ LastUsedDate: '2026-11-25T12:00:00Z', Region: 'us-east-1' });
    const c = new UsageCollector(windowEndingAt(NOW, 90));
    // The owner's logs were read (another role's call), but hold nothing about this role.
    c.markRead(OWNER, 'us-east-1');
    const u = usageOf(attachUsage(report, roles, { collector: c, sources: ['x'] }));
    const vendor = u.thirdParties.find((t) => t.account === VENDOR)!;
    expect(vendor.verdict).toBe('inconclusive');
    expect(vendor.advice).toContain('2026-11-25T12:00:00.000Z');
    expect(vendor.advice).not.toMatch(/consider removing/);
    expect(u.notRead).toContain(
      "IAM's RoleLastUsed shows the role used on 2026-11-25T12:00:00.000Z in us-east-1",
    );
  });

  it('names the Region of the last use when the logs read hold other Regions only', async () => {
    const { roles, report } = await scan({ LastUsedDate: '2026-11-25T12:00:00Z', Region: 'eu-west-1' });
    const dir = mkdtempSync(join(tmpdir(), 'ta-ct-'));
    const day = join(dir, 'AWSLogs', OWNER, 'CloudTrail', 'us-east-1', '2026', '11', '25');
    mkdirSync(day, { recursive: true });
    writeFileSync(join(day, 'a.json'), JSON.stringify({ Records: [] }));
    const c = new UsageCollector(windowEndingAt(NOW, 90));
    expect(readCloudTrailPath(dir, c).filesRead).toBe(1);
    const u = usageOf(attachUsage(report, roles, { collector: c, sources: ['x'] }));
    expect(u.thirdParties.map((t) => t.verdict)).toEqual(['inconclusive']);
    expect(u.notRead).toContain(`hold only us-east-1 for account ${OWNER}, not eu-west-1`);
  });

  it('a use explained by a logged call (here the owner account) leaves the silent vendor unused', async () => {
    const lastUsed = Date.parse('2026-11-25T12:00:00Z');
    const { roles, report } = await scan({ LastUsedDate: '2026-11-25T12:00:00Z', Region: 'us-east-1' });
    const c = new UsageCollector(windowEndingAt(NOW, 90));
    c.add(call(OWNER, lastUsed - LAST_USE_EXPLAINED_MS + 60_000));
    const u = usageOf(attachUsage(report, roles, { collector: c, sources: ['x'] }));
    expect(u.thirdParties.find((t) => t.account === VENDOR)?.verdict).toBe('unused-in-window');
    expect(u.notRead).toBeUndefined();
  });

  it('a logged call much older than the last use does not explain it', async () => {
    const lastUsed = Date.parse('2026-11-25T12:00:00Z');
    const { roles, report } = await scan({ LastUsedDate: '2026-11-25T12:00:00Z' });
    const c = new UsageCollector(windowEndingAt(NOW, 90));
    c.add(call(OWNER, lastUsed - 5 * DAY));
    const u = usageOf(attachUsage(report, roles, { collector: c, sources: ['x'] }));
    expect(u.thirdParties.find((t) => t.account === VENDOR)?.verdict).toBe('inconclusive');
  });

  it('a last use before the window agrees with "unused in the window"', async () => {
    const { roles, report } = await scan({ LastUsedDate: '2026-01-05T00:00:00Z', Region: 'us-east-1' });
    const c = new UsageCollector(windowEndingAt(NOW, 90));
    c.markRead(OWNER, 'us-east-1');
    const u = usageOf(attachUsage(report, roles, { collector: c, sources: ['x'] }));
    expect(u.thirdParties.map((t) => t.verdict)).toEqual(['unused-in-window']);
  });

  it('RoleLastUsed fetched after the scan (run.lastUsed) wins over the role’s own', async () => {
    const { roles, report } = await scan({});
    const c = new UsageCollector(windowEndingAt(NOW, 90));
    c.markRead(OWNER, 'us-east-1');
    const fetched = new Map<string, RoleLastUsed>([[ARN, { lastUsedDate: '2026-11-30T00:00:00.000Z' }]]);
    const u = usageOf(attachUsage(report, roles, { collector: c, sources: ['x'], lastUsed: fetched }));
    expect(u.roleLastUsed).toEqual({ lastUsedDate: '2026-11-30T00:00:00.000Z' });
    expect(u.thirdParties.map((t) => t.verdict)).toEqual(['inconclusive']);
  });

  it('an account whose event history could not be read: inconclusive, unless another source read that Region', async () => {
    const { roles, report } = await scan({});
    const unread = [{ account: OWNER, region: 'eu-west-1', reason: 'AccessDeniedException: no' }];
    const c = new UsageCollector(windowEndingAt(NOW, 90));
    c.markRead(OWNER, 'us-east-1');
    let u = usageOf(attachUsage(report, roles, { collector: c, sources: ['x'], unread }));
    expect(u.thirdParties.map((t) => t.verdict)).toEqual(['inconclusive']);
    expect(u.notRead).toContain(
      `account ${OWNER} in eu-west-1 could not be read (AccessDeniedException: no)`,
    );
    // The same Region read from the trail's files fills the gap.
    c.markRead(OWNER, 'eu-west-1');
    u = usageOf(attachUsage(report, roles, { collector: c, sources: ['x'], unread }));
    expect(u.thirdParties.map((t) => t.verdict)).toEqual(['unused-in-window']);
  });

  it('calls seen keep their verdict whatever is missing', async () => {
    const { roles, report } = await scan({ LastUsedDate: '2026-11-25T12:00:00Z' });
    const c = new UsageCollector(windowEndingAt(NOW, 90));
    c.add(call(VENDOR, Date.parse('2026-11-01T00:00:00Z'), { externalId: 'abc' }));
    const u = usageOf(attachUsage(report, roles, { collector: c, sources: ['x'] }));
    expect(u.thirdParties.map((t) => t.verdict)).toEqual(['safe-to-enforce']);
    expect(u.notRead).toBeDefined();
  });
});
