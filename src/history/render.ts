import { mdText } from '../reporters/markdown.js';
import { neutraliseLine } from '../util/neutralise.js';
import type { HistoryDiff, ScanRecord, StoredFinding } from './store.js';

function scanLabel(s: ScanRecord): string {
  return `#${s.id} (${s.startedAt})`;
}

function line(f: StoredFinding): string {
  const p = f.finding.principals.map((x) =>
    x.account ? (x.accountName ? `${x.accountName} (${x.account})` : x.account) : x.value,
  );
  const loc = f.finding.location;
  return `${f.severity.toUpperCase()} ${f.ruleId} ${f.resourceName}${p.length ? ` <- ${p.join(', ')}` : ''}  ${loc.file}${loc.line ? `:${loc.line}` : ''}${f.suppressed ? ' [suppressed]' : ''}`;
}

/** Plain text for the terminal. Control characters from the data are made visible, never sent raw. */
export function renderDiffText(d: HistoryDiff): string {
  const safe = neutraliseLine;
  const out = [
    `${safe(d.from.target)}: scan ${scanLabel(d.from)} -> ${scanLabel(d.to)}`,
    `${d.new.length} new, ${d.fixed.length} fixed, ${d.unchanged.length} unchanged`,
  ];
  if (d.new.length) out.push('', 'New:', ...d.new.map((f) => `  + ${safe(line(f))}`));
  if (d.fixed.length) out.push('', 'Fixed:', ...d.fixed.map((f) => `  - ${safe(line(f))}`));
  return `${out.join('\n')}\n`;
}

function brief(f: StoredFinding) {
  return {
    fingerprint: f.fingerprint,
    ruleId: f.ruleId,
    severity: f.severity,
    resource: f.finding.resource,
    location: f.finding.location,
    principals: f.finding.principals,
    message: f.message,
    suppressed: f.suppressed,
  };
}

function scanBrief(s: ScanRecord) {
  return {
    id: s.id,
    target: s.target,
    startedAt: s.startedAt,
    toolVersion: s.toolVersion,
    complete: s.complete,
  };
}

export function renderDiffJson(d: HistoryDiff): string {
  return `${JSON.stringify(
    {
      from: scanBrief(d.from),
      to: scanBrief(d.to),
      counts: { new: d.new.length, fixed: d.fixed.length, unchanged: d.unchanged.length },
      new: d.new.map(brief),
      fixed: d.fixed.map(brief),
      unchanged: d.unchanged.map(brief),
    },
    null,
    2,
  )}\n`;
}

/** For a pull-request comment (same escaping rules as the markdown reporter). */
export function renderDiffMarkdown(d: HistoryDiff, maxRows = 200): string {
  const out = [
    `## trustaudit: changes in ${mdText(d.from.target, 120)}`,
    '',
    `Scan #${d.from.id} → #${d.to.id}: **${d.new.length} new**, ${d.fixed.length} fixed, ${d.unchanged.length} unchanged.`,
  ];
  const table = (title: string, list: StoredFinding[]) => {
    if (!list.length) return;
    out.push(
      '',
      `### ${title}`,
      '',
      '| severity | rule | role | trusted principal | location |',
      '|---|---|---|---|---|',
    );
    for (const f of list.slice(0, maxRows)) {
      const p = f.finding.principals.map((x) => x.accountName ?? x.account ?? x.value).join(', ');
      const loc = f.finding.location;
      out.push(
        `| ${f.severity} | ${mdText(f.ruleId, 20)} | ${mdText(f.resourceName, 120)} | ${mdText(p, 160)} | ${mdText(`${loc.file}${loc.line ? `:${loc.line}` : ''}`, 160)} |`,
      );
    }
    if (list.length > maxRows) out.push('', `…and ${list.length - maxRows} more.`);
  };
  table('New', d.new);
  table('Fixed', d.fixed);
  return `${out.join('\n')}\n`;
}
