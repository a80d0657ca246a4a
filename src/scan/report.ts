import { accountName } from '../analysis/zone.js';
import { boundError, boundFinding } from '../findings/bounded-text.js';
import { type Severity, severityRank } from '../findings/types.js';
import { reportRoles } from '../reporters/report-roles.js';
import type { ConfigSummary, Report, ReportRole, ScanInfo, Summary } from '../reporters/types.js';
import { toolVersion } from '../version.js';
import { DEFAULT_BUDGETS } from './budgets.js';
import { NOT_JUDGED_CODE, NOTHING_RECOGNISED_CODE } from './not-judged.js';
import type { ScanResult } from './run.js';

/**
 * Version of the JSON report contract (docs/json-report.md). Bump the major on breaking changes.
 * 2.0.0: each corrected policy is listed once in `correctedPolicies`; findings name it by id.
 */
export const REPORT_SCHEMA_VERSION = '2.0.0';

/** Without a config summary (library use), the report says that no config file was used. */
const NO_CONFIG: ConfigSummary = { file: null, origin: 'none', inlineSuppressions: true };

/**
 * The report of a scan. Input text quoted in messages is cut to `meta.messageLength` characters (the
 * `message-length` budget) with a visible marker (src/findings/bounded-text.ts).
 */
export function buildReport(
  result: ScanResult,
  meta: { config?: ConfigSummary; messageLength?: number; scan?: ScanInfo } = {},
): Report {
  const max = meta.messageLength ?? DEFAULT_BUDGETS['message-length'];
  const findings = result.findings.map((f) => boundFinding(f, max));
  const active = findings.filter((f) => !f.suppressed);
  const suppressedBy = { inline: 0, config: 0, inlineIgnored: result.inlineSuppressionsIgnored ?? 0 };
  for (const f of result.findings) {
    if (f.suppression?.kind === 'inline') suppressedBy.inline++;
    else if (f.suppression?.kind === 'config') suppressedBy.config++;
  }
  const bySeverity: Record<string, number> = {};
  const byRule: Record<string, number> = {};
  for (const f of active) {
    bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
    byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  }
  const summary: Summary = {
    rolesScanned: distinctIds(result.roles),
    filesScanned: result.filesScanned,
    findings: active.length,
    suppressed: findings.length - active.length,
    bySeverity: sortKeys(bySeverity),
    byRule: sortKeys(byRule),
    errors: result.errors.length,
    complete: result.errors.length === 0,
    rolesNotJudged: result.warnings.filter((w) => w.code === NOT_JUDGED_CODE).length,
    config: meta.config ?? NO_CONFIG,
    suppressedBy,
  };
  // What the HTML and JUnit reports show of each role is made when a report first reads it: a scan
  // written only as JSON, SARIF, CSV... never holds a second object per role.
  let roles: ReportRole[] | undefined;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'trustaudit', version: toolVersion() },
    rules: result.rules.map((r) => r.meta),
    findings,
    errors: result.errors.map((e) => boundError(e, max)),
    warnings: result.warnings.map((e) => boundError(e, max)),
    summary,
    get roles(): ReportRole[] {
      roles ??= reportRoles(result.roles, max);
      return roles;
    },
    set roles(value: ReportRole[]) {
      roles = value;
    },
    accountNames: namedAccounts(result),
    ...(meta.scan ? { scan: meta.scan } : {}),
  };
}

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

/**
 * 2 when any input could not be scanned (the result is incomplete), else 1 when a finding at or above
 * `failOn` is neither suppressed nor in the baseline, else 0.
 */
export function exitCodeFor(report: Report, failOn: Severity): number {
  if (report.errors.length > 0) return EXIT_ERROR;
  const threshold = severityRank(failOn);
  const counted = report.findings.some(
    (f) => !f.suppressed && !f.inBaseline && severityRank(f.severity) >= threshold,
  );
  return counted ? EXIT_FINDINGS : EXIT_CLEAN;
}

/**
 * Warnings that mean part of the input was never judged: a role whose trust is unknown, a Terraform
 * module or a nested template that could not be read (registry, git, HTTP, S3, a missing folder,
 * outside the scan root).
 */
export const INCOMPLETE_WARNING_CODES: ReadonlySet<string> = new Set([
  NOT_JUDGED_CODE,
  NOTHING_RECOGNISED_CODE,
  'module-not-fetched',
  'module-not-found',
  'module-outside-root',
  'module-not-scanned',
  // A CloudFormation nested stack, SAM application or stack set whose template was not read (remote,
  // computed, missing, or a cycle): the roles it defines are not judged.
  'nested-template-not-read',
  'nested-stack-cycle',
  // A Terragrunt include chain deeper than Terragrunt follows: the unit's inputs may be missing.
  'terragrunt-nested-include',
]);

/** `--fail-on-incomplete`: did the scan leave roles unjudged or modules unread? */
export function isIncomplete(report: Report): boolean {
  if ((report.summary.rolesNotJudged ?? 0) > 0) return true;
  return report.warnings.some((w) => INCOMPLETE_WARNING_CODES.has(w.code));
}

/** Names of the accounts that appear in findings (vendor list, trusted accounts, organization). */
function namedAccounts(result: ScanResult): Record<string, string> {
  const ids = new Set<string>();
  for (const f of result.findings) {
    for (const p of f.principals) if (p.account) ids.add(p.account);
    if (f.resource.account) ids.add(f.resource.account);
  }
  for (const a of result.accounts) ids.add(a.id);
  const out: Record<string, string> = {};
  for (const id of [...ids].sort()) {
    const name = accountName(id, result.zone) ?? result.accounts.find((a) => a.id === id)?.name;
    if (name) out[id] = name;
  }
  return out;
}

/** How many distinct role ids (without a list of them all first: a scan can hold a million roles). */
function distinctIds(roles: ScanResult['roles']): number {
  const ids = new Set<string>();
  for (let i = 0; i < roles.length; i++) ids.add((roles[i] as ScanResult['roles'][number]).id);
  return ids.size;
}

function sortKeys(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
