/**
 * TA004's analysis: can a tenant that is not yours get a token from the identity provider the role
 * trusts and exchange it for the role?
 *
 * For every Allow statement that lets a Federated principal perform sts:AssumeRoleWithWebIdentity, the
 * provider is recognised from its ARN (`oidc-provider/<issuer>`), its bare name (Cognito, Google...) or,
 * for an IaC reference, from the condition keys of the statement. The analysis then makes up the tokens
 * an attacker with their own tenant can obtain (their organization, repository, namespace, identity pool;
 * a subject built from each wildcard pattern of the policy whose tenant part is a wildcard) and evaluates
 * the whole policy for each. An audience the caller chooses (GitHub, GitLab, Terraform Cloud, EKS) is
 * left free; an audience that names the relying party (Cognito pool, app id) is the attacker's own.
 *
 * sts:AssumeRoleWithSAML: an assertion made for another service provider of the same IdP is tried
 * (SAML:aud not the AWS sign-in endpoint).
 */
import {
  GENERIC_PROVIDER,
  type OidcProviderProfile,
  PROBE,
  providerProfile,
} from '../data/oidc-providers.js';
import type { FindingPrincipal } from '../findings/types.js';
import { parseArn } from '../model/arn.js';
import { isSymbolic, type PolicyValue, type Principal, type Role, type Statement } from '../model/types.js';
import { fillWildcards } from './callers.js';
import {
  admitsAction,
  conditionsUnknown,
  explainHit,
  firstAllowed,
  type Probe,
  type ProbeHit,
} from './probe.js';
import { displayValue, statementLabel } from './render.js';
import { accountName, type ZoneOfTrust } from './zone.js';

export const WEB_IDENTITY = 'sts:AssumeRoleWithWebIdentity';
export const SAML = 'sts:AssumeRoleWithSAML';
const FOREIGN_SAML_AUDIENCE = `https://${PROBE}.example.com/saml`;

export interface FederationAccess {
  statementIndex: number;
  sid?: string;
  kind: 'oidc' | 'saml';
  /** The provider principals that let the attacker in, as written. */
  providers: string[];
  principals: FindingPrincipal[];
  /** Issuer host of the first provider (`token.actions.githubusercontent.com`), when known. */
  host?: string;
  profile: OidcProviderProfile;
  hit: ProbeHit;
  /** Keys the statement should pin (`<host>:sub`, `<host>:aud`, `SAML:aud`). */
  missingKeys: string[];
  details: string[];
}

function textOf(v: PolicyValue): string | undefined {
  return isSymbolic(v) ? v.text : v;
}

function isSaml(p: Principal, st: Statement): boolean {
  const t = textOf(p.value);
  if (t !== undefined) return t.includes(':saml-provider/');
  return st.conditions.some((c) => c.key.toLowerCase().startsWith('saml:'));
}

/** The issuer host of an OIDC provider principal, or from the statement's keys when the value is not known. */
function hostOf(p: Principal, st: Statement): string | undefined {
  const t = textOf(p.value);
  if (t !== undefined) {
    const arn = parseArn(t);
    if (arn?.resource.startsWith('oidc-provider/'))
      return arn.resource.slice('oidc-provider/'.length).toLowerCase();
    if (!t.startsWith('arn:') && !t.includes('${')) return t.toLowerCase();
  }
  for (const c of st.conditions) {
    const key = c.key.toLowerCase();
    const m = /^(.+):(sub|aud|amr|oaud|azp)$/.exec(key);
    if (m?.[1]?.includes('.')) return m[1];
  }
  return undefined;
}

function hasWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?');
}

/** Values of conditions on `key` (lower-cased) anywhere in the policy. */
function valuesOf(statements: readonly Statement[], key: string): string[] {
  const out: string[] = [];
  for (const st of statements)
    for (const c of st.conditions)
      if (c.key.toLowerCase() === key) for (const v of c.values) if (typeof v === 'string') out.push(v);
  return out;
}

/** Subjects a stranger's tenant can obtain: the provider's stock ones and those the policy's patterns admit. */
export function attackerSubjects(profile: OidcProviderProfile, patterns: readonly string[]): string[] {
  const out = new Set(profile.attackerSubjects);
  for (const pattern of patterns) {
    if (!hasWildcard(pattern)) continue;
    for (const fill of profile.wildcardFills) {
      const sub = fillWildcards(pattern, fill);
      const tenant = profile.tenantOf?.(sub);
      if (tenant?.includes(PROBE)) out.add(sub);
    }
  }
  return [...out];
}

