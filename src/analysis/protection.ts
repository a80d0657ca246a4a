/**
 * What protects a role from a confused deputy, in one place: the `require` modes, the protecting keys,
 * the probe value the analysis sends as a made-up external id, which protections a request lacks for a
 * mode, and what an external id can be. STS accepts an `ExternalId` of 2 to 1,224 characters from
 * `[\w+=,.@:/-]` (AssumeRole API reference, https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html);
 * a condition that can only be met by another value admits nobody, whatever else it says.
 */
import { DEPLOYING_ACCOUNT } from '../model/types.js';

export const REQUIRE_MODES = ['external-id-or-mfa', 'external-id', 'mfa', 'external-id-and-mfa'] as const;
export type RequireMode = (typeof REQUIRE_MODES)[number];
export type Protection = 'external-id' | 'mfa';

export const KEY_EXTERNAL_ID = 'sts:externalid';
export const KEY_MFA_PRESENT = 'aws:multifactorauthpresent';
export const KEY_MFA_AGE = 'aws:multifactorauthage';

export const PROBE_EXTERNAL_ID = 'trustaudit-probe-external-id';

/** Whether a condition key is `sts:ExternalId` (keys are case-insensitive; most differ in length). */
export function isExternalIdKey(key: string): boolean {
  return (
    key.length === KEY_EXTERNAL_ID.length &&
    (key === 'sts:ExternalId' || key.toLowerCase() === KEY_EXTERNAL_ID)
  );
}

/** Whether `mode` is met by an external id alone (so a statement that requires one lets no violation through). */
export function externalIdSuffices(mode: RequireMode): boolean {
  return mode === 'external-id-or-mfa' || mode === 'external-id';
}

/** Which protections a scenario lacks that the mode requires (empty: not a violation). */
export function missingIn(ext: { known: boolean }, mfa: { mfa: boolean }, mode: RequireMode): Protection[] {
  switch (mode) {
    case 'external-id-or-mfa':
      return !ext.known && !mfa.mfa ? ['external-id', 'mfa'] : [];
    case 'external-id':
      return ext.known ? [] : ['external-id'];
    case 'mfa':
      return mfa.mfa ? [] : ['mfa'];
    case 'external-id-and-mfa': {
      const out: Protection[] = [];
      if (!ext.known) out.push('external-id');
      if (!mfa.mfa) out.push('mfa');
      return out;
    }
  }
}

const VALID_ID = /^[\w+=,.@:/-]{2,1224}$/;
const VALID_CHAR = /^[\w+=,.@:/-]$/;
const MAX_ID = 1224;

/**
 * Whether STS would accept `value` as an external id. The IaC marker for "the account this is deployed
 * into" (`${AWS::AccountId}` in CloudFormation) stands for a 12-digit account id, which it accepts.
 */
export function isAcceptableExternalId(value: string): boolean {
  return VALID_ID.test(value) || value === DEPLOYING_ACCOUNT;
}

/**
 * A value STS would accept that the StringLike pattern matches, or undefined when it matches none (a
 * literal character STS refuses, one character at most, more than 1,224 fixed characters). `star`
 * fills the first `*`; `?` becomes `x`.
 */
export function acceptableFill(pattern: string, star: string): string | undefined {
  let fixed = 0;
  let stars = 0;
  for (const ch of pattern) {
    if (ch === '*') stars++;
    else {
      fixed++;
      if (ch !== '?' && !VALID_CHAR.test(ch)) return undefined;
    }
  }
  if (fixed > MAX_ID || (stars === 0 && fixed < 2)) return undefined;
  const room = MAX_ID - fixed;
  let first = true;
  let out = '';
  for (const ch of pattern) {
    if (ch === '*') {
      if (first) out += star.slice(0, room).padEnd(Math.min(room, Math.max(0, 2 - fixed)), 'x');
      first = false;
    } else out += ch === '?' ? 'x' : ch;
  }
  return isAcceptableExternalId(out) ? out : undefined;
}

/** Why STS refuses `value` as an external id (for evidence), or undefined when it accepts it. */
export function externalIdProblem(value: string): string | undefined {
  if (isAcceptableExternalId(value)) return undefined;
  if (value.length < 2) return value.length === 0 ? 'it is empty' : 'it is one character long';
  if (value.length > MAX_ID) return `it is ${value.length} characters long`;
  const bad = [...value].find((c) => !VALID_CHAR.test(c)) ?? '';
  return `it contains ${JSON.stringify(bad)}`;
}

/** The rule STS applies, in words. */
export const EXTERNAL_ID_RULE = 'STS accepts only 2 to 1,224 characters of letters, digits and _+=,.@:/-';
