import { describe, expect, it } from 'vitest';
import { emptyZone } from '../../src/analysis/zone.js';
import { buildReport } from '../../src/scan/report.js';
import { runScan } from '../../src/scan/run.js';
import { UsageCollector, windowEndingAt } from '../../src/usage/aggregate.js';
import { attachUsage } from '../../src/usage/attach.js';
import type { AssumeRoleCall } from '../../src/usage/types.js';
import { repoRoot } from '../helpers/cli.js';

const NOW = Date.parse('2026-12-01T00:00:00Z');

function getRole(principal: unknown) {
  return JSON.stringify({
    Role: {
      RoleName: 'Open',
      Arn: 'arn:aws:iam::111122223333:role/Open',
      RoleId: 'AROAOPEN',
      Path: '/',
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }],
      },
    },
  });
}

async function scanDoc(text: string) {
  const result = await runScan({
    paths: [],
    documents: [{ name: 'role.json', text }],
    cwd: repoRoot,
    zone: emptyZone(),
    root: repoRoot,
  });
  return { roles: result.roles, report: buildReport(result) };
}

function call(caller: string, key: string, externalId?: string): AssumeRoleCall {
  return {
    key,
    roleAccount: '111122223333',
    roleName: 'open',
    roleArn: 'arn:aws:iam::111122223333:role/Open',
    callerAccount: caller,
    identityType: 'AWSAccount',
    time: new Date(NOW - 1000).toISOString(),
    at: NOW - 1000,
    mfa: false,
    ...(externalId ? { externalId } : {}),
  };
}

describe('attachUsage', () => {
  it('for Principal "*", every account seen calling (but the owner) is a third party', async () => {
    const { roles, report } = await scanDoc(getRole('*'));
    expect(report.findings.length).toBeGreaterThan(0);
    const c = new UsageCollector(windowEndingAt(NOW, 90));
    c.add(call('999988887777', 'a', 'x'));
    c.add(call('555566667777', 'b'));
    c.add(call('111122223333', 'c'));
    const out = attachUsage(report, roles, { collector: c, sources: ['test'] });
    for (const f of out.findings) {
      expect(f.evidence.usage?.thirdParties.map((t) => [t.account, t.verdict])).toEqual([
        ['555566667777', 'sends-none'],
        ['999988887777', 'safe-to-enforce'],
      ]);
    }
  });

  it('lists only the finding’s own third parties for a named account', async () => {
    const { roles, report } = await scanDoc(getRole({ AWS: 'arn:aws:iam::999988887777:root' }));
    const c = new UsageCollector(windowEndingAt(NOW, 90));
    c.add(call('999988887777', 'a', 'x'));
    c.add(call('555566667777', 'b'));
    const out = attachUsage(report, roles, { collector: c, sources: ['test'] });
    const ta001 = out.findings.find((f) => f.ruleId === 'TA001');
    expect(ta001?.evidence.usage?.thirdParties.map((t) => t.account)).toEqual(['999988887777']);
  });

  it('leaves the report as it was when there is nothing to say (no CloudTrail, no RoleLastUsed)', async () => {
    const { roles, report } = await scanDoc(getRole({ AWS: 'arn:aws:iam::999988887777:root' }));
    expect(attachUsage(report, roles, { sources: [] })).toBe(report);
  });
});

describe('accounts the logs cover', () => {
  it('gives no verdict for a role whose account has no log among those read', async () => {
    const { roles, report } = await scanDoc(getRole({ AWS: 'arn:aws:iam::999988887777:root' }));
    const c = new UsageCollector(windowEndingAt(NOW, 90));
    // A log of another account only (its recipientAccountId).
    c.add({
      ...call('999988887777', 'a', 'x'),
      roleAccount: '333344445555',
      recipientAccount: '333344445555',
    });
    const usage = attachUsage(report, roles, { collector: c, sources: ['test'] }).findings.find(
      (f) => f.ruleId === 'TA001',
    )?.evidence.usage;
    expect(usage?.ownerAccountInLogs).toBe(false);
    expect(usage?.thirdParties).toEqual([]);
    expect(usage?.note).toMatch(/no log of the role's account 111122223333, only of 333344445555/);
  });

  it('gives verdicts when the role owner’s log was read', async () => {
    const { roles, report } = await scanDoc(getRole({ AWS: 'arn:aws:iam::999988887777:root' }));
    const c = new UsageCollector(windowEndingAt(NOW, 90));
    c.add({ ...call('999988887777', 'a', 'x'), recipientAccount: '111122223333' });
    const usage = attachUsage(report, roles, { collector: c, sources: ['test'] }).findings.find(
      (f) => f.ruleId === 'TA001',
    )?.evidence.usage;
    expect(usage?.ownerAccountInLogs).toBe(true);
    expect(usage?.thirdParties.map((t) => t.verdict)).toEqual(['safe-to-enforce']);
  });
});
