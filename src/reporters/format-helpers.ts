import type { Finding, FindingPrincipal, Severity } from '../findings/types.js';
import { SEVERITIES, severityRank } from '../findings/types.js';
import type { Report } from './types.js';

/** Severities from most to least severe. */
export const SEVERITIES_DESC: readonly Severity[] = [...SEVERITIES].reverse();

/** Findings that count: not suppressed and not already in the baseline. */
export function isActive(f: Finding): boolean {
  return !f.suppressed && !f.inBaseline;
}

export function statusOf(f: Finding): 'open' | 'suppressed' | 'baseline' {
  return f.suppressed ? 'suppressed' : f.inBaseline ? 'baseline' : 'open';
}

/** Most severe first, then the engine's order (which the sort keeps: it is stable). */
export function bySeverity(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
}

/** `Datadog (464622532012)`, `464622532012`, or the principal as written. */
export function principalLabel(p: FindingPrincipal, names?: Record<string, string>): string {
  const name = p.accountName ?? (p.account ? names?.[p.account] : undefined);
  if (p.account) return name ? `${name} (${p.account})` : p.account;
  return p.value;
}

export function principalsText(f: Finding, names?: Record<string, string>): string {
  return f.principals.map((p) => principalLabel(p, names)).join('; ');
}

/** `file:line:column`, as far as known. */
export function locationText(f: Finding): string {
  const l = f.location;
  return `${l.file}${l.line ? `:${l.line}${l.column ? `:${l.column}` : ''}` : ''}`;
}

/** The role as people call it: name, plus the variant when there is one. */
export function roleLabel(f: Finding): string {
  return f.resource.variant ? `${f.resource.name} (${f.resource.variant})` : f.resource.name;
}

export function countBy<T>(items: readonly T[], key: (t: T) => string | undefined): Map<string, number> {
  const m = new Map<string, number>();
  for (const it of items) {
    const k = key(it);
    if (k === undefined) continue;
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

/** Map entries sorted by count (desc) then key, for stable summaries. */
export function sortedCounts(m: Map<string, number>): [string, number][] {
  return [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Cut `s` to at most `max` UTF-16 units, ending with an ellipsis when cut (never splits a surrogate pair). */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = max - 1;
  const c = s.charCodeAt(cut - 1);
  if (c >= 0xd800 && c <= 0xdbff) cut--;
  return `${s.slice(0, cut)}…`;
}

/** Account names known to the report (explicit map first, then names carried by principals). */
export function accountNames(report: Report): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of report.findings)
    for (const p of f.principals)
      if (p.account && p.accountName && !out[p.account]) out[p.account] = p.accountName;
  return { ...out, ...(report.accountNames ?? {}) };
}
