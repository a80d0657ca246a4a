import { correctedPolicyTable, withPolicyId } from '../findings/corrected-policies.js';
import { jsonPieces } from './json-pieces.js';
import { inPieces, type Reporter } from './types.js';

/**
 * The JSON contract (docs/json-report.md):
 * `{schemaVersion, tool, findings, correctedPolicies, errors, warnings, summary}`. Each corrected policy is
 * written once in `correctedPolicies` and findings name it by `remediation.correctedPolicyId`, so the report
 * grows with the input, not with findings times policy size. Rule metadata and the scanned roles are left
 * out (the HTML report uses them); order is deterministic.
 */
export const jsonReporter: Reporter = (report, opts) => {
  const { schemaVersion, tool, errors, warnings, summary } = report;
  const table = correctedPolicyTable(report.findings);
  const findings = report.findings.map((f) => withPolicyId(f, table));
  const body = {
    schemaVersion,
    tool,
    findings,
    correctedPolicies: table.policies,
    errors,
    warnings,
    summary,
  };
  if (!inPieces(report, opts)) return `${JSON.stringify(body, null, 2)}\n`;
  // One piece per finding, corrected policy, error and warning.
  return [...jsonPieces(body, (p) => p.length === 0 || (p.length === 1 && LISTS.has(p[0] as string))), '\n'];
};

const LISTS = new Set(['findings', 'correctedPolicies', 'errors', 'warnings']);
