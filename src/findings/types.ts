import type { JsonLike, SourceKind, SourceLocation } from '../model/types.js';
import type { UsageEvidence } from '../usage/types.js';

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** How a principal named in a finding was understood. */
export interface FindingPrincipal {
  /** As written in the policy (symbolic values rendered as `${description}`). */
  value: string;
  kind:
    | 'account'
    | 'user'
    | 'role'
    | 'assumed-role'
    | 'federated-user'
    | 'wildcard'
    | 'unique-id'
    | 'service'
    | 'federated'
    | 'symbolic'
    | 'other';
  /** The 12-digit account, when it can be derived. */
  account?: string;
  /** Display name of the account (vendor list, trusted-account name, organization account name). */
  accountName?: string;
  /** Extra explanation, e.g. "unique id of a deleted principal: the account cannot be resolved". */
  note?: string;
}

/** A concrete request that the policy would allow, given as proof. */
export interface ExampleRequest {
  action: string;
  principal: string;
  /** Context keys sent with the request (absent keys are not listed). */
  context: Record<string, string | string[]>;
  /** Keys deliberately not sent, e.g. `sts:ExternalId`, `aws:MultiFactorAuthPresent`. */
  absentKeys: string[];
}

export interface Evidence {
  /** One-line reason, e.g. "no sts:ExternalId or MFA condition applies to account 111122223333". */
  summary: string;
  /** Every reason, one sentence each (ineffective conditions, unknown owner, unresolved ids...). */
  details: string[];
  request?: ExampleRequest;
  /** False when the owner account was not known, so every account was treated as a possible third party. */
  ownerKnown?: boolean;
  /** Rule-specific structured data (kept in JSON output). */
  data?: Record<string, unknown>;
  /** Who really assumes the role, from CloudTrail and RoleLastUsed (`scan --cloudtrail`; src/usage). */
  usage?: UsageEvidence;
}

export interface Remediation {
  summary: string;
  /** Ordered steps (console and process). */
  steps: string[];
  /** A ready-to-run CLI command, when it can be given. */
  command?: string;
  /** The trust policy with the fix applied and everything else kept, when it can be derived. */
  correctedPolicy?: JsonLike;
}

export interface SuppressionInfo {
  kind: 'inline' | 'config';
  reason: string;
  expires?: string;
  location?: SourceLocation;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  title: string;
  message: string;
  resource: {
    kind: 'aws-iam-role';
    id: string;
    /** Where the role was read from: `cloudformation`, `terraform`, `ansible-task`, `kubernetes-manifest`, `aws`, … */
    source?: SourceKind;
    name: string;
    account?: string;
    arn?: string;
    construct?: string;
    variant?: string;
  };
  location: SourceLocation;
  statement?: { index: number; sid?: string };
  principals: FindingPrincipal[];
  evidence: Evidence;
  remediation: Remediation;
  /** Stable across runs: hash of rule id, resource id, statement index/sid and principals. */
  fingerprint: string;
  suppressed: boolean;
  suppression?: SuppressionInfo;
  /** True when `--baseline` already had this finding (it does not count for the exit code). */
  inBaseline?: boolean;
}

/** What a rule returns; the engine fills in rule metadata, resource, fingerprint and suppression. */
export interface FindingDraft {
  message: string;
  /** Defaults to the statement's location, else the trust policy's, else the role's. */
  location?: SourceLocation;
  statement?: { index: number; sid?: string };
  principals: FindingPrincipal[];
  evidence: Evidence;
  remediation: Remediation;
  /** Overrides the rule's severity for this finding (rare). */
  severity?: Severity;
  /** Extra material that distinguishes two findings on the same statement (goes into the fingerprint). */
  fingerprintExtra?: string;
}
