import type { Finding } from '../findings/types.js';
import {
  accountNames,
  bySeverity,
  countBy,
  isActive,
  locationText,
  principalsText,
  roleLabel,
  SEVERITIES_DESC,
  truncate,
} from './format-helpers.js';
import { usageVerdictsText } from './text.js';
import { piecesOrWhole, type Report, type Reporter } from './types.js';

/** GitHub rejects issue and pull-request comments longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/**
 * Text from the scan, made inert inside a Markdown table cell: no HTML, no links or images, no
 * emphasis, no pipes breaking the table, no `@mentions` pinging people, no autolinks (`://`, `www.`),
 * one line.
 */
export function mdText(s: string, max = 200): string {
  const one = truncate(s.replace(/[\r\n\u2028\u2029]+/g, ' '), max);
  return one
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+!|~]/g, (c) => `\\${c}`)
    .replace(/@/g, '@\u200b')
    .replace(/:\/\//g, ':\u200b//')
    .replace(/(www)\./gi, '$1\u200b.');
}

const ICON: Record<string, string> = {
  critical: '🟥',
  high: '🟧',
  medium: '🟨',
  low: '🟦',
  info: '⬜',
};

/**
 * Text from the scan inside raw HTML (a `<summary>` line, where GitHub applies no Markdown): every
 * character HTML or Markdown gives a meaning to becomes a character reference, mentions and autolinks
 * are broken with a zero-width space, one line.
 */
export function htmlText(s: string, max = 200): string {
  return truncate(s.replace(/[\r\n\u2028\u2029]+/g, ' '), max)
    .replace(/[&<>"'\\`*_{}[\]()#+!|~]/g, (c) => `&#${c.charCodeAt(0)};`)
    .replace(/@/g, '@\u200b')
    .replace(/:\/\//g, ':\u200b//')
    .replace(/(www)\./gi, '$1\u200b.');
}

/** At most this many evidence lines in a finding's details. */
const DETAILS_MAX = 6;

/**
 * One finding: a `<details>` block whose summary line is the finding in short (severity, rule, role, who
 * can get in, the short reason), opening on where it is, what it means and the fix.
 */
function findingBlock(f: Finding, names: Record<string, string>): string {
  const summary = `${ICON[f.severity] ?? ''} <b>${htmlText(f.severity, 10)}</b> ${htmlText(f.ruleId, 20)} <b>${htmlText(roleLabel(f), 120)}</b>: ${htmlText(principalsText(f, names), 160)}. ${htmlText(f.evidence.summary, 240)}`;
  const body: string[] = [`- Location: ${mdText(locationText(f), 200)}`, `- ${mdText(f.message, 400)}`];
  for (const d of f.evidence.details.slice(0, DETAILS_MAX)) body.push(`  - ${mdText(d, 300)}`);
  if (f.evidence.details.length > DETAILS_MAX)
    body.push(`  - …and ${f.evidence.details.length - DETAILS_MAX} more`);
  const usage = usageVerdictsText(f);
  if (usage) body.push(`- Usage: ${mdText(usage, 400)}`);
  body.push(`- Fix: ${mdText(f.remediation.summary, 400)}`);
  return `<details><summary>${summary}</summary>\n\n${body.join('\n')}\n\n</details>\n`;
}

/**
 * A compact summary for a pull-request comment: counts by severity, then the open findings most severe
 * first, each a line with its short reason that opens on its details. Always shorter than GitHub's comment limit; when findings had to be left out it says how many.
 */
export function renderMarkdown(report: Report, limit = GITHUB_COMMENT_LIMIT): string {
  const names = accountNames(report);
  const open = bySeverity(report.findings.filter(isActive));
  const suppressed = report.findings.filter((f) => f.suppressed).length;
  const baseline = report.findings.filter((f) => !f.suppressed && f.inBaseline).length;
  const sev = countBy(open, (f) => f.severity);

  const head: string[] = [];
  head.push('## trustaudit: cross-account trust');
  head.push('');
  if (open.length === 0) {
    head.push(`✅ No open findings in ${report.summary.rolesScanned} roles.`);
  } else {
    head.push(
      `❌ **${open.length} open finding${open.length === 1 ? '' : 's'}** in ${report.summary.rolesScanned} roles scanned.`,
    );
  }
  const notJudged = report.summary.rolesNotJudged ?? 0;
  if (notJudged > 0) {
    head.push('');
    head.push(
      `⚠️ ${notJudged} role${notJudged === 1 ? ' was' : 's were'} not judged: the trust is unknown until deployment.`,
    );
    for (const w of report.warnings.filter((x) => x.code === 'role-not-judged').slice(0, 10)) {
      head.push(
        `- ${mdText(`${w.file ?? ''}${w.line ? `:${w.line}` : ''}`, 160)}: ${mdText(w.message, 240)}`,
      );
    }
  }
  const extra: string[] = [];
  if (suppressed) extra.push(`${suppressed} suppressed`);
  if (baseline) extra.push(`${baseline} already in the baseline`);
  if (extra.length) head.push(`Not counted: ${extra.join(', ')}.`);
  if (!report.summary.complete || report.errors.length > 0) {
    head.push('');
    head.push(
      `⚠️ The scan is incomplete: ${report.errors.length} input${report.errors.length === 1 ? '' : 's'} could not be read.`,
    );
    for (const e of report.errors.slice(0, 10)) {
      const where = e.file ? `${e.file}${e.line ? `:${e.line}` : ''}` : (e.account ?? e.source);
      head.push(`- ${mdText(where, 160)}: ${mdText(e.message, 240)}`);
    }
    if (report.errors.length > 10) head.push(`- …and ${report.errors.length - 10} more`);
  }
  head.push('');
  head.push(`| ${SEVERITIES_DESC.map((s) => `${ICON[s]} ${s}`).join(' | ')} |`);
  head.push(`|${SEVERITIES_DESC.map(() => '---:').join('|')}|`);
  head.push(`| ${SEVERITIES_DESC.map((s) => String(sev.get(s) ?? 0)).join(' | ')} |`);

  const footer = `\n<sub>${mdText(report.tool.name, 40)} ${mdText(report.tool.version, 40)}</sub>\n`;
  let out = `${head.join('\n')}\n`;
  if (open.length === 0) return out + footer;

  out += '\n';
  // Room kept for the truncation note and footer.
  const budget = limit - footer.length - 200;
  let shown = 0;
  for (const f of open) {
    const line = findingBlock(f, names);
    if (out.length + line.length > budget) break;
    out += line;
    shown++;
  }
  if (shown < open.length) {
    out += `\n> ✂️ ${open.length - shown} more finding${open.length - shown === 1 ? '' : 's'} not shown (GitHub comment size limit). See the full report (HTML, SARIF or JSON) for all of them.\n`;
  }
  return out + footer;
}

/** The comment is at most `GITHUB_COMMENT_LIMIT` characters, so it is always one piece. */
export const markdownReporter: Reporter = (report, opts) =>
  piecesOrWhole(report, opts, () => markdownPieces(report));

function* markdownPieces(report: Report): Generator<string> {
  yield renderMarkdown(report);
}
