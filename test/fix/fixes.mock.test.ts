import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKUP_KIND } from '../../src/fix/backup.js';
import { runFix } from '../../src/fix/run.js';
import { runRollback } from '../../src/fix/run-rollback.js';
import {
  baseOpts,
  DATADOG,
  doc,
  factory,
  fakeAccount,
  iamMock,
  OWNER,
  PARTNER,
  stsMock,
  testIO,
  trust,
} from './helpers.js';

afterEach(() => {
  iamMock.reset();
  stsMock.reset();
});

describe('Principal "*" is narrowed, never given an external id', () => {
  it('without --narrow-to the role is skipped with the reason; nothing is "fixed"', async () => {
    const acct = fakeAccount({ open: doc([trust('*')]) });
    const t = testIO();
    expect(await runFix(baseOpts({ apply: true, yes: true }), t.io, { factory: factory() })).toBe(2);
    expect(t.err()).toContain('skipped open (account 210987654321): statement 0 lets any AWS account in (*)');
    expect(t.err()).toContain('--narrow-to ACCOUNT or --narrow-to o-ORGID');
    expect(t.out()).not.toContain('fixed: open');
    expect(acct.updates()).toEqual([]);
  });

  it('--narrow-to an account of your own: narrowed with aws:PrincipalAccount and the re-scan is clean', async () => {
    const acct = fakeAccount({
      open: doc([trust('*')]),
      mixed: doc([trust(['*', `arn:aws:iam::${PARTNER}:root`])]),
    });
    const t = testIO();
    const code = await runFix(baseOpts({ apply: true, yes: true, narrowTo: [OWNER] }), t.io, {
      factory: factory(),
    });
    expect(t.out()).toContain('2 of 2 role(s) fixed.');
    expect(code).toBe(0);
    const open = JSON.parse(acct.text('open')) as { Statement: Record<string, unknown>[] };
    expect(open.Statement).toEqual([
      { ...trust('*'), Condition: { StringEquals: { 'aws:PrincipalAccount': OWNER } } },
    ]);
    // The wildcard is split off and narrowed; the named third party gets its external id.
    const mixed = JSON.parse(acct.text('mixed')) as {
      Statement: { Principal: unknown; Condition: unknown }[];
    };
    expect(mixed.Statement).toHaveLength(2);
    expect(mixed.Statement[0]!.Condition).toEqual({
      StringEquals: { 'sts:ExternalId': expect.stringMatching(/^[\w-]{32}$/) },
    });
    expect(mixed.Statement[1]).toMatchObject({
      Principal: { AWS: '*' },
      Condition: { StringEquals: { 'aws:PrincipalAccount': OWNER } },
    });
  });

  it('narrowed to a third party that still needs an id: applied, but reported NOT FIXED (re-scan finding)', async () => {
    const acct = fakeAccount({ open: doc([trust('*')]) });
    const t = testIO();
    const code = await runFix(baseOpts({ apply: true, yes: true, narrowTo: [PARTNER] }), t.io, {
      factory: factory(),
    });
    expect(code).toBe(2);
    expect(t.out()).toContain('note: the new policy still has a finding: TA001');
    expect(t.out()).toMatch(
      /NOT FIXED: open \(account 210987654321\): updated and confirmed, but the re-scan still finds: TA001/,
    );
    expect(t.out()).toContain('0 of 1 role(s) fixed.');
    expect(acct.updates()).toHaveLength(1);
  });

  it('--narrow-to values are checked', async () => {
    fakeAccount({});
    await expect(
      runFix(baseOpts({ narrowTo: ['nope'] }), testIO().io, { factory: factory() }),
    ).rejects.toThrow('--narrow-to "nope": not a 12-digit account id nor an organization id');
    await expect(
      runFix(baseOpts({ narrowTo: [OWNER, 'o-abcdefghij'] }), testIO().io, { factory: factory() }),
    ).rejects.toThrow('give accounts or organization ids, not both');
  });
});

