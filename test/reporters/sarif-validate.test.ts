import { beforeAll, describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import { sarifReporter } from '../../src/reporters/sarif.js';
import { wholeText } from '../../src/reporters/types.js';
import { sarifFixtureReport } from './sarif-fixture.js';
import { sarifJsonSchema, type ValidatorVerdict, validateSarif } from './sarif-multitool.js';

/**
 * The SARIF output checked by the official validator (`sarif-multitool validate --rule-kind "Gh;Sarif"`:
 * the SARIF specification rules plus GitHub code scanning's ingestion rules) and by the SARIF 2.1.0 JSON
 * schema. The fixture report has findings with full regions, with a line only, without a line, with
 * invalid positions, odd paths, a live role (ARN, no file), inline and config suppressions, a baseline
 * finding, a rule missing from the rule list, scan errors and warnings.
 */

// SARIF2017 ("provide a region") is a warning the validator gives for every location without a region.
// trustaudit knows no line for these findings and will not invent one, so exactly these are expected.
// SARIF2005 ("provide tool properties") asks for driver.informationUri, which stays unset until the
// project has a public home (a made-up address would be worse than the warning).
const EXPECTED_WARNINGS = [
  'SARIF2005 runs[0].tool.driver',
  'SARIF2017 runs[0].results[2].locations[0].physicalLocation', // infra/no-line.json: no line known
  'SARIF2017 runs[0].results[3].locations[0].physicalLocation', // infra/zero.json: line 0 from a buggy source, dropped
  'SARIF2017 runs[0].results[9].locations[0].physicalLocation', // a live role: located by its ARN, no line
];

/** The validator is a 95 MB .NET program; on a busy machine it can take a while to start. */
const VALIDATOR_TIMEOUT = 180_000;

function summarise(v: ValidatorVerdict, level: string): string[] {
  return v.messages.filter((m) => m.level === level).map((m) => `${m.ruleId} ${m.text.split(':')[0]}`);
}

describe('SARIF output passes the official validator', () => {
  const text = wholeText(sarifReporter(sarifFixtureReport(), { color: false }));
  let verdict: ValidatorVerdict;
  let schema: ZodType;

  beforeAll(() => {
    verdict = validateSarif(text);
    schema = sarifJsonSchema();
  }, VALIDATOR_TIMEOUT);

  it(
    'the validator is live: it reports errors in a broken log',
    () => {
      // Guards against a silently passing validator (wrong arguments, unreadable file, skipped rules).
      const broken = JSON.parse(text);
      broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
      broken.runs[0].results[1].locations[0].physicalLocation.artifactLocation = {
        uri: '/abs/no scheme.yaml',
      };
      delete broken.runs[0].tool.driver.rules[0].shortDescription;
      const v = validateSarif(JSON.stringify(broken));
      const errors = v.messages.filter((m) => m.level === 'error').map((m) => m.ruleId);
      expect(errors).toEqual(expect.arrayContaining(['JSON1008', 'SARIF1004', 'GH2012']));
    },
    VALIDATOR_TIMEOUT,
  );

  it('has no errors and no tool problems', () => {
    expect(verdict.toolProblems).toEqual([]);
    expect(verdict.messages.filter((m) => m.level === 'error').map((m) => `${m.ruleId}: ${m.text}`)).toEqual(
      [],
    );
  });

  it('has only the expected warnings (missing regions where no line is known)', () => {
    expect(summarise(verdict, 'warning')).toEqual(EXPECTED_WARNINGS);
  });

  it('has no notes', () => {
    expect(verdict.messages.filter((m) => m.level === 'note').map((m) => `${m.ruleId}: ${m.text}`)).toEqual(
      [],
    );
  });

  it('matches the SARIF 2.1.0 JSON schema (enums, minimums, no unknown properties)', () => {
    // The multitool reports nothing at all for a log it cannot deserialise (e.g. an unknown level), so the
    // schema check is what proves the clean verdict above was reached by reading the whole log.
    const parsed = schema.safeParse(JSON.parse(text));
    expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(
      [],
    );
  });

  it('the schema check is live: it rejects an unknown level and an unknown property', () => {
    const broken = JSON.parse(text);
    broken.runs[0].results[0].level = 'critical';
    broken.runs[0].results[1].severity = 'high';
    const parsed = schema.safeParse(broken);
    expect(parsed.success).toBe(false);
    const paths = parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['runs.0.results.0.level']));
  });
});
