/**
 * `fix --apply` must not change a role unless its backup is whole on disk: the backup is written
 * atomically, read back, compared with what was meant and parsed before the update is sent. Before, a
 * backup folder with little room got a truncated, fsynced backup, the role was changed anyway, and
 * `rollback` refused the truncated file: the original trust policy was gone.
 *
 * Through the real CLI against the moto emulator with the backup folder on a nearly full tmpfs, and as
 * unit tests with faults injected through the file-system interface (for where mounting is refused).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { applyPlans } from '../../src/fix/apply.js';
import { readBackup, type TrustBackup, writeBackup } from '../../src/fix/backup.js';
import { ExternalIdBook } from '../../src/fix/external-id.js';
import { planRoleFix } from '../../src/fix/plan.js';
import { nodeWriteFs, WriteError } from '../../src/util/atomic-write.js';
import { runCli } from '../aws/helpers/cli.js';
import { cliEnv, createRoles, MOTO_ACCOUNT, sdkConfig } from '../aws/helpers/seed.js';
import { type MotoServer, startMoto } from '../helpers/moto.js';
import { entries, fillDisk, fullAfter, smallDiskForSuite } from './write-helpers.js';

vi.setConfig({ testTimeout: 180_000 });

// Real ENOSPC on a 64 KiB tmpfs; the injected-fault tests below run where mounting is refused.
const disk = smallDiskForSuite(64);
afterAll(() => {
  disk?.release();
});

/** A trust policy of about 7 KB (40 vendors): its backup spans several blocks of the file system. */
function bigTrustPolicy(): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: Array.from({ length: 40 }, (_, i) => ({
      Sid: `Vendor${i}${'x'.repeat(60)}`,
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${111122220000 + i}:root` },
      Action: 'sts:AssumeRole',
    })),
  });
}

const backup = (document: string): TrustBackup => ({
  kind: 'trustaudit-trust-policy-backup',
  version: 1,
  createdAt: '2026-12-04T01:00:00.000Z',
  roleName: 'vendor',
  roleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/vendor`,
  account: MOTO_ACCOUNT,
  document,
});

const tmp = () => mkdtempSync(join(tmpdir(), 'ta-backup-'));

describe('writeBackup', () => {
  it('a backup that does not fit is an error and leaves no file', () => {
    const dir = tmp();
    const e = (() => {
      try {
        writeBackup(dir, backup(bigTrustPolicy()), { write: fullAfter(4096) });
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(WriteError);
    expect((e as WriteError).message).toMatch(/^cannot write \S+\.json: no space left on device \(ENOSPC\)$/);
    expect(entries(dir)).toEqual([]);
  });

  it('a backup that reads back different is refused before it gets its name', () => {
    const dir = tmp();
    const altered = {
      ...nodeWriteFs,
      readFile: (p: string) => Buffer.from(nodeWriteFs.readFile(p).toString().replace('vendor', 'other')),
    };
    expect(() => writeBackup(dir, backup('{"Statement":[]}'), { write: altered })).toThrow(/differ/);
    expect(entries(dir)).toEqual([]);
  });

  it.skipIf(!disk)('on a real nearly full disk: an error, not a truncated backup', () => {
    if (!disk) throw new Error('not mounted');
    const dir = join(disk.dir, 'unit');
    mkdirSync(dir);
    const filler = fillDisk(disk.dir, 4096);
    try {
      expect(() => writeBackup(dir, backup(encodeURIComponent(bigTrustPolicy())))).toThrow(
        /no space left on device/,
      );
      expect(entries(dir)).toEqual([]);
    } finally {
      rmSync(filler);
    }
  });

  it('a backup that is written reads back as the one meant, mode 0600', () => {
    const dir = tmp();
    const b = backup(encodeURIComponent(bigTrustPolicy()));
    const path = writeBackup(dir, b);
    expect(readBackup(path)).toEqual(b);
  });
});

describe('applyPlans with a backup that cannot be written', () => {
  it('sends no update: the role is unchanged and the result says so', async () => {
    const raw = bigTrustPolicy();
    const sent: string[] = [];
    const iam = {
      send: async (cmd: { constructor: { name: string } }) => {
        sent.push(cmd.constructor.name);
        if (cmd instanceof GetRoleCommand) return { Role: { AssumeRolePolicyDocument: raw } };
        return {};
      },
    } as unknown as IAMClient;
    const plan = planRoleFix(
      {
        roleName: 'vendor',
        account: MOTO_ACCOUNT,
        statements: [
          {
            statementIndex: 0,
            principals: [{ value: 'arn:aws:iam::111122220000:root', account: '111122220000' }],
          },
        ],
      },
      raw,
      { requirement: 'external-id', externalIds: new ExternalIdBook('id-1') },
    );
    const dir = tmp();
    const [r] = await applyPlans([plan], {
      iamFor: async () => iam,
      backupDir: dir,
      backupFs: { write: fullAfter(1000) },
    });
    expect(r?.status).toBe('failed');
    expect(r?.message).toMatch(
      /^cannot write the backup, so nothing was changed: cannot write \S+: no space left on device/,
    );
    expect(r?.backup).toBeUndefined();
    expect(sent).toEqual(['GetRoleCommand']);
    expect(entries(dir)).toEqual([]);
  });
});

describe.skipIf(!disk)('fix --apply through the CLI, backup folder on a nearly full disk (moto)', () => {
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(async () => {
    await moto?.stop();
  });

  it('changes nothing and exits 2 with a clear message', async () => {
    if (!disk) throw new Error('not mounted');
    const iam = new IAMClient(sdkConfig(moto.url));
    await createRoles(iam, [{ name: 'vendor', doc: bigTrustPolicy() }]);
    const before = (await iam.send(new GetRoleCommand({ RoleName: 'vendor' }))).Role
      ?.AssumeRolePolicyDocument;
    // One block of room: less than the backup needs (its document is about 10 KB once URL-encoded).
    fillDisk(disk.dir, 4096);
    const backups = join(disk.dir, 'backups');
    const cwd = mkdtempSync(join(tmpdir(), 'ta-fix-'));
    // The plan goes elsewhere (--plan), so the backup is the write that does not fit.
    const r = await runCli(
      ['fix', '--apply', '--yes', '--backup-dir', backups, '--plan', join(cwd, 'plan.json')],
      cliEnv(moto.url),
      { cwd },
    );
    expect(r.stdout).toMatch(
      /^FAILED: vendor \(account 123456789012\): cannot write the backup, so nothing was changed: cannot write \S+backups\/\S+\.json: no space left on device \(ENOSPC\)$/m,
    );
    expect(r.stdout).toContain('0 of 1 role(s) fixed.');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.code).toBe(2);
    const after = (await iam.send(new GetRoleCommand({ RoleName: 'vendor' }))).Role?.AssumeRolePolicyDocument;
    expect(after).toBe(before);
    expect(readdirSync(backups)).toEqual([]);
    iam.destroy();
  });
});
