// Usage evidence after a live Organization scan: a moto Organization for the accounts and credentials,
// a mocked CloudTrail client factory for LookupEvents (moto does not implement it).
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { emptyZone } from '../../src/analysis/zone.js';
import type { CliIO } from '../../src/cli/io.js';
import { applyUsage, type UsageFeatureDeps } from '../../src/cli/usage-options.js';
import { buildReport } from '../../src/scan/report.js';
import { runScan } from '../../src/scan/run.js';
import { createAwsProvider } from '../../src/sources/aws/provider.js';
import { ApiCallStats, type AwsCredentials } from '../../src/sources/aws/types.js';
import type { UsageEvidence } from '../../src/usage/types.js';
import { repoRoot } from '../helpers/cli.js';
import { type MotoServer, startMoto } from '../helpers/moto.js';
import { startFaultProxy } from './helpers/fault-proxy.js';
import {
  createOrganization,
  createRoles,
  MOTO_ACCOUNT,
  memberIam,
  pinnedFactory,
  sdkConfig,
  trustDoc,
  vendorStatement,
} from './helpers/seed.js';

vi.setConfig({ testTimeout: 180_000 });

const VENDOR = '999988887777';
const NOW = Date.parse('2026-12-01T00:00:00Z');

let moto: MotoServer;
beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
});

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

/** The vendor's call on `account`'s role, with an external id naming the account. */
function vendorEvent(account: string, region: string) {
  return {
    EventId: `${account}-${region}`,
    CloudTrailEvent: JSON.stringify({
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      eventTime: new Date(NOW - 86_400_000).toISOString(),
      eventID: `${account}-${region}`,
      awsRegion: region,
      userIdentity: { type: 'AWSAccount', accountId: VENDOR },
      requestParameters: { roleArn: `arn:aws:iam::${account}:role/vendor`, externalId: `ext-${account}` },
      recipientAccountId: account,
    }),
  };
}

async function accountOf(c: AwsCredentials): Promise<string | undefined> {
  const sts = new STSClient(sdkConfig(moto.url, c));
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Account;
  } finally {
    sts.destroy();
  }
}

