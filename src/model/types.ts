/**
 * The normalised model every source produces and every rule consumes.
 * Sources (export files, CloudFormation, Terraform, live AWS) -> Role[] -> rules -> findings.
 */

/** Where something came from. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
}

/**
 * A value that cannot be known statically: a CloudFormation parameter without a default, `Fn::GetAtt`,
 * `Fn::ImportValue`, a Terraform value known only after apply, a module input with no call site...
 * `description` names it for humans ("parameter AccountId", "Fn::GetAtt Vendor.Arn").
 */
export interface Symbolic {
  symbolic: true;
  description: string;
  /** The value as far as it is known, with `${...}` for the unknown parts, e.g. `arn:aws:iam::${AccountId}:root`. */
  text?: string;
}

/**
 * Stands for the account a template is deployed into (`AWS::AccountId`, `data.aws_caller_identity.x.account_id`)
 * when `--account` does not say which it is. IaC sources put it where the account id goes (in ARNs and in
 * `Role.account`), so the role's own account compares equal to it and is never a third party.
 */
export const DEPLOYING_ACCOUNT = '<deploying-account>';

/** Every value of a policy: a string (booleans and numbers are normalised to strings) or a symbolic value. */
export type PolicyValue = string | Symbolic;

/** A JSON-like document that may carry symbolic values (what IaC sources hand to the normaliser). */
export type JsonLike = string | number | boolean | null | Symbolic | JsonLike[] | { [key: string]: JsonLike };

export function isSymbolic(v: unknown): v is Symbolic {
  return typeof v === 'object' && v !== null && (v as { symbolic?: unknown }).symbolic === true;
}

/** Principal types as written in a policy. `*` is the bare `"Principal": "*"` form. */
export type PrincipalType = 'AWS' | 'Service' | 'Federated' | 'CanonicalUser' | '*';

export interface Principal {
  type: PrincipalType;
  /** As written: `123456789012`, `arn:aws:iam::123456789012:root`, `*`, `ec2.amazonaws.com`, `AROA...`. */
  value: PolicyValue;
  location?: SourceLocation;
}

export interface Condition {
  /** The operator exactly as written, e.g. `StringEquals`, `ForAnyValue:StringLike`, `BoolIfExists`. */
  operator: string;
  /** The key exactly as written (keys are case-insensitive; compare lower-cased). */
  key: string;
  /** Values (a single value is normalised to a one-element list; JSON booleans/numbers to strings). */
  values: PolicyValue[];
  /**
   * The policy's Version is not `2012-10-17` (2008-10-17 or none): `${...}` in the values is literal
   * text, not a policy variable (IAM substitutes variables only under 2012-10-17).
   */
  literalText?: true;
  location?: SourceLocation;
}

export type Effect = 'Allow' | 'Deny';

export interface Statement {
  /** 0-based index in the document's Statement list. */
  index: number;
  sid?: string;
  effect: Effect;
  /** Undefined when the statement has no `Principal` element. */
  principals?: Principal[];
  notPrincipals?: Principal[];
  /** Undefined when the statement has no `Action` element. */
  actions?: PolicyValue[];
  notActions?: PolicyValue[];
  /** All conditions of the statement (ANDed). */
  conditions: Condition[];
  location?: SourceLocation;
}

/** A problem that would make AWS reject the document (or that makes it unevaluable in part). */
export interface PolicyIssue {
  /** Stable machine code, e.g. `not-principal`, `resource-in-trust-policy`, `no-principal`, `unknown-operator`. */
  code: string;
  message: string;
  statementIndex?: number;
  location?: SourceLocation;
}

export interface TrustPolicy {
  version?: string;
  id?: string;
  statements: Statement[];
  issues: PolicyIssue[];
  /** The document as parsed (after URL-decoding / JSON parsing), kept for corrected-policy generation. */
  raw: JsonLike;
  /** Where the document is; undefined when it is simply where its role is (`Role.source.location`). */
  location?: SourceLocation;
}

export type SourceKind =
  | 'policy-file'
  | 'account-authorization-details'
  | 'list-roles'
  | 'get-role'
  | 'cloudformation'
  | 'terraform'
  | 'terraform-plan'
  | 'kubernetes-manifest'
  | 'pulumi-yaml'
  | 'pulumi-state'
  | 'ansible-task'
  | 'serverless-resource'
  | 'aws';

/** Sources whose roles are written in infrastructure code: a fix made in the account must be made there too. */
const IAC_SOURCES: ReadonlySet<SourceKind> = new Set<SourceKind>([
  'cloudformation',
  'terraform',
  'terraform-plan',
  'kubernetes-manifest',
  'pulumi-yaml',
  'pulumi-state',
  'ansible-task',
  'serverless-resource',
]);

export function isIacSource(kind: SourceKind): boolean {
  return IAC_SOURCES.has(kind);
}

/** An inline suppression declared next to the resource (IaC metadata or comment). */
export interface InlineSuppression {
  ruleId: string;
  reason: string;
  location?: SourceLocation;
}

export interface Role {
  /**
   * Stable resource id: the ARN when known, `file#LogicalId` for CloudFormation, the resource address
   * for Terraform, the file path for a bare policy file.
   */
  id: string;
  name: string;
  arn?: string;
  /** The unique id (`AROA...`) when known. */
  roleId?: string;
  /** The account that owns the role, when known. */
  account?: string;
  /** `aws`, `aws-cn`, `aws-us-gov`... Defaults to `aws`. */
  partition: string;
  path?: string;
  description?: string;
  tags?: Record<string, string>;
  source: {
    kind: SourceKind;
    location: SourceLocation;
    /** CDK construct path (`aws:cdk:path`) or Terraform module path, when known. */
    construct?: string;
  };
  /**
   * When the source had to judge several alternatives of one resource (CloudFormation `Fn::If`), each
   * alternative is a separate Role with the same id and a human label, e.g. "condition IsProd is false".
   */
  variant?: string;
  trustPolicy: TrustPolicy;
  inlineSuppressions?: InlineSuppression[];
  /** Anything source-specific a later stage needs (e.g. the trust document exactly as AWS returned it). */
  extra?: Record<string, unknown>;
}

/** A file or account that could not be (fully) scanned. */
export interface ScanError {
  /** Which stage: `input`, `export`, `cloudformation`, `terraform`, `aws`, `config`... */
  source: string;
  /** Stable machine code, e.g. `json-syntax`, `unreadable`, `access-denied`, `yaml-alias`. */
  code: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  account?: string;
}
