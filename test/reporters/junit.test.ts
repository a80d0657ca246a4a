import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { junitReporter } from '../../src/reporters/junit.js';
import type { Report } from '../../src/reporters/types.js';
import { wholeText } from '../../src/reporters/types.js';
import { xmlEscape } from '../../src/reporters/xml.js';
import { FIXTURE_FILE, HOSTILE_FILE, loadReport, PAYLOADS } from './report-fixture.js';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (n) => ['testsuite', 'testcase'].includes(n),
});

interface Case {
  '@name': string;
  '@classname': string;
  failure?: { '@message': string; '#text': string };
  skipped?: { '@message': string };
  error?: { '@message': string };
}
interface Suite {
  '@name': string;
  '@tests': string;
  '@failures': string;
  '@errors': string;
  '@skipped': string;
  testcase: Case[];
}

function parsed(report: Report) {
  const xml = wholeText(junitReporter(report, { color: false }));
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml).testsuites as { '@tests': string; '@failures': string; testsuite: Suite[] };
}

describe('junit reporter', () => {
  it('one test case per role and rule; open findings fail, suppressed/baseline skip, others pass', () => {
    const report = loadReport(FIXTURE_FILE);
    const doc = parsed(report);
    const ta001 = doc.testsuite.find((s) => s['@name'].startsWith('TA001'))!;
    expect(ta001.testcase).toHaveLength(report.roles!.length);
    const byRole = (name: string) => ta001.testcase.find((c) => c['@name'].startsWith(`${name} (`))!;
    expect(byRole('DatadogIntegration').failure?.['@message']).toContain('DatadogIntegration');
    expect(byRole('DatadogIntegration').failure?.['#text']).toContain(report.findings[0]!.fingerprint);
    expect(byRole('PartnerDeploy').failure).toBeDefined();
    expect(byRole('LegacyAuditor').skipped?.['@message']).toContain('suppressed: auditor access approved');
    expect(byRole('KnownPartner').skipped?.['@message']).toBe('in baseline');
    expect(byRole('VendorWithExternalId').failure).toBeUndefined();
    expect(byRole('VendorWithExternalId').skipped).toBeUndefined();
    expect(ta001['@failures']).toBe('3');
    expect(ta001['@skipped']).toBe('2');
    expect(ta001['@tests']).toBe(String(report.roles!.length));
  });

  it('reports scan errors as <error> cases so an incomplete scan is never green', () => {
    const doc = parsed(loadReport(FIXTURE_FILE));
    const errors = doc.testsuite.find((s) => s['@name'] === 'scan errors')!;
    expect(errors['@errors']).toBe('1');
    expect(errors.testcase[0]!['@name']).toBe('infra/broken.json:3:5');
    expect(errors.testcase[0]!.error?.['@message']).toContain('Unexpected token');
  });

  it('escapes hostile text: the document parses and values come back unchanged', () => {
    const report = loadReport(HOSTILE_FILE);
    const doc = parsed(report);
    const ta001 = doc.testsuite.find((s) => s['@name'].startsWith('TA001'))!;
    const names = ta001.testcase.map((c) => c['@name']);
    expect(names.some((n) => n.startsWith(`evil${PAYLOADS.script} (`))).toBe(true);
    const evil = ta001.testcase.find((c) => c['@name'].startsWith('evil'))!;
    expect(evil.failure?.['#text']).toContain(PAYLOADS.endJson);
  });

  it('works without report.roles (cases come from the findings)', () => {
    const report = loadReport(FIXTURE_FILE);
    delete report.roles;
    const ta001 = parsed(report).testsuite.find((s) => s['@name'].startsWith('TA001'))!;
    expect(ta001.testcase).toHaveLength(new Set(report.findings.map((f) => f.resource.id)).size);
  });

  const escapeCases: [name: string, input: string, expected: string][] = [
    ['markup', '<a href="x">&</a>', '&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;'],
    ['apostrophe', "it's", 'it&apos;s'],
    ['NUL and ESC are not XML', 'a\u0000b\u001bc', 'a\uFFFDb\uFFFDc'],
    ['lone surrogate', 'x\uD800y', 'x\uFFFDy'],
    ['pair kept', '😀', '😀'],
    ['tab kept as reference', 'a\tb', 'a&#9;b'],
  ];
  it.each(escapeCases)('xmlEscape: %s', (_n, input, expected) => {
    expect(xmlEscape(input)).toBe(expected);
  });
});
