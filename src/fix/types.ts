import type { JsonLike } from '../model/types.js';

/** What `--require` asks the corrected policy to demand of each third party. */
export const REQUIREMENTS = ['external-id', 'mfa', 'external-id-and-mfa'] as const;
export type Requirement = (typeof REQUIREMENTS)[number];

export interface FixPrincipal {
  /** As written in the policy. */
  value: string;
  /** Its 12-digit account, when known (external ids are per account). */
  account?: string;
}

/** One role to fix and the statements/principals that let a third party in. */
export interface FixTarget {
  roleName: string;
  arn?: string;
  account?: string;
  statements: { statementIndex: number; principals: FixPrincipal[] }[];
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
  externalIds: { account: string; externalId: string; generated: boolean }[];
  /** Unified diff of the pretty-printed documents. */
  diff: string;
  /** The equivalent AWS CLI command. */
  command: string;
}
