/**
 * ARN parsing and classification of the values a policy's Principal element can hold.
 * Pure functions, no I/O.
 */
import { DEPLOYING_ACCOUNT, isSymbolic, type PolicyValue, type PrincipalType } from './types.js';

/** Partitions AWS documents. `aws-iso*` covers the isolated regions (aws-iso, aws-iso-b, aws-iso-e, aws-iso-f...). */
export const KNOWN_PARTITIONS: readonly string[] = [
  'aws',
  'aws-cn',
  'aws-us-gov',
  'aws-iso',
  'aws-iso-b',
  'aws-iso-e',
  'aws-iso-f',
  'aws-eusc',
];

export function isKnownPartition(p: string): boolean {
  return (
    p === 'aws' || p === 'aws-cn' || p === 'aws-us-gov' || p === 'aws-eusc' || /^aws-iso(-[a-z])?$/.test(p)
  );
}

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the fifth colon, e.g. `role/path/Name`. */
  resource: string;
}

/** Split an ARN into its six parts; undefined unless it starts with `arn:` and has all six. */
export function parseArn(s: string): ParsedArn | undefined {
  if (!s.startsWith('arn:')) return undefined;
  const i1 = 3;
  const i2 = s.indexOf(':', i1 + 1);
  if (i2 < 0) return undefined;
  const i3 = s.indexOf(':', i2 + 1);
  if (i3 < 0) return undefined;
  const i4 = s.indexOf(':', i3 + 1);
  if (i4 < 0) return undefined;
  const i5 = s.indexOf(':', i4 + 1);
  if (i5 < 0) return undefined;
  return {
    partition: s.slice(i1 + 1, i2),
    service: s.slice(i2 + 1, i3),
    region: s.slice(i3 + 1, i4),
    account: s.slice(i4 + 1, i5),
    resource: s.slice(i5 + 1),
  };
}

const ACCOUNT_RE = /^\d{12}$/;

/** A 12-digit account id. */
export function isAccountId(s: string): boolean {
  return ACCOUNT_RE.test(s);
}

/** A 12-digit account id or the IaC marker for "the account this template is deployed into". */
export function isAccountToken(s: string): boolean {
  return s === DEPLOYING_ACCOUNT || ACCOUNT_RE.test(s);
}

/**
 * IAM unique ids: AIDA (user), AROA (role), AGPA (group), ANPA/ANVA (policies), AIPA (instance profile),
 * ASIA/AKIA (access keys), ABIA, ACCA, APKA, ASCA. AWS rewrites a principal whose entity was deleted to
 * its unique id, so such a value names nobody who can still call.
 */
const UNIQUE_ID_RE = /^A(?:ROA|IDA|GPA|NPA|NVA|IPA|SIA|KIA|BIA|CCA|PKA|SCA)[A-Z0-9]{12,}$/;

export function isUniqueId(s: string): boolean {
  return UNIQUE_ID_RE.test(s);
}

export type PrincipalKind =
  | 'account'
  | 'root'
  | 'user'
  | 'role'
  | 'assumed-role'
  | 'federated-user'
  | 'wildcard'
  | 'unique-id'
  | 'service'
  | 'federated'
  | 'canonical-user'
  | 'symbolic'
  | 'invalid';

export interface ClassifiedPrincipal {
  kind: PrincipalKind;
  /** 12-digit account id or DEPLOYING_ACCOUNT (account, root, user, role, assumed-role, federated-user, federated ARN). */
  account?: string;
  /** Partition from the ARN; undefined for bare account ids (they take the policy's partition). */
  partition?: string;
  /** Entity name: user/role name, role name of a session, federated user name, service or provider name. */
  name?: string;
  /** IAM path of a user or role, `/` when none, e.g. `/platform/`. */
  path?: string;
  /** Session name of an assumed-role principal. */
  session?: string;
  /** Why the value is invalid (kind `invalid`). */
  problem?: string;
}

const NAME_RE = /^[\w+=,.@-]+$/;

function iamEntity(
  kind: 'user' | 'role',
  partition: string,
  account: string,
  rest: string,
): ClassifiedPrincipal {
  // rest = "path/.../Name" after "user/" or "role/"
  const slash = rest.lastIndexOf('/');
  const name = slash < 0 ? rest : rest.slice(slash + 1);
  const path = slash < 0 ? '/' : `/${rest.slice(0, slash + 1)}`;
  if (!NAME_RE.test(name)) return { kind: 'invalid', problem: `'${name}' is not a valid ${kind} name` };
  return { kind, partition, account, name, path };
}

