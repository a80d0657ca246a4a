import type { FindingDraft } from '../findings/types.js';
import { isDefect } from '../model/issue-codes.js';
import { adviceFor } from '../model/normalise.js';
import type { PolicyIssue, Role } from '../model/types.js';
import { updateTrustPolicyCommand } from '../util/shell-quote.js';
import { NO_OPTIONS, type NoOptions } from './options.js';
import { NO_FINDINGS, type Rule } from './types.js';

/** Sources describing a role that exists in AWS (its policy is changed in IAM, not in a template). */
const FROM_AWS = new Set(['account-authorization-details', 'list-roles', 'get-role', 'aws']);

function where(i: PolicyIssue): string {
  return i.statementIndex === undefined ? 'document' : `statement ${i.statementIndex}`;
}

/** `TA000`: a trust policy IAM would refuse (or that only parts of could be read). One finding per role. */
export const TA000: Rule<NoOptions> = {
  meta: {
    id: 'TA000',
    name: 'invalid-trust-policy',
    title: 'Trust policy is not valid',
    description:
      'Checks each role trust policy against the grammar IAM enforces when a policy is saved: a known Version, ' +
      'one or more statements, each with an Effect of Allow or Deny, a Principal, an Action (or NotAction, never both), ' +
      'well-formed principals and actions, known condition operators with values, and no Resource, NotResource or ' +
      'NotPrincipal. All the problems of a role are reported together in one finding.',
    risk:
      'A trust policy IAM would reject cannot be deployed as written, so the template or export does not describe the ' +
      'role that really exists; and where the text was misread (a misspelt key, a lower-case element name) the real ' +
      'grant may be broader than the author meant. Other rules judge such a policy as far as it can be read.',
    severity: 'low',
    remediation:
      'Correct each element named in the finding so the document follows the IAM policy grammar, then validate it ' +
      '(for example with IAM Access Analyzer policy validation) before deploying.',
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-policy-validation.html',
    ],
    enabledByDefault: true,
  },
  options: NO_OPTIONS,
  perPolicy: true,
  check(role: Role): readonly FindingDraft[] {
    if (role.trustPolicy.issues.length === 0) return NO_FINDINGS;
    const defects = role.trustPolicy.issues.filter((i) => isDefect(i.code));
    if (defects.length === 0) return NO_FINDINGS;
    const details = defects.map((i) => `${i.message} [${i.code}]`);
    const steps: string[] = [];
    const seen = new Set<string>();
    for (const i of defects) {
      const step = `${where(i)}: ${adviceFor(i.code)}`;
      if (!seen.has(step)) {
        seen.add(step);
        steps.push(step);
      }
    }
    const first = defects[0] as PolicyIssue;
    const n = defects.length;
    const draft: FindingDraft = {
      message: `The trust policy of role ${role.name} has ${n} problem${n === 1 ? '' : 's'} IAM would reject; the first: ${first.message}.`,
      principals: [],
      evidence: {
        summary: `${n} invalid element${n === 1 ? '' : 's'} in the trust policy`,
        details,
        data: { issues: defects.map((i) => ({ code: i.code, statementIndex: i.statementIndex })) },
      },
      remediation: {
        summary: 'Correct the trust policy so that IAM accepts it.',
        steps,
        ...(FROM_AWS.has(role.source.kind)
          ? {
              command: updateTrustPolicyCommand(role.name),
            }
          : {}),
      },
    };
    if (first.location) draft.location = first.location;
    return [draft];
  },
};
