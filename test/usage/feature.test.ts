import { join } from 'node:path';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyZone } from '../../src/analysis/zone.js';
import type { ScanCliOptions } from '../../src/cli/commands/scan.js';
import type { CliIO } from '../../src/cli/io.js';
import { applyUsage, type UsageFeatureDeps } from '../../src/cli/usage-options.js';
import { buildReport } from '../../src/scan/report.js';
import { runScan } from '../../src/scan/run.js';
import { roleFromIam } from '../../src/sources/aws/roles.js';
import { roleLastUsedOf } from '../../src/usage/last-used.js';
import { repoRoot } from '../helpers/cli.js';

const EXPORT = join(repoRoot, 'test/fixtures/cloudtrail/account-export.json');
const NOW = Date.parse('2026-12-01T00:00:00Z');
const mock = mockClient(CloudTrailClient);
afterEach(() => mock.reset());

async function scanExport() {
  const result = await runScan({
    paths: [EXPORT],
    cwd: repoRoot,
    zone: emptyZone(),
    root: repoRoot,
  });
  return { result, report: buildReport(result) };
}

function io(): CliIO & { err: string[] } {
  const err: string[] = [];
  return {
    err,
    stdout: { write: () => true },
    stderr: { write: (s: string) => err.push(s) },
    readStdin: async () => '',
    stdinIsTTY: false,
    env: {},
    cwd: repoRoot,
  };
}

function deps(): UsageFeatureDeps {
  let t = NOW;
  return {
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
    lookupClient: () => new CloudTrailClient({ region: 'us-east-1' }),
  };
}

function opts(o: Partial<ScanCliOptions>): ScanCliOptions {
  return { format: 'json', ...o };
}

const liveEvent = {
  EventId: 'e1',
  CloudTrailEvent: JSON.stringify({
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    eventTime: '2026-11-30T10:00:00Z',
    eventID: 'e1',
    userIdentity: { type: 'AWSAccount', accountId: '999988887777' },
    requestParameters: { roleArn: 'arn:aws:iam::111122223333:role/VendorAccess', externalId: 'live-id' },
    recipientAccountId: '111122223333',
  }),
};

describe('RoleLastUsed', () => {
  it('is read from a get-account-authorization-details export ({} means never used)', async () => {
    const { result } = await scanExport();
    const byName = Object.fromEntries(result.roles.map((r) => [r.name, roleLastUsedOf(r)]));
    expect(byName.VendorAccess).toEqual({ lastUsedDate: '2026-11-22T09:00:00.000Z', region: 'us-east-1' });
    expect(byName.OldAuditor).toEqual({ lastUsedDate: null });
  });

  it('is read from a GetRole response and stays unknown for a ListRoles one', () => {
    const base = {
      RoleName: 'R',
      Arn: 'arn:aws:iam::111122223333:role/R',
      AssumeRolePolicyDocument: '%7B%22Statement%22%3A%5B%5D%7D',
      Path: '/',
      RoleId: 'AROAX',
      CreateDate: new Date(),
    };
    const got = roleFromIam(
      { ...base, RoleLastUsed: { LastUsedDate: new Date('2026-10-01T00:00:00Z'), Region: 'eu-west-1' } },
      '111122223333',
    );
    expect(roleLastUsedOf(got.role!)).toEqual({
      lastUsedDate: '2026-10-01T00:00:00.000Z',
      region: 'eu-west-1',
    });
    expect(roleLastUsedOf(roleFromIam(base, '111122223333').role!)).toBeUndefined();
  });

  it('without --cloudtrail, findings carry RoleLastUsed alone; a never-used role is a removal candidate', async () => {
    const { result, report } = await scanExport();
    const out = await applyUsage(report, result.roles, opts({}), io(), deps());
    const old = out.findings.find((f) => f.resource.name === 'OldAuditor');
    expect(old?.evidence.usage).toMatchObject({
      sources: [],
      roleLastUsed: { lastUsedDate: null },
      thirdParties: [],
    });
    expect(old?.evidence.usage?.note).toMatch(/candidates for removal/);
    expect(old?.evidence.usage?.window).toBeUndefined();
  });
});

