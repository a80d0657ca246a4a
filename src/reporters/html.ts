import { createHash } from 'node:crypto';
import type { Finding } from '../findings/types.js';
import { severityRank } from '../findings/types.js';
import type { JsonLike } from '../model/types.js';
import {
  accountNames,
  countBy,
  isActive,
  locationText,
  principalLabel,
  roleLabel,
  SEVERITIES_DESC,
  sortedCounts,
  statusOf,
} from './format-helpers.js';
import { clientScript } from './html/client.js';
import { esc, scriptJsonPieces } from './html/escape.js';
import { addProtectedTrust, graphIndex, placeOf } from './html/graph.js';
import { scanHeader } from './html/header.js';
import { STYLE } from './html/style.js';
import { type ClientUsage, USAGE_STYLE, usageCell, usageData, usageVerdicts } from './html/usage.js';
import { type JsonPath, lazyMap } from './json-pieces.js';
import { piecesOrWhole, type Report, type Reporter, type ReporterOptions } from './types.js';

function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

function sevBadge(s: string): string {
  return `<span class="sev sev-${esc(s)}">${esc(s)}</span>`;
}

function countTable(
  title: string,
  head: [string, string],
  rows: [string, number][],
  extra?: (k: string) => string,
): string {
  if (rows.length === 0) return '';
  const body = rows
    .map(([k, n]) => `<tr><td>${esc(k)}${extra ? extra(k) : ''}</td><td class="n">${n}</td></tr>`)
    .join('');
  return `<div><h3>${esc(title)}</h3><table><thead><tr><th>${esc(head[0])}</th><th class="n">${esc(head[1])}</th></tr></thead><tbody>${body}</tbody></table></div>`;
}

/** A summary table shows at most this many rows; the rest are added up in one row. */
const SUMMARY_ROWS = 15;

function capRows(rows: [string, number][]): [string, number][] {
  if (rows.length <= SUMMARY_ROWS) return rows;
  const rest = rows.slice(SUMMARY_ROWS - 1);
  return [...rows.slice(0, SUMMARY_ROWS - 1), [`${rest.length} more`, rest.reduce((n, [, c]) => n + c, 0)]];
}

interface ClientFinding {
  r: number;
  s: number | null;
  m: string;
  sev: string;
  rule: string;
  role: string;
  id: string;
  arn?: string;
  loc: string;
  fp: string;
  pr: string[];
  /** Vendor (or account id, or group) of each principal: the vendor filter. */
  v: string[];
  /** The file: the file filter. */
  fl: string;
  /** Trust-graph nodes: the principals' and the role's. */
  gp: number[];
  gr: number;
  status: string;
  sup?: string;
  /** Evidence details and remediation steps are indexes into the shared string table `S` (they repeat a lot). */
  ev: { summary: string; details: number[]; request?: unknown };
  /** `cp`: index of the corrected policy in the shared table `P` (findings of one document share it). */
  rem: { summary: string; steps: number[]; command?: string; cp?: number };
  /** Usage evidence (`evidence.usage`) and its verdicts (the usage filter), on a page that shows usage. */
  u?: ClientUsage;
  uv?: string[];
}

/**
 * One self-contained HTML file: summary, trust graph, a filterable and sortable findings table and per
 * finding the trust policy (offending statement highlighted), evidence and the corrected policy. Every
 * value from the scan is escaped; the page's only script and style are inline and pinned by hash in a
 * strict Content-Security-Policy, so it works from disk and loads nothing from the network.
 */
export function renderHtml(report: Report, opts: Partial<ReporterOptions> = {}): string {
  return Array.from(htmlPieces(report, opts)).join('');
}

/** The page as pieces that joined are `renderHtml`'s text (a large report is written in parts). */
export const htmlReporter: Reporter = (report, opts) =>
  piecesOrWhole(report, opts, () => htmlPieces(report, opts));

/** Rows of the findings table joined into one piece. */
const ROWS_PER_PIECE = 256;

/**
 * The page, made as it is written. The findings are read twice: once while their table rows are written
 * (which also fills the shared string and policy tables and the trust graph), then again for the page's
 * data block, each finding's entry made as it is written (the data block comes last but lists the tables
 * first, so they must be complete by then).
 */
