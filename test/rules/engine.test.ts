import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { emptyZone } from '../../src/analysis/zone.js';
import type { Role } from '../../src/model/types.js';
import { RuleOptionsError, runRules, settingsNeedZod } from '../../src/rules/engine.js';
import type { AnyRule } from '../../src/rules/types.js';

/** A toy rule: one finding per statement whose Sid starts with "bad". */
const toy: AnyRule = {
  meta: {
    id: 'TX001',
    name: 'toy',
    title: 'Toy',
    description: 'd',
    risk: 'r',
    severity: 'low',
    remediation: 'fix',
    references: [],
    enabledByDefault: true,
  },
  options: {
    defaults: Object.freeze({ prefix: 'bad' }),
    schema: (zod) => zod.object({ prefix: zod.string().default('bad') }).strict(),
  },
  check(role, ctx) {
    const prefix = (ctx.options as { prefix: string }).prefix;
    return role.trustPolicy.statements
      .filter((s) => s.sid?.startsWith(prefix))
      .map((s) => ({
        message: `statement ${s.index}`,
        statement: { index: s.index, ...(s.sid ? { sid: s.sid } : {}) },
        principals: [],
        evidence: { summary: 's', details: [] },
        remediation: { summary: 'r', steps: [] },
      }));
  },
};

function role(id: string, sids: string[], variant?: string): Role {
  return {
    id,
    name: id,
    partition: 'aws',
    source: { kind: 'policy-file', location: { file: `${id}.json` } },
    ...(variant ? { variant } : {}),
    trustPolicy: {
      statements: sids.map((sid, index) => ({ index, sid, effect: 'Allow' as const, conditions: [] })),
      issues: [],
      raw: {},
    },
  };
}

describe('rule engine', () => {
  it('completes drafts with rule metadata, resource and a stable fingerprint', () => {
    const [a] = runRules([role('r1', ['bad1'])], [toy], { zone: emptyZone() });
    const [b] = runRules([role('r1', ['bad1'])], [toy], { zone: emptyZone() });
    expect(a).toMatchObject({
      ruleId: 'TX001',
      severity: 'low',
      title: 'Toy',
      resource: { id: 'r1', kind: 'aws-iam-role' },
    });
    expect(a?.location).toEqual({ file: 'r1.json' });
    expect(a?.fingerprint).toBe(b?.fingerprint);
    const [other] = runRules([role('r2', ['bad1'])], [toy], { zone: emptyZone() });
    expect(other?.fingerprint).not.toBe(a?.fingerprint);
  });

  it('a finding that holds in every Fn::If alternative is reported once, without a variant', () => {
    const roles = [
      role('t#R', ['bad1'], 'condition C is true'),
      role('t#R', ['bad1'], 'condition C is false'),
    ];
    const out = runRules(roles, [toy], { zone: emptyZone() });
    expect(out).toHaveLength(1);
    expect(out[0]?.resource.variant).toBeUndefined();
  });

  it('a finding in only some alternatives names them', () => {
    const roles = [
      role('t#R', ['bad1'], 'condition A is true'),
      role('t#R', ['ok'], 'condition A is false'),
      role('t#R', ['bad1'], 'condition B is true'),
    ];
    const out = runRules(roles, [toy], { zone: emptyZone() });
    expect(out).toHaveLength(1);
    expect(out[0]?.resource.variant).toBe('condition A is true or condition B is true');
  });

  it('applies enable/disable, severity overrides and validated options', () => {
    const zone = emptyZone();
    const r = [role('r1', ['bad1', 'worse'])];
    expect(runRules(r, [toy], { zone, settings: new Map([['TX001', { enabled: false }]]) })).toEqual([]);
    expect(
      runRules(r, [toy], {
        zone,
        settings: new Map([['TX001', { enabled: true, severity: 'high' as const }]]),
      })[0]?.severity,
    ).toBe('high');
    expect(
      runRules(r, [toy], {
        zone,
        settings: new Map([['TX001', { enabled: true, options: { prefix: 'wor' } }]]),
        zod: z,
      }).map((f) => f.statement?.sid),
    ).toEqual(['worse']);
    expect(() =>
      runRules(r, [toy], {
        zone,
        settings: new Map([['TX001', { enabled: true, options: { nope: 1 } }]]),
        zod: z,
      }),
    ).toThrow(RuleOptionsError);
    expect(() =>
      runRules(r, [toy], {
        zone,
        settings: new Map([['TX001', { enabled: true, options: { nope: 1 } }]]),
        zod: z,
      }),
    ).toThrow(/TX001/);
  });

  it('uses the defaults without zod when no options are given, and never skips the check of given ones', () => {
    const zone = emptyZone();
    const r = [role('r1', ['bad1', 'worse'])];
    const settings = new Map([['TX001', { enabled: true, options: {} }]]);
    expect(settingsNeedZod(settings)).toBe(false);
    expect(runRules(r, [toy], { zone, settings }).map((f) => f.statement?.sid)).toEqual(['bad1']);
    const given = new Map([['TX001', { enabled: true, options: { prefix: 'wor' } }]]);
    expect(settingsNeedZod(given)).toBe(true);
    expect(() => runRules(r, [toy], { zone, settings: given })).toThrow(/not given zod/);
  });
});

describe('prepare', () => {
  it('runs once before the roles; a rule that says it has nothing to report is not checked', () => {
    const calls = { prepare: 0, check: 0 };
    const quiet: AnyRule = {
      ...toy,
      meta: { ...toy.meta, id: 'TX002' },
      prepare() {
        calls.prepare++;
        return false;
      },
      check(r, ctx) {
        calls.check++;
        return toy.check(r, ctx);
      },
    };
    const roles = [role('a', ['bad1']), role('b', ['bad2'])];
    expect(runRules(roles, [quiet], { zone: emptyZone() })).toEqual([]);
    expect(calls).toEqual({ prepare: 1, check: 0 });
  });

  it('checks every role when prepare says there may be findings, with the memo it filled', () => {
    const seen: unknown[] = [];
    const indexed: AnyRule = {
      ...toy,
      meta: { ...toy.meta, id: 'TX003' },
      prepare(ctx) {
        ctx.memo.set('index', ctx.allRoles.length);
        return true;
      },
      check(r, ctx) {
        seen.push(ctx.memo.get('index'));
        return toy.check(r, ctx);
      },
    };
    const roles = [role('a', ['bad1']), role('b', ['ok'])];
    expect(runRules(roles, [indexed], { zone: emptyZone() }).map((f) => f.resource.id)).toEqual(['a']);
    expect(seen).toEqual([2, 2]);
  });
});
