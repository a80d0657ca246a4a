import { accountName } from '../analysis/zone.js';
import { type Severity, severityRank } from '../findings/types.js';
import { reportRoles } from '../reporters/report-roles.js';
import type { Report, Summary } from '../reporters/types.js';
import { toolVersion } from '../version.js';
import type { ScanResult } from './run.js';

/** Version of the JSON report contract (docs/json-report.md). Bump the major on breaking changes. */
export const REPORT_SCHEMA_VERSION = '1.0.0';

export function buildReport(result: ScanResult): Report {
  const active = result.findings.filter((f) => !f.suppressed);
  const bySeverity: Record<string, number> = {};
  const byRule: Record<string, number> = {};
  for (const f of active) {
    bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
    byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  }
  const summary: Summary = {
    rolesScanned: new Set(result.roles.map((r) => r.id)).size,
    filesScanned: result.filesScanned,
    findings: active.length,
    suppressed: result.findings.length - active.length,
    bySeverity: sortKeys(bySeverity),
    byRule: sortKeys(byRule),
    errors: result.errors.length,
    complete: result.errors.length === 0,
  };
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'trustaudit', version: toolVersion() },
    rules: result.rules.map((r) => r.meta),
    findings: result.findings,
    errors: result.errors,
    warnings: result.warnings,
    summary,
    roles: reportRoles(result.roles),
    accountNames: namedAccounts(result),
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

function sortKeys(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
