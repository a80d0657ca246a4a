import pc from 'picocolors';
import { boundText, fieldMax } from '../findings/bounded-text.js';
import type { Finding, Severity } from '../findings/types.js';
import type { ScanError, SourceLocation } from '../model/types.js';
import { DEFAULT_BUDGETS } from '../scan/budgets.js';
import {
  type ThirdPartyUsage,
  USAGE_VERDICTS,
  type UsageEvidence,
  type UsageVerdict,
} from '../usage/types.js';
import { append } from '../util/append.js';
import { neutraliseLine } from '../util/neutralise.js';
import { accountNames, principalLabel } from './format-helpers.js';
import { piecesOrWhole, type Report, type Reporter, type ReporterOptions } from './types.js';

type Colors = ReturnType<typeof pc.createColors>;

/**
 * Every value from the scan is one inert line on the terminal: a role name or Sid holding escape
 * sequences (clear screen, window title, OSC 8 links) or newlines is shown, not obeyed.
 */
const safe = neutraliseLine;

const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/**
 * Human-readable report grouped by role: the role and its location once, then one line per finding
 * (severity, rule, who can get in, the short reason); `verbose` adds the evidence, the allowed request
 * and the fix. Notes that would repeat on every finding are printed once. Colour only when asked (TTY).
 */
export const textReporter: Reporter = (report, opts) =>
  piecesOrWhole(report, opts, () => textLines(report, opts));

/** Each line of the text report with its line end, made as it is written. */
function* textLines(report: Report, opts: ReporterOptions): Generator<string> {
  const c = pc.createColors(opts.color);
  const names = accountNames(report);
  const verbose = opts.verbose === true;
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
    const at = formatLocation(first.location);
    // A bare policy file's role id is its path: shown once, as the location.
    const id = r.id === first.location.file ? '' : `  ${c.dim(safe(r.id))}`;
    const lines = [`${c.bold(safe(r.name))}  ${safe(at)}${id}${where ? c.dim(` (${safe(where)})`) : ''}`];
    for (const f of findings) {
      lines.push(findingLine(f, first.location, names, c));
      if (verbose) append(lines, findingDetails(f, c));
    }
    lines.push('');
    yield `${lines.join('\n')}\n`;
  }
  const out: string[] = [];
  append(out, notes(report, c));
  if (verbose) append(out, usageCaveats(report, c));
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
  append(out, ruleSection(report, c));
  out.push(summaryLine(report, c));
  if (report.findings.length > 0 && !verbose)
    out.push(
      c.dim('Give --verbose for the evidence, the request that is allowed and the fix of each finding.'),
    );
  const config = configLine(report);
  if (config) out.push(c.dim(safe(config)));
  // The closing sections: errors and warnings a batch of lines at a time (a scan may have many).
  for (let i = 0; i < out.length; i += LINES_PER_PIECE) {
    yield `${out.slice(i, i + LINES_PER_PIECE).join('\n')}\n`;
  }
}

/** Lines joined into one piece of the closing sections. */
const LINES_PER_PIECE = 1024;

/** At most this many principals are named on a finding's line; the rest are counted. */
const PRINCIPALS_ON_LINE = 3;

/**
 * `  HIGH     TA001  Datadog (464622532012)  No effective external ID ... in statement 0.` The location is
 * added only when it differs from the role's (another statement line, another file).
 */