describe('scan --aws --org --cloudtrail live (in process)', () => {
  it("reads LookupEvents in every member with that member's credentials, in every --usage-region", async () => {
    const [alpha, beta] = await createOrganization(moto.url, ['alpha', 'beta']);
    for (const m of [alpha!, beta!]) {
      const iam = await memberIam(moto.url, m.id);
      await createRoles(iam, [{ name: 'vendor', doc: trustDoc([vendorStatement(VENDOR)]) }]);
      iam.destroy();
    }
    const scanFactory = pinnedFactory(moto.url);
    const result = await runScan({
      paths: [],
      cwd: repoRoot,
      zone: emptyZone(),
      root: repoRoot,
      providers: [createAwsProvider({ org: true }, { factory: scanFactory, env: {} })],
    });
    scanFactory.destroy();
    expect(result.errors).toEqual([]);
    const report = buildReport(result, { scan: { scannedAccounts: result.accounts } });
    expect(report.findings.map((f) => f.resource.account).sort()).toEqual([alpha!.id, beta!.id].sort());

    const scopes: { region: string; account?: string; credentials?: AwsCredentials }[] = [];
    let t = NOW;
    const stats = new ApiCallStats();
    const factories: ReturnType<typeof pinnedFactory>[] = [];
    const deps: UsageFeatureDeps = {
      now: () => t,
      sleep: async (ms) => {
        t += ms;
      },
      awsClients: () => {
        const f = pinnedFactory(moto.url, stats);
        factories.push(f);
        return f;
      },
      lookupClient: (scope) => {
        scopes.push(scope);
        const client = new CloudTrailClient({ region: scope.region });
        const m = mockClient(client);
        if (scope.account === beta!.id)
          m.on(LookupEventsCommand).rejects(
            Object.assign(new Error('not authorized to perform cloudtrail:LookupEvents'), {
              name: 'AccessDeniedException',
            }),
          );
        else m.on(LookupEventsCommand).resolves({ Events: [vendorEvent(scope.account!, scope.region)] });
        return client;
      },
    };
    const out = io();
    const usage = await applyUsage(
      report,
      result.roles,
      {
        format: 'json',
        aws: true,
        org: true,
        cloudtrail: ['live'],
        usageRegion: ['us-east-1', 'eu-west-1'],
      },
      out,
      deps,
    );

    // Every scanned account in every Region; members signed with their own assumed-role credentials.
    expect(scopes.map((s) => `${s.account} ${s.region}`).sort()).toEqual(
      [MOTO_ACCOUNT, alpha!.id, beta!.id].flatMap((a) => [`${a} eu-west-1`, `${a} us-east-1`]).sort(),
    );
    for (const s of scopes) {
      if (s.account === MOTO_ACCOUNT) expect(s.credentials).toBeUndefined();
      else expect(await accountOf(s.credentials!)).toBe(s.account);
    }
    // One AssumeRole per member, shared by GetRole and LookupEvents; one GetRole per role with a finding.
    expect(stats.count('AssumeRoleCommand')).toBe(2);
    expect(stats.count('GetRoleCommand')).toBe(2);
    expect(stats.count('GetCallerIdentityCommand')).toBe(1);

    const byAccount: Record<string, UsageEvidence> = Object.fromEntries(
      usage.findings.map((f) => [f.resource.account, f.evidence.usage!]),
    );
    const a = byAccount[alpha!.id]!;
    expect(a.thirdParties).toEqual([
      expect.objectContaining({
        account: VENDOR,
        calls: 2,
        verdict: 'safe-to-enforce',
        externalIds: [{ value: `ext-${alpha!.id}`, count: 2 }],
      }),
    ]);
    expect(a.sources.some((s) => s.includes(`account ${alpha!.id}, eu-west-1`))).toBe(true);
    // The denied account: warnings naming it, and its vendor is never "unused".
    const b = byAccount[beta!.id]!;
    expect(b.thirdParties.map((x) => x.verdict)).not.toContain('unused-in-window');
    expect(b.notRead).toContain(`account ${beta!.id} in us-east-1 could not be read`);
    expect(b.notRead).toContain(`account ${beta!.id} in eu-west-1 could not be read`);
    const failed = usage.warnings.filter((w) => w.code === 'lookup-events-failed');
    expect(failed.map((w) => w.account)).toEqual([beta!.id, beta!.id]);
    expect(failed[0]?.message).toContain('AccessDeniedException');
    // RoleLastUsed from GetRole on every role with a finding (moto: never used).
    for (const u of [a, b]) expect(u.roleLastUsed).toBeDefined();
    // Progress on stderr, per account and Region.
    const err = out.err.join('');
    expect(err).toContain(`LookupEvents account ${alpha!.id} us-east-1: 1 requests, 1 AssumeRole events`);
    expect(err).toContain(`LookupEvents account ${beta!.id} eu-west-1: not read`);
    for (const f of factories) f.destroy();
  });

  it('an account whose role cannot be assumed is a warning naming it; the other accounts are read', async () => {
    const [alpha] = await createOrganization(moto.url, ['alpha']);
    const iam = await memberIam(moto.url, alpha!.id);
    await createRoles(iam, [{ name: 'vendor', doc: trustDoc([vendorStatement(VENDOR)]) }]);
    iam.destroy();
    const scanFactory = pinnedFactory(moto.url);
    const result = await runScan({
      paths: [],
      cwd: repoRoot,
      zone: emptyZone(),
      root: repoRoot,
      providers: [createAwsProvider({ org: true }, { factory: scanFactory, env: {} })],
    });
    scanFactory.destroy();
    const report = buildReport(result, { scan: { scannedAccounts: result.accounts } });
    const proxy = await startFaultProxy(moto.url, [
      { action: 'AssumeRole', account: alpha!.id, kind: 'access-denied' },
    ]);
    let t = NOW;
    const usage = await applyUsage(
      report,
      result.roles,
      { format: 'json', aws: true, org: true, cloudtrail: ['live'] },
      io(),
      {
        now: () => t,
        sleep: async (ms) => {
          t += ms;
        },
        // AssumeRole into the member is denied after the scan.
        awsClients: () => pinnedFactory(proxy.url),
        lookupClient: () => {
          const client = new CloudTrailClient({ region: 'us-east-1' });
          mockClient(client).on(LookupEventsCommand).resolves({ Events: [] });
          return client;
        },
      },
    );
    const failed = usage.warnings.filter((w) => w.code === 'lookup-events-failed');
    expect(failed.map((w) => w.account)).toEqual([alpha!.id]);
    expect(failed[0]?.message).toContain('cannot assume');
    expect(
      usage.warnings.filter((w) => w.code === 'role-last-used-unavailable').map((w) => w.account),
    ).toEqual([alpha!.id]);
    const u = usage.findings.find((f) => f.resource.account === alpha!.id)?.evidence.usage;
    // No log of the member was read at all: no verdict, and the evidence says why.
    expect(u?.thirdParties).toEqual([]);
    expect(u?.ownerAccountInLogs).toBe(false);
    expect(u?.notRead).toContain(`account ${alpha!.id} in us-east-1 could not be read`);
    await proxy.close();
  });
});
