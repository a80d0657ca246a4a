/**
 * The stable codes of `PolicyIssue`s raised by `parseTrustDocument`, each with the change that fixes it.
 * `symbolic-structure` is not a defect: it marks a part of the document that is only known at deploy time.
 */
export const ISSUE_ADVICE = {
  unparsable: 'Replace the document with valid JSON (a single object with "Version" and "Statement").',
  'unknown-policy-key': 'Remove the top-level key; a policy may only hold "Version", "Id" and "Statement".',
  'unsupported-version': 'Set "Version" to "2012-10-17".',
  'invalid-id': 'Make "Id" a string, or remove it.',
  'no-statement': 'Add a "Statement" list with at least one statement.',
  'empty-statement': 'Add at least one statement to the "Statement" list.',
  'invalid-statement': 'Make every entry of "Statement" a JSON object.',
  'unknown-key':
    'Remove or correct the misspelt key; a statement may only hold Sid, Effect, Principal, Action or NotAction, and Condition.',
  'invalid-sid': 'Use only letters and digits in "Sid".',
  'duplicate-sid': 'Give every statement a different "Sid".',
  'missing-effect': 'Add "Effect": "Allow" or "Effect": "Deny".',
  'invalid-effect': 'Set "Effect" to exactly "Allow" or "Deny".',
  'not-principal':
    'Replace "NotPrincipal" with "Principal" naming who may assume the role (or a Deny with an aws:PrincipalArn condition).',
  'resource-in-trust-policy':
    'Remove "Resource"/"NotResource": the role itself is the resource of a trust policy.',
  'no-principal': 'Add a "Principal" naming who may assume the role.',
  'invalid-principal':
    'Write "Principal" as "*" or as an object such as {"AWS": "arn:aws:iam::111122223333:root"}.',
  'empty-principal': 'Name at least one principal.',
  'unknown-principal-type': 'Use only the principal types AWS, Service, Federated or CanonicalUser.',
  'malformed-principal':
    'Write each principal as an account id, an IAM ARN, a service name or a provider ARN.',
  'principal-wildcard':
    'Replace the partial wildcard with exact principals, and narrow with an aws:PrincipalArn condition (ArnLike) if needed.',
  'no-action': 'Add "Action", e.g. "sts:AssumeRole".',
  'action-and-not-action': 'Keep only one of "Action" and "NotAction" (prefer "Action").',
  'empty-action': 'List at least one action.',
  'invalid-action': 'Write each action as "service:Action", e.g. "sts:AssumeRole".',
  'invalid-condition': 'Write "Condition" as {"Operator": {"key": "value" or ["values"]}}.',
  'unknown-operator':
    'Use a condition operator AWS knows (e.g. StringEquals, StringLike, Bool), spelt exactly.',
  'empty-condition-values': 'Give every condition key at least one value.',
  'invalid-condition-value': 'Use strings (or lists of strings) as condition values.',
  'symbolic-structure': 'No change needed: this part is computed at deploy time and was not judged.',
} as const;

export type IssueCode = keyof typeof ISSUE_ADVICE;

/** Codes that describe a document AWS would reject (everything but deploy-time placeholders). */
export function isDefect(code: string): boolean {
  return code !== 'symbolic-structure';
}