function findingLine(f: Finding, roleAt: SourceLocation, names: Record<string, string>, c: Colors): string {
  const who = [...new Set(f.principals.map((p) => principalLabel(p, names)))];
  const shown =
    who.slice(0, PRINCIPALS_ON_LINE).join(', ') +
    (who.length > PRINCIPALS_ON_LINE ? ` +${who.length - PRINCIPALS_ON_LINE} more` : '');
  const l = f.location;
  const at =
    l.file !== roleAt.file
      ? ` ${c.dim(`(at ${safe(formatLocation(l))})`)}`
      : l.line !== undefined && (l.line !== roleAt.line || l.column !== roleAt.column)
        ? ` ${c.dim(`(line ${l.line}${l.column !== undefined ? `:${l.column}` : ''})`)}`
        : '';
  const tag = f.suppressed ? c.dim(' [suppressed]') : f.inBaseline ? c.dim(' [in baseline]') : '';
  const hint = f.evidence.usage ? usageHint(f.evidence.usage) : undefined;
  const usage = hint ? ` ${c.dim(`[usage: ${hint}]`)}` : '';
  return `  ${paintSeverity(f.severity, c)} ${c.bold(safe(f.ruleId))}  ${safe(shown || '(no principal)')}  ${safe(f.evidence.summary)}${at}${tag}${usage}`;
}

