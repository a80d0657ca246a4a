/**
 * Usage evidence: who really assumes a role, and with which external id, as CloudTrail and IAM's
 * RoleLastUsed record it. Shapes here are part of the JSON report (`evidence.usage`, docs/json-report.md).
 */

/** What trustaudit proposes for one third party on one role, from the calls seen in the window. */
export type UsageVerdict =
  /** Every successful call in the window sent the same external id: require exactly that id. */
  | 'safe-to-enforce'
  /** Calls sent different external ids (or some sent one and some none): ask which one is right. */
  | 'sends-several-ids'
  /** Calls sent no external id: the vendor must be set up to send one before it is required. */
  | 'sends-none'
  /** No successful call in the window: a candidate for removing the principal. */
  | 'unused-in-window'
  /**
   * No successful call was found, but the logs read are known to miss some: IAM's RoleLastUsed shows a use
   * in the window that no logged call explains, or LookupEvents failed for the role's account. Not "unused".
   */
  | 'inconclusive';

export const USAGE_VERDICTS: readonly UsageVerdict[] = [
  'safe-to-enforce',
  'sends-several-ids',
  'sends-none',
  'unused-in-window',
  'inconclusive',
];

/** One `sts:AssumeRole` call as read from a CloudTrail record (either copy of a cross-account call). */
export interface AssumeRoleCall {
  /** Key that is the same for both copies of one call (sharedEventID, else eventID). */
  key: string;
  /** The role's account and lower-cased name: how calls are matched to roles. */
  roleAccount: string;
  roleName: string;
  roleArn: string;
  /** The caller's account (`userIdentity.accountId`). */
  callerAccount: string;
  /** `userIdentity.type`: `AWSAccount` in the role owner's copy of a cross-account call. */
  identityType: string;
  /** ISO 8601 `eventTime`. */
  time: string;
  /** Milliseconds since the epoch of `time`. */
  at: number;
  /** `requestParameters.externalId`, when the call sent one. */
  externalId?: string;
  /** True when the call carried `requestParameters.serialNumber` (an MFA device) */
  mfa: boolean;
  /** `errorCode`, when the call failed (e.g. `AccessDenied`). */
  errorCode?: string;
  /** `recipientAccountId`: the account whose log holds this copy of the call. */
  recipientAccount?: string;
  /** `awsRegion`: the Region whose log holds this copy (that of the STS endpoint called). */
  region?: string;
}

/** Logs that should have been read but were not (a LookupEvents request that failed for an account). */
export interface UnreadScope {
  /** Undefined: the account of the scan's credentials, not known (a file scan): every role is concerned. */
  account?: string;
  region: string;
  reason: string;
}

/** `RoleLastUsed` as IAM reports it; `lastUsedDate` null when IAM has no record of any use. */
export interface RoleLastUsed {
  lastUsedDate: string | null;
  region?: string;
}

export interface ExternalIdCount {
  value: string;
  count: number;
}

/** Usage of one role by one third-party account. */
export interface ThirdPartyUsage {
  account: string;
  /** Successful AssumeRole calls in the window. */
  calls: number;
  /** Calls that failed (errorCode set), counted apart and by error code; not used for the verdict. */
  deniedCalls: number;
  errorCodes?: Record<string, number>;
  firstSeen?: string;
  lastSeen?: string;
  /** Distinct external ids sent by successful calls, most used first (at most 50 listed). */
  externalIds: ExternalIdCount[];
  /** Distinct external ids left out of `externalIds` because there were more than 50. */
  externalIdsNotListed?: number;
  /** Successful calls that sent no external id. */
  callsWithoutExternalId: number;
  /** Successful calls that sent an MFA device serial number. */
  callsWithMfa: number;
  verdict: UsageVerdict;
  /** What to do, in one sentence. */
  advice: string;
}

/** What `evidence.usage` holds for a finding. */
export interface UsageEvidence {
  /** The window the calls were counted in (`--usage-days`); absent when no CloudTrail was read. */
  window?: { days: number; from: string; to: string };
  /** What was read: CloudTrail folders and LookupEvents Regions (empty: RoleLastUsed only). */
  sources: string[];
  /** From the IAM export or GetRole; absent when the input does not carry it. */
  roleLastUsed?: RoleLastUsed;
  /** Per third-party account of the finding; empty when no CloudTrail was read. */
  thirdParties: ThirdPartyUsage[];
  /** What RoleLastUsed says about the role as a whole, e.g. that IAM has no record of any use. */
  note?: string;
  /**
   * What the logs read are known to miss for this role (a Region or account not read, a use IAM saw that no
   * logged call explains). When set, no third party without calls is called `unused-in-window`.
   */
  notRead?: string;
  /**
   * False when the CloudTrail read holds logs of other accounts but none of the role's: then no verdict
   * is given (`thirdParties` is empty). Absent when it cannot be told (no account seen at all).
   */
  ownerAccountInLogs?: boolean;
  /** Always present: no events is never proof that nobody uses the role. */
  caveat: string;
}
