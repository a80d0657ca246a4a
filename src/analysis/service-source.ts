/**
 * TA002's analysis: can an AWS service assume the role while acting for a resource of ANOTHER account
 * (the cross-service confused deputy)? For every service principal of an Allow statement that admits
 * sts:AssumeRole, the service is probed as it calls for a made-up resource in a stranger's account
 * (aws:SourceAccount / aws:SourceArn of that account, with and without an organization), for a resource
 * matching each wildcard pattern the policy itself gives, and once with no source keys at all (what an
 * `...IfExists` condition lets through). The whole policy is evaluated for each probe.
 */
import type { FindingPrincipal } from '../findings/types.js';
import { isAccountId } from '../model/arn.js';
import {
  DEPLOYING_ACCOUNT,
  isSymbolic,
  type PolicyValue,
  type Role,
  type Statement,
} from '../model/types.js';
import { ASSUME_ROLE } from './assume-action.js';
import {
  accountStanding,
  type CallerSetting,
  chooseProbeAccount,
  fillWildcards,
  policyFacts,
} from './callers.js';
import {
  admitsAction,
  conditionsUnknown,
  explainHit,
  firstAllowed,
  type Probe,
  type ProbeHit,
} from './probe.js';
import { displayValue, renderValue } from './render.js';
import { ownerOf, type ZoneOfTrust } from './zone.js';

export const SOURCE_KEYS = [
  'aws:SourceAccount',
  'aws:SourceArn',
  'aws:SourceOrgID',
  'aws:SourceOrgPaths',
] as const;
const SOURCE_KEYS_LOWER = new Set(SOURCE_KEYS.map((k) => k.toLowerCase()));
const PROBE_ORG = 'o-trustauditprobe';
const PROBE_ORG_PATH = `${PROBE_ORG}/r-prob/ou-prob-probe/`;

export interface ServiceAccess {
  statementIndex: number;
  sid?: string;
  /** The service principals that get in, as written. */
  services: string[];
  principals: FindingPrincipal[];
  /** The first allowed probe. */
  hit: ProbeHit;
  /** Accounts (or `*`) whose resources could make the service assume the role. */
  sourceAccounts: string[];
  details: string[];
  ownerKnown: boolean;
}

function hasWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?');
}

function servicePrefix(service: string): string {
  const dot = service.indexOf('.');
  return dot < 0 ? service : service.slice(0, dot);
}

/** A 12-digit account an account pattern (`1111*`, `*`) matches, for a stranger's resource. */
function fillAccountPattern(pattern: string, probe: string): string | undefined {
  if (pattern === '*' || pattern === '') return probe;
  const filled = pattern
    .replace(/\*/g, '0'.repeat(Math.max(0, 12 - pattern.replace(/\*/g, '').length)))
    .replace(/\?/g, '0');
  return isAccountId(filled) ? filled : undefined;
}

interface Stranger {
  account?: string;
  arn?: string;
  orgId?: string;
  orgPaths?: string;
  label: string;
}

/** The requests a service makes when it acts for a stranger's resource, derived from the policy. */
function* strangers(
  statements: readonly Statement[],
  service: string,
  partition: string,
  probeAccount: string,
  setting: CallerSetting,
  zone: ZoneOfTrust,
): Generator<Stranger> {
  const prefix = servicePrefix(service);
  const genericArn = `arn:${partition}:${prefix}:us-east-1:${probeAccount}:trustaudit-probe`;
  yield* [
    {
      account: probeAccount,
      arn: genericArn,
      label: `the service acting for a resource of account ${probeAccount}`,
    },
    {
      account: probeAccount,
      arn: genericArn,
      orgId: PROBE_ORG,
      orgPaths: PROBE_ORG_PATH,
      label: `the service acting for a resource of account ${probeAccount} in organization ${PROBE_ORG}`,
    },
  ];
  const outside = (a: string): boolean =>
    a !== DEPLOYING_ACCOUNT && accountStanding(a, setting) === 'third-party';
  for (const st of statements) {
    for (const c of st.conditions) {
      const key = c.key.toLowerCase();
      if (!SOURCE_KEYS_LOWER.has(key)) continue;
      for (const v of c.values) {
        if (isSymbolic(v) || !hasWildcard(v)) continue;
        if (key === 'aws:sourcearn') {
          const parts = v.split(':');
          if (parts.length < 6) continue;
          const account = parts[4] ?? '';
          const acct =
            account === '' ? '' : hasWildcard(account) ? fillAccountPattern(account, probeAccount) : account;
          if (acct === undefined || (acct !== '' && !outside(acct))) continue;
          const arn = fillWildcards([...parts.slice(0, 4), acct, parts.slice(5).join(':')].join(':'));
          const owner = acct === '' ? probeAccount : acct;
          yield { account: owner, arn, label: `the service acting for ${arn} (account ${owner})` };
        } else if (key === 'aws:sourceaccount') {
          const acct = fillAccountPattern(v, probeAccount);
          if (acct === undefined || !outside(acct)) continue;
          yield {
            account: acct,
            arn: `arn:${partition}:${prefix}:us-east-1:${acct}:trustaudit-probe`,
            label: `the service acting for a resource of account ${acct}`,
          };
        } else {
          // A literal organization id with wildcards only below it pins the organization.
          if (key === 'aws:sourceorgpaths' && !hasWildcard(v.split('/')[0] ?? '')) continue;
          const filled = fillWildcards(v, 'probe');
          const orgId = key === 'aws:sourceorgid' ? filled : (filled.split('/')[0] ?? filled);
          if (zone.trustedOrgIds.has(orgId)) continue;
          yield {
            account: probeAccount,
            arn: genericArn,
            orgId,
            orgPaths: key === 'aws:sourceorgpaths' ? filled : `${orgId}/r-prob/ou-prob-probe/`,
            label: `the service acting for a resource of account ${probeAccount} in organization ${orgId}`,
          };
        }
      }
    }
  }
  yield { label: 'the service calling without any source key' };
}