export function* htmlPieces(report: Report, opts: Partial<ReporterOptions> = {}): Generator<string> {
  const names = accountNames(report);
  const findings = report.findings;
  // The usage column, filter and panel only when a finding has usage: other pages stay as they were.
  const withUsage = findings.some((f) => f.evidence.usage !== undefined);
  const script = clientScript(withUsage);
  const style = withUsage ? STYLE + USAGE_STYLE : STYLE;
  const open = findings.filter(isActive);
  const roleIndex = new Map<string, number>();
  (report.roles ?? []).forEach((r, i) => {
    const k = r.variant ? `${r.id}\u0000${r.variant}` : r.id;
    if (!roleIndex.has(k)) roleIndex.set(k, i);
  });
  // Summary
  const sev = countBy(open, (f) => f.severity);
  const cards = SEVERITIES_DESC.map(
    (s) => `<div class="card" data-sev="${s}">${sevBadge(s)}<b>${sev.get(s) ?? 0}</b></div>`,
  ).join('');
  const byRule = sortedCounts(countBy(open, (f) => f.ruleId));
  const ruleTitle = new Map(report.rules.map((r) => [r.id, r.title]));
  const byRoleAccount = sortedCounts(countBy(open, (f) => f.resource.account ?? '(unknown)'));
  // By vendor, as the graph groups them (unnamed accounts, AWS services and anyone are one row each).
  const vendorCounts = new Map<string, number>();
  for (const f of open) {
    for (const v of new Set(f.principals.map((p) => placeOf(p, names).group)))
      vendorCounts.set(v, (vendorCounts.get(v) ?? 0) + 1);
  }
  const summary = `<div class="cards">${cards}</div>
<p>${open.length} open finding${open.length === 1 ? '' : 's'} in ${report.summary.rolesScanned} roles scanned${report.summary.filesScanned ? ` from ${report.summary.filesScanned} files` : ''}; ${findings.filter((f) => f.suppressed).length} suppressed, ${findings.filter((f) => !f.suppressed && f.inBaseline).length} in the baseline.</p>
<div class="grid" id="summary-tables">${countTable('By rule', ['rule', 'open'], byRule, (k) => (ruleTitle.get(k) ? ` <span class="muted">${esc(ruleTitle.get(k) ?? '')}</span>` : ''))}${countTable('By role account', ['account', 'open'], capRows(byRoleAccount), (k) => (names[k] ? ` <span class="muted">${esc(names[k] ?? '')}</span>` : ''))}${countTable('By third party (vendor)', ['vendor', 'open'], capRows(sortedCounts(vendorCounts)))}</div>`;

  // Errors
  const errors =
    report.errors.length === 0
      ? ''
      : `<section id="errors"><h2>Scan errors</h2><p class="warn">The scan is incomplete: ${report.errors.length} input${report.errors.length === 1 ? '' : 's'} could not be read; roles in them were not judged.</p><table><thead><tr><th>where</th><th>code</th><th>message</th></tr></thead><tbody>${report.errors
          .map(
            (e) =>
              `<tr><td>${esc(e.file ? `${e.file}${e.line ? `:${e.line}${e.column ? `:${e.column}` : ''}` : ''}` : (e.account ?? e.source))}</td><td><code>${esc(e.code)}</code></td><td>${esc(e.message)}</td></tr>`,
          )
          .join('')}</tbody></table></section>`;
  const warnings =
    report.warnings.length === 0
      ? ''
      : `<section id="warnings"><h2>Warnings</h2><ul>${report.warnings.map((w) => `<li>${esc(w.file ? `${w.file}: ` : '')}${esc(w.message)}</li>`).join('')}</ul></section>`;

  // Graph: nodes and edges as data; the page's script groups, expands and filters them.
  const graph = graphIndex(names);
  const covered = new Set<string>();

  // Findings table and client data
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const intern = (t: string): number => {
    let i = stringIndex.get(t);
    if (i === undefined) {
      i = strings.length;
      strings.push(t);
      stringIndex.set(t, i);
    }
    return i;
  };
  // Each corrected policy once (findings of one rule on one document share it): the page grows with
  // the input, not with findings times policy size.
  const policies: JsonLike[] = [];
  const policyIndex = new Map<JsonLike, number>();
  const policyOf = (p: JsonLike): number => {
    let i = policyIndex.get(p);
    if (i === undefined) {
      i = policies.length;
      policies.push(p);
      policyIndex.set(p, i);
    }
    return i;
  };
  const clientFinding = (f: Finding): ClientFinding => {
    const rIdx =
      roleIndex.get(f.resource.variant ? `${f.resource.id}\u0000${f.resource.variant}` : f.resource.id) ?? -1;
    const gr = graph.role(f.resource.id, f.resource.variant, roleLabel(f), f.resource.account);
    const gp = [...new Set(f.principals.map((p) => graph.principal(p)))];
    for (const x of gp) covered.add(`${x}:${gr}`);
    return {
      r: rIdx,
      s: f.statement?.index ?? null,
      m: f.message,
      sev: f.severity,
      rule: f.ruleId,
      role: roleLabel(f),
      id: f.resource.id,
      ...(f.resource.arn ? { arn: f.resource.arn } : {}),
      loc: locationText(f),
      fp: f.fingerprint,
      pr: f.principals.map((p) => principalLabel(p, names)),
      v: [...new Set(f.principals.map((p) => placeOf(p, names).facet))],
      fl: f.location.file,
      gp,
      gr,
      status: statusOf(f),
      ...(f.suppression ? { sup: f.suppression.reason } : {}),
      ev: {
        summary: f.evidence.summary,
        details: f.evidence.details.map(intern),
        ...(f.evidence.request ? { request: f.evidence.request } : {}),
      },
      rem: {
        summary: f.remediation.summary,
        steps: f.remediation.steps.map(intern),
        ...(f.remediation.command ? { command: f.remediation.command } : {}),
        ...(f.remediation.correctedPolicy !== undefined
          ? { cp: policyOf(f.remediation.correctedPolicy) }
          : {}),
      },
      ...(withUsage && f.evidence.usage ? { u: usageData(f.evidence.usage) } : {}),
      ...(withUsage ? { uv: usageVerdicts(f.evidence.usage) } : {}),
    };
  };
  const row = (f: Finding, i: number): string => {
    const status = statusOf(f);
    const pr = f.principals.map((p) => principalLabel(p, names));
    return `<tr data-i="${i}" data-sev="${esc(f.severity)}" data-rule="${esc(f.ruleId)}" data-status="${status}" class="st-${status}"><td data-key="${severityRank(f.severity)}">${sevBadge(f.severity)}</td><td>${esc(f.ruleId)}</td><td>${esc(roleLabel(f))}</td><td>${esc(f.resource.account ?? '')}</td><td>${esc(pr.join('; '))}</td><td>${esc(locationText(f))}</td><td>${status}</td>${withUsage ? usageCell(f.evidence.usage) : ''}<td><button type="button" data-i="${i}">Details</button></td></tr>`;
  };
  const th = (col: number, label: string, type = 'text') =>
    `<th data-col="${col}" data-type="${type}"><button type="button">${esc(label)}</button></th>`;

  const csp = [
    "default-src 'none'",
    `style-src ${cspHash(style)}`,
    `script-src ${cspHash(script)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const when = opts.generatedAt ? ` at ${esc(opts.generatedAt)}` : '';
  const incomplete = report.summary.complete
    ? ''
    : '<p class="warn">Incomplete scan: some inputs or accounts could not be scanned (see Scan errors).</p>';
  const notJudged = report.summary.rolesNotJudged ?? 0;
  const unjudged =
    notJudged > 0
      ? `<p class="warn">${notJudged} role${notJudged === 1 ? ' was' : 's were'} not judged: the trust is unknown until deployment (see Warnings).</p>`
      : '';

  yield `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>trustaudit report: ${open.length} open findings</title>
<style>${style}</style>
</head>
<body>
<header>
<h1>Cross-account trust report</h1>
<p class="meta">${esc(report.tool.name)} ${esc(report.tool.version)}${when}: third-party AWS accounts that can assume a role without an external ID or MFA.</p>
${scanHeader(report)}
${incomplete}${unjudged}
<nav><a href="#summary">Summary</a><a href="#graph">Trust graph</a><a href="#findings">Findings</a>${report.errors.length ? '<a href="#errors">Scan errors</a>' : ''}</nav>
</header>
<main>
<section id="summary"><h2>Summary</h2>${summary}</section>
${errors}
<section id="graph"><h2>Trust graph</h2><p class="legend"><span><i class="l-bad"></i>unprotected (finding)</span><span><i class="l-sup"></i>suppressed</span><span><i class="l-ok"></i>no finding (condition or trusted account)</span><span class="muted">Third parties are grouped by vendor and roles by account; click a group to expand it. The graph follows the filters of the findings table; the number on a line counts findings.</span></p><div id="graph-box"><p class="muted" id="graph-empty">No cross-account trust found.</p></div></section>
<section id="findings"><h2>Findings</h2>${findings.length === 0 ? '<p>No findings.</p>' : ''}<div class="filters"><label>Text <input id="f-text" type="search" placeholder="role, account, file..." autocomplete="off"></label>
<button type="button" id="f-clear">Clear filters</button>
<span id="count" class="count">${findings.length} findings</span></div>
<div id="panes" class="panes" aria-label="Filters"></div>
<div class="pager" id="pager"><button type="button" id="pg-prev">Previous</button><span id="pg-info"></span><button type="button" id="pg-next">Next</button><label>Per page <select id="pg-size"><option value="25">25</option><option value="50" selected>50</option><option value="100">100</option><option value="0">all</option></select></label></div>
<table id="findings-table"${withUsage ? ' class="has-usage"' : ''}><thead><tr>${th(0, 'Severity', 'num')}${th(1, 'Rule')}${th(2, 'Role')}${th(3, 'Account')}${th(4, 'Trusted principal')}${th(5, 'Location')}${th(6, 'Status')}${withUsage ? th(7, 'Usage') : ''}<th></th></tr></thead><tbody id="rows">`;
  // First pass: the rows, and (through each finding's data entry, made and dropped) the tables and graph.
  for (let i = 0; i < findings.length; i += ROWS_PER_PIECE) {
    const rows: string[] = [];
    for (let j = i; j < Math.min(i + ROWS_PER_PIECE, findings.length); j++) {
      const f = findings[j] as Finding;
      clientFinding(f);
      rows.push(row(f, j));
    }
    yield `${i === 0 ? '' : '\n'}${rows.join('\n')}`;
  }
  addProtectedTrust(graph, report, names, covered);
  yield `</tbody></table></section>
${warnings}
</main>
<dialog id="detail" aria-labelledby="detail-title"><div class="dlg-head"><span id="detail-title" class="muted">Finding</span><button type="button" id="detail-close">Close</button></div><div id="detail-body"></div></dialog>
<script type="application/json" id="ta-data">`;
  // Second pass: the data block; the tables are complete, so each finding's entry is made again as written.
  const clientData = {
    S: strings,
    P: policies,
    f: lazyMap(findings, clientFinding),
    G: graph.data,
    T: Object.fromEntries(report.rules.map((r) => [r.id, r.title])),
    r: lazyMap(report.roles ?? [], (r) => ({
      name: r.name,
      id: r.id,
      ...(r.arn ? { arn: r.arn } : {}),
      ...(r.account ? { account: r.account } : {}),
      ...(r.description ? { description: r.description } : {}),
      ...(r.tags ? { tags: r.tags } : {}),
      ...(r.trustPolicy !== undefined ? { policy: r.trustPolicy } : {}),
    })),
  };
  yield* scriptJsonPieces(clientData, expandData);
  yield `</script>
<script>${script}</script>
</body>
</html>
`;
}

/** The data block's long lists (and the trust graph's), written a batch of members at a time. */
const DATA_LISTS = new Set(['S', 'P', 'f', 'r', 'G']);
const GRAPH_LISTS = new Set(['p', 'r', 'ok']);
const expandData = (p: JsonPath): boolean =>
  p.length === 0 ||
  (p.length === 1 && DATA_LISTS.has(String(p[0]))) ||
  (p.length === 2 && p[0] === 'G' && GRAPH_LISTS.has(String(p[1])));