function oidcProbes(
  statements: readonly Statement[],
  p: Principal,
  host: string | undefined,
  profile: OidcProviderProfile,
): Probe[] {
  const subKey = host ? `${host}:sub` : undefined;
  const subs = attackerSubjects(profile, subKey ? valuesOf(statements, subKey) : []);
  const aud = profile.audienceChosenByCaller
    ? undefined
    : profile.id === 'cognito'
      ? `us-east-1:${PROBE}`
      : `${PROBE}-client`;
  // With no known issuer, every provider-style key of the policy is given the attacker's values.
  const unknownKeys = host
    ? []
    : [...new Set(statements.flatMap((s) => s.conditions.map((c) => c.key)))].filter((k) => {
        const prefix = k.slice(0, k.indexOf(':')).toLowerCase();
        return prefix.includes('.') || prefix === '';
      });
  const list = subs.length > 0 ? subs : [undefined];
  return list.map((sub) => {
    const keys = new Map<string, PolicyValue[] | undefined>();
    if (host) {
      if (sub !== undefined) keys.set(`${host}:sub`, [sub]);
      if (aud !== undefined) keys.set(`${host}:aud`, [aud]);
    } else {
      for (const k of unknownKeys) {
        if (/:sub$/i.test(k)) keys.set(k, [sub ?? PROBE]);
        else if (/:aud$/i.test(k)) keys.set(k, [`${PROBE}-client`]);
      }
    }
    for (const k of ['aws:PrincipalAccount', 'aws:PrincipalArn', 'aws:PrincipalOrgID', 'sts:ExternalId'])
      keys.set(k, undefined);
    // A token carries the claims of its own issuer only: keys of other providers are absent.
    if (host) for (const k of otherProviderKeys(statements, host)) keys.set(k, undefined);
    return {
      principal: { type: 'federated', id: p.value },
      action: WEB_IDENTITY,
      keys,
      label:
        sub !== undefined
          ? `a token with subject ${JSON.stringify(sub)}`
          : aud !== undefined
            ? `a token for the stranger's own ${profile.id === 'cognito' ? 'identity pool' : 'client'}`
            : 'any token of the provider',
    };
  });
}

/** Condition keys of the policy that belong to an identity provider other than `host`. */
function otherProviderKeys(statements: readonly Statement[], host: string): string[] {
  const out = new Set<string>();
  for (const st of statements) {
    for (const c of st.conditions) {
      const colon = c.key.lastIndexOf(':');
      if (colon <= 0) continue;
      const prefix = c.key.slice(0, colon).toLowerCase();
      if (prefix !== host && (prefix.includes('.') || prefix.includes('/'))) out.add(c.key);
    }
  }
  return [...out];
}

function samlProbe(p: Principal): Probe {
  return {
    principal: { type: 'federated', id: p.value },
    action: SAML,
    keys: new Map<string, PolicyValue[] | undefined>([
      ['SAML:aud', [FOREIGN_SAML_AUDIENCE]],
      ['aws:PrincipalAccount', undefined],
      ['sts:ExternalId', undefined],
    ]),
    label: 'an assertion the identity provider issued for another service provider',
  };
}

function principalOf(p: Principal, zone: ZoneOfTrust): FindingPrincipal {
  const written = displayValue(p.value);
  const t = textOf(p.value);
  const arn = t ? parseArn(t) : undefined;
  const account = arn && /^\d{12}$/.test(arn.account) ? arn.account : undefined;
  const name = account ? accountName(account, zone) : undefined;
  return {
    value: written,
    kind: isSymbolic(p.value) && !t ? 'symbolic' : 'federated',
    ...(account ? { account } : {}),
    ...(name ? { accountName: name } : {}),
  };
}

