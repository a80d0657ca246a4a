import pc from 'picocolors';
import type { Finding, Severity } from '../findings/types.js';
import type { ScanError, SourceLocation } from '../model/types.js';
import { append } from '../util/append.js';
import { neutraliseLine } from '../util/neutralise.js';
import type { Report, WholeReporter } from './types.js';

type Colors = ReturnType<typeof pc.createColors>;

/**
 * Every value from the scan is one inert line on the terminal: a role name or Sid holding escape
 * sequences (clear screen, window title, OSC 8 links) or newlines is shown, not obeyed.
 */
const safe = neutraliseLine;

const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** Human-readable report grouped by role, with a summary line. Colour only when asked (TTY). */
export const textReporter: WholeReporter = (report, opts) => {
  const c = pc.createColors(opts.color);
  const out: string[] = [];
  const groups = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const key = `${f.resource.id}\u0000${f.resource.variant ?? ''}`;
    const g = groups.get(key) ?? [];
    g.push(f);
    groups.set(key, g);
  }
  for (const findings of groups.values()) {
    const first = findings[0]!;
    const r = first.resource;
    const where = [
      r.arn && r.arn !== r.id ? r.arn : undefined,
      r.construct,
      r.variant ? `when ${r.variant}` : undefined,
    ]
      .filter(Boolean)
      .join(', ');
    out.push(`${c.bold(safe(r.name))}  ${c.dim(safe(r.id))}${where ? c.dim(` (${safe(where)})`) : ''}`);
    for (const f of findings) out.push(...renderFinding(f, c));
    out.push('');
  }
  append(out, thirdPartySection(report, c));
  if (report.errors.length > 0) {
    out.push(c.bold(c.red('Could not be scanned:')));
    for (const e of report.errors) out.push(`  ${renderError(e)}`);
    out.push('');
  }
  if (report.warnings.length > 0) {
    out.push(c.bold(c.yellow('Warnings:')));
    for (const w of report.warnings) out.push(`  ${renderError(w)}`);
    out.push('');
  }
  out.push(summaryLine(report, c));
  const config = configLine(report);
  if (config) out.push(c.dim(safe(config)));
  return `${out.join('\n')}\n`;
};

/** Who can get in: third-party accounts grouped by vendor (named via --known-accounts or config). */
function thirdPartySection(report: Report, c: Colors): string[] {
  const byVendor = new Map<string, { accounts: Set<string>; roles: Set<string> }>();
  for (const f of report.findings) {
    if (f.suppressed) continue;
    for (const p of f.principals) {
      if (!p.account || p.kind === 'service' || p.kind === 'federated') continue;
      const vendor = p.accountName ?? 'Unnamed accounts';
      const g = byVendor.get(vendor) ?? { accounts: new Set(), roles: new Set() };
      g.accounts.add(p.account);
      g.roles.add(f.resource.name);
      byVendor.set(vendor, g);
    }
  }
  if (byVendor.size === 0) return [];
  const lines = [c.bold('Third parties that can get in:')];
  const vendors = [...byVendor.keys()].sort((a, b) =>
    a === 'Unnamed accounts' ? 1 : b === 'Unnamed accounts' ? -1 : a < b ? -1 : a > b ? 1 : 0,
  );
  for (const v of vendors) {
    const g = byVendor.get(v)!;
    const roles = [...g.roles].sort();
    const shown = roles.slice(0, 5).join(', ') + (roles.length > 5 ? `, … (${roles.length - 5} more)` : '');
    lines.push(
      `  ${c.bold(safe(v))} ${c.dim(`(${safe([...g.accounts].sort().join(', '))})`)}: ${roles.length} role${roles.length === 1 ? '' : 's'}: ${safe(shown)}`,
    );
  }
  lines.push('');
  return lines;
}

