/**
 * A RuleTester-style harness: tables of named valid and invalid cases, one vitest case each.
 *
 *   ruleTester(TA001, {
 *     valid: [{ name: 'external id pinned', policy: {...} }],
 *     invalid: [{ name: 'vendor account', policy: {...}, expect: [{ statementIndex: 0, principals: ['111122223333'] }] }],
 *   });
 *
 * A case's `policy` is a trust document (object or JSON text); the role around it defaults to a role
 * named `TestRole` in account OWNER (pass `role: { account: undefined }` for an unknown owner).
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  emptyZone,
  type KnownAccount,
  type TrustedAccount,
  type ZoneOfTrust,
} from '../../src/analysis/zone.js';
import type { FindingDraft } from '../../src/findings/types.js';
import { parseTrustDocument } from '../../src/model/normalise.js';
import type { JsonLike, Role } from '../../src/model/types.js';
import { makeRuleContext } from '../../src/rules/engine.js';
import { ruleOptions } from '../../src/rules/options.js';
import type { AnyRule } from '../../src/rules/types.js';

/** The owner account of test roles unless a case says otherwise. */
export const OWNER = '123456789012';

export interface ZoneSpec {
  defaultOwner?: string;
  trusted?: (string | TrustedAccount)[];
  trustedOrgIds?: string[];
  /** account id -> vendor name */
  known?: Record<string, string>;
}

export interface RuleCase {
  name: string;
  policy: JsonLike;
  /** Overrides of the test role (`account: undefined` makes the owner unknown). */
  role?: Partial<Role>;
  /** A zone spec, or a ready ZoneOfTrust. */
  zone?: ZoneSpec | ZoneOfTrust;
  /** Raw rule options, validated by the rule's schema. */
  options?: Record<string, unknown>;
}

export interface ExpectedFinding {
  statementIndex: number;
  /** Principal values (as written) the finding names, in any order. */
  principals?: string[];
  /** Each string must occur in the message, summary or details (or the example request, as JSON). */
  evidenceIncludes?: string[];
  /** `evidence.data.missing`, in any order. */
  missing?: string[];
  /** `evidence.data.accounts`, in any order. */
  accounts?: string[];
  ownerKnown?: boolean;
  /** The action of the example request; `sts:AssumeRole` unless given. */
  action?: string;
}

export interface InvalidCase extends RuleCase {
  expect: ExpectedFinding[];
}

export function makeZone(spec: ZoneSpec | ZoneOfTrust = {}): ZoneOfTrust {
  if (spec.trusted instanceof Map) return spec as ZoneOfTrust;
  const zone = emptyZone();
  if (spec.defaultOwner) zone.defaultOwner = spec.defaultOwner;
  for (const t of spec.trusted ?? []) {
    const acc: TrustedAccount = typeof t === 'string' ? { id: t } : t;
    zone.trusted.set(acc.id, acc);
  }
  for (const o of spec.trustedOrgIds ?? []) zone.trustedOrgIds.add(o);
  for (const [id, name] of Object.entries(spec.known ?? {})) {
    const k: KnownAccount = { id, name };
    zone.known.set(id, k);
  }
  return zone;
}

export function makeRole(policy: JsonLike, overrides: Partial<Role> = {}): Role {
  const file = 'test/trust-policy.json';
  const role: Role = {
    id: `arn:aws:iam::${OWNER}:role/TestRole`,
    name: 'TestRole',
    account: OWNER,
    partition: 'aws',
    source: { kind: 'policy-file', location: { file } },
    trustPolicy: parseTrustDocument(policy, { file }),
    ...overrides,
  };
  if ('account' in overrides && overrides.account === undefined) delete role.account;
  return role;
}

/** Run one rule on one case, with options validated like the engine does. */
export function runCase(rule: AnyRule, c: RuleCase): readonly FindingDraft[] {
  const role = makeRole(c.policy, c.role);
  const options = ruleOptions(rule.meta.id, rule.options, c.options, z);
  return rule.check(role, makeRuleContext(makeZone(c.zone), options, [role]));
}

function summarise(findings: readonly FindingDraft[]): string {
  return findings.map((f) => `  - ${f.message}\n    ${f.evidence.details.join('\n    ')}`).join('\n');
}

export function ruleTester(rule: AnyRule, cases: { valid: RuleCase[]; invalid: InvalidCase[] }): void {
  describe(`${rule.meta.id} valid`, () => {
    for (const c of cases.valid) {
      it(c.name, () => {
        const findings = runCase(rule, c);
        expect(findings, `expected no finding, got:\n${summarise(findings)}`).toEqual([]);
      });
    }
  });
  describe(`${rule.meta.id} invalid`, () => {
    for (const c of cases.invalid) {
      it(c.name, () => {
        const findings = runCase(rule, c);
        expect(
          findings.map((f) => f.statement?.index),
          `statements with findings:\n${summarise(findings)}`,
        ).toEqual(c.expect.map((e) => e.statementIndex));
        c.expect.forEach((e, i) => {
          const f = findings[i]!;
          const text = [
            f.message,
            f.evidence.summary,
            ...f.evidence.details,
            JSON.stringify(f.evidence.request ?? {}),
          ].join('\n');
          if (e.principals)
            expect([...new Set(f.principals.map((p) => p.value))].sort()).toEqual([...e.principals].sort());
          for (const s of e.evidenceIncludes ?? [])
            expect(text, `evidence should mention ${JSON.stringify(s)}`).toContain(s);
          const data = f.evidence.data as { missing?: string[]; accounts?: string[] } | undefined;
          if (e.missing) expect([...(data?.missing ?? [])].sort()).toEqual([...e.missing].sort());
          if (e.accounts) expect([...(data?.accounts ?? [])].sort()).toEqual([...e.accounts].sort());
          if (e.ownerKnown !== undefined) expect(f.evidence.ownerKnown).toBe(e.ownerKnown);
          // Every finding must be actionable.
          expect(f.remediation.summary.length).toBeGreaterThan(0);
          expect(f.remediation.steps.length).toBeGreaterThan(0);
          expect(f.evidence.request?.action).toBe(e.action ?? 'sts:AssumeRole');
        });
      });
    }
  });
}
