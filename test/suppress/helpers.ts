import type { Finding } from '../../src/findings/types.js';
import type { InlineSuppression, Role } from '../../src/model/types.js';

/** A TA001-like finding on `id` (optionally with an ARN). */
export function finding(
  id: string,
  opts: { ruleId?: string; arn?: string; fingerprint?: string } = {},
): Finding {
  return {
    ruleId: opts.ruleId ?? 'TA001',
    severity: 'medium',
    title: 'Third-party trust without external id or MFA',
    message: `role ${id} trusts account 111122223333 without an external id or MFA`,
    resource: {
      kind: 'aws-iam-role',
      id,
      name: id.split(/[#/.]/).pop() ?? id,
      ...(opts.arn ? { arn: opts.arn } : {}),
    },
    location: { file: 'infra/roles.yaml', line: 3, column: 5 },
    principals: [{ value: '111122223333', kind: 'account', account: '111122223333' }],
    evidence: { summary: 'no condition', details: [] },
    remediation: { summary: 'add an external id', steps: [] },
    fingerprint: opts.fingerprint ?? `fp-${opts.ruleId ?? 'TA001'}-${id}`,
    suppressed: false,
  };
}

/** A role with the given inline suppressions (the trust policy does not matter to suppression). */
export function role(id: string, inline: InlineSuppression[] = [], variant?: string): Role {
  return {
    id,
    name: id,
    partition: 'aws',
    source: { kind: 'cloudformation', location: { file: 'infra/roles.yaml', line: 1 } },
    ...(variant ? { variant } : {}),
    trustPolicy: { statements: [], issues: [], raw: {} },
    inlineSuppressions: inline,
  };
}
