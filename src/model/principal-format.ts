import { DEPLOYING_ACCOUNT } from './types.js';

/**
 * Shape checks for principal and action values, as IAM validates them when a trust policy is saved.
 * Each check returns undefined when the value is acceptable, else the issue code and a short reason.
 */

export interface FormatProblem {
  code: 'malformed-principal' | 'principal-wildcard' | 'invalid-action';
  reason: string;
}

const ACCOUNT = /^\d{12}$/;
/** IAM/STS principal ARNs: root, user, role, assumed-role session, federated user. */
const PRINCIPAL_ARN =
  /^arn:aws[a-z-]*:(iam|sts)::\d{12}:(root|user\/.+|role\/.+|assumed-role\/.+|federated-user\/.+)$/;
/** Unique ids IAM writes in place of a deleted user (AIDA...) or role (AROA...). */
const UNIQUE_ID = /^A(IDA|ROA)[A-Z0-9]{12,}$/;
/** A DNS name: service principals (`ec2.amazonaws.com`) and web-identity providers (`accounts.google.com`). */
const DNS_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(saml-provider|oidc-provider)\/.+$/;
const CANONICAL_USER = /^[0-9a-fA-F]{64}$/;
const ACTION = /^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$/;

function wildcard(v: string): FormatProblem | undefined {
  if (v !== '*' && v.includes('*')) {
    return {
      code: 'principal-wildcard',
      reason: 'a principal cannot contain a partial wildcard; only a bare "*" is allowed',
    };
  }
  return undefined;
}

/** IaC sources write DEPLOYING_ACCOUNT where the deploying account goes: check it as an account id. */
function withAccount(v: string): string {
  return v.includes(DEPLOYING_ACCOUNT) ? v.split(DEPLOYING_ACCOUNT).join('000000000000') : v;
}

export function checkAwsPrincipal(raw: string): FormatProblem | undefined {
  const v = withAccount(raw);
  const w = wildcard(v);
  if (w) return w;
  if (v === '*' || ACCOUNT.test(v) || PRINCIPAL_ARN.test(v) || UNIQUE_ID.test(v)) return undefined;
  return {
    code: 'malformed-principal',
    reason: 'an AWS principal must be "*", a 12-digit account id, or an IAM user/role/root/session ARN',
  };
}

export function checkServicePrincipal(v: string): FormatProblem | undefined {
  if (DNS_NAME.test(v)) return undefined; // DNS names cannot hold '*'
  return (
    wildcard(v) ?? {
      code: 'malformed-principal',
      reason: 'a service principal must be a service name such as "ec2.amazonaws.com"',
    }
  );
}

export function checkFederatedPrincipal(raw: string): FormatProblem | undefined {
  const v = withAccount(raw);
  if (!v.includes('*') && (PROVIDER_ARN.test(v) || DNS_NAME.test(v))) return undefined;
  return (
    wildcard(v) ?? {
      code: 'malformed-principal',
      reason: 'a federated principal must be a SAML/OIDC provider ARN or an identity provider name',
    }
  );
}

export function checkCanonicalUser(v: string): FormatProblem | undefined {
  if (CANONICAL_USER.test(v)) return undefined;
  return (
    wildcard(v) ?? { code: 'malformed-principal', reason: 'a canonical user id is 64 hexadecimal characters' }
  );
}

export function checkAction(v: string): FormatProblem | undefined {
  if (v === '*' || ACTION.test(v)) return undefined;
  return {
    code: 'invalid-action',
    reason: 'an action must be "*" or "service:Action" (e.g. "sts:AssumeRole")',
  };
}
