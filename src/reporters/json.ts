import { correctedPolicyTable, withPolicyId } from '../findings/corrected-policies.js';
import { type JsonPath, jsonPieces, lazyMap } from './json-pieces.js';
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
  const body = {
    schemaVersion,
    tool,
    // Each finding with its policy id is made only as it is written.
    findings: lazyMap(report.findings, (f) => withPolicyId(f, table)),
    correctedPolicies: table.policies,
    errors,
    warnings,
    summary,
  };
  if (!inPieces(report, opts)) return `${JSON.stringify(body, null, 2)}\n`;
  return pieces(body);
};

/** The top-level object and its long lists are written member by member. */
const expand = (p: JsonPath) => p.length === 0 || (p.length === 1 && LISTS.has(p[0] as string));

function* pieces(body: object): Generator<string> {
  yield* jsonPieces(body, expand);
  yield '\n';
}

const LISTS = new Set(['findings', 'correctedPolicies', 'errors', 'warnings']);