/** Every Allow statement through which a tenant that is not yours can federate into the role. */
export function findFederationAccess(role: Role, zone: ZoneOfTrust): FederationAccess[] {
  const statements = role.trustPolicy.statements;
  const out: FederationAccess[] = [];
  for (const st of statements) {
    if (st.effect !== 'Allow' || !st.principals || !st.principals.some((p) => p.type === 'Federated'))
      continue;
    const federated = st.principals.filter((p) => p.type === 'Federated');
    if (federated.length === 0) continue;
    if (conditionsUnknown(role, st)) continue;
    const label = statementLabel(st.index, st.sid);
    const keys = new Set(st.conditions.map((c) => c.key.toLowerCase()));
    if (admitsAction(st, WEB_IDENTITY)) {
      const hits: { p: Principal; host?: string; profile: OidcProviderProfile; hit: ProbeHit }[] = [];
      for (const p of federated) {
        if (isSaml(p, st)) continue;
        const host = hostOf(p, st);
        const profile = host ? providerProfile(host.replace(/\$\{[^}]*\}/g, 'x')) : GENERIC_PROVIDER;
        const hit = firstAllowed(statements, st, oidcProbes(statements, p, host, profile));
        if (hit) hits.push({ p, ...(host ? { host } : {}), profile, hit });
      }
      const first = hits[0];
      if (first) {
        const { host, profile } = first;
        const details: string[] = [];
        const missingKeys: string[] = [];
        const subKey = host ? `${host}:sub` : undefined;
        const audKey = host ? `${host}:aud` : undefined;
        if (subKey && profile.tenantOf && !keys.has(subKey)) {
          details.push(
            `${label} has no condition on ${subKey}: any ${profile.name} user can present a token of their own.`,
          );
        }
        if (subKey && (profile.tenantOf || profile.id === 'generic')) missingKeys.push(subKey);
        if (audKey && profile.audienceRequired) {
          missingKeys.push(audKey);
          if (!keys.has(audKey))
            details.push(
              `${label} has no condition on ${audKey}: tokens of every identity pool, yours or not, are accepted.`,
            );
        }
        if (profile.id === 'generic' && host && !keys.has(`${host}:sub`) && !keys.has(`${host}:aud`)) {
          details.push(
            `${label} pins neither ${host}:sub nor ${host}:aud: every identity of the provider may assume the role.`,
          );
          if (audKey) missingKeys.push(audKey);
        }
        if (!host) {
          details.push(
            `The identity provider of ${label} is only known at deploy time and its condition keys do not name it; judged as an unknown provider.`,
          );
        }
        details.push(...explainHit(statements, st, first.hit));
        if (audKey && profile.audienceChosenByCaller && keys.has(audKey)) {
          details.push(
            `${audKey} is chosen by whoever requests the token, so pinning it keeps no other tenant out; the subject has to.`,
          );
        }
        if (audKey && profile.recommendedAudience && !keys.has(audKey)) {
          details.push(`Also pin ${audKey} to "${profile.recommendedAudience}" as the provider recommends.`);
        }
        out.push({
          statementIndex: st.index,
          ...(st.sid !== undefined ? { sid: st.sid } : {}),
          kind: 'oidc',
          providers: hits.map((h) => displayValue(h.p.value)),
          principals: hits.map((h) => principalOf(h.p, zone)),
          ...(host ? { host } : {}),
          profile,
          hit: first.hit,
          missingKeys: [...new Set(missingKeys)],
          details: [...new Set(details)],
        });
      }
    }
    if (admitsAction(st, SAML)) {
      const hits: { p: Principal; hit: ProbeHit }[] = [];
      for (const p of federated) {
        if (!isSaml(p, st)) continue;
        const hit = firstAllowed(statements, st, [samlProbe(p)]);
        if (hit) hits.push({ p, hit });
      }
      const first = hits[0];
      if (first) {
        const details: string[] = [];
        if (!keys.has('saml:aud')) details.push(`${label} has no condition on SAML:aud.`);
        details.push(...explainHit(statements, st, first.hit));
        out.push({
          statementIndex: st.index,
          ...(st.sid !== undefined ? { sid: st.sid } : {}),
          kind: 'saml',
          providers: hits.map((h) => displayValue(h.p.value)),
          principals: hits.map((h) => principalOf(h.p, zone)),
          profile: GENERIC_PROVIDER,
          hit: first.hit,
          missingKeys: ['SAML:aud'],
          details: [...new Set(details)],
        });
      }
    }
  }
  return out;
}
