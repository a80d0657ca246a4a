import type { Finding } from '../findings/types.js';
import type { JsonLike, ScanError } from '../model/types.js';
import type { RuleMeta } from '../rules/types.js';

export interface Summary {
  rolesScanned: number;
  filesScanned: number;
  findings: number;
  suppressed: number;
  bySeverity: Record<string, number>;
  byRule: Record<string, number>;
  errors: number;
  /** False when an input or account could not be scanned: the result is incomplete. */
  complete: boolean;
  /**
   * Roles found but not judged, because their whole trust is unknown until deployment (each is named
   * in a `role-not-judged` warning). They have no finding and are never counted as clean.
   */
  rolesNotJudged?: number;
  /** Which configuration shaped the result (set by `buildReport`, so always present in the CLI's reports). */
  config?: ConfigSummary;
  /** Findings suppressed, by where the suppression was written (set by `buildReport`). */
  suppressedBy?: SuppressionCounts;
  /**
   * With `--baseline`: of the findings counted in `findings`, how many are new and how many the
   * baseline already had (those do not count for the exit code).
   */
  baseline?: { new: number; inBaseline: number };
}

/** Where the configuration came from: a config file can trust accounts and suppress findings. */
export interface ConfigSummary {
  /** The config file used (relative to the current folder when inside it), or null for none. */
  file: string | null;
  /**
   * `command-line` (`--config`), `current-folder` or `scanned-tree` (picked up without being named: in
   * the current folder, or the nearest one at or above the scanned path), or `none`.
   */
  origin: 'command-line' | 'current-folder' | 'scanned-tree' | 'none';
  /** A config file that `--no-repo-config` left unread. */
  ignoredFile?: string;
  /** False with `--no-inline-suppressions`: suppressions written in the templates did not apply. */
  inlineSuppressions: boolean;
}

export interface SuppressionCounts {
  /** Suppressed by a suppression in the scanned template (CloudFormation Metadata, Terraform comment). */
  inline: number;
  /** Suppressed by the config file's `suppressions`. */
  config: number;
  /** Not suppressed because `--no-inline-suppressions` ignored the template's suppression. */
  inlineIgnored: number;
}

/** Everything a reporter may show. Reporters are pure functions of this. */
export interface Report {
  schemaVersion: string;
  tool: { name: 'trustaudit'; version: string };
  /** Rules that ran (for SARIF rule entries, docs links). */
  rules: RuleMeta[];
  findings: Finding[];
  errors: ScanError[];
  /** Things the user should know that did not stop the scan (expired suppressions, skipped files). */
  warnings: ScanError[];
  summary: Summary;
  /**
   * The roles that were scanned (optional; the HTML report uses it to show the trust policy, description,
   * tags and the trust graph, including roles without findings). Fill with `reportRoles(roles)` from
   * `src/reporters/report-roles.ts`.
   */
  roles?: ReportRole[];
  /** Display names of accounts named in the report (vendor list / trusted accounts), by account id. */
  accountNames?: Record<string, string>;
  /** How the scan was run (the HTML report's header); set by the CLI through `buildReport`. */
  scan?: ScanInfo;
}

/** The command and the accounts a scan was run with. */
export interface ScanInfo {
  /** The command line, each word shell-quoted (options as given; secrets are redacted with the report). */
  command?: string;
  /** The account that owns the roles when the input does not say (`--account`, config `account`). */
  ownerAccount?: string;
  /** Accounts and organizations declared as your own (`--trusted-account`, `--trusted-org`, config). */
  trustedAccounts?: string[];
  trustedOrgs?: string[];
  /** Accounts a live scan read (`--aws`). */
  scannedAccounts?: { id: string; name?: string }[];
}

/** What a reporter may show about a scanned role. */
export interface ReportRole {
  id: string;
  name: string;
  arn?: string;
  account?: string;
  variant?: string;
  description?: string;
  tags?: Record<string, string>;
  /** The trust policy as parsed (`TrustPolicy.raw`). */
  trustPolicy?: JsonLike;
  /** 1-based line of each statement in the source file, by statement index, when known. */
  statementLines?: (number | null)[];
}

export interface ReporterOptions {
  /** Use ANSI colour (text reporter only). */
  color: boolean;
  /** Text reporter: under each finding's line, its evidence, the allowed request and the fix (`--verbose`). */
  verbose?: boolean;
  /** Time of the scan (ISO 8601); ASFF CreatedAt/UpdatedAt. Reporters stay deterministic when it is given. */
  generatedAt?: string;
  /** AWS region for ASFF ProductArn/Resources (`--region`; for a live scan, else AWS_REGION). */
  region?: string;
  /** AWS account for ASFF when a finding's role has no account (the `--account` / caller account). */
  account?: string;
  /**
   * Every format comes back as pieces (`ReportText`, made while they are written) when the report has more
   * findings, errors and roles than this (default 10,000; 0: always). The CLI always takes pieces and writes them
   * in turn, so no report is ever one string (V8 strings hold at most 512 MiB).
   */
  piecesOver?: number;
}

/**
 * A report's text: whole, or as consecutive pieces that joined are the whole. Pieces are made as they are
 * read (a generator), so a report is written while it is produced and no piece holds more than a batch of
 * findings; read them once.
 */
export type ReportText = string | Iterable<string>;

export type Reporter = (report: Report, opts: ReporterOptions) => ReportText;

const PIECES_OVER = 10_000;

/** Whether a reporter should return pieces for this report (see `ReporterOptions.piecesOver`). */
export function inPieces(report: Report, opts: Partial<ReporterOptions>): boolean {
  // Roles count too (the HTML report lists every role); by the summary, not by reading `report.roles`.
  const size = report.findings.length + report.errors.length + report.summary.rolesScanned;
  const over = opts.piecesOver ?? PIECES_OVER;
  return over === 0 || size > over;
}

/** The report's text in one string (joins pieces; for callers that know the report is not huge). */
export function wholeText(t: ReportText): string {
  return typeof t === 'string' ? t : Array.from(t).join('');
}

/** `pieces()` as they come (a large report, see `inPieces`) or joined into one string (a small one). */
export function piecesOrWhole(
  report: Report,
  opts: Partial<ReporterOptions>,
  pieces: () => Iterable<string>,
): ReportText {
  return inPieces(report, opts) ? pieces() : wholeText(pieces());
}
