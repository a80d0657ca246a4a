import type { FindingPrincipal } from '../../findings/types.js';
import type { JsonLike } from '../../model/types.js';
import type { Report } from '../types.js';

/** Group names for third parties that are not a named vendor. */
export const AWS_SERVICES = 'AWS services';
export const UNNAMED = 'Unnamed accounts';
export const ANYONE = 'Anyone (*)';
const FEDERATED = 'Identity providers';
const OTHER = 'Other principals';

const ACCOUNT_IN_PRINCIPAL = /^(?:(\d{12})|arn:[^:]+:(?:iam|sts)::(\d{12}):.*)$/;

function asList(v: JsonLike | undefined): JsonLike[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Accounts named by `Principal.AWS` of the Allow statements of a plain trust document. */
export function principalAccounts(policy: JsonLike | undefined): string[] {
  if (!policy || typeof policy !== 'object' || Array.isArray(policy)) return [];
  const out = new Set<string>();
  for (const st of asList((policy as { [k: string]: JsonLike }).Statement)) {
    if (!st || typeof st !== 'object' || Array.isArray(st)) continue;
    const s = st as { [k: string]: JsonLike };
    if (s.Effect !== 'Allow') continue;
    const p = s.Principal;
    if (!p || typeof p !== 'object' || Array.isArray(p)) continue;
    for (const v of asList((p as { [k: string]: JsonLike }).AWS)) {
      if (typeof v !== 'string') continue;
      const m = ACCOUNT_IN_PRINCIPAL.exec(v);
      const acct = m?.[1] ?? m?.[2];
      if (acct) out.add(acct);
    }
  }
  return [...out];
}

/** Where a third party sits in the graph: its group (vendor, AWS services, ...) and its own node. */
export interface PrincipalPlace {
  /** The vendor's name, or one of the fixed groups (`AWS services`, `Unnamed accounts`, ...). */
  group: string;
  /** One node per account, service or principal as written. */
  node: string;
  label: string;
  /** What the findings table filters on: the vendor, else the account id, else the group. */
  facet: string;
}

export function placeOf(p: FindingPrincipal, names: Record<string, string>): PrincipalPlace {
  if (p.kind === 'service')
    return { group: AWS_SERVICES, node: `service:${p.value}`, label: p.value, facet: AWS_SERVICES };
  if (p.kind === 'federated')
    return { group: FEDERATED, node: `federated:${p.value}`, label: p.value, facet: FEDERATED };
  if (p.account) return accountPlace(p.account, p.accountName ?? names[p.account]);
  if (p.value === '*' || p.kind === 'wildcard')
    return { group: ANYONE, node: '*', label: '* (anyone)', facet: ANYONE };
  return { group: OTHER, node: `other:${p.value}`, label: p.value, facet: OTHER };
}

function accountPlace(account: string, name: string | undefined): PrincipalPlace {
  return name
    ? { group: name, node: account, label: `${name} (${account})`, facet: name }
    : { group: UNNAMED, node: account, label: account, facet: account };
}

/**
 * The trust graph's data, drawn by the page's script so that it can group, expand and follow the table's
 * filters. Findings name their principal nodes and role (see `GraphIndex`); trust seen in the scanned roles
 * without a finding is listed in `ok` and drawn as protected. Linear in findings plus roles.
 */
export interface GraphData {
  /** Third-party nodes: label and group. */
  p: { l: string; g: string }[];
  /** Role nodes: label and owner account (`''` when unknown) with its name when known. */
  r: { l: string; a: string }[];
  /** Owner account names, by account id. */
  an: Record<string, string>;
  /** Trust without a finding: [third-party node, role node]. */
  ok: [number, number][];
}

export interface GraphIndex {
  data: GraphData;
  /** Node of a finding's principal. */
  principal(p: FindingPrincipal): number;
  /** Node of a role. */
  role(id: string, variant: string | undefined, label: string, account: string | undefined): number;
}

export function graphIndex(names: Record<string, string>): GraphIndex {
  const data: GraphData = { p: [], r: [], an: {}, ok: [] };
  const pIndex = new Map<string, number>();
  const rIndex = new Map<string, number>();
  const addPlace = (place: PrincipalPlace): number => {
    let i = pIndex.get(place.node);
    if (i === undefined) {
      i = data.p.length;
      data.p.push({ l: place.label, g: place.group });
      pIndex.set(place.node, i);
    }
    return i;
  };
  return {
    data,
    principal: (p) => addPlace(placeOf(p, names)),
    role(id, variant, label, account) {
      const key = variant ? `${id}\u0000${variant}` : id;
      let i = rIndex.get(key);
      if (i === undefined) {
        i = data.r.length;
        data.r.push({ l: label, a: account ?? '' });
        rIndex.set(key, i);
        if (account && names[account]) data.an[account] = names[account];
      }
      return i;
    },
  };
}

/** Adds the cross-account trust of the scanned roles that no finding covers (protected by a condition). */
export function addProtectedTrust(
  g: GraphIndex,
  report: Report,
  names: Record<string, string>,
  covered: Set<string>,
): void {
  for (const r of report.roles ?? []) {
    for (const a of principalAccounts(r.trustPolicy)) {
      if (a === r.account) continue;
      const ri = g.role(r.id, r.variant, r.variant ? `${r.name} (${r.variant})` : r.name, r.account);
      const pi = g.principal({
        value: a,
        kind: 'account',
        account: a,
        ...(names[a] ? { accountName: names[a] } : {}),
      });
      const k = `${pi}:${ri}`;
      if (covered.has(k)) continue;
      covered.add(k);
      g.data.ok.push([pi, ri]);
    }
  }
}
