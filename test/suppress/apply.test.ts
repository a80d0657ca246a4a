import { describe, expect, it } from 'vitest';
import type { ConfigSuppression } from '../../src/config/schema.js';
import { SuppressionSchema } from '../../src/config/schema.js';
import type { Finding } from '../../src/findings/types.js';
import type { Role } from '../../src/model/types.js';
import { applySuppressions } from '../../src/suppress/index.js';
import { finding, role } from './helpers.js';

const TODAY = '2026-03-15';
const VENDOR_ARN = 'arn:aws:iam::123456789012:role/vendor-datadog';
const PATHED_ARN = 'arn:aws:iam::123456789012:role/integrations/vendor-lacework';

interface Case {
  name: string;
  findings: Finding[];
  roles?: Role[];
  config?: ConfigSuppression[];
  /** Per finding (in order): undefined = not suppressed, else the expected suppression kind and reason. */
  expected: ({ kind: 'inline' | 'config'; reason: string; expires?: string } | undefined)[];
  /** Warnings in order: the code and fragments its message must contain. */
  warnings?: [code: string, ...fragments: string[]][];
}

const cases: Case[] = [
  {
    name: 'no suppressions: nothing changes',
    findings: [finding('infra/roles.yaml#Vendor')],
    expected: [undefined],
  },
  {
    name: 'inline suppression for the rule on the same resource',
    findings: [finding('infra/roles.yaml#Vendor'), finding('infra/roles.yaml#Other')],
    roles: [
      role('infra/roles.yaml#Vendor', [
        { ruleId: 'TA001', reason: 'vendor requires it', location: { file: 'infra/roles.yaml', line: 9 } },
      ]),
    ],
    expected: [{ kind: 'inline', reason: 'vendor requires it' }, undefined],
  },
  {
    name: 'inline suppression for another rule does not apply',
    findings: [finding('infra/roles.yaml#Vendor')],
    roles: [role('infra/roles.yaml#Vendor', [{ ruleId: 'TA002', reason: 'other rule' }])],
    expected: [undefined],
  },
  {
    name: 'inline rule id is case-insensitive and * covers every rule',
    findings: [finding('a#R1'), finding('a#R2', { ruleId: 'TA002' })],
    roles: [
      role('a#R1', [{ ruleId: 'ta001', reason: 'lower case' }]),
      role('a#R2', [{ ruleId: '*', reason: 'all rules' }]),
    ],
    expected: [
      { kind: 'inline', reason: 'lower case' },
      { kind: 'inline', reason: 'all rules' },
    ],
  },
  {
    name: 'inline suppressions of Fn::If variants of one resource are pooled',
    findings: [finding('t.yaml#Role', { fingerprint: 'a' })],
    roles: [
      role('t.yaml#Role', [], 'condition IsProd is true'),
      role(
        't.yaml#Role',
        [{ ruleId: 'TA001', reason: 'on the false branch only' }],
        'condition IsProd is false',
      ),
    ],
    expected: [{ kind: 'inline', reason: 'on the false branch only' }],
  },
  {
    name: 'config suppression by exact resource id',
    findings: [finding('infra/roles.yaml#Vendor'), finding('infra/roles.yaml#Vendor2')],
    config: [{ rule: 'TA001', resource: 'infra/roles.yaml#Vendor', reason: 'accepted risk' }],
    expected: [{ kind: 'config', reason: 'accepted risk' }, undefined],
  },
  {
    name: 'config glob over the ARN; * crosses role paths',
    findings: [
      finding('x#A', { arn: VENDOR_ARN }),
      finding('x#B', { arn: PATHED_ARN }),
      finding('x#C', { arn: 'arn:aws:iam::123456789012:role/app' }),
    ],
    config: [{ rule: 'TA001', resource: 'arn:aws:iam::*:role/*vendor-*', reason: 'vendors reviewed' }],
    expected: [
      { kind: 'config', reason: 'vendors reviewed' },
      { kind: 'config', reason: 'vendors reviewed' },
      undefined,
    ],
  },
  {
    name: 'config glob over file-based resource ids',
    findings: [finding('infra/prod/roles.yaml#VendorRole'), finding('infra/prod/roles.yaml#AppRole')],
    config: [{ rule: '*', resource: 'infra/*.yaml#Vendor*', reason: 'vendor roles' }],
    expected: [{ kind: 'config', reason: 'vendor roles' }, undefined],
  },
  {
    name: 'a Terraform address with brackets and quotes matches itself literally',
    findings: [
      finding('module.vendor.aws_iam_role.this["datadog"]'),
      finding('module.vendor.aws_iam_role.this["other"]'),
    ],
    config: [{ rule: 'TA001', resource: 'module.vendor.aws_iam_role.this["datadog"]', reason: 'datadog' }],
    expected: [{ kind: 'config', reason: 'datadog' }, undefined],
  },
  {
    name: 'config suppression for another rule does not apply',
    findings: [finding('r#A')],
    config: [{ rule: 'TA002', resource: '*', reason: 'x' }],
    expected: [undefined],
    warnings: [['suppression-unused', 'rule TA002']],
  },
  {
    name: 'expires today: still applies',
    findings: [finding('r#A')],
    config: [{ rule: 'TA001', resource: 'r#A', reason: 'until fixed', expires: TODAY }],
    expected: [{ kind: 'config', reason: 'until fixed', expires: TODAY }],
  },
  {
    name: 'expired yesterday: no longer applies, one warning naming rule, resource and date',
    findings: [finding('r#A'), finding('r#B')],
    config: [{ rule: 'TA001', resource: 'r#*', reason: 'until fixed', expires: '2026-03-14' }],
    expected: [undefined, undefined],
    warnings: [['suppression-expired', "rule TA001 on resource 'r#*'", '2026-03-14']],
  },
  {
    name: 'expired and matching nothing: only the expiry is reported',
    findings: [],
    config: [{ rule: 'TA001', resource: 'nothing', reason: 'old', expires: '2020-01-01' }],
    expected: [],
    warnings: [['suppression-expired', '2020-01-01']],
  },
  {
    name: 'unused config suppressions are reported in config order',
    findings: [finding('r#A')],
    config: [
      { rule: 'TA001', resource: 'r#Missing', reason: 'typo' },
      { rule: 'TA001', resource: 'r#A', reason: 'used' },
      { rule: 'TA009', resource: 'r#A', reason: 'unknown rule' },
    ],
    expected: [{ kind: 'config', reason: 'used' }],
    warnings: [
      ['suppression-unused', 'r#Missing'],
      ['suppression-unused', 'TA009'],
    ],
  },
  {
    name: 'inline wins over config; the config one still counts as used',
    findings: [finding('r#A')],
    roles: [role('r#A', [{ ruleId: 'TA001', reason: 'inline reason' }])],
    config: [{ rule: '*', resource: 'r#A', reason: 'config reason' }],
    expected: [{ kind: 'inline', reason: 'inline reason' }],
  },
  {
    name: 'first matching config suppression is recorded',
    findings: [finding('r#A')],
    config: [
      { rule: 'TA001', resource: 'r#*', reason: 'first' },
      { rule: '*', resource: 'r#A', reason: 'second' },
    ],
    expected: [{ kind: 'config', reason: 'first' }],
  },
  {
    name: 'an expired suppression does not hide behind a live one, and the live one applies',
    findings: [finding('r#A')],
    config: [
      { rule: 'TA001', resource: 'r#A', reason: 'old', expires: '2026-01-01' },
      { rule: 'TA001', resource: 'r#A', reason: 'renewed', expires: '2026-12-31' },
    ],
    expected: [{ kind: 'config', reason: 'renewed', expires: '2026-12-31' }],
    warnings: [['suppression-expired', '2026-01-01']],
  },
];

