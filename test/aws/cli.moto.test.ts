import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetRoleCommand, IAMClient as IAM, type IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DUMMY_CREDENTIALS, type MotoServer, startMoto } from '../helpers/moto.js';
import { runCli } from './helpers/cli.js';
import {
  cliEnv,
  createOrganization,
  createRoles,
  MOTO_ACCOUNT,
  memberIam,
  sdkConfig,
  serviceStatement,
  trustDoc,
  vendorStatement,
} from './helpers/seed.js';

const VENDOR = '111122223333';
const VENDOR2 = '444455556666';

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

/** Every role's trust document, exactly as ListRoles and GetRole return it. */
async function documents(iam: IAMClient): Promise<Record<string, { list: string; get: string }>> {
  const out: Record<string, { list: string; get: string }> = {};
  const roles = (await iam.send(new ListRolesCommand({ MaxItems: 1000 }))).Roles ?? [];
  for (const r of roles) {
    const got = await iam.send(new GetRoleCommand({ RoleName: r.RoleName! }));
    out[r.RoleName!] = { list: r.AssumeRolePolicyDocument!, get: got.Role!.AssumeRolePolicyDocument! };
  }
  return out;
}

type JsonFinding = {
  ruleId: string;
  resource: { name: string; arn: string; account: string };
  principals: { value: string }[];
};
const parseFindings = (stdout: string): JsonFinding[] =>
  (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;

function expectNoSecrets(...texts: string[]): void {
  for (const t of texts) {
    expect(t).not.toContain(DUMMY_CREDENTIALS.secretAccessKey);
    expect(t).not.toContain(DUMMY_CREDENTIALS.sessionToken);
  }
}

async function seedSingleAccount(): Promise<IAMClient> {
  const iam = new IAM(sdkConfig(moto.url));
  await createRoles(iam, [
    // Finding: a vendor and our own account share one statement, no condition.
    {
      name: 'vendor-shared',
      doc: JSON.stringify(
        {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'Trust',
              Effect: 'Allow',
              Principal: { AWS: [`arn:aws:iam::${VENDOR}:root`, `arn:aws:iam::${MOTO_ACCOUNT}:root`] },
              Action: 'sts:AssumeRole',
            },
          ],
        },
        null,
        4,
      ),
    },
    // Finding: two vendors in one statement.
    {
      name: 'two-vendors',
      doc: trustDoc([{ ...vendorStatement(VENDOR), Principal: { AWS: [VENDOR, VENDOR2] } }]),
    },
    // No finding: external id required.
    {
      name: 'vendor-ok',
      doc: trustDoc([vendorStatement(VENDOR, { StringEquals: { 'sts:ExternalId': 'already-set-123' } })]),
    },
    { name: 'lambda-exec', doc: trustDoc([serviceStatement('lambda.amazonaws.com')]) },
    { name: 'own-account', doc: trustDoc([vendorStatement(MOTO_ACCOUNT)]) },
  ]);
  return iam;
}

