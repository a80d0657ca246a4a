import type { JsonLike } from '../model/types.js';

/** Where `fix` writes its backups and plans unless told otherwise, relative to the current folder. */
export const DEFAULT_BACKUP_DIR = 'trustaudit-backups';

/** What `--require` asks the corrected policy to demand of each third party. */
export const REQUIREMENTS = ['external-id', 'mfa', 'external-id-and-mfa'] as const;
export type Requirement = (typeof REQUIREMENTS)[number];

/** Where an external id in a plan came from (docs/fix.md#external-ids). */
export const ID_ORIGINS = ['observed', 'given', 'vendor-issued', 'generated'] as const;
export type IdOrigin = (typeof ID_ORIGINS)[number];

export interface FixPrincipal {
  /** As written in the policy. */
  value: string;
  /** Its 12-digit account, when known (external ids are per account). */
  account?: string;
  /** `*` or a principal whose account is a wildcard: narrowed (`--narrow-to`), never given an id. */
  wildcard?: boolean;
  /** The finding's kind for it (`user`, `account`, `role`...), when the finding says. */
  kind?: string;
}

/** What CloudTrail showed of one third party on one role (`evidence.usage` of the finding). */
export interface ObservedUsage {
  account: string;
  verdict: string;
  calls: number;
  callsWithMfa: number;
  externalIds: string[];
}

/** One role to fix and the statements/principals that let a third party in. */
export interface FixTarget {
  roleName: string;
  arn?: string;
  account?: string;
  statements: { statementIndex: number; principals: FixPrincipal[] }[];
  /** Usage evidence per third-party account, when the report carried it. */
  usage?: ObservedUsage[];
}

/** The external id a plan requires of one third-party account, and where it came from. */
export interface PlannedId {
  account: string;
  externalId: string;
  origin: IdOrigin;
  /** The vendor's name when the account is in the known-vendor list. */
  vendor?: string;
  /** Kept for callers of the first plan format: true when `origin` is `generated`. */
  generated: boolean;
}

/** A computed change for one role. */
export interface RolePlan {
  roleName: string;
  arn?: string;
  account?: string;
  /** The trust document exactly as AWS returned it (URL-encoded on real AWS). */
  currentRaw: string;
  current: JsonLike;
  corrected: JsonLike;
  /** Compact JSON sent to UpdateAssumeRolePolicy. */
  correctedText: string;
  /** External id given to each third-party account (empty when only MFA is required). */
  externalIds: PlannedId[];
  /** Accounts (or principals) asked for MFA instead of an external id: people switching roles. */
  mfaInstead?: string[];
  /** Accounts or organization ids a wildcard principal was narrowed to. */
  narrowedTo?: string[];
  /** What the user should know before applying (one sentence each). */
  notes?: string[];
  /** Unified diff of the pretty-printed documents. */
  diff: string;
  /** The equivalent AWS CLI command. */
  command: string;
}