describe('people switching roles get MFA, not an external id', () => {
  it('an IAM user principal is asked for MFA instead, and the output says why', async () => {
    const acct = fakeAccount({ people: doc([trust(`arn:aws:iam::${PARTNER}:user/alice`)]) });
    const t = testIO();
    expect(await runFix(baseOpts({ apply: true, yes: true }), t.io, { factory: factory() })).toBe(0);
    expect(t.out()).toContain(`MFA instead of an external id for: ${PARTNER}`);
    expect(t.out()).toContain('cannot send an external id');
    const st = (JSON.parse(acct.text('people')) as { Statement: { Condition: unknown }[] }).Statement[0]!;
    expect(st.Condition).toEqual({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } });
  });
});

/** A report as `scan --cloudtrail --format json` writes it, with usage evidence on the finding. */
function report(role: string, account: string, usage: Record<string, unknown>): string {
  return JSON.stringify({
    findings: [
      {
        ruleId: 'TA001',
        suppressed: false,
        resource: { name: role, arn: `arn:aws:iam::${OWNER}:role/${role}`, account: OWNER },
        principals: [{ value: `arn:aws:iam::${account}:root`, kind: 'account', account }],
        evidence: {
          data: { statementIndex: 0, thirdPartyPrincipals: [`arn:aws:iam::${account}:root`] },
          usage: { sources: ['x'], thirdParties: [{ account, ...usage }], caveat: 'c' },
        },
      },
    ],
  });
}

describe('usage evidence decides the id', () => {
  it('the id every call sent is used as observed, for a vendor too; several ids skip the role', async () => {
    const acct = fakeAccount({ dd: doc([trust(`arn:aws:iam::${DATADOG}:root`)]) });
    const t = testIO();
    writeFileSync(
      join(t.io.cwd, 'report.json'),
      report('dd', DATADOG, {
        verdict: 'safe-to-enforce',
        calls: 40,
        callsWithMfa: 0,
        externalIds: [{ value: 'dd-seen-in-trail-7', count: 40 }],
      }),
    );
    expect(
      await runFix(baseOpts({ from: 'report.json', apply: true, yes: true }), t.io, { factory: factory() }),
    ).toBe(0);
    expect(t.out()).toContain(
      `${DATADOG}  dd-seen-in-trail-7  (observed: every call in the usage window sent it)`,
    );
    expect(acct.text('dd')).toContain('"sts:ExternalId":"dd-seen-in-trail-7"');

    const several = testIO();
    writeFileSync(
      join(several.io.cwd, 'report.json'),
      report('dd', PARTNER, {
        verdict: 'sends-several-ids',
        calls: 3,
        callsWithMfa: 0,
        externalIds: [
          { value: 'one-11', count: 2 },
          { value: 'two-22', count: 1 },
        ],
      }),
    );
    expect(await runFix(baseOpts({ from: 'report.json' }), several.io, { factory: factory() })).toBe(2);
    expect(several.err()).toContain(
      `${PARTNER} sent 2 different external ids in the usage window (one-11, two-22)`,
    );
  });

  it('every call with MFA: people, so MFA instead of an id', async () => {
    const acct = fakeAccount({ dd: doc([trust(`arn:aws:iam::${PARTNER}:root`)]) });
    const t = testIO();
    writeFileSync(
      join(t.io.cwd, 'report.json'),
      report('dd', PARTNER, { verdict: 'sends-none', calls: 5, callsWithMfa: 5, externalIds: [] }),
    );
    expect(
      await runFix(baseOpts({ from: 'report.json', apply: true, yes: true }), t.io, { factory: factory() }),
    ).toBe(0);
    expect(acct.text('dd')).toContain('"aws:MultiFactorAuthPresent":"true"');
    expect(acct.text('dd')).not.toContain('sts:ExternalId');
  });
});