function* probesFor(service: PolicyValue, list: Iterable<Stranger>): Generator<Probe> {
  const id = service;
  const name = renderValue(service);
  for (const s of list)
    yield {
      principal: { type: 'service', id },
      action: ASSUME_ROLE,
      label: s.label,
      keys: new Map<string, PolicyValue[] | undefined>([
        ['aws:SourceAccount', s.account !== undefined ? [s.account] : undefined],
        ['aws:SourceArn', s.arn !== undefined ? [s.arn] : undefined],
        ['aws:SourceOrgID', s.orgId !== undefined ? [s.orgId] : undefined],
        ['aws:SourceOrgPaths', s.orgPaths !== undefined ? [s.orgPaths] : undefined],
        ['aws:PrincipalIsAWSService', ['true']],
        ['aws:PrincipalServiceName', [name]],
        ['aws:PrincipalAccount', undefined],
        ['aws:PrincipalArn', undefined],
        ['aws:PrincipalOrgID', undefined],
        ['sts:ExternalId', undefined],
      ]),
    };
}

/** Whether the role is a service-linked role (its trust policy belongs to AWS and cannot be edited). */
export function isServiceLinked(role: Role): boolean {
  return (
    (role.path ?? '').startsWith('/aws-service-role/') || (role.arn ?? '').includes(':role/aws-service-role/')
  );
}

/**
 * Every Allow statement that lets a non-exempt service assume the role for a stranger's resource.
 * `exempt` holds service keys (`ec2`, see `serviceKey`).
 */
export function findServiceAccess(
  role: Role,
  zone: ZoneOfTrust,
  isExempt: (service: string) => boolean,
): ServiceAccess[] {
  const statements = role.trustPolicy.statements;
  const out: ServiceAccess[] = [];
  let setting: CallerSetting | undefined;
  const declared = ownerOf(role, zone);
  const owner = declared === DEPLOYING_ACCOUNT ? (zone.defaultOwner ?? declared) : declared;
  const ownerKnown = owner !== undefined && owner !== DEPLOYING_ACCOUNT;
  for (const st of statements) {
    if (st.effect !== 'Allow' || !st.principals) continue;
    const services = st.principals.filter(
      (p) =>
        p.type === 'Service' &&
        !isExempt(isSymbolic(p.value) ? (p.value.text ?? p.value.description) : p.value),
    );
    if (services.length === 0 || !admitsAction(st, ASSUME_ROLE)) continue;
    if (conditionsUnknown(role, st) || isServiceLinked(role)) continue;
    if (!setting) {
      const facts = policyFacts(statements);
      setting = { role, zone, owner, facts, probeAccount: chooseProbeAccount(owner, zone, facts) };
    }
    const hits: { service: string; hit: ProbeHit }[] = [];
    for (const p of services) {
      const written = displayValue(p.value);
      const text = isSymbolic(p.value) ? (p.value.text ?? p.value.description) : p.value;
      const list = strangers(statements, text, role.partition || 'aws', setting.probeAccount, setting, zone);
      const hit = firstAllowed(statements, st, probesFor(p.value, list));
      if (hit) hits.push({ service: written, hit });
    }
    const first = hits[0];
    if (!first) continue;
    const details: string[] = [];
    const keys = new Set(st.conditions.map((c) => c.key.toLowerCase()));
    const tested = [...SOURCE_KEYS_LOWER].some((k) => keys.has(k));
    if (!tested) {
      details.push(
        `${label(st)} has no condition on aws:SourceAccount, aws:SourceArn, aws:SourceOrgID or aws:SourceOrgPaths.`,
      );
    }
    details.push(...explainHit(statements, st, first.hit, SOURCE_KEYS_LOWER));
    if (first.hit.probe.keys.get('aws:SourceAccount') === undefined) {
      details.push(
        'An ...IfExists condition on the source keys passes when the service sends none of them, so it does not pin the source.',
      );
    }
    if (!ownerKnown) {
      details.push(
        'The account that owns this role is not known, so the stand-in stranger is any account other than the ones you declared (give the owner with --account).',
      );
    }
    const sourceAccounts = [
      ...new Set(hits.map((h) => String(h.hit.probe.keys.get('aws:SourceAccount')?.[0] ?? '*'))),
    ];
    out.push({
      statementIndex: st.index,
      ...(st.sid !== undefined ? { sid: st.sid } : {}),
      services: hits.map((h) => h.service),
      principals: hits.map((h) => ({ value: h.service, kind: 'service' as const })),
      hit: first.hit,
      sourceAccounts,
      details: [...new Set(details)],
      ownerKnown,
    });
  }
  return out;
}

function label(st: Statement): string {
  return st.sid ? `statement ${st.index} (Sid "${st.sid}")` : `statement ${st.index}`;
}