/** The `--verbose` block under a finding's line: what the finding says in full, and how to fix it. */
function findingDetails(f: Finding, c: Colors): string[] {
  const lines: string[] = [];
  const st = f.statement
    ? `statement ${f.statement.index}${f.statement.sid ? ` (${safe(f.statement.sid)})` : ''}: `
    : '';
  lines.push(`      ${c.dim(st)}${safe(f.title)}`);
  lines.push(`      ${safe(f.message)}`);
  for (const d of f.evidence.details) {
    // Printed once for the whole report (see `notes`).
    if (f.evidence.ownerKnown === false && OWNER_UNKNOWN.test(d)) continue;
    lines.push(`      ${c.dim('-')} ${safe(d)}`);
  }
  const req = f.evidence.request;
  if (req) {
    const ctx = Object.entries(req.context)
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : v}`)
      .join(', ');
    const absent = req.absentKeys.length > 0 ? `; without ${req.absentKeys.join(', ')}` : '';
    lines.push(
      `      ${c.dim('allowed:')} ${safe(`${req.action} by ${req.principal}${ctx ? ` with ${ctx}` : ''}${absent}`)}`,
    );
  }
  lines.push(`      ${c.green('fix:')} ${safe(f.remediation.summary)}`);
  if (f.remediation.command) lines.push(`        ${c.dim('$')} ${safe(f.remediation.command)}`);
  if (f.suppressed && f.suppression) {
    lines.push(`      ${c.dim(`suppressed (${f.suppression.kind}): ${safe(f.suppression.reason)}`)}`);
  }
  if (f.evidence.usage) append(lines, usageLines(f.evidence.usage, c));
  return lines;
}

/** Input text (a value from a log, a path) quoted in a usage line: at most the `message-length` budget. */
const QUOTE_MAX = DEFAULT_BUDGETS['message-length'];
/** At most this many external ids are quoted per third party; the rest are counted. */
const IDS_SHOWN = 5;

/** `safe-to-enforce` as words: `safe to enforce`. */
export function verdictLabel(v: UsageVerdict | string): string {
  return String(v).replace(/-/g, ' ');
}

/** An external id from a log (attacker-controlled text): cut, quoted, one inert line. */
function quotedId(value: string): string {
  return safe(JSON.stringify(boundText(String(value), QUOTE_MAX)));
}

/** Text we wrote that quotes input (advice, notes, sources): bounded and made one inert line. */
function bounded(s: string): string {
  return safe(boundText(String(s), fieldMax(QUOTE_MAX)));
}

/** `"vendor-id-1" ×4, "other" ×1 +3 more`, or `none`. */
export function idsText(t: ThirdPartyUsage): string {
  const ids = Array.isArray(t.externalIds) ? t.externalIds : [];
  if (ids.length === 0) return 'none';
  const shown = ids.slice(0, IDS_SHOWN).map((e) => `${quotedId(e.value)} ×${e.count}`);
  const more = ids.length - shown.length + (t.externalIdsNotListed ?? 0);
  return `${shown.join(', ')}${more > 0 ? ` +${more} more` : ''}`;
}

/**
 * The usage evidence of a finding in a few words, for its one line in the text report: the verdict of a
 * single third party (with the id to enforce), else the verdicts counted; undefined when there is none.
 */
export function usageHint(u: UsageEvidence): string | undefined {
  const parties = Array.isArray(u.thirdParties) ? u.thirdParties : [];
  if (parties.length === 0) {
    if (u.ownerAccountInLogs === false) return "no verdict, the role's account is not in the logs read";
    if (u.roleLastUsed && u.roleLastUsed.lastUsedDate === null) return 'never used (RoleLastUsed)';
    return undefined;
  }
  if (parties.length === 1) {
    const t = parties[0] as ThirdPartyUsage;
    const id =
      t.verdict === 'safe-to-enforce' && t.externalIds?.[0] ? ` ${quotedId(t.externalIds[0].value)}` : '';
    return `${verdictLabel(t.verdict)}${id}`;
  }
  const counts = new Map<string, number>();
  for (const t of parties) counts.set(String(t.verdict), (counts.get(String(t.verdict)) ?? 0) + 1);
  const rank = (v: string) => {
    const i = USAGE_VERDICTS.indexOf(v as UsageVerdict);
    return i < 0 ? USAGE_VERDICTS.length : i;
  };
  return [...counts]
    .sort((a, b) => rank(a[0]) - rank(b[0]))
    .map(([v, n]) => `${n} ${safe(verdictLabel(v))}`)
    .join(', ');
}

/**
 * The verdict per third party in one line, for the Markdown and CSV reports: `999988887777 safe to enforce
 * "vendor-id-1"; 444455556666 sends none`, or the hint when there is no third party; undefined without usage.
 * Raw text: each format escapes it its own way.
 */
export function usageVerdictsText(f: Finding): string | undefined {
  const u = f.evidence.usage;
  if (!u) return undefined;
  const list = Array.isArray(u.thirdParties) ? u.thirdParties : [];
  if (list.length === 0) return usageHint(u);
  return list
    .map((t) => {
      const id =
        t.verdict === 'safe-to-enforce' && t.externalIds?.[0]
          ? ` ${JSON.stringify(boundText(String(t.externalIds[0].value), QUOTE_MAX))}`
          : '';
      return `${t.account} ${verdictLabel(t.verdict)}${id}`;
    })
    .join('; ');
}

/** The `--verbose` usage block of a finding: what was read, RoleLastUsed, one line per third party. */
function usageLines(u: UsageEvidence, c: Colors): string[] {
  const lines: string[] = [];
  const w = u.window;
  const sources = Array.isArray(u.sources) ? u.sources : [];
  const window = w
    ? `last ${w.days} days, ${safe(String(w.from))} to ${safe(String(w.to))}`
    : 'no CloudTrail read';
  const read = sources.length > 0 ? `; read: ${sources.map(bounded).join('; ')}` : '';
  lines.push(`      ${c.cyan('usage:')} ${window}${read}`);
  const last = u.roleLastUsed;
  if (last)
    lines.push(
      `        RoleLastUsed: ${last.lastUsedDate === null ? 'never used (IAM has no record of a use)' : `${safe(String(last.lastUsedDate))}${last.region ? ` in ${safe(last.region)}` : ''}`}`,
    );
  if (u.note) lines.push(`        ${c.dim('note:')} ${bounded(u.note)}`);
  for (const t of Array.isArray(u.thirdParties) ? u.thirdParties : [])
    lines.push(`        ${partyLine(t, c)}`);
  if (u.notRead) lines.push(`        ${c.yellow('not read:')} ${bounded(u.notRead)}`);
  return lines;
}

/**
 * `999988887777  safe to enforce: 4 calls, first 2026-11-20T08:00:00.000Z, last ...; ids "x" ×4; 0 without
 * id; 0 with MFA; 1 denied (AccessDenied ×1). Require ...`
 */
function partyLine(t: ThirdPartyUsage, c: Colors): string {
  const seen =
    t.calls > 0 ? `, first ${safe(String(t.firstSeen ?? '?'))}, last ${safe(String(t.lastSeen ?? '?'))}` : '';
  const codes = Object.entries(t.errorCodes ?? {})
    .map(([k, n]) => `${safe(boundText(k, QUOTE_MAX))} ×${n}`)
    .join(', ');
  const denied = t.deniedCalls > 0 ? `; ${t.deniedCalls} denied${codes ? ` (${codes})` : ''}` : '';
  const facts = `${t.calls} call${t.calls === 1 ? '' : 's'}${seen}; ids ${idsText(t)}; ${t.callsWithoutExternalId} without id; ${t.callsWithMfa} with MFA${denied}`;
  return `${c.bold(safe(String(t.account)))}  ${paintVerdict(String(t.verdict), c)}: ${facts}. ${t.advice ? bounded(t.advice) : ''}`.trimEnd();
}

function paintVerdict(v: string, c: Colors): string {
  const label = safe(verdictLabel(v));
  if (v === 'safe-to-enforce') return c.green(label);
  if (v === 'unused-in-window') return c.cyan(label);
  return c.yellow(label);
}

/** The caveat of the usage evidence, once for the report (every finding with usage carries the same one). */
function usageCaveats(report: Report, c: Colors): string[] {
  const caveats = new Set<string>();
  for (const f of report.findings) {
    const cav = f.evidence.usage?.caveat;
    if (typeof cav === 'string' && cav) caveats.add(cav);
  }
  if (caveats.size === 0) return [];
  return [...[...caveats].map((cav) => `${c.bold(c.yellow('Usage:'))} ${bounded(cav)}`), ''];
}

/** The evidence line the rules add when the owner account is unknown (it names `--account`). */
const OWNER_UNKNOWN = /--account/;

/** Notes that apply to many findings, once: today the owner account that nobody gave. */
function notes(report: Report, c: Colors): string[] {
  const roles = new Set<string>();
  for (const f of report.findings)
    if (f.evidence.ownerKnown === false) roles.add(`${f.resource.id}\u0000${f.resource.variant ?? ''}`);
  if (roles.size === 0) return [];
  const n = roles.size;
  return [
    `${c.bold(c.yellow('Note:'))} the account that owns ${n === 1 ? 'the role above' : `${n} of the roles above`} is not known, so every account principal in ${n === 1 ? 'its' : 'their'} trust policy was treated as a possible third party. Give the owner with --account (or "account" in the config).`,
    '',
  ];
}

/** Open findings by rule, most first, each with the rule's title. */
function ruleSection(report: Report, c: Colors): string[] {
  const entries = Object.entries(report.summary.byRule).filter(([, n]) => n > 0);
  if (entries.length === 0) return [];
  const title = new Map(report.rules.map((r) => [r.id, r.title]));
  entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const width = Math.max(...entries.map(([, n]) => String(n).length));
  return [
    c.bold('Findings by rule:'),
    ...entries.map(([id, n]) =>
      `  ${c.bold(safe(id))}  ${String(n).padStart(width)}  ${safe(title.get(id) ?? '')}`.trimEnd(),
    ),
    '',
  ];
}

/** Who can get in: third-party accounts grouped by vendor (named via --known-accounts or config). */
function thirdPartySection(report: Report, c: Colors): string[] {
  const names = accountNames(report);
  const byVendor = new Map<string, { accounts: Set<string>; roles: Set<string> }>();
  for (const f of report.findings) {
    if (f.suppressed) continue;
    for (const p of f.principals) {
      if (!p.account || p.kind === 'service' || p.kind === 'federated') continue;
      const vendor = p.accountName ?? names[p.account] ?? 'Unnamed accounts';
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
    else if (cfg.origin === 'scanned-tree')
      parts.push(`Config: ${cfg.file} (found at or above the scanned path, not named with --config).`);
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
  if (s.baseline) parts.push(`${s.baseline.new} new, ${s.baseline.inBaseline} in the baseline.`);
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
