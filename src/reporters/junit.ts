import type { Finding } from '../findings/types.js';
import { append } from '../util/append.js';
import { accountNames, locationText, principalsText, roleLabel, statusOf } from './format-helpers.js';
import { inPieces, type Report, type Reporter } from './types.js';
import { xmlAttr, xmlEscape } from './xml.js';

interface Case {
  roleKey: string;
  roleName: string;
  findings: Finding[];
}

function describe(f: Finding, names: Record<string, string>): string {
  const lines = [
    `${f.severity.toUpperCase()} ${f.ruleId} ${f.message}`,
    `role: ${f.resource.arn ?? f.resource.id}`,
    `location: ${locationText(f)}`,
    `principals: ${principalsText(f, names)}`,
    `evidence: ${f.evidence.summary}`,
    ...f.evidence.details.map((d) => `  - ${d}`),
    `fix: ${f.remediation.summary}`,
    ...f.remediation.steps.map((s, i) => `  ${i + 1}. ${s}`),
    `fingerprint: ${f.fingerprint}`,
  ];
  return lines.join('\n');
}

function roleKeyOf(id: string, variant?: string): string {
  return variant ? `${id} [${variant}]` : id;
}

/**
 * JUnit XML: one test suite per rule, one test case per role and rule. A role with open findings fails
 * (one <failure> listing them); a role whose findings are all suppressed or in the baseline is skipped;
 * a role without findings passes (roles come from `report.roles` when present, else from the findings).
 * Scan errors form their own suite of <error> cases so an incomplete scan never looks green.
 */
export const junitReporter: Reporter = (report: Report, opts) => {
  const names = accountNames(report);
  const ruleIds = [...new Set([...report.rules.map((r) => r.id), ...report.findings.map((f) => f.ruleId)])];
  const roles = new Map<string, string>();
  for (const r of report.roles ?? [])
    roles.set(roleKeyOf(r.id, r.variant), r.variant ? `${r.name} (${r.variant})` : r.name);
  for (const f of report.findings) {
    const k = roleKeyOf(f.resource.id, f.resource.variant);
    if (!roles.has(k)) roles.set(k, roleLabel(f));
  }
  const roleKeys = [...roles.keys()].sort();

  // Each suite as pieces (its opening tag, one per test case, its closing tag): a large scan's XML may
  // not fit in one string.
  const suites: string[][] = [];
  let totalTests = 0;
  let totalFailures = 0;
  let totalErrors = 0;
  let totalSkipped = 0;
  for (const ruleId of ruleIds) {
    const meta = report.rules.find((r) => r.id === ruleId);
    const cases = new Map<string, Case>();
    for (const k of roleKeys) cases.set(k, { roleKey: k, roleName: roles.get(k) ?? k, findings: [] });
    for (const f of report.findings) {
      if (f.ruleId !== ruleId) continue;
      cases.get(roleKeyOf(f.resource.id, f.resource.variant))?.findings.push(f);
    }
    let failures = 0;
    let skipped = 0;
    const body: string[] = [];
    for (const c of cases.values()) {
      const open = c.findings.filter((f) => statusOf(f) === 'open');
      const attrs = `name="${xmlAttr(`${c.roleName} (${c.roleKey})`)}" classname="${xmlAttr(`trustaudit.${ruleId}`)}"`;
      if (open.length > 0) {
        failures++;
        const first = open[0]!;
        const msg = open.length === 1 ? first.message : `${open.length} findings: ${first.message}`;
        body.push(
          `    <testcase ${attrs}>\n      <failure message="${xmlAttr(msg)}" type="${xmlAttr(`${ruleId}/${first.severity}`)}">${xmlEscape(
            open.map((f) => describe(f, names)).join('\n\n'),
          )}</failure>\n    </testcase>`,
        );
      } else if (c.findings.length > 0) {
        skipped++;
        const reasons = c.findings.map((f) =>
          f.suppressed ? `suppressed: ${f.suppression?.reason ?? 'no reason given'}` : 'in baseline',
        );
        body.push(
          `    <testcase ${attrs}>\n      <skipped message="${xmlAttr([...new Set(reasons)].join('; '))}"/>\n    </testcase>`,
        );
      } else {
        body.push(`    <testcase ${attrs}/>`);
      }
    }
    totalTests += cases.size;
    totalFailures += failures;
    totalSkipped += skipped;
    const suiteName = meta ? `${ruleId} ${meta.title}` : ruleId;
    suites.push(
      suite(
        `  <testsuite name="${xmlAttr(suiteName)}" tests="${cases.size}" failures="${failures}" errors="0" skipped="${skipped}">`,
        body,
      ),
    );
  }
  if (report.errors.length > 0) {
    const body = report.errors.map((e) => {
      const where = e.file
        ? `${e.file}${e.line ? `:${e.line}${e.column ? `:${e.column}` : ''}` : ''}`
        : (e.account ?? e.source);
      return `    <testcase name="${xmlAttr(where)}" classname="${xmlAttr(`trustaudit.scan.${e.source}`)}">\n      <error message="${xmlAttr(e.message)}" type="${xmlAttr(e.code)}">${xmlEscape(`${e.code}: ${e.message}`)}</error>\n    </testcase>`;
    });
    totalTests += report.errors.length;
    totalErrors += report.errors.length;
    suites.push(
      suite(
        `  <testsuite name="scan errors" tests="${report.errors.length}" failures="0" errors="${report.errors.length}" skipped="0">`,
        body,
      ),
    );
  }
  const out = [
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="trustaudit" tests="${totalTests}" failures="${totalFailures}" errors="${totalErrors}" skipped="${totalSkipped}">\n`,
  ];
  for (const pieces of suites) {
    append(out, pieces);
    out.push('\n');
  }
  out.push('</testsuites>\n');
  return inPieces(report, opts) ? out : out.join('');
};

/** A suite's pieces: its opening tag, each test case on its own lines, its closing tag. */
function suite(open: string, cases: readonly string[]): string[] {
  const out = [`${open}\n`];
  for (const c of cases) out.push(`${c}\n`);
  out.push('  </testsuite>');
  return out;
}
