import { describe, expect, it } from 'vitest';
import { runJson } from '../helpers/cli.js';

/**
 * A role written in infrastructure code is fixed in that code too: every IaC source's TA001 findings
 * say so (the step used to be given for CloudFormation and Terraform only).
 */
describe.each([
  ['ansible-task', 'test/fixtures/ansible/project'],
  ['serverless-resource', 'test/fixtures/serverless/vendor-api'],
  ['kubernetes-manifest', 'test/fixtures/kubernetes/platform-roles.yaml'],
  ['pulumi-yaml', 'test/fixtures/pulumi/vendor-access'],
])('%s findings', (source, path) => {
  it('name the file to change', () => {
    const { report } = runJson(['scan', path, '--account', '123456789012']);
    const ta001 = report.findings.filter(
      (f) => f.ruleId === 'TA001' && (f.resource as { source?: string }).source === source,
    );
    expect(ta001.length, `${path} has a TA001 finding`).toBeGreaterThan(0);
    for (const f of ta001) {
      // The file that defines the role (for a document read by a lookup, the task, not the JSON file).
      expect(f.remediation.steps.join('\n')).toMatch(
        /Make the same change in \S+ so the next deployment keeps it/,
      );
    }
  });
});
