import type { Finding } from '../findings/types.js';
import type { ScanError } from '../model/types.js';
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
}

export interface ReporterOptions {
  /** Use ANSI colour (text reporter only). */
  color: boolean;
}

export type Reporter = (report: Report, opts: ReporterOptions) => string;