function classifyArn(value: string): ClassifiedPrincipal {
  const arn = parseArn(value);
  if (!arn) return { kind: 'invalid', problem: 'not an ARN' };
  const { partition, service, region, account, resource } = arn;
  if (!isKnownPartition(partition)) return { kind: 'invalid', problem: `unknown partition '${partition}'` };
  if (region !== '') return { kind: 'invalid', problem: 'IAM principal ARNs have no region' };
  if (!isAccountToken(account)) return { kind: 'invalid', problem: `'${account}' is not an account id` };
  if (service === 'iam') {
    if (resource === 'root') return { kind: 'root', partition, account };
    if (resource.startsWith('user/')) return iamEntity('user', partition, account, resource.slice(5));
    if (resource.startsWith('role/')) return iamEntity('role', partition, account, resource.slice(5));
    if (resource.startsWith('saml-provider/') || resource.startsWith('oidc-provider/')) {
      return { kind: 'federated', partition, account, name: value };
    }
    return { kind: 'invalid', problem: `'${resource}' cannot be a principal` };
  }
  if (service === 'sts') {
    if (resource.startsWith('assumed-role/')) {
      const parts = resource.split('/');
      if (parts.length !== 3 || !parts[1] || !parts[2] || !NAME_RE.test(parts[1])) {
        return { kind: 'invalid', problem: 'an assumed-role ARN names a role and a session' };
      }
      return { kind: 'assumed-role', partition, account, name: parts[1], session: parts[2] };
    }
    if (resource.startsWith('federated-user/')) {
      const name = resource.slice('federated-user/'.length);
      if (!name) return { kind: 'invalid', problem: 'federated user without a name' };
      return { kind: 'federated-user', partition, account, name };
    }
  }
  return { kind: 'invalid', problem: `'${service}:${resource}' cannot be a principal` };
}

/**
 * Classify one value of a Principal/NotPrincipal element.
 * A bare account id is `account` (it means that account's root); `arn:...:iam::A:root` is `root`.
 */
export function classifyPrincipal(type: PrincipalType, value: PolicyValue): ClassifiedPrincipal {
  if (isSymbolic(value)) return { kind: 'symbolic' };
  const v = value.trim();
  switch (type) {
    case '*':
      return v === '*' ? { kind: 'wildcard' } : { kind: 'invalid', problem: 'a bare Principal must be "*"' };
    case 'AWS':
      if (v === '*') return { kind: 'wildcard' };
      if (isAccountToken(v)) return { kind: 'account', account: v };
      if (isUniqueId(v)) return { kind: 'unique-id', name: v };
      if (v.startsWith('arn:')) {
        const c = classifyArn(v);
        return c.kind === 'federated'
          ? { kind: 'invalid', problem: 'identity providers go under "Federated"' }
          : c;
      }
      return { kind: 'invalid', problem: 'not an account id, ARN or "*"' };
    case 'Service':
      if (/^[a-z0-9][a-z0-9.-]*\.[a-z0-9.-]*[a-z0-9]$/i.test(v))
        return { kind: 'service', name: v.toLowerCase() };
      return { kind: 'invalid', problem: 'not a service principal name' };
    case 'Federated': {
      if (v.startsWith('arn:')) {
        const c = classifyArn(v);
        return c.kind === 'federated' ? c : { kind: 'invalid', problem: 'not an identity provider ARN' };
      }
      if (/^[a-z0-9][a-z0-9.-]*\.[a-z0-9.-]*[a-z0-9]$/i.test(v))
        return { kind: 'federated', name: v.toLowerCase() };
      return { kind: 'invalid', problem: 'not an identity provider' };
    }
    case 'CanonicalUser':
      return /^[0-9a-f]{64}$/i.test(v)
        ? { kind: 'canonical-user', name: v.toLowerCase() }
        : { kind: 'invalid', problem: 'not a canonical user id' };
  }
  return { kind: 'invalid', problem: `unknown principal type '${String(type)}'` };
}

/** `arn:<partition>:iam::<account>:root` */
export function rootArn(account: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${account}:root`;
}
