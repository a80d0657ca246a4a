import { boundText } from '../../findings/bounded-text.js';
import { DEFAULT_BUDGETS } from '../../scan/budgets.js';
import type { ThirdPartyUsage, UsageEvidence } from '../../usage/types.js';
import { esc } from './escape.js';

/**
 * The usage evidence of a finding (`evidence.usage`) in the HTML report: a verdict cell in the findings
 * table, a filter on it and a "Usage" table in the finding's detail panel. All of it is added only when
 * some finding carries usage, so a report without it is the page it was.
 */

/** A value from a log (an external id, an error code) is cut to the `message-length` budget. */
const QUOTE_MAX = DEFAULT_BUDGETS['message-length'];

/** What the page's script gets of one third party (short keys: the data block repeats them per finding). */
export interface ClientParty {
  a: string;
  v: string;
  n: number;
  dn: number;
  ec?: string;
  fs?: string;
  ls?: string;
  ids: [string, number][];
  more?: number;
  noid: number;
  mfa: number;
  adv: string;
}

/** What the page's script gets of a finding's usage evidence. */
export interface ClientUsage {
  w?: string;
  src: string[];
  last?: string;
  note?: string;
  nr?: string;
  own?: boolean;
  cav?: string;
  t: ClientParty[];
}

function parties(u: UsageEvidence): ThirdPartyUsage[] {
  return Array.isArray(u.thirdParties) ? u.thirdParties : [];
}

function partyData(t: ThirdPartyUsage): ClientParty {
  const codes = Object.entries(t.errorCodes ?? {})
    .map(([k, n]) => `${boundText(k, QUOTE_MAX)} ×${n}`)
    .join(', ');
  const ids = Array.isArray(t.externalIds) ? t.externalIds : [];
  return {
    a: String(t.account),
    v: String(t.verdict),
    n: t.calls,
    dn: t.deniedCalls,
    ...(codes ? { ec: codes } : {}),
    ...(t.firstSeen ? { fs: t.firstSeen } : {}),
    ...(t.lastSeen ? { ls: t.lastSeen } : {}),
    ids: ids.map((e) => [boundText(String(e.value), QUOTE_MAX), e.count]),
    ...(t.externalIdsNotListed ? { more: t.externalIdsNotListed } : {}),
    noid: t.callsWithoutExternalId,
    mfa: t.callsWithMfa,
    adv: String(t.advice ?? ''),
  };
}

/** A finding's usage evidence for the page's data block. */
export function usageData(u: UsageEvidence): ClientUsage {
  const w = u.window;
  const last = u.roleLastUsed;
  return {
    ...(w ? { w: `last ${w.days} days, ${w.from} to ${w.to}` } : {}),
    src: Array.isArray(u.sources) ? u.sources.map(String) : [],
    ...(last
      ? {
          last:
            last.lastUsedDate === null
              ? 'never used (IAM has no record of a use)'
              : `${last.lastUsedDate}${last.region ? ` in ${last.region}` : ''}`,
        }
      : {}),
    ...(u.note ? { note: u.note } : {}),
    ...(u.notRead ? { nr: u.notRead } : {}),
    ...(u.ownerAccountInLogs !== undefined ? { own: u.ownerAccountInLogs } : {}),
    ...(u.caveat ? { cav: u.caveat } : {}),
    t: parties(u).map(partyData),
  };
}

/** The verdicts of a finding, one per third party (the filter's values); `no verdict` when there is none. */
export function usageVerdicts(u: UsageEvidence | undefined): string[] {
  if (!u) return ['no usage evidence'];
  const vs = [...new Set(parties(u).map((t) => String(t.verdict)))];
  return vs.length > 0 ? vs : ['no verdict'];
}

/** The findings-table cell: each third party's verdict, e.g. `999988887777 safe to enforce`. */
export function usageCell(u: UsageEvidence | undefined): string {
  if (!u) return '<td class="muted">none</td>';
  const list = parties(u);
  if (list.length === 0) return '<td class="muted">no verdict</td>';
  return `<td>${list
    .map(
      (t) =>
        `<span class="uv uv-${esc(String(t.verdict))}">${esc(String(t.verdict).replace(/-/g, ' '))}</span> <span class="muted">${esc(String(t.account))}</span>`,
    )
    .join('<br>')}</td>`;
}

/** Styles of the usage column and panel (added to the page's stylesheet only when usage is shown). */
export const USAGE_STYLE = `#findings-table.has-usage th:nth-child(8){width:170px}#findings-table.has-usage th:nth-child(9){width:84px}
.uv{display:inline-block;border-radius:10px;padding:0 6px;font-size:12px;border:1px solid var(--line);white-space:nowrap}
.uv-safe-to-enforce{background:#dafbe1;border-color:var(--ok)}.uv-sends-several-ids,.uv-sends-none,.uv-inconclusive{background:#fff8c5;border-color:#d4a72c}.uv-unused-in-window{background:#ddf4ff;border-color:var(--low)}
table.usage{font-size:13px}table.usage td{overflow-wrap:anywhere}table.usage td:first-child{white-space:nowrap}
`;