describe('applySuppressions', () => {
  for (const c of cases) {
    it(c.name, async () => {
      // Every config entry must be something the config schema accepts.
      for (const s of c.config ?? []) expect(SuppressionSchema.safeParse(s).success).toBe(true);
      const input = structuredClone(c.findings);
      const { findings, warnings } = await applySuppressions(
        c.findings,
        c.roles ?? [],
        c.config ?? [],
        TODAY,
      );

      expect(c.findings).toEqual(input); // pure: input untouched
      expect(findings.map((f) => f.fingerprint)).toEqual(input.map((f) => f.fingerprint));
      findings.forEach((f, i) => {
        const want = c.expected[i];
        if (!want) {
          expect(f.suppressed, `finding ${i}`).toBe(false);
          expect(f.suppression).toBeUndefined();
        } else {
          expect(f.suppressed, `finding ${i}`).toBe(true);
          expect(f.suppression).toMatchObject(want);
          if (!want.expires) expect(f.suppression?.expires).toBeUndefined();
        }
      });

      const want = c.warnings ?? [];
      expect(warnings.map((w) => w.code)).toEqual(want.map(([code]) => code));
      want.forEach(([, ...fragments], i) => {
        for (const fragment of fragments) expect(warnings[i]?.message).toContain(fragment);
      });
      for (const w of warnings) expect(w.source).toBe('config');
    });
  }

  it('keeps the inline suppression location', async () => {
    const loc = { file: 'main.tf', line: 12, column: 3 };
    const { findings } = await applySuppressions(
      [finding('aws_iam_role.vendor')],
      [role('aws_iam_role.vendor', [{ ruleId: 'TA001', reason: 'r', location: loc }])],
      [],
      TODAY,
    );
    expect(findings[0]?.suppression).toEqual({ kind: 'inline', reason: 'r', location: loc });
  });
});
