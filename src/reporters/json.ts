import type { Reporter } from './types.js';

/**
 * The JSON contract (docs/json-report.md): `{schemaVersion, tool, findings, errors, warnings, summary}`.
 * Rule metadata and the scanned roles are left out (the HTML report uses them); order is deterministic.
 */
export const jsonReporter: Reporter = (report) => {
  const { schemaVersion, tool, findings, errors, warnings, summary } = report;
  return `${JSON.stringify({ schemaVersion, tool, findings, errors, warnings, summary }, null, 2)}\n`;
};