describe('scan --aws (real CLI against moto)', () => {
  it('finds exactly the roles a third party can assume; exit 1; no secret in any output', async () => {
    const iam = await seedSingleAccount();
    const r = await runCli(['scan', '--aws', '-f', 'json'], cliEnv(moto.url));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const findings = parseFindings(r.stdout);
    expect(findings.map((f) => `${f.ruleId} ${f.resource.name}`).sort()).toEqual([
      'TA001 two-vendors',
      'TA001 vendor-shared',
    ]);
    expect(findings.every((f) => f.resource.arn.startsWith(`arn:aws:iam::${MOTO_ACCOUNT}:role/`))).toBe(true);
    expectNoSecrets(r.stdout, r.stderr);
    iam.destroy();
  });

  it('honours per-service AWS_ENDPOINT_URL_IAM/_STS (read by the SDK itself) and --endpoint-url', async () => {
    const iam = await seedSingleAccount();
    const base = cliEnv(moto.url);
    delete base.AWS_ENDPOINT_URL;
    const perService = await runCli(['scan', '--aws', '-f', 'json'], {
      ...base,
      AWS_ENDPOINT_URL_IAM: moto.url,
      AWS_ENDPOINT_URL_STS: moto.url,
    });
    expect(perService.code).toBe(1);
    expect(parseFindings(perService.stdout)).toHaveLength(2);
    const flag = await runCli(['scan', '--aws', '-f', 'json', '--endpoint-url', moto.url], base);
    expect(flag.code).toBe(1);
    expect(parseFindings(flag.stdout)).toHaveLength(2);
    // Nothing listening: the account cannot be scanned, exit 2 with an aws error, not a crash.
    const dead = await runCli(
      ['scan', '--aws', '-f', 'json', '--endpoint-url', 'http://127.0.0.1:9', '--max-attempts', '1'],
      base,
    );
    expect(dead.code).toBe(2);
    expect((JSON.parse(dead.stdout) as { errors: { source: string; code: string }[] }).errors).toEqual([
      expect.objectContaining({ source: 'aws', code: 'network' }),
    ]);
    iam.destroy();
  });

  it('--profile reads credentials and region from the shared files; flags that would be ignored are refused', async () => {
    const iam = await seedSingleAccount();
    const dir = mkdtempSync(join(tmpdir(), 'ta-profile-'));
    writeFileSync(join(dir, 'config'), '[profile audit]\nregion = eu-west-1\n');
    writeFileSync(
      join(dir, 'credentials'),
      `[audit]\naws_access_key_id = ${DUMMY_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${DUMMY_CREDENTIALS.secretAccessKey}\n`,
    );
    const env = cliEnv(moto.url, {
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    });
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION'])
      delete env[k];
    const r = await runCli(['scan', '--aws', '--profile', 'audit', '-f', 'json'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(parseFindings(r.stdout)).toHaveLength(2);
    // Without any credentials: one clear error, exit 2.
    const none = await runCli(['scan', '--aws', '-f', 'json', '--max-attempts', '1'], env);
    expect(none.code).toBe(2);
    expect((JSON.parse(none.stdout) as { errors: { code: string }[] }).errors.map((e) => e.code)).toEqual([
      'no-credentials',
    ]);
    const stray = await runCli(['scan', '--aws', '--accounts', '111111111111'], cliEnv(moto.url));
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('--accounts only apply with --org');
    iam.destroy();
  });

  it('--org: member accounts trust each other; a vendor is still found; names come from Organizations', async () => {
    const [prod, dev] = await createOrganization(moto.url, ['prod', 'dev']);
    const prodIam = await memberIam(moto.url, prod!.id);
    await createRoles(prodIam, [
      { name: 'from-dev', doc: trustDoc([vendorStatement(dev!.id)]) },
      { name: 'vendor', doc: trustDoc([vendorStatement(VENDOR)]) },
    ]);
    const devIam = await memberIam(moto.url, dev!.id);
    await createRoles(devIam, [{ name: 'from-mgmt', doc: trustDoc([vendorStatement(MOTO_ACCOUNT)]) }]);

    const r = await runCli(['scan', '--aws', '--org', '-f', 'json'], cliEnv(moto.url));
    expect(r.code).toBe(1);
    expect(parseFindings(r.stdout).map((f) => `${f.resource.account} ${f.resource.name}`)).toEqual([
      `${prod!.id} vendor`,
    ]);

    const strict = await runCli(
      ['scan', '--aws', '--org', '--org-accounts-are-third-parties', '-f', 'json'],
      cliEnv(moto.url),
    );
    expect(strict.code).toBe(1);
    expect(
      parseFindings(strict.stdout)
        .map((f) => `${f.resource.account} ${f.resource.name}`)
        .sort(),
    ).toEqual(
      [
        // moto's member accounts come with OrganizationAccountAccessRole trusting the management account.
        `${dev!.id} OrganizationAccountAccessRole`,
        `${dev!.id} from-mgmt`,
        `${prod!.id} OrganizationAccountAccessRole`,
        `${prod!.id} from-dev`,
        `${prod!.id} vendor`,
      ].sort(),
    );

    // Per-service endpoints, Organizations included, are read by the SDK itself.
    const perService = cliEnv(moto.url, {
      AWS_ENDPOINT_URL_IAM: moto.url,
      AWS_ENDPOINT_URL_STS: moto.url,
      AWS_ENDPOINT_URL_ORGANIZATIONS: moto.url,
    });
    delete perService.AWS_ENDPOINT_URL;
    const only = await runCli(['scan', '--aws', '--org', '--accounts', dev!.id, '-f', 'json'], perService);
    expect(only.stderr).toBe('');
    expect((JSON.parse(only.stdout) as { findings: unknown[]; errors: unknown[] }).errors).toEqual([]);
    expect(only.code).toBe(0);
    expectNoSecrets(r.stdout, r.stderr, strict.stdout, strict.stderr);
    prodIam.destroy();
    devIam.destroy();
  });
});

describe('fix and rollback (real CLI against moto)', () => {
  it('dry run changes nothing and shows a diff, the AWS CLI command and the external ids', async () => {
    const iam = await seedSingleAccount();
    const before = await documents(iam);
    const cwd = mkdtempSync(join(tmpdir(), 'ta-fix-'));
    const r = await runCli(['fix'], cliEnv(moto.url), { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--- vendor-shared (current)');
    expect(r.stdout).toContain('+++ vendor-shared (corrected)');
    expect(r.stdout).toContain(
      "aws iam update-assume-role-policy --role-name vendor-shared --policy-document '{",
    );
    expect(r.stdout).toMatch(/Give each third party its external id BEFORE/);
    // One id per third-party account, printed once in the summary.
    const ids = [...r.stdout.matchAll(/^ {2}(\d{12}) {2}(\S+) {2}\(generated\)$/gm)].map((m) => m[1]);
    expect(ids.sort()).toEqual([VENDOR, VENDOR2]);
    expect(r.stdout).toContain('Dry run: nothing was changed');
    expect(await documents(iam)).toEqual(before);
    iam.destroy();
  });

  it('--apply without a terminal and without --yes refuses and changes nothing', async () => {
    const iam = await seedSingleAccount();
    const before = await documents(iam);
    const cwd = mkdtempSync(join(tmpdir(), 'ta-fix-'));
    const r = await runCli(['fix', '--apply'], cliEnv(moto.url), { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('add --yes');
    expect(await documents(iam)).toEqual(before);
    expect(() => readdirSync(join(cwd, 'trustaudit-backups'))).toThrow();
    iam.destroy();
  });

  it('fix --apply --yes -> re-scan clean -> rollback -> byte-identical documents', async () => {
    const iam = await seedSingleAccount();
    const before = await documents(iam);
    const cwd = mkdtempSync(join(tmpdir(), 'ta-fix-'));
    const env = cliEnv(moto.url);

    const fixed = await runCli(
      ['fix', '--apply', '--yes', '--external-id', `${VENDOR2}=vendor2-given-id`],
      env,
      { cwd },
    );
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain('2 of 2 role(s) fixed.');
    expect(fixed.stdout).toMatch(new RegExp(`^ {2}${VENDOR2} {2}vendor2-given-id$`, 'm'));
    const backups = readdirSync(join(cwd, 'trustaudit-backups'))
      .filter((f) => !f.startsWith('plan-'))
      .sort();
    expect(backups).toHaveLength(2);
    for (const b of backups) {
      const data = JSON.parse(readFileSync(join(cwd, 'trustaudit-backups', b), 'utf8')) as {
        roleName: string;
        document: string;
      };
      // The backup holds the document exactly as AWS returned it (GetRole).
      expect(data.document).toBe(before[data.roleName]!.get);
    }
    // Untouched roles are untouched; fixed roles now require the external id of each vendor.
    const after = await documents(iam);
    expect(after['vendor-ok']).toEqual(before['vendor-ok']);
    expect(after['lambda-exec']).toEqual(before['lambda-exec']);
    const twoVendors = JSON.parse(after['two-vendors']!.list) as {
      Statement: { Principal: { AWS: string }; Condition?: unknown }[];
    };
    expect(twoVendors.Statement).toHaveLength(2);
    expect(twoVendors.Statement.find((s) => s.Principal.AWS === VENDOR2)?.Condition).toEqual({
      StringEquals: { 'sts:ExternalId': 'vendor2-given-id' },
    });

    const rescan = await runCli(['scan', '--aws', '-f', 'json'], env);
    expect(rescan.code).toBe(0);
    expect(parseFindings(rescan.stdout)).toEqual([]);

    const rolled = await runCli(['rollback', '--yes', 'trustaudit-backups'], env, { cwd });
    expect(rolled.code).toBe(0);
    expect(rolled.stdout.match(/^restored:/gm)).toHaveLength(2);
    expect(await documents(iam)).toEqual(before);
    expectNoSecrets(fixed.stdout, fixed.stderr, rescan.stdout, rolled.stdout, rolled.stderr);
    iam.destroy();
  });

  it('fix --from report.json --role NAME fixes only that role, in a member account of the Organization', async () => {
    const [prod] = await createOrganization(moto.url, ['prod']);
    const prodIam = await memberIam(moto.url, prod!.id);
    await createRoles(prodIam, [
      { name: 'vendor-a', doc: trustDoc([vendorStatement(VENDOR)]) },
      { name: 'vendor-b', doc: trustDoc([vendorStatement(VENDOR)]) },
    ]);
    const before = await documents(prodIam);
    const cwd = mkdtempSync(join(tmpdir(), 'ta-fix-'));
    const env = cliEnv(moto.url);
    const scan = await runCli(['scan', '--aws', '--org', '-f', 'json', '-o', join(cwd, 'report.json')], env);
    expect(scan.code).toBe(1);
    const r = await runCli(
      [
        'fix',
        '--from',
        'report.json',
        '--role',
        'vendor-a',
        '--require',
        'external-id-and-mfa',
        '--apply',
        '--yes',
      ],
      env,
      { cwd },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`fixed: vendor-a (account ${prod!.id})`);
    const after = await documents(prodIam);
    expect(after['vendor-b']).toEqual(before['vendor-b']);
    const st = (
      JSON.parse(after['vendor-a']!.list) as {
        Statement: { Condition: Record<string, Record<string, string>> }[];
      }
    ).Statement[0]!;
    expect(st.Condition.Bool).toEqual({ 'aws:MultiFactorAuthPresent': 'true' });
    expect(st.Condition.StringEquals?.['sts:ExternalId']).toMatch(/^[\w-]{32}$/);
    // The re-scan path reaches member accounts too (dry run: nothing changes).
    const dry = await runCli(['fix', '--org', '--role', 'vendor-b'], env, { cwd });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`Role vendor-b (account ${prod!.id})`);
    expect(dry.stdout).not.toContain('Role vendor-a');
    const rolled = await runCli(['rollback', '--yes', 'trustaudit-backups'], env, { cwd });
    expect(rolled.code).toBe(0);
    expect(await documents(prodIam)).toEqual(before);
    prodIam.destroy();
  });
});
