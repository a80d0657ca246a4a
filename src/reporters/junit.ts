import type { Finding } from '../findings/types.js';
import { accountNames, locationText, principalsText, roleLabel, statusOf } from './format-helpers.js';
import { piecesOrWhole, type Report, type Reporter } from './types.js';
import { xmlAttr, xmlEscape } from './xml.js';

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

/** One rule's suite: each role's findings of that rule, and the counts its opening tag needs. */
interface Suite {
  ruleId: string;
  name: string;
  /** Findings of this rule by role key (roles without any are not in the map). */
  byRole: Map<string, Finding[]>;
  failures: number;
  skipped: number;
}

/**
 * JUnit XML: one test suite per rule, one test case per role and rule. A role with open findings fails
 * (one <failure> listing them); a role whose findings are all suppressed or in the baseline is skipped;
 * a role without findings passes (roles come from `report.roles` when present, else from the findings).
 * Scan errors form their own suite of <error> cases so an incomplete scan never looks green.
 * The counts come first (they are in the opening tags); the test cases are then made as they are written.
 */
export const junitReporter: Reporter = (report: Report, opts) =>
  piecesOrWhole(report, opts, () => junitPieces(report));

function* junitPieces(report: Report): Generator<string> {
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

  const suites: Suite[] = ruleIds.map((ruleId) => {
    const meta = report.rules.find((r) => r.id === ruleId);
    return {
      ruleId,
      name: meta ? `${ruleId} ${meta.title}` : ruleId,
      byRole: new Map(),
      failures: 0,
      skipped: 0,
    };
  });
  const suiteOf = new Map(suites.map((x) => [x.ruleId, x]));
  for (const f of report.findings) {
    const byRole = suiteOf.get(f.ruleId)?.byRole;
    const k = roleKeyOf(f.resource.id, f.resource.variant);
    if (!byRole || !roles.has(k)) continue;
    const list = byRole.get(k);
    if (list) list.push(f);
    else byRole.set(k, [f]);
  }
  for (const x of suites) {
    for (const list of x.byRole.values()) {
      if (list.some((f) => statusOf(f) === 'open')) x.failures++;
      else x.skipped++;
    }
  }
  const errors = report.errors.length;
  const totalTests = suites.length * roleKeys.length + errors;
  const totalFailures = suites.reduce((n, x) => n + x.failures, 0);
  const totalSkipped = suites.reduce((n, x) => n + x.skipped, 0);
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="trustaudit" tests="${totalTests}" failures="${totalFailures}" errors="${errors}" skipped="${totalSkipped}">\n`;

  for (const x of suites) {
    yield `  <testsuite name="${xmlAttr(x.name)}" tests="${roleKeys.length}" failures="${x.failures}" errors="0" skipped="${x.skipped}">\n`;
    for (const k of roleKeys)
      yield `${testCase(x.ruleId, k, roles.get(k) ?? k, x.byRole.get(k) ?? [], names)}\n`;
    yield '  </testsuite>\n';
  }
  if (errors > 0) {
    yield `  <testsuite name="scan errors" tests="${errors}" failures="0" errors="${errors}" skipped="0">\n`;
    for (const e of report.errors) {
      const where = e.file
        ? `${e.file}${e.line ? `:${e.line}${e.column ? `:${e.column}` : ''}` : ''}`
        : (e.account ?? e.source);
      yield `    <testcase name="${xmlAttr(where)}" classname="${xmlAttr(`trustaudit.scan.${e.source}`)}">\n      <error message="${xmlAttr(e.message)}" type="${xmlAttr(e.code)}">${xmlEscape(`${e.code}: ${e.message}`)}</error>\n    </testcase>\n`;
    }
    yield '  </testsuite>\n';
  }
  yield '</testsuites>\n';
}

/** One role's test case of one rule: failed (open findings), skipped (all suppressed or in baseline) or passed. */
function testCase(
  ruleId: string,
  roleKey: string,
  roleName: string,
  findings: readonly Finding[],
  names: Record<string, string>,
): string {
  const open = findings.filter((f) => statusOf(f) === 'open');
  const attrs = `name="${xmlAttr(`${roleName} (${roleKey})`)}" classname="${xmlAttr(`trustaudit.${ruleId}`)}"`;
  if (open.length > 0) {
    const first = open[0]!;
    const msg = open.length === 1 ? first.message : `${open.length} findings: ${first.message}`;
    return `    <testcase ${attrs}>\n      <failure message="${xmlAttr(msg)}" type="${xmlAttr(`${ruleId}/${first.severity}`)}">${xmlEscape(
      open.map((f) => describe(f, names)).join('\n\n'),
    )}</failure>\n    </testcase>`;
  }
  if (findings.length > 0) {
    const reasons = findings.map((f) =>
      f.suppressed ? `suppressed: ${f.suppression?.reason ?? 'no reason given'}` : 'in baseline',
    );
    return `    <testcase ${attrs}>\n      <skipped message="${xmlAttr([...new Set(reasons)].join('; '))}"/>\n    </testcase>`;
  }
  return `    <testcase ${attrs}/>`;
}
