// `scan --aws` through the real CLI: RoleLastUsed (which ListRoles does not return) is read with GetRole for
// the roles with findings only, so a scan without findings still makes ceil(N/1000) ListRoles + 1 calls.
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type MotoServer, startMoto } from '../helpers/moto.js';
import { runCli } from './helpers/cli.js';
import { type FaultProxy, startFaultProxy } from './helpers/fault-proxy.js';
import {
  cliEnv,
  createRoles,
  MOTO_ACCOUNT,
  sdkConfig,
  serviceStatement,
  trustDoc,
  vendorStatement,
} from './helpers/seed.js';

vi.setConfig({ testTimeout: 180_000 });

const VENDOR = '111122223333';

let moto: MotoServer;
let proxy: FaultProxy | undefined;
beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

interface Usage {
  roleLastUsed?: { lastUsedDate: string | null; region?: string };
  note?: string;
  caveat: string;
}
interface JsonReport {
  findings: { resource: { name: string }; evidence: { usage?: Usage } }[];
  errors: unknown[];
  warnings: { code: string }[];
}

describe('scan --aws: RoleLastUsed on every finding', () => {
  it('reads it with one GetRole per role with a finding, and none for the others', async () => {
    const iam = new IAMClient(sdkConfig(moto.url));
    await createRoles(iam, [
      // Trusts the vendor and our own account (so the test can use it): a finding.
      {
        name: 'vendor-used',
        doc: trustDoc([vendorStatement(VENDOR), vendorStatement(MOTO_ACCOUNT)]),
      },
      { name: 'vendor-never', doc: trustDoc([vendorStatement(VENDOR)]) },
      { name: 'lambda', doc: trustDoc([serviceStatement('lambda.amazonaws.com')]) },
    ]);
    // Use vendor-used once: moto then records a RoleLastUsed date for it.
    const sts = new STSClient(sdkConfig(moto.url));
    const c = (
      await sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/vendor-used`,
          RoleSessionName: 't',
        }),
      )
    ).Credentials!;
    const asRole = new IAMClient(
      sdkConfig(moto.url, {
        accessKeyId: c.AccessKeyId!,
        secretAccessKey: c.SecretAccessKey!,
        sessionToken: c.SessionToken!,
      }),
    );
    await asRole.send(new ListRolesCommand({}));
    asRole.destroy();
    sts.destroy();
    iam.destroy();

    proxy = await startFaultProxy(moto.url);
    const r = await runCli(['scan', '--aws', '-f', 'json', '--fail-on', 'none'], cliEnv(proxy.url));
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.errors).toEqual([]);
    const by = Object.fromEntries(report.findings.map((f) => [f.resource.name, f.evidence.usage]));
    expect(Object.keys(by).sort()).toEqual(['vendor-never', 'vendor-used']);
    expect(by['vendor-never']?.roleLastUsed).toEqual({ lastUsedDate: null });
    expect(by['vendor-never']?.note).toContain('IAM has no record of this role being used');
    expect(by['vendor-used']?.roleLastUsed?.lastUsedDate).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(by['vendor-used']?.note).toContain('IAM last saw the role used on');
    expect(proxy.seen.get('GetRole')).toBe(2);
    expect(proxy.seen.get('ListRoles')).toBe(1);
    // One account: the scan's own credentials serve GetRole, no second identity call, no AssumeRole.
    expect(proxy.seen.get('GetCallerIdentity')).toBe(1);
    expect(proxy.seen.get('AssumeRole')).toBeUndefined();
    expect(r.stderr).toBe('');
  });

  it('a scan without findings makes ListRoles and GetCallerIdentity calls only', async () => {
    const iam = new IAMClient(sdkConfig(moto.url));
    await createRoles(iam, [
      { name: 'lambda', doc: trustDoc([serviceStatement('lambda.amazonaws.com')]) },
      {
        name: 'vendor-with-id',
        doc: trustDoc([vendorStatement(VENDOR, { StringEquals: { 'sts:ExternalId': 'abc-123' } })]),
      },
    ]);
    iam.destroy();
    proxy = await startFaultProxy(moto.url);
    const r = await runCli(['scan', '--aws', '-f', 'json'], cliEnv(proxy.url));
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as JsonReport).findings).toEqual([]);
    expect(Object.fromEntries(proxy.seen)).toEqual({ GetCallerIdentity: 1, ListRoles: 1 });
  });

  it('GetRole denied: one warning for the account, naming a role; the findings are still reported', async () => {
    const iam = new IAMClient(sdkConfig(moto.url));
    await createRoles(
      iam,
      ['vendor-1', 'vendor-2', 'vendor-3'].map((name) => ({
        name,
        doc: trustDoc([vendorStatement(VENDOR)]),
      })),
    );
    iam.destroy();
    proxy = await startFaultProxy(moto.url, [{ action: 'GetRole', kind: 'access-denied' }]);
    const r = await runCli(
      ['scan', '--aws', '-f', 'json', '--fail-on', 'none', '--max-attempts', '1'],
      cliEnv(proxy.url),
    );
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as JsonReport & {
      warnings: { code: string; file?: string; message: string }[];
    };
    expect(report.findings).toHaveLength(3);
    expect(report.findings.every((f) => f.evidence.usage === undefined)).toBe(true);
    // One warning for the account, not one per role.
    expect(report.warnings).toEqual([
      expect.objectContaining({
        code: 'access-denied',
        file: `arn:aws:iam::${MOTO_ACCOUNT}:role/vendor-1`,
      }),
    ]);
    expect(report.warnings[0]?.message).toContain('RoleLastUsed not read (iam:GetRole)');
    expect(report.warnings[0]?.message).toContain(
      `2 more roles of account ${MOTO_ACCOUNT} with findings not asked`,
    );
  });
});