describe('flags', () => {
  it('--usage-days without --cloudtrail and --usage-region without live are usage errors', async () => {
    const { result, report } = await scanExport();
    await expect(applyUsage(report, result.roles, opts({ usageDays: 30 }), io(), deps())).rejects.toThrow(
      /--usage-days only applies with --cloudtrail/,
    );
    await expect(
      applyUsage(
        report,
        result.roles,
        opts({ cloudtrail: ['test/fixtures/cloudtrail/plain'], usageRegion: ['eu-west-1'] }),
        io(),
        deps(),
      ),
    ).rejects.toThrow(/--usage-region only applies with --cloudtrail live/);
  });
});

describe('--cloudtrail live', () => {
  it('without --usage-region, reads the Region of the scan (--region)', async () => {
    mock.on(LookupEventsCommand).resolves({ Events: [] });
    const { result, report } = await scanExport();
    const regions: string[] = [];
    const d = deps();
    await applyUsage(report, result.roles, opts({ cloudtrail: ['live'], region: 'ap-south-1' }), io(), {
      ...d,
      lookupClient: (scope) => {
        regions.push(scope.region);
        return new CloudTrailClient({ region: scope.region });
      },
    });
    expect(regions).toEqual(['ap-south-1']);
  });

  it('puts LookupEvents evidence on the finding, with progress on stderr', async () => {
    mock.on(LookupEventsCommand).resolves({ Events: [liveEvent] });
    const { result, report } = await scanExport();
    const e = io();
    const out = await applyUsage(
      report,
      result.roles,
      opts({ cloudtrail: ['live'], usageRegion: ['eu-central-1'] }),
      e,
      deps(),
    );
    const usage = out.findings.find((f) => f.resource.name === 'VendorAccess')?.evidence.usage;
    expect(usage?.sources).toEqual([
      'cloudtrail:LookupEvents in eu-central-1 (management events of the last 90 days, in that Region only: LookupEvents keeps no more)',
    ]);
    expect(usage?.thirdParties.find((t) => t.account === '999988887777')).toMatchObject({
      verdict: 'safe-to-enforce',
      externalIds: [{ value: 'live-id', count: 1 }],
    });
    expect(usage?.thirdParties.find((t) => t.account === '444455556666')?.verdict).toBe('unused-in-window');
    expect(e.err.join('')).toMatch(/LookupEvents eu-central-1: 1 requests, 1 AssumeRole events/);
    const quiet = io();
    await applyUsage(report, result.roles, opts({ cloudtrail: ['live'], quiet: true }), quiet, deps());
    expect(quiet.err).toEqual([]);
  });

  it('says that LookupEvents keeps only 90 days when --usage-days asks for more', async () => {
    mock.on(LookupEventsCommand).resolves({ Events: [] });
    const { result, report } = await scanExport();
    const out = await applyUsage(
      report,
      result.roles,
      opts({ cloudtrail: ['live'], usageDays: 400 }),
      io(),
      deps(),
    );
    expect(out.warnings.map((w) => w.code)).toContain('lookup-events-90-days');
    const start = mock.commandCalls(LookupEventsCommand)[0]?.args[0].input.StartTime;
    expect(start).toEqual(new Date(NOW - 90 * 86_400_000));
  });

  it('a failed lookup is a warning, and no third party is called unused on its silence', async () => {
    mock
      .on(LookupEventsCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const { result, report } = await scanExport();
    const out = await applyUsage(report, result.roles, opts({ cloudtrail: ['live'] }), io(), deps());
    expect(out.warnings).toEqual([
      expect.objectContaining({ source: 'usage', code: 'lookup-events-failed' }),
    ]);
    expect(out.warnings[0]?.message).toContain('AccessDeniedException');
    expect(out.errors).toEqual(report.errors);
    const parties = out.findings.flatMap((f) => f.evidence.usage?.thirdParties ?? []);
    expect(parties.length).toBeGreaterThan(0);
    expect(parties.every((t) => t.verdict === 'inconclusive')).toBe(true);
    expect(out.findings[0]?.evidence.usage?.notRead).toContain(
      'could not be read (AccessDeniedException: denied)',
    );
  });
});