function renderFinding(f: Finding, c: Colors): string[] {
  const lines: string[] = [];
  const sev = paintSeverity(f.severity, c);
  const st = f.statement
    ? ` statement ${f.statement.index}${f.statement.sid ? ` (${safe(f.statement.sid)})` : ''}`
    : '';
  const tag = f.suppressed ? c.dim(' [suppressed]') : f.inBaseline ? c.dim(' [in baseline]') : '';
  lines.push(`  ${sev} ${c.bold(safe(f.ruleId))} ${safe(f.title)}${tag}`);
  lines.push(`    ${c.dim('at')} ${safe(formatLocation(f.location))}${c.dim(st)}`);
  lines.push(`    ${safe(f.message)}`);
  for (const d of f.evidence.details) lines.push(`    ${c.dim('-')} ${safe(d)}`);
  const req = f.evidence.request;
  if (req) {
    const ctx = Object.entries(req.context)
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : v}`)
      .join(', ');
    const absent = req.absentKeys.length > 0 ? `; without ${req.absentKeys.join(', ')}` : '';
    lines.push(
      `    ${c.dim('allowed:')} ${safe(`${req.action} by ${req.principal}${ctx ? ` with ${ctx}` : ''}${absent}`)}`,
    );
  }
  lines.push(`    ${c.green('fix:')} ${safe(f.remediation.summary)}`);
  if (f.remediation.command) lines.push(`      ${c.dim('$')} ${safe(f.remediation.command)}`);
  if (f.suppressed && f.suppression) {
    lines.push(`    ${c.dim(`suppressed (${f.suppression.kind}): ${safe(f.suppression.reason)}`)}`);
  }
  return lines;
}

function paintSeverity(s: Severity, c: Colors): string {
  const label = s.toUpperCase().padEnd(8);
  switch (s) {
    case 'critical':
      return c.bold(c.magenta(label));
    case 'high':
      return c.red(label);
    case 'medium':
      return c.yellow(label);
    case 'low':
      return c.cyan(label);
    default:
      return c.dim(label);
  }
}

export function formatLocation(l: SourceLocation): string {
  if (l.line === undefined) return l.file;
  return l.column === undefined ? `${l.file}:${l.line}` : `${l.file}:${l.line}:${l.column}`;
}

function renderError(e: ScanError): string {
  const where = e.file
    ? formatLocation({
        file: e.file,
        ...(e.line ? { line: e.line } : {}),
        ...(e.column ? { column: e.column } : {}),
      })
    : e.account
      ? `account ${e.account}`
      : e.source;
  return safe(`${where}: ${e.message} [${e.code}]`);
}

/**
 * `Config: trustaudit.config.yaml (found in the current folder, not named with --config). Suppressed:
 * 1 inline, 0 by the config.` A config file can trust accounts and suppress findings: say which one did.
 */
function configLine(report: Report): string | undefined {
  const cfg = report.summary.config;
  const by = report.summary.suppressedBy;
  if (!cfg && !by) return undefined;
  const parts: string[] = [];
  if (cfg) {
    const ignored = cfg.ignoredFile ? `; ${cfg.ignoredFile} ignored (--no-repo-config)` : '';
    if (cfg.file === null) parts.push(`Config: none${ignored}.`);
    else if (cfg.origin === 'current-folder')
      parts.push(`Config: ${cfg.file} (found in the current folder, not named with --config).`);
    else parts.push(`Config: ${cfg.file}.`);
  }
  if (by) {
    const inline =
      cfg?.inlineSuppressions === false ? 'inline ignored (--no-inline-suppressions)' : `${by.inline} inline`;
    parts.push(`Suppressed: ${inline}, ${by.config} by the config.`);
    if (by.inlineIgnored > 0)
      parts.push(
        `${by.inlineIgnored} finding${by.inlineIgnored === 1 ? '' : 's'} kept despite an inline suppression.`,
      );
  }
  return parts.join(' ');
}

function summaryLine(report: Report, c: Colors): string {
  const s = report.summary;
  const scope = `${s.rolesScanned} role${s.rolesScanned === 1 ? '' : 's'} from ${s.filesScanned} input${s.filesScanned === 1 ? '' : 's'}`;
  const parts: string[] = [];
  if (s.findings === 0) parts.push(c.green(`No findings in ${scope}.`));
  else {
    const bySev = SEVERITY_ORDER.filter((k) => s.bySeverity[k])
      .map((k) => `${s.bySeverity[k]} ${k}`)
      .join(', ');
    parts.push(c.bold(`${s.findings} finding${s.findings === 1 ? '' : 's'} (${bySev}) in ${scope}.`));
  }
  if (s.suppressed > 0) parts.push(`${s.suppressed} suppressed.`);
  if (!s.complete)
    parts.push(c.red(`Incomplete: ${s.errors} input${s.errors === 1 ? '' : 's'} could not be scanned.`));
  if (s.rolesNotJudged)
    parts.push(
      c.yellow(
        `${s.rolesNotJudged} role${s.rolesNotJudged === 1 ? ' was' : 's were'} not judged: the trust is unknown until deployment (see Warnings).`,
      ),
    );
  return parts.join(' ');
}
