// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are literal policy text here
/**
 * Issue 12 through the real CLI (built dist/): the data-perimeter idiom is not public, a wildcard in the
 * account part is, a deleted principal is stale (TA006) rather than a third party.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runJson, tempDir } from '../helpers/cli.js';

const OWNER = '123456789012';

function scan(policy: unknown) {
  const dir = tempDir();
  const file = join(dir, 'trust-policy.json');
  writeFileSync(file, JSON.stringify(policy));
  return runJson(['scan', file, '--account', OWNER]);
}
const rules = (r: ReturnType<typeof scan>) => r.report.findings.map((f) => f.ruleId).sort();

describe('semantics round two, through the CLI', () => {
  it('the data-perimeter Deny (aws:PrincipalOrgID equals ${aws:ResourceOrgID}) is not public', () => {
    const r = scan({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' },
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 'sts:AssumeRole',
          Condition: { StringNotEquals: { 'aws:PrincipalOrgID': '${aws:ResourceOrgID}' } },
        },
      ],
    });
    expect(r.report.errors).toEqual([]);
    expect(rules(r)).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('arn:aws:iam::2*:role/ci in aws:PrincipalArn is public (TA003) and names a witness account', () => {
    const r = scan({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'sts:AssumeRole',
          Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::2*:role/ci' } },
        },
      ],
    });
    expect(rules(r)).toEqual(['TA001', 'TA003']);
    const ta003 = r.report.findings.find((f) => f.ruleId === 'TA003');
    expect(ta003?.message).toContain('matching "2*"');
    expect(JSON.stringify(ta003?.evidence.request)).toContain('arn:aws:iam::299999999999:role/ci');
    expect(r.code).toBe(1);
  });

  it('a deleted principal is reported as stale (TA006, low), not as a third party', () => {
    const r = scan({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'AROAEXAMPLEUNIQUEID01' }, Action: 'sts:AssumeRole' }],
    });
    expect(rules(r)).toEqual(['TA006']);
    expect(r.report.findings[0]?.severity).toBe('low');
  });

  it('an empty external id admits nobody: hygiene only, never "without an external ID"', () => {
    const r = scan({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: '111122223333' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': '' } },
        },
      ],
    });
    expect(rules(r)).toEqual(['TA006']);
    expect(r.report.findings.every((f) => !f.message.includes('without an external ID'))).toBe(true);
  });
});
