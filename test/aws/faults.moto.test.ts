import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetRoleCommand, IAMClient as IAM, type IAMClient } from '@aws-sdk/client-iam';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DUMMY_CREDENTIALS, type MotoServer, startMoto } from '../helpers/moto.js';
import { runCli } from './helpers/cli.js';
import { type FaultProxy, startFaultProxy } from './helpers/fault-proxy.js';
import {
  cliEnv,
  createOrganization,
  createRoles,
  memberIam,
  sdkConfig,
  trustDoc,
  vendorStatement,
} from './helpers/seed.js';

const VENDOR = '111122223333';

// moto and the CLI are real processes on a shared 2-core machine: give each test room.
vi.setConfig({ testTimeout: 180_000 });

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

interface JsonReport {
  findings: { resource: { account: string; name: string } }[];
  errors: { source: string; code: string; account?: string; message: string }[];
}

describe('faults between trustaudit and AWS (proxy in front of moto)', () => {
  it('survives throttling, 500s and slow answers; reports exactly the accounts it lost', async () => {
    const names = ['ok', 'noassume', 'nolist', 'slow', 'throttled'];
    const members = await createOrganization(moto.url, names);
    const id = Object.fromEntries(members.map((m) => [m.name, m.id])) as Record<string, string>;
    for (const m of members) {
      const iam = await memberIam(moto.url, m.id);
      await createRoles(iam, [{ name: `vendor-${m.name}`, doc: trustDoc([vendorStatement(VENDOR)]) }]);
      iam.destroy();
    }
    const mgmt = new IAM(sdkConfig(moto.url));
    await createRoles(mgmt, [{ name: 'vendor-mgmt', doc: trustDoc([vendorStatement(VENDOR)]) }]);
    mgmt.destroy();

    proxy = await startFaultProxy(moto.url, [
      // Transient: retried and recovered.
      { action: 'GetCallerIdentity', kind: 'server-error', times: 1 },
      { action: 'ListAccounts', kind: 'throttle', times: 1 },
      { action: 'ListRoles', account: id.ok, kind: 'throttle', times: 2 },
      { action: 'ListRoles', account: id.slow, kind: 'delay', delayMs: 2500, times: 1 },
      { action: 'ListRoles', account: id.slow, kind: 'delay', delayMs: 400 },
      // Lasting: the account is lost and reported.
      { action: 'AssumeRole', account: id.noassume, kind: 'access-denied' },
      { action: 'ListRoles', account: id.nolist, kind: 'access-denied' },
      { action: 'ListRoles', account: id.throttled, kind: 'throttle' },
    ]);
    const r = await runCli(
      [
        'scan',
        '--aws',
        '--org',
        '-f',
        'json',
        '--max-attempts',
        '3',
        '--request-timeout',
        '1500',
        '--fail-on',
        'none',
      ],
      cliEnv(proxy.url),
    );
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.errors.map((e) => `${e.account} ${e.code}`).sort()).toEqual(
      [`${id.noassume} access-denied`, `${id.nolist} access-denied`, `${id.throttled} throttled`].sort(),
    );
    expect(report.errors.every((e) => e.source === 'aws')).toBe(true);
    expect(report.errors.find((e) => e.account === id.noassume)?.message).toContain('cannot assume');
    expect(report.errors.find((e) => e.account === id.throttled)?.message).toContain('after 3 attempts');
    expect(report.findings.map((f) => f.resource.name).sort()).toEqual([
      'vendor-mgmt',
      'vendor-ok',
      'vendor-slow',
    ]);
    // Every fault was really injected.
    expect(proxy.injected.get('server-error:GetCallerIdentity')).toBe(1);
    expect(proxy.injected.get(`throttle:ListRoles:${id.ok}`)).toBe(2);
    // The first slow answer outlived --request-timeout: the call was abandoned and retried.
    expect(proxy.arrived.get(`ListRoles:${id.slow}`)).toBe(2);
    expect(proxy.injected.get(`throttle:ListRoles:${id.throttled}`)).toBe(3);
    // No GetRole during the scan; after it, one per role with a finding, for its RoleLastUsed.
    expect(proxy.seen.get('GetRole')).toBe(3);
    for (const t of [r.stdout, r.stderr]) {
      expect(t).not.toContain(DUMMY_CREDENTIALS.secretAccessKey);
      expect(t).not.toContain(DUMMY_CREDENTIALS.sessionToken);
    }
  });

  it('an update failing midway leaves each role unchanged or fixed, each with its backup', async () => {
    const iam: IAMClient = new IAM(sdkConfig(moto.url));
    await createRoles(
      iam,
      ['a', 'b', 'c'].map((n) => ({ name: n, doc: trustDoc([vendorStatement(VENDOR)]) })),
    );
    const raw = async (n: string) =>
      (await iam.send(new GetRoleCommand({ RoleName: n }))).Role!.AssumeRolePolicyDocument!;
    const before = { a: await raw('a'), b: await raw('b'), c: await raw('c') };
    proxy = await startFaultProxy(moto.url, [
      { action: 'UpdateAssumeRolePolicy', kind: 'server-error', bodyIncludes: 'RoleName=b' },
    ]);
    const cwd = mkdtempSync(join(tmpdir(), 'ta-fault-'));
    const env = cliEnv(proxy.url);
    const r = await runCli(['fix', '--apply', '--yes', '--max-attempts', '2'], env, { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^fixed: a /m);
    expect(r.stdout).toMatch(/^FAILED: b .*the role is unchanged/m);
    expect(r.stdout).toMatch(/^fixed: c /m);
    expect(r.stdout).toContain('2 of 3 role(s) fixed.');
    expect(await raw('b')).toBe(before.b);
    expect(await raw('a')).not.toBe(before.a);
    // Three backups, and the plan of the run.
    expect(readdirSync(join(cwd, 'trustaudit-backups')).filter((f) => !f.startsWith('plan-'))).toHaveLength(
      3,
    );
    proxy.rules.length = 0;
    const rolled = await runCli(['rollback', '--yes', 'trustaudit-backups'], env, { cwd });
    expect(rolled.code).toBe(0);
    expect({ a: await raw('a'), b: await raw('b'), c: await raw('c') }).toEqual(before);
    iam.destroy();
  });
});
