/**
 * Service principals that TA002 does not ask to carry aws:SourceAccount / aws:SourceArn /
 * aws:SourceOrgID / aws:SourceOrgPaths conditions, each with the reason and where it is documented.
 *
 * What the entries have in common: the role is handed to the service by a principal of the role's own
 * account through iam:PassRole (an instance profile, a function's execution role...), which IAM never
 * allows across accounts, and the service does not put the source keys into the request context when it
 * assumes the role, so a condition on them would refuse the service itself and cannot be added. Users
 * extend (never shrink) the list with the rule's `exemptServices` option.
 *
 * Keep entries lower-case, as the service principal is written in the aws partition
 * (`ec2.amazonaws.com`); `.amazonaws.com.cn` and `${AWS::URLSuffix}` forms are matched by the rule.
 */
export interface ExemptService {
  /** The service principal, e.g. `ec2.amazonaws.com`. */
  service: string;
  /** Why a source condition cannot be used, in a sentence. */
  reason: string;
  /** The page that documents (or reports) it. */
  source: string;
}

export const SERVICES_WITHOUT_SOURCE_KEYS: readonly ExemptService[] = [
  {
    service: 'ec2.amazonaws.com',
    reason:
      'EC2 assumes an instance-profile role for the instance it runs; it is attached with iam:PassRole inside the account and the request carries no aws:SourceArn or aws:SourceAccount.',
    source: 'https://github.com/prowler-cloud/prowler/issues/2810',
  },
  {
    service: 'lambda.amazonaws.com',
    reason:
      'Lambda assumes a function execution role that was attached with iam:PassRole inside the account and identifies the function through lambda:SourceFunctionArn on the resulting credentials. Exempt to keep execution roles from flooding the report, although Lambda probably sends the source keys (disputed, see docs/rules/TA002.md; reportServices takes it off the list).',
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/permissions-source-function-arn.html',
  },
  {
    service: 'edgelambda.amazonaws.com',
    reason:
      'Lambda@Edge replicas assume the same execution role as the function (attached with iam:PassRole), without source keys.',
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/permissions-source-function-arn.html',
  },
  {
    service: 'apigateway.amazonaws.com',
    reason:
      'API Gateway integration and CloudWatch-logging roles are passed with iam:PassRole inside the account; users report that source conditions break them.',
    source: 'https://github.com/prowler-cloud/prowler/issues/2810',
  },
  {
    service: 'glue.amazonaws.com',
    reason:
      'Glue job and crawler roles are passed with iam:PassRole; users report that source conditions break them.',
    source: 'https://github.com/prowler-cloud/prowler/issues/2810',
  },
  {
    service: 'backup.amazonaws.com',
    reason:
      'AWS Backup service roles are passed with iam:PassRole; users report that source conditions break them.',
    source: 'https://github.com/prowler-cloud/prowler/issues/2810',
  },
  {
    service: 'cloudtrail.amazonaws.com',
    reason:
      'AWS documents that confused-deputy prevention does not apply to the role CloudTrail uses to deliver to CloudWatch Logs: it does not support aws:SourceArn or aws:SourceAccount.',
    source:
      'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html',
  },
  {
    service: 'elastictranscoder.amazonaws.com',
    reason:
      'Elastic Transcoder pipeline roles stop working when source conditions are added (reported by users).',
    source: 'https://github.com/prowler-cloud/prowler/issues/4714',
  },
];

/** `ec2.amazonaws.com.cn`, `ec2.${AWS::URLSuffix}`, `EC2.amazonaws.com` -> `ec2`. */
export function serviceKey(principal: string): string {
  const v = principal.trim().toLowerCase();
  const dot = v.indexOf('.');
  return dot < 0 ? v : v.slice(0, dot);
}
