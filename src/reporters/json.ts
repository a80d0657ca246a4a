import { jsonPieces } from './json-pieces.js';
import { inPieces, type Reporter } from './types.js';

/**
 * The JSON contract (docs/json-report.md): `{schemaVersion, tool, findings, errors, warnings, summary}`.
 * Rule metadata and the scanned roles are left out (the HTML report uses them); order is deterministic.
 */
export const jsonReporter: Reporter = (report, opts) => {
  const { schemaVersion, tool, findings, errors, warnings, summary } = report;
  const body = { schemaVersion, tool, findings, errors, warnings, summary };
  if (!inPieces(report, opts)) return `${JSON.stringify(body, null, 2)}\n`;
  // One piece per finding, error and warning.
  return [...jsonPieces(body, (p) => p.length === 0 || (p.length === 1 && LISTS.has(p[0] as string))), '\n'];
};

const LISTS = new Set(['findings', 'errors', 'warnings']);
