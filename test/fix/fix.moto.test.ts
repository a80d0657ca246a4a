import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetRoleCommand, IAMClient, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../aws/helpers/cli.js';
import {
  cliEnv,
  createRoles,
  MOTO_ACCOUNT,
  sdkConfig,
  trustDoc,
  vendorStatement,
} from '../aws/helpers/seed.js';
import { type MotoServer, startMoto } from '../helpers/moto.js';

const PARTNER = '111122223333';
const PARTNER2 = '444455556666';
/** Datadog, in the bundled known-vendor list. */
const DATADOG = '464622532012';

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

async function policy(iam: IAMClient, name: string): Promise<string> {
  const r = await iam.send(new GetRoleCommand({ RoleName: name }));
  return decodeURIComponent(r.Role!.AssumeRolePolicyDocument!);
}

type Plan = {
  roles: { roleName: string; policy: { text: string }; externalIds: { externalId: string }[] }[];
};

describe('fix plans, vendors, wildcards and rollback (real CLI against moto)', () => {
  it('dry run -> plan; drift on one role; --apply PLAN applies the rest with the same ids; rollback refuses drift', async () => {
    const iam = new IAMClient(sdkConfig(moto.url));
    await createRoles(iam, [
      { name: 'partner-a', doc: trustDoc([vendorStatement(PARTNER)]) },
      { name: 'partner-b', doc: trustDoc([vendorStatement(PARTNER2)]) },
      { name: 'datadog', doc: trustDoc([vendorStatement(DATADOG)]) },
      {
        name: 'public',
        doc: trustDoc([{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }]),
      },
    ]);
    const cwd = mkdtempSync(join(tmpdir(), 'ta-fixmoto-'));
    const env = cliEnv(moto.url);

    const dry = await runCli(['fix', '--plan', 'plan.json'], env, { cwd });
    // Two roles cannot be planned without more input: exit 2, each named with its reason.
    expect(dry.code).toBe(2);
    expect(dry.stderr).toContain(
      `skipped datadog (account ${MOTO_ACCOUNT}): ${DATADOG} (Datadog) is a known vendor`,
    );
    expect(dry.stderr).toContain(`--external-id ${DATADOG}=ID`);
    expect(dry.stderr).toContain(
      `skipped public (account ${MOTO_ACCOUNT}): statement 0 lets any AWS account in`,
    );
    expect(dry.stdout).toContain(`trustaudit fix --apply ${join(cwd, 'plan.json')}`);
    expect(statSync(join(cwd, 'plan.json')).mode & 0o777).toBe(0o600);
    const plan = JSON.parse(readFileSync(join(cwd, 'plan.json'), 'utf8')) as Plan;
    expect(plan.roles.map((r) => r.roleName).sort()).toEqual(['partner-a', 'partner-b']);
    const planned = new Map(plan.roles.map((r) => [r.roleName, r]));
    // The ids shown are the ids in the plan.
    for (const r of plan.roles)
      expect(dry.stdout).toContain(`  ${r.externalIds[0]!.externalId}  (generated)`);

    // Someone changes partner-b between the dry run and the apply.
    const edited = trustDoc([vendorStatement(PARTNER2, { Bool: { 'aws:MultiFactorAuthPresent': 'true' } })]);
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'partner-b', PolicyDocument: edited }));

    const applied = await runCli(['fix', '--apply', 'plan.json', '--yes'], env, { cwd });
    expect(applied.code).toBe(2);
    expect(applied.stdout).toContain(`fixed: partner-a (account ${MOTO_ACCOUNT})`);
    expect(applied.stdout).toMatch(
      /skipped: partner-b \(account \d+\): the trust policy changed since the plan was made/,
    );
    expect(applied.stdout).toContain('1 of 2 role(s) fixed.');
    expect(await policy(iam, 'partner-a')).toBe(planned.get('partner-a')!.policy.text);
    expect(await policy(iam, 'partner-b')).toBe(edited);

    // The vendor, once its id is entered, and the public role narrowed to our own account.
    const more = await runCli(
      [
        'fix',
        '--apply',
        '--yes',
        '--role',
        'datadog',
        '--role',
        'public',
        '--external-id',
        `${DATADOG}=dd-issued-1234`,
        '--narrow-to',
        MOTO_ACCOUNT,
      ],
      env,
      { cwd },
    );
    expect(more.stdout).toContain('2 of 2 role(s) fixed.');
    expect(more.code).toBe(0);
    expect(more.stdout).toContain(`${DATADOG}  dd-issued-1234  (vendor-issued, Datadog)`);
    expect(await policy(iam, 'public')).toContain(`"aws:PrincipalAccount":"${MOTO_ACCOUNT}"`);
    const rescan = await runCli(['scan', '--aws', '-f', 'json'], env);
    const open = (JSON.parse(rescan.stdout) as { findings: { resource: { name: string } }[] }).findings.map(
      (f) => f.resource.name,
    );
    // partner-b was given MFA by hand (the drift), so no role is left with a finding.
    expect(open).toEqual([]);

    // Someone edits partner-a after the fix: rollback shows it and refuses; --force restores.
    const afterFix = await policy(iam, 'partner-a');
    const drifted = afterFix.replace(
      '"Action":"sts:AssumeRole"',
      '"Action":["sts:AssumeRole","sts:TagSession"]',
    );
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'partner-a', PolicyDocument: drifted }));
    const backup = readdirSync(join(cwd, 'trustaudit-backups')).find((f) => f.includes('-partner-a-'))!;
    const file = join('trustaudit-backups', backup);
    const refused = await runCli(['rollback', '--yes', file], env, { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stdout).toContain('the trust policy changed after fix applied it; what changed:');
    expect(refused.stdout).toContain('"sts:TagSession"');
    expect(await policy(iam, 'partner-a')).toBe(drifted);
    const forced = await runCli(['rollback', '--yes', '--force', file], env, { cwd });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(`restored: partner-a (account ${MOTO_ACCOUNT})`);
    expect(await policy(iam, 'partner-a')).toBe(trustDoc([vendorStatement(PARTNER)]));
    iam.destroy();
  });
});
