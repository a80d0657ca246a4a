/**
 * The condition keys that matter in a role trust policy, as data: who sets each one, whether it is in
 * the request context of a direct `sts:AssumeRole` call by an IAM principal, and what a scan can know
 * about its value. The analysis builds its request contexts from this table (scenarios.ts); nothing
 * else in the code decides what a key means. docs/evaluation.md cites the AWS page for every row.
 */

/** Who decides the value of a key. */
export type KeySetter =
  /** AWS fills it in from facts the caller cannot change (the time, the role's account...). */
  | 'aws'
  /** The caller chooses it in the request (session name, external id, session tags, source IP...). */
  | 'caller'
  /** The administrator of the caller's account decides it (principal tags, names, organization). */
  | 'caller-admin'
  /** The administrator of the role's own account decides it (tags on the role). */
  | 'owner-admin';

/** Whether the key is in the request context of `sts:AssumeRole` called by an IAM user or role session. */
export type Presence = 'always' | 'sometimes' | 'never';

/**
 * What the scan knows, which decides the value a scenario gives the key:
 * - `caller`: who calls (account, ARN, type): fixed by each scenario's caller;
 * - `protection`: the external id and MFA keys, which the scenarios vary;
 * - `organization`: the caller's organization, which the scenarios vary;
 * - `scan-time`: the time of the request, judged at the scan time;
 * - `role`: a fact of the role itself (its account, organization, tags), known when the input says so;
 * - `constant`: the same value for every direct call (`value`);
 * - `absent`: never in the context of a direct call;
 * - `gated`: chosen by the caller, but only in the request when the trust policy also allows `gatedBy`;
 * - `free`: chosen by the caller or their administrator, or not knowable: the caller's best case is assumed.
 */
export type ScanKnowledge =
  | 'caller'
  | 'protection'
  | 'organization'
  | 'scan-time'
  | 'role'
  | 'constant'
  | 'absent'
  | 'gated'
  | 'free';

export interface ConditionKeyInfo {
  /** The key as AWS documents it; for a tag family, the prefix up to and including `/`. */
  key: string;
  /** `aws:RequestTag/` and the like: every key with this prefix. */
  prefix?: boolean;
  setBy: KeySetter;
  onAssumeRole: Presence;
  scan: ScanKnowledge;
  /** For `constant`: the value. */
  value?: string;
  /** For `gated`: the action the trust policy must also allow for the key to be sent. */
  gatedBy?: 'sts:SetSourceIdentity' | 'sts:TagSession';
  /** The AWS page that documents the key. */
  doc: string;
}

const GLOBAL = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html';
const STS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html';
const TAGS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html';
const SOURCE_IDENTITY =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html';
const MFA = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html';
const EXTERNAL_ID =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html';

