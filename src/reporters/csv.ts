import type { Finding } from '../findings/types.js';
import { accountNames, principalsText, statusOf } from './format-helpers.js';
import { usageVerdictsText } from './text.js';
import { piecesOrWhole, type Report, type Reporter } from './types.js';

/** Column order of the CSV report (also its header row). */
export const CSV_COLUMNS = [
  'severity',
  'rule',
  'title',
  'status',
  'role',
  'variant',
  'role_id',
  'role_arn',
  'role_account',
  'principals',
  'principal_accounts',
  'vendors',
  'file',
  'line',
  'column',
  'statement',
  'message',
  'evidence',
  'remediation',
  'suppression_reason',
  'fingerprint',
] as const;

/** What a spreadsheet may read as the start of a formula (fullwidth forms included). */
const FORMULA_START = /^[\t\r\n]|^[\s\u00a0\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]/;

/**
 * Neutralise spreadsheet formulas: a cell that starts with `=`, `+`, `-`, `@`, a tab, a carriage return or
 * a line feed, also after leading spaces (some importers trim them), is prefixed with `'` so
 * Excel/Sheets/LibreOffice show it as text instead of evaluating it.
 */
export function guardFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF; inner quotes doubled. */
export function csvField(value: string): string {
  const v = guardFormula(value);
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function row(f: Finding, names: Record<string, string>): string[] {
  const accounts = [...new Set(f.principals.map((p) => p.account).filter((a): a is string => !!a))];
  const vendors = [
    ...new Set(accounts.map((a) => names[a]).concat(f.principals.map((p) => p.accountName))),
  ].filter((v): v is string => !!v);
  return [
    f.severity,
    f.ruleId,
    f.title,
    statusOf(f),
    f.resource.name,
    f.resource.variant ?? '',
    f.resource.id,
    f.resource.arn ?? '',
    f.resource.account ?? '',
    principalsText(f, names),
    accounts.join('; '),
    vendors.join('; '),
    f.location.file,
    f.location.line?.toString() ?? '',
    f.location.column?.toString() ?? '',
    f.statement ? (f.statement.sid ?? String(f.statement.index)) : '',
    f.message,
    evidenceCell(f),
    f.remediation.summary,
    f.suppression?.reason ?? '',
    f.fingerprint,
  ];
}

/** The evidence, and (only when the finding has usage evidence) the verdict per third party. */
function evidenceCell(f: Finding): string {
  const text = [f.evidence.summary, ...f.evidence.details].join(' ');
  const usage = usageVerdictsText(f);
  return usage ? `${text} Usage: ${usage}.` : text;
}

/** One row per finding (suppressed and baseline findings included, with their status), CRLF line ends. */
export const csvReporter: Reporter = (report, opts) => piecesOrWhole(report, opts, () => csvRows(report));

/** The header and each finding's row, each ended by CRLF, made as they are written. */
function* csvRows(report: Report): Generator<string> {
  const names = accountNames(report);
  yield `${CSV_COLUMNS.map(csvField).join(',')}\r\n`;
  for (const f of report.findings) yield `${row(f, names).map(csvField).join(',')}\r\n`;
}
