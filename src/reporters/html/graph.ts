import type { Finding } from '../../findings/types.js';
import type { JsonLike } from '../../model/types.js';
import { truncate } from '../format-helpers.js';
import type { Report } from '../types.js';
import { esc } from './escape.js';

export type EdgeState = 'unprotected' | 'suppressed' | 'protected';

export interface TrustEdge {
  /** Account id, or the principal as written when no account can be derived (`*`). */
  from: string;
  /** Role key (id, plus variant). */
  to: string;
  state: EdgeState;
}

export interface TrustGraph {
  accounts: { id: string; label: string; state: EdgeState }[];
  roles: { key: string; label: string; state: EdgeState }[];
  edges: TrustEdge[];
  /** How many were left out to keep the picture readable. */
  omittedAccounts: number;
  omittedRoles: number;
}

const RANK: Record<EdgeState, number> = { unprotected: 2, suppressed: 1, protected: 0 };
const ACCOUNT_IN_PRINCIPAL = /^(?:(\d{12})|arn:[^:]+:(?:iam|sts)::(\d{12}):.*)$/;

function roleKey(id: string, variant?: string): string {
  return variant ? `${id}\u0000${variant}` : id;
}

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

/**
 * Third-party principals -> the roles they can assume. Edges from findings are unprotected (or suppressed);
 * cross-account trust seen in `report.roles` without a finding is drawn as protected (a condition or the
 * zone of trust keeps it safe).
 */
export function buildTrustGraph(
  report: Report,
  names: Record<string, string>,
  maxAccounts = 60,
  maxRoles = 150,
): TrustGraph {
  const edges = new Map<string, TrustEdge>();
  const roleLabels = new Map<string, string>();
  const add = (from: string, to: string, state: EdgeState) => {
    const k = `${from}\u0001${to}`;
    const prev = edges.get(k);
    if (!prev || RANK[state] > RANK[prev.state]) edges.set(k, { from, to, state });
  };
  const findingAccounts = (f: Finding) => f.principals.map((p) => p.account ?? p.value);
  for (const f of report.findings) {
    const to = roleKey(f.resource.id, f.resource.variant);
    roleLabels.set(to, f.resource.variant ? `${f.resource.name} (${f.resource.variant})` : f.resource.name);
    for (const a of findingAccounts(f)) add(a, to, f.suppressed ? 'suppressed' : 'unprotected');
  }
  for (const r of report.roles ?? []) {
    const to = roleKey(r.id, r.variant);
    for (const a of principalAccounts(r.trustPolicy)) {
      if (a === r.account) continue;
      if (!roleLabels.has(to)) roleLabels.set(to, r.variant ? `${r.name} (${r.variant})` : r.name);
      add(a, to, 'protected');
    }
  }
  const all = [...edges.values()];
  const worst = (list: TrustEdge[]): EdgeState =>
    list.reduce<EdgeState>((w, e) => (RANK[e.state] > RANK[w] ? e.state : w), 'protected');
  const score = (list: TrustEdge[]) => list.reduce((n, e) => n + (e.state === 'unprotected' ? 1000 : 1), 0);
  const group = (key: (e: TrustEdge) => string) => {
    const m = new Map<string, TrustEdge[]>();
    for (const e of all) {
      const list = m.get(key(e));
      if (list) list.push(e);
      else m.set(key(e), [e]);
    }
    return [...m.entries()].sort(
      (a, b) => score(b[1]) - score(a[1]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
    );
  };
  const accGroups = group((e) => e.from);
  const keptAcc = new Set(accGroups.slice(0, maxAccounts).map(([k]) => k));
  const roleGroups = group((e) => e.to).filter(([, es]) => es.some((e) => keptAcc.has(e.from)));
  const keptRoles = new Set(roleGroups.slice(0, maxRoles).map(([k]) => k));
  const kept = all.filter((e) => keptAcc.has(e.from) && keptRoles.has(e.to));
  return {
    accounts: accGroups
      .filter(([k]) => keptAcc.has(k))
      .map(([id, es]) => ({
        id,
        label: names[id] ? `${names[id]} (${id})` : id === '*' ? '* (anyone)' : id,
        state: worst(es),
      })),
    roles: roleGroups
      .filter(([k]) => keptRoles.has(k))
      .map(([key, es]) => ({ key, label: roleLabels.get(key) ?? key, state: worst(es) })),
    edges: kept,
    omittedAccounts: accGroups.length - keptAcc.size,
    omittedRoles: roleGroups.length - keptRoles.size,
  };
}

const NODE_CLASS: Record<EdgeState, string> = {
  unprotected: 'node-bad',
  suppressed: 'node-sup',
  protected: 'node-ok',
};

/** The graph as inline SVG: accounts on the left, roles on the right, one curve per trust. */
export function renderTrustGraph(g: TrustGraph): string {
  if (g.edges.length === 0) return '<p class="muted">No cross-account trust found.</p>';
  const W = 960;
  const nodeW = 300;
  const nodeH = 24;
  const gap = 8;
  const top = 28;
  const leftX = 10;
  const rightX = W - nodeW - 10;
  const rows = Math.max(g.accounts.length, g.roles.length);
  const H = top + rows * (nodeH + gap) + 10;
  const ay = new Map(g.accounts.map((a, i) => [a.id, top + i * (nodeH + gap)]));
  const ry = new Map(g.roles.map((r, i) => [r.key, top + i * (nodeH + gap)]));
  const out: string[] = [];
  out.push(
    `<svg id="trust-graph" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="graph-title"><title id="graph-title">Third-party accounts and the roles they can assume</title>`,
  );
  out.push(`<text x="${leftX}" y="16" font-weight="bold">Trusted account</text>`);
  out.push(`<text x="${rightX}" y="16" font-weight="bold">Role it can assume</text>`);
  for (const e of g.edges) {
    const y1 = (ay.get(e.from) ?? 0) + nodeH / 2;
    const y2 = (ry.get(e.to) ?? 0) + nodeH / 2;
    const x1 = leftX + nodeW;
    const x2 = rightX;
    const mx = (x1 + x2) / 2;
    out.push(
      `<path class="edge ${e.state}" data-state="${e.state}" d="M${x1} ${y1} C${mx} ${y1} ${mx} ${y2} ${x2} ${y2}"><title>${esc(`${e.from} -> ${e.to.replace('\u0000', ' ')}: ${e.state}`)}</title></path>`,
    );
  }
  const node = (x: number, y: number, label: string, state: EdgeState, kind: string) =>
    `<g class="node" data-kind="${kind}" data-state="${state}"><title>${esc(label)}</title><rect class="${NODE_CLASS[state]}" x="${x}" y="${y}" width="${nodeW}" height="${nodeH}" rx="4"/><text x="${x + 8}" y="${y + 16}">${esc(truncate(label, 44))}</text></g>`;
  for (const a of g.accounts) out.push(node(leftX, ay.get(a.id) ?? 0, a.label, a.state, 'account'));
  for (const r of g.roles) out.push(node(rightX, ry.get(r.key) ?? 0, r.label, r.state, 'role'));
  out.push('</svg>');
  return out.join('');
}