/** The table. Keys not listed are `free`. */
export const CONDITION_KEYS: readonly ConditionKeyInfo[] = [
  // Who calls.
  { key: 'aws:PrincipalAccount', setBy: 'aws', onAssumeRole: 'always', scan: 'caller', doc: GLOBAL },
  { key: 'aws:PrincipalArn', setBy: 'aws', onAssumeRole: 'always', scan: 'caller', doc: GLOBAL },
  { key: 'aws:PrincipalType', setBy: 'aws', onAssumeRole: 'always', scan: 'caller', doc: GLOBAL },
  { key: 'aws:username', setBy: 'caller-admin', onAssumeRole: 'sometimes', scan: 'caller', doc: GLOBAL },
  // The unique id of the caller's user or role is assigned by AWS and not in any input the scan reads.
  { key: 'aws:userid', setBy: 'aws', onAssumeRole: 'always', scan: 'free', doc: GLOBAL },
  {
    key: 'aws:PrincipalIsAWSService',
    setBy: 'aws',
    onAssumeRole: 'always',
    scan: 'constant',
    value: 'false',
    doc: GLOBAL,
  },
  { key: 'aws:PrincipalServiceName', setBy: 'aws', onAssumeRole: 'never', scan: 'absent', doc: GLOBAL },
  { key: 'aws:PrincipalServiceNamesList', setBy: 'aws', onAssumeRole: 'never', scan: 'absent', doc: GLOBAL },
  {
    key: 'aws:PrincipalTag/',
    prefix: true,
    setBy: 'caller-admin',
    onAssumeRole: 'sometimes',
    scan: 'free',
    doc: GLOBAL,
  },
  {
    key: 'aws:PrincipalOrgID',
    setBy: 'caller-admin',
    onAssumeRole: 'sometimes',
    scan: 'organization',
    doc: GLOBAL,
  },
  {
    key: 'aws:PrincipalOrgPaths',
    setBy: 'caller-admin',
    onAssumeRole: 'sometimes',
    scan: 'organization',
    doc: GLOBAL,
  },
  // What protects.
  { key: 'sts:ExternalId', setBy: 'caller', onAssumeRole: 'sometimes', scan: 'protection', doc: EXTERNAL_ID },
  {
    key: 'aws:MultiFactorAuthPresent',
    setBy: 'aws',
    onAssumeRole: 'sometimes',
    scan: 'protection',
    doc: MFA,
  },
  { key: 'aws:MultiFactorAuthAge', setBy: 'aws', onAssumeRole: 'sometimes', scan: 'protection', doc: MFA },
  // The role itself.
  { key: 'aws:ResourceAccount', setBy: 'aws', onAssumeRole: 'always', scan: 'role', doc: GLOBAL },
  { key: 'aws:ResourceOrgID', setBy: 'aws', onAssumeRole: 'sometimes', scan: 'role', doc: GLOBAL },
  { key: 'aws:ResourceOrgPaths', setBy: 'aws', onAssumeRole: 'sometimes', scan: 'role', doc: GLOBAL },
  {
    key: 'aws:ResourceTag/',
    prefix: true,
    setBy: 'owner-admin',
    onAssumeRole: 'sometimes',
    scan: 'role',
    doc: GLOBAL,
  },
  // The request.
  { key: 'aws:CurrentTime', setBy: 'aws', onAssumeRole: 'always', scan: 'scan-time', doc: GLOBAL },
  { key: 'aws:EpochTime', setBy: 'aws', onAssumeRole: 'always', scan: 'scan-time', doc: GLOBAL },
  { key: 'aws:SecureTransport', setBy: 'caller', onAssumeRole: 'always', scan: 'free', doc: GLOBAL },
  { key: 'aws:RequestedRegion', setBy: 'caller', onAssumeRole: 'always', scan: 'free', doc: GLOBAL },
  { key: 'aws:SourceIp', setBy: 'caller', onAssumeRole: 'sometimes', scan: 'free', doc: GLOBAL },
  { key: 'aws:UserAgent', setBy: 'caller', onAssumeRole: 'always', scan: 'free', doc: GLOBAL },
  { key: 'aws:TokenIssueTime', setBy: 'aws', onAssumeRole: 'sometimes', scan: 'free', doc: GLOBAL },
  {
    key: 'aws:ViaAWSService',
    setBy: 'aws',
    onAssumeRole: 'always',
    scan: 'constant',
    value: 'false',
    doc: GLOBAL,
  },
  { key: 'aws:CalledVia', setBy: 'aws', onAssumeRole: 'never', scan: 'absent', doc: GLOBAL },
  { key: 'aws:CalledViaFirst', setBy: 'aws', onAssumeRole: 'never', scan: 'absent', doc: GLOBAL },
  { key: 'aws:CalledViaLast', setBy: 'aws', onAssumeRole: 'never', scan: 'absent', doc: GLOBAL },
  // A service acting for someone sets these; a direct call does not.
  { key: 'aws:SourceAccount', setBy: 'aws', onAssumeRole: 'never', scan: 'absent', doc: GLOBAL },
  { key: 'aws:SourceArn', setBy: 'aws', onAssumeRole: 'never', scan: 'absent', doc: GLOBAL },
  { key: 'aws:SourceOrgID', setBy: 'aws', onAssumeRole: 'never', scan: 'absent', doc: GLOBAL },
  { key: 'aws:SourceOrgPaths', setBy: 'aws', onAssumeRole: 'never', scan: 'absent', doc: GLOBAL },
  { key: 'aws:FederatedProvider', setBy: 'aws', onAssumeRole: 'never', scan: 'absent', doc: GLOBAL },
  // Chosen by the caller, but only sent when the trust policy also allows the action that permits them.
  {
    key: 'sts:SourceIdentity',
    setBy: 'caller',
    onAssumeRole: 'sometimes',
    scan: 'gated',
    gatedBy: 'sts:SetSourceIdentity',
    doc: SOURCE_IDENTITY,
  },
  {
    key: 'aws:SourceIdentity',
    setBy: 'caller',
    onAssumeRole: 'sometimes',
    scan: 'gated',
    gatedBy: 'sts:SetSourceIdentity',
    doc: SOURCE_IDENTITY,
  },
  {
    key: 'aws:RequestTag/',
    prefix: true,
    setBy: 'caller',
    onAssumeRole: 'sometimes',
    scan: 'gated',
    gatedBy: 'sts:TagSession',
    doc: TAGS,
  },
  {
    key: 'aws:TagKeys',
    setBy: 'caller',
    onAssumeRole: 'sometimes',
    scan: 'gated',
    gatedBy: 'sts:TagSession',
    doc: TAGS,
  },
  {
    key: 'sts:TransitiveTagKeys',
    setBy: 'caller',
    onAssumeRole: 'sometimes',
    scan: 'gated',
    gatedBy: 'sts:TagSession',
    doc: TAGS,
  },
  { key: 'sts:RoleSessionName', setBy: 'caller', onAssumeRole: 'always', scan: 'free', doc: STS },
  { key: 'sts:DurationSeconds', setBy: 'caller', onAssumeRole: 'sometimes', scan: 'free', doc: STS },
];

/** The table indexed for lookups: exact keys and tag-family prefixes, lower-cased. */
export interface KeyIndex {
  exact: ReadonlyMap<string, ConditionKeyInfo>;
  prefixes: readonly (readonly [string, ConditionKeyInfo])[];
}

export function indexKeys(table: readonly ConditionKeyInfo[] = CONDITION_KEYS): KeyIndex {
  const exact = new Map<string, ConditionKeyInfo>();
  const prefixes: [string, ConditionKeyInfo][] = [];
  for (const row of table) {
    if (row.prefix) prefixes.push([row.key.toLowerCase(), row]);
    else exact.set(row.key.toLowerCase(), row);
  }
  return { exact, prefixes };
}

/** The built-in table, indexed once (a constant). */
export const KEY_INDEX: KeyIndex = indexKeys();

/** The row of a condition key (any letter case), or undefined for a key the table does not list (free). */
export function keyInfo(key: string, index: KeyIndex = KEY_INDEX): ConditionKeyInfo | undefined {
  return keyInfoLower(key.toLowerCase(), index);
}

/** `keyInfo` for a key already in lower case. */
export function keyInfoLower(lower: string, index: KeyIndex = KEY_INDEX): ConditionKeyInfo | undefined {
  const hit = index.exact.get(lower);
  if (hit) return hit;
  if (lower.includes('/')) {
    for (const [p, row] of index.prefixes) if (lower.startsWith(p) && lower.length > p.length) return row;
  }
  return undefined;
}