describe('drift-aware rollback', () => {
  async function fixedRole() {
    const acct = fakeAccount({ a: doc([trust(`arn:aws:iam::${PARTNER}:root`)]) });
    const before = acct.roles.get('a');
    const t = testIO();
    expect(await runFix(baseOpts({ apply: true, yes: true }), t.io, { factory: factory() })).toBe(0);
    const dir = join(t.io.cwd, 'backups');
    const file = join(dir, readdirSync(dir).find((f) => !f.startsWith('plan-'))!);
    return { acct, before, cwd: t.io.cwd, file };
  }

  it('the backup (version 2) records the policy fix applied', async () => {
    const { acct, file } = await fixedRole();
    const b = JSON.parse(readFileSync(file, 'utf8')) as { version: number; applied: string };
    expect(b.version).toBe(2);
    expect(b.applied).toBe(acct.text('a'));
  });

  it('shows the diff, then restores a role still as fix left it', async () => {
    const { acct, before, cwd, file } = await fixedRole();
    const t = testIO({ cwd });
    expect(await runRollback({ paths: [file], yes: true, aws: {} }, t.io, { factory: factory() })).toBe(0);
    expect(t.out()).toContain('--- a (current)');
    expect(t.out()).toContain('+++ a (backup)');
    expect(t.out()).toMatch(/^-\s+"sts:ExternalId"/m);
    expect(acct.roles.get('a')).toBe(before);
  });

  it('refuses a role changed after fix, naming the change; --force restores it', async () => {
    const { acct, before, cwd, file } = await fixedRole();
    const changed = JSON.parse(acct.text('a')) as { Statement: Record<string, unknown>[] };
    changed.Statement.push(
      trust('arn:aws:iam::999988887777:root', { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }),
    );
    acct.set('a', JSON.stringify(changed));
    const updatesBefore = acct.updates().length;
    const t = testIO({ cwd });
    expect(await runRollback({ paths: [file], yes: true, aws: {} }, t.io, { factory: factory() })).toBe(2);
    expect(t.out()).toContain('the trust policy changed after fix applied it; what changed:');
    expect(t.out()).toMatch(/^ {4}\+ +"AWS": "arn:aws:iam::999988887777:root"$/m);
    expect(t.out()).toContain('refused: a (account 210987654321): not restored');
    expect(acct.updates()).toHaveLength(updatesBefore);

    const forced = testIO({ cwd });
    expect(
      await runRollback({ paths: [file], yes: true, force: true, aws: {} }, forced.io, {
        factory: factory(),
      }),
    ).toBe(0);
    expect(forced.out()).toContain('(--force: it is restored anyway)');
    expect(acct.roles.get('a')).toBe(before);
  });

  it('a version 1 backup is still restored, with a note that drift cannot be told', async () => {
    const acct = fakeAccount({ a: doc([trust(`arn:aws:iam::${PARTNER}:root`, { Bool: { x: 'y' } })]) });
    const t = testIO();
    const file = join(t.io.cwd, 'old.json');
    const original = encodeURIComponent(doc([trust(`arn:aws:iam::${PARTNER}:root`)]));
    writeFileSync(
      file,
      JSON.stringify({
        kind: BACKUP_KIND,
        version: 1,
        createdAt: '2026-01-01T00:00:00Z',
        roleName: 'a',
        account: OWNER,
        document: original,
      }),
    );
    expect(await runRollback({ paths: [file], yes: true, aws: {} }, t.io, { factory: factory() })).toBe(0);
    expect(t.out()).toContain('this backup (version 1) does not record the policy fix applied');
    expect(acct.roles.get('a')).toBe(original);
  });

  it('the plan in the backup folder is not taken for a backup', async () => {
    const { acct, before, cwd } = await fixedRole();
    const t = testIO({ cwd });
    expect(await runRollback({ paths: ['backups'], yes: true, aws: {} }, t.io, { factory: factory() })).toBe(
      0,
    );
    expect(t.err()).toBe('');
    expect(acct.roles.get('a')).toBe(before);
  });
});
