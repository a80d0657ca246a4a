import { IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { emptyZone } from '../../src/analysis/zone.js';
import { createAwsProvider, scanAws } from '../../src/sources/aws/provider.js';
import { ApiCallStats, type AwsScanOptions } from '../../src/sources/aws/types.js';
import { type MotoServer, startMoto } from '../helpers/moto.js';
import {
  createOrganization,
  createRoles,
  MOTO_ACCOUNT,
  memberIam,
  pinnedFactory,
  sdkConfig,
  serviceStatement,
  trustDoc,
  vendorStatement,
} from './helpers/seed.js';

// moto and the CLI are real processes on a shared 2-core machine: give each test room.
vi.setConfig({ testTimeout: 180_000 });

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

function scan(opts: AwsScanOptions = {}, stats = new ApiCallStats()) {
  return scanAws(opts, { factory: pinnedFactory(moto.url, stats), stats, env: {} });
}

describe('scanAws against moto: one account', () => {
  it('reads every role with ListRoles only, keeps the document as returned, ids are ARNs', async () => {
    const iam = new IAMClient(sdkConfig(moto.url));
    const vendorDoc = trustDoc([vendorStatement('111122223333')]);
    await createRoles(iam, [
      { name: 'vendor-no-id', doc: vendorDoc },
      {
        name: 'vendor-with-id',
        doc: trustDoc([vendorStatement('111122223333', { StringEquals: { 'sts:ExternalId': 'x-123' } })]),
      },
      { name: 'lambda', doc: trustDoc([serviceStatement('lambda.amazonaws.com')]), path: '/service/' },
    ]);
    const stats = new ApiCallStats();
    const r = await scan({}, stats);
    expect(r.errors).toEqual([]);
    expect(r.callerAccount).toBe(MOTO_ACCOUNT);
    expect(r.accounts).toEqual([{ id: MOTO_ACCOUNT }]);
    expect(r.roles.map((x) => x.id).sort()).toEqual([
      `arn:aws:iam::${MOTO_ACCOUNT}:role/service/lambda`,
      `arn:aws:iam::${MOTO_ACCOUNT}:role/vendor-no-id`,
      `arn:aws:iam::${MOTO_ACCOUNT}:role/vendor-with-id`,
    ]);
    const v = r.roles.find((x) => x.name === 'vendor-no-id')!;
    expect(v.source.kind).toBe('aws');
    expect(v.account).toBe(MOTO_ACCOUNT);
    expect(v.extra?.rawTrustDocument).toBe(vendorDoc);
    expect(v.trustPolicy.statements[0]?.principals?.[0]?.value).toBe('arn:aws:iam::111122223333:root');
    expect(r.roles.find((x) => x.name === 'lambda')?.path).toBe('/service/');
    expect(stats.count('ListRolesCommand')).toBe(1);
    expect(stats.count('GetRoleCommand')).toBe(0);
    expect(stats.count('GetCallerIdentityCommand')).toBe(1);
    iam.destroy();
  });

  it('pages ListRoles at 1000 per call: 1,001 roles take 2 calls', async () => {
    const iam = new IAMClient(sdkConfig(moto.url));
    await createRoles(
      iam,
      Array.from({ length: 1001 }, (_, i) => ({
        name: `r${i}`,
        doc: trustDoc([serviceStatement('ec2.amazonaws.com')]),
      })),
    );
    const stats = new ApiCallStats();
    const r = await scan({}, stats);
    expect(r.roles).toHaveLength(1001);
    expect(new Set(r.roles.map((x) => x.id)).size).toBe(1001);
    expect(stats.count('ListRolesCommand')).toBe(2);
    iam.destroy();
  });
});

describe('scanAws against moto: an Organization', () => {
  it('scans every active account, names them and trusts them', async () => {
    const members = await createOrganization(moto.url, ['prod', 'dev', 'sandbox']);
    for (const [i, m] of members.entries()) {
      const iam = await memberIam(moto.url, m.id);
      await createRoles(iam, [
        { name: `vendor-${m.name}`, doc: trustDoc([vendorStatement(`99998888777${i}`)]) },
      ]);
      iam.destroy();
    }
    const r = await scan({ org: true, concurrency: 2 });
    expect(r.errors).toEqual([]);
    expect(r.accounts?.map((a) => a.id).sort()).toEqual([MOTO_ACCOUNT, ...members.map((m) => m.id)].sort());
    expect(r.trusted?.map((t) => t.name).sort()).toEqual(['dev', 'master', 'prod', 'sandbox']);
    for (const m of members) {
      const role = r.roles.find((x) => x.name === `vendor-${m.name}`);
      expect(role?.account).toBe(m.id);
      expect(role?.id).toBe(`arn:aws:iam::${m.id}:role/vendor-${m.name}`);
    }
    expect(r.organizationId).toMatch(/^o-/);
  });

  it('--accounts / --exclude-accounts narrow the scan; an unknown --accounts id is an error', async () => {
    const members = await createOrganization(moto.url, ['a', 'b', 'c']);
    const r = await scan({
      org: true,
      accounts: [members[0]!.id, members[1]!.id, '000000000000'],
      excludeAccounts: [members[1]!.id],
    });
    expect(r.accounts?.map((a) => a.id)).toEqual([members[0]!.id]);
    expect(r.errors).toEqual([expect.objectContaining({ code: 'unknown-account', account: '000000000000' })]);
    // Every org account stays trusted, scanned or not.
    expect(r.trusted).toHaveLength(4);
  });

  it('--org-accounts-are-third-parties leaves the zone of trust alone', async () => {
    await createOrganization(moto.url, ['a']);
    const zone = emptyZone();
    const provider = createAwsProvider(
      { org: true, orgAccountsAreThirdParties: true },
      { env: {}, factory: pinnedFactory(moto.url) },
    );
    const r = await provider({ zone });
    expect(r.trusted).toBeUndefined();
    expect(zone.trustedOrgIds.size).toBe(0);
    expect(r.accounts).toHaveLength(2);
  });
});
