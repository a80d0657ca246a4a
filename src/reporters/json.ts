import type { Reporter } from './types.js';

/**
 * The JSON contract (docs/json-report.md): `{schemaVersion, tool, findings, errors, warnings, summary}`.
 * Rule metadata is left out (it is in `trustaudit rules --format json`); order is deterministic.
 */
export const jsonReporter: Reporter = (report) => {
  const { rules: _rules, ...rest } = report;
  return `${JSON.stringify(rest, null, 2)}\n`;
};
