import type { Report } from '../types.js';
import { esc } from './escape.js';

/** Lists longer than this show their first entries and a count. */
const LIST_MAX = 20;

function list(ids: readonly string[], names: Record<string, string>): string {
  const shown = ids.slice(0, LIST_MAX).map((id) => (names[id] ? `${id} (${names[id]})` : id));
  const more = ids.length > LIST_MAX ? ` and ${ids.length - LIST_MAX} more` : '';
  return `${esc(shown.join(', '))}${more}`;
}

/**
 * How the scan was run: the command line, the config, and the accounts it was told about (owner, your own
 * accounts and organizations, the accounts a live scan read). Every value is escaped.
 */
export function scanHeader(report: Report): string {
  const s = report.scan;
  const cfg = report.summary.config;
  const names = report.accountNames ?? {};
  const rows: [string, string][] = [];
  if (s?.command) rows.push(['Command', `<code id="scan-command">${esc(s.command)}</code>`]);
  if (cfg) {
    const file =
      cfg.file === null
        ? 'none'
        : `${esc(cfg.file)}${cfg.origin === 'current-folder' ? ' (found in the current folder)' : ''}`;
    rows.push(['Config', `${file}; inline suppressions ${cfg.inlineSuppressions ? 'applied' : 'ignored'}`]);
  }
  if (s) {
    const unknownOwner = report.findings.some((f) => f.evidence.ownerKnown === false);
    rows.push([
      'Owner account',
      s.ownerAccount
        ? list([s.ownerAccount], names)
        : `not given${unknownOwner ? ' (for roles whose account the input does not say, every account principal was treated as a possible third party; give --account)' : ''}`,
    ]);
    if (s.trustedAccounts?.length) rows.push(['Your accounts', list(s.trustedAccounts, names)]);
    if (s.trustedOrgs?.length) rows.push(['Your organizations', list(s.trustedOrgs, {})]);
    if (s.scannedAccounts?.length)
      rows.push([
        'Accounts scanned',
        list(
          s.scannedAccounts.map((a) => a.id),
          Object.fromEntries(s.scannedAccounts.filter((a) => a.name).map((a) => [a.id, a.name ?? ''])),
        ),
      ]);
  }
  if (rows.length === 0) return '';
  return `<dl class="scan-info" id="scan-info">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}
