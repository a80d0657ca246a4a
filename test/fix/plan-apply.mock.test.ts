import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/fix/plan-file.js';
import { runFix } from '../../src/fix/run.js';
import {
  baseOpts,
  DATADOG,
  doc,
  factory,
  fakeAccount,
  iamMock,
  PARTNER,
  PARTNER2,
  stsMock,
  testIO,
  trust,
} from './helpers.js';

afterEach(() => {
  iamMock.reset();
  stsMock.reset();
});

type PlanJson = {
  roles: {
    roleName: string;
    source: { sha256: string; text: string };
    policy: { sha256: string; text: string };
    externalIds: { account: string; externalId: string; origin: string }[];
  }[];
};
const planOf = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as PlanJson;
const planPathIn = (out: string) => /trustaudit fix --apply (\S+)/.exec(out)?.[1] ?? '';

describe('fix plans: dry run, then exactly that plan applied', () => {
  it('the dry run writes a 0600 plan with source hash and text, new policy and each id with its origin', async () => {
    const acct = fakeAccount({
      a: doc([trust(`arn:aws:iam::${PARTNER}:root`)]),
      b: doc([trust([PARTNER, PARTNER2])]),
    });
    const t = testIO();
    const code = await runFix(baseOpts({ externalIds: [`${PARTNER2}=given-by-us-22`] }), t.io, {
      factory: factory(),
    });
    expect(code).toBe(0);
    expect(acct.updates()).toEqual([]);
    const path = planPathIn(t.out());
    expect(path.startsWith(join(t.io.cwd, 'backups', 'plan-'))).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const plan = planOf(path);
    expect(plan.roles.map((r) => r.roleName).sort()).toEqual(['a', 'b']);
    for (const r of plan.roles) {
      // The source is kept as IAM returned it (URL-encoded), with its hash.
      expect(r.source.text).toBe(acct.roles.get(r.roleName));
      expect(r.source.sha256).toBe(sha256(r.source.text));
      expect(r.policy.sha256).toBe(sha256(r.policy.text));
    }
    const ids = plan.roles.flatMap((r) => r.externalIds);
    expect(ids.filter((e) => e.account === PARTNER2)).toEqual([
      { account: PARTNER2, externalId: 'given-by-us-22', origin: 'given' },
    ]);
    // One generated id for PARTNER, the same in both roles.
    const generated = ids.filter((e) => e.account === PARTNER);
    expect(new Set(generated.map((e) => e.externalId)).size).toBe(1);
    expect(generated.every((e) => e.origin === 'generated')).toBe(true);
    expect(t.out()).toContain('Give each third party its external id BEFORE the change is applied');
  });

  it('--apply PLAN sends exactly the planned policies: ids are not generated again', async () => {
    const acct = fakeAccount({ a: doc([trust(`arn:aws:iam::${PARTNER}:root`)]) });
    const dry = testIO();
    await runFix(baseOpts(), dry.io, { factory: factory() });
    const path = planPathIn(dry.out());
    const planned = planOf(path).roles[0]!;
    const id = planned.externalIds[0]!.externalId;
    // A second dry run would generate another id; applying the plan must not.
    const again = testIO({ cwd: dry.io.cwd });
    await runFix(baseOpts({ plan: 'other-plan.json' }), again.io, { factory: factory() });
    expect(planOf(join(dry.io.cwd, 'other-plan.json')).roles[0]!.externalIds[0]!.externalId).not.toBe(id);

    const t = testIO({ cwd: dry.io.cwd });
    const code = await runFix(baseOpts({ apply: true, applyPlan: path, yes: true }), t.io, {
      factory: factory(),
    });
    expect(code).toBe(0);
    expect(acct.updates()).toEqual([{ RoleName: 'a', PolicyDocument: planned.policy.text }]);
    expect(acct.text('a')).toContain(`"sts:ExternalId":"${id}"`);
    expect(t.out()).toContain('fixed: a');
    expect(t.out()).toContain('1 of 1 role(s) fixed.');
  });

  it('a role whose policy changed since the dry run is skipped and named; the others are applied; exit 2', async () => {
    const acct = fakeAccount({
      a: doc([trust(`arn:aws:iam::${PARTNER}:root`)]),
      b: doc([trust(`arn:aws:iam::${PARTNER2}:root`)]),
    });
    const dry = testIO();
    await runFix(baseOpts(), dry.io, { factory: factory() });
    const path = planPathIn(dry.out());
    // Someone edits role b after the dry run.
    acct.set('b', doc([trust(`arn:aws:iam::${PARTNER2}:root`), trust('arn:aws:iam::999988887777:root')]));
    const t = testIO({ cwd: dry.io.cwd });
    const code = await runFix(baseOpts({ apply: true, applyPlan: path, yes: true }), t.io, {
      factory: factory(),
    });
    expect(code).toBe(2);
    expect(acct.updates().map((u) => u.RoleName)).toEqual(['a']);
    expect(t.out()).toMatch(/skipped: b \(account \d+\): the trust policy changed since the plan was made/);
    expect(t.out()).toContain('Changed since the plan, not touched: b');
    expect(acct.text('b')).toContain('999988887777');
  });

  it('a corrupt or hostile plan file is a clear error and nothing is sent', async () => {
    const acct = fakeAccount({ a: doc([trust(`arn:aws:iam::${PARTNER}:root`)]) });
    const dry = testIO();
    await runFix(baseOpts(), dry.io, { factory: factory() });
    const path = planPathIn(dry.out());
    const good = planOf(path);
    const cases: [string, string, RegExp][] = [
      ['not JSON', '{"kind":', /not a JSON plan/],
      ['wrong kind', JSON.stringify({ ...good, kind: 'other' }), /not a trustaudit fix plan \(kind/],
      [
        'policy edited, hash left',
        JSON.stringify({
          ...good,
          roles: [{ ...good.roles[0]!, policy: { ...good.roles[0]!.policy, text: '{"Statement":[]}' } }],
        }),
        /policy\.sha256: does not match policy\.text/,
      ],
      [
        'an external id AWS would refuse',
        JSON.stringify({
          ...good,
          roles: [
            { ...good.roles[0]!, externalIds: [{ account: PARTNER, externalId: 'a b', origin: 'given' }] },
          ],
        }),
        /externalId: not a valid external id/,
      ],
      ['an unknown field', JSON.stringify({ ...good, extra: 1 }), /Unrecognized key/i],
    ];
    for (const [what, text, message] of cases) {
      writeFileSync(path, text);
      const t = testIO({ cwd: dry.io.cwd });
      const code = await runFix(baseOpts({ apply: true, applyPlan: path, yes: true }), t.io, {
        factory: factory(),
      });
      expect(code, what).toBe(2);
      expect(t.err(), what).toMatch(message);
    }
    // A plan whose new policy opens the role (hashes recomputed) is refused, not applied.
    const open = doc([trust('*')]);
    writeFileSync(
      path,
      JSON.stringify({
        ...good,
        roles: [{ ...good.roles[0]!, externalIds: [], policy: { text: open, sha256: sha256(open) } }],
      }),
    );
    const t = testIO({ cwd: dry.io.cwd });
    expect(
      await runFix(baseOpts({ apply: true, applyPlan: path, yes: true }), t.io, { factory: factory() }),
    ).toBe(2);
    expect(t.err()).toContain("refused a (account 210987654321): the plan's new policy adds findings");
    expect(acct.updates()).toEqual([]);
  });

  it('flags the plan decides are refused with --apply PLAN', async () => {
    fakeAccount({});
    const t = testIO();
    await expect(
      runFix(baseOpts({ apply: true, applyPlan: 'p.json', externalIds: ['x1'], yes: true }), t.io, {
        factory: factory(),
      }),
    ).rejects.toThrow('--external-id cannot be used with --apply PLAN');
  });
});

describe('vendor-aware external ids', () => {
  it('a known vendor never gets a generated id: the role is skipped with where to find the id', async () => {
    const acct = fakeAccount({
      datadog: doc([trust(`arn:aws:iam::${DATADOG}:root`)]),
      ours: doc([trust(`arn:aws:iam::${PARTNER}:root`)]),
    });
    const t = testIO();
    const code = await runFix(baseOpts(), t.io, { factory: factory() });
    expect(code).toBe(2);
    expect(t.err()).toContain(
      `skipped datadog (account 210987654321): ${DATADOG} (Datadog) is a known vendor`,
    );
    expect(t.err()).toContain(`--external-id ${DATADOG}=ID`);
    expect(t.err()).toContain('shown in the vendor’s own console');
    const plan = planOf(planPathIn(t.out()));
    expect(plan.roles.map((r) => r.roleName)).toEqual(['ours']);
    expect(acct.updates()).toEqual([]);
  });

  it('the id entered for a vendor is vendor-issued; a blanket --external-id is not used for vendors', async () => {
    fakeAccount({ datadog: doc([trust(`arn:aws:iam::${DATADOG}:root`)]) });
    const blanket = testIO();
    expect(await runFix(baseOpts({ externalIds: ['one-for-all'] }), blanket.io, { factory: factory() })).toBe(
      2,
    );
    expect(blanket.err()).toContain('is a known vendor');
    const t = testIO();
    expect(
      await runFix(baseOpts({ externalIds: [`${DATADOG}=dd-issued-abc123`] }), t.io, { factory: factory() }),
    ).toBe(0);
    expect(t.out()).toMatch(
      new RegExp(`^ {2}${DATADOG} {2}dd-issued-abc123 {2}\\(vendor-issued, Datadog\\)$`, 'm'),
    );
    expect(planOf(planPathIn(t.out())).roles[0]!.externalIds[0]!.origin).toBe('vendor-issued');
  });
});

describe('one question per role', () => {
  const four = () =>
    fakeAccount({
      r1: doc([trust(`arn:aws:iam::${PARTNER}:root`)]),
      r2: doc([trust(`arn:aws:iam::${PARTNER}:root`)]),
      r3: doc([trust(`arn:aws:iam::${PARTNER}:root`)]),
      r4: doc([trust(`arn:aws:iam::${PARTNER}:root`)]),
    });

  it('y, n, then a applies the rest without asking again; each question follows its own diff', async () => {
    const acct = four();
    const t = testIO({ tty: true, answers: ['y', 'n', 'a'] });
    const code = await runFix(baseOpts({ apply: true }), t.io, { factory: factory() });
    expect(t.asked).toEqual([
      'Apply to r1 (account 210987654321)? [y]es/[n]o/[a]ll remaining/[q]uit ',
      'Apply to r2 (account 210987654321)? [y]es/[n]o/[a]ll remaining/[q]uit ',
      'Apply to r3 (account 210987654321)? [y]es/[n]o/[a]ll remaining/[q]uit ',
    ]);
    expect(acct.updates().map((u) => u.RoleName)).toEqual(['r1', 'r3', 'r4']);
    expect(t.out()).toContain('Not applied (answered no or quit): r2 (account 210987654321)');
    expect(code).toBe(2);
    // r2's diff is printed before r2's question, after r1's result.
    const out = t.out();
    expect(out.indexOf('fixed: r1')).toBeLessThan(out.indexOf('--- r2 (current)'));
  });

  it('q stops: nothing after it is applied', async () => {
    const acct = four();
    const t = testIO({ tty: true, answers: ['y', 'q'] });
    expect(await runFix(baseOpts({ apply: true }), t.io, { factory: factory() })).toBe(2);
    expect(t.asked).toHaveLength(2);
    expect(acct.updates().map((u) => u.RoleName)).toEqual(['r1']);
  });

  it('--yes asks nothing; no terminal and no --yes applies nothing and says why', async () => {
    const acct = four();
    const yes = testIO({ tty: true });
    expect(await runFix(baseOpts({ apply: true, yes: true }), yes.io, { factory: factory() })).toBe(0);
    expect(yes.asked).toEqual([]);
    expect(acct.updates()).toHaveLength(4);
    iamMock.reset();
    const acct2 = four();
    const none = testIO({ tty: false });
    expect(await runFix(baseOpts({ apply: true }), none.io, { factory: factory() })).toBe(2);
    expect(none.err()).toContain('nothing was applied: there is no terminal to ask on');
    expect(acct2.updates()).toEqual([]);
    expect(() => readdirSync(join(none.io.cwd, 'backups'))).toThrow();
  });
});

describe('a run stopped with q is finished from its plan, with the same ids', () => {
  it('roles already applied are left alone; the rest get the ids of the first run', async () => {
    const acct = fakeAccount({
      r1: doc([trust(`arn:aws:iam::${PARTNER}:root`)]),
      r2: doc([trust(`arn:aws:iam::${PARTNER2}:root`)]),
    });
    const first = testIO({ tty: true, answers: ['y', 'q'] });
    expect(await runFix(baseOpts({ apply: true }), first.io, { factory: factory() })).toBe(2);
    const path = /Plan written to (\S+)\.\n/.exec(first.out())?.[1] ?? '';
    const planned = planOf(path);
    expect(acct.updates().map((u) => u.RoleName)).toEqual(['r1']);
    const t = testIO({ cwd: first.io.cwd });
    expect(
      await runFix(baseOpts({ apply: true, applyPlan: path, yes: true }), t.io, { factory: factory() }),
    ).toBe(0);
    expect(t.out()).toContain('fixed: r1 (account 210987654321): already as planned; nothing was written');
    expect(acct.updates().map((u) => u.RoleName)).toEqual(['r1', 'r2']);
    const id2 = planned.roles.find((r) => r.roleName === 'r2')!.externalIds[0]!.externalId;
    expect(acct.text('r2')).toContain(`"sts:ExternalId":"${id2}"`);
  });
});
