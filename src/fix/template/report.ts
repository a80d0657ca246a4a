/**
 * The JSON report as the template patcher reads it. The report is input like any other: it is validated
 * with zod, and only what the patcher needs is kept.
 */
import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { isIacSource, type SourceKind } from '../../model/types.js';
import { FIXABLE_RULE } from '../targets.js';

/** The largest report read (JSON.parse holds it all in memory). */
export const MAX_REPORT_BYTES = 256 * 1024 * 1024;

const Text = z.string().min(1).max(16_384);

const FindingSchema = z.object({
  ruleId: z.string(),
  suppressed: z.boolean().optional(),
  resource: z.object({
    id: Text,
    name: z.string().max(16_384),
    source: z.string().max(64),
    variant: z.string().max(16_384).optional(),
    construct: z.string().max(16_384).optional(),
  }),
  location: z.object({
    file: Text,
    line: z.number().int().positive().optional(),
    column: z.number().int().positive().optional(),
  }),
  statement: z.object({ index: z.number().int().min(0).max(100_000) }).optional(),
  remediation: z.object({ correctedPolicyId: z.string().max(64).optional() }),
});

const ReportSchema = z.object({
  findings: z.array(z.unknown()),
  correctedPolicies: z.record(z.string(), z.unknown()).optional(),
});

export type ReportFinding = z.infer<typeof FindingSchema>;

export interface TemplateReport {
  /** Unsuppressed TA001 findings of roles written in infrastructure code. */
  findings: ReportFinding[];
  /** TA001 findings of other sources (live accounts, exports): `fix` without a template handles those. */
  otherFindings: number;
  policies: Readonly<Record<string, unknown>>;
}

function issues(e: z.ZodError): string {
  return e.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

/** Parse and check a report's text; throws an Error naming what is wrong. */
export function parseTemplateReport(text: string): TemplateReport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const r = ReportSchema.safeParse(json);
  if (!r.success)
    throw new Error(`not a trustaudit JSON report (${issues(r.error)}); write one with scan --format json`);
  const findings: ReportFinding[] = [];
  let otherFindings = 0;
  for (const [i, raw] of r.data.findings.entries()) {
    const rule = (raw as { ruleId?: unknown } | null)?.ruleId;
    if (rule !== FIXABLE_RULE) continue;
    const f = FindingSchema.safeParse(raw);
    if (!f.success) throw new Error(`finding ${i} is malformed (${issues(f.error)})`);
    if (f.data.suppressed === true) continue;
    if (isIacSource(f.data.resource.source as SourceKind)) findings.push(f.data);
    else otherFindings++;
  }
  return { findings, otherFindings, policies: r.data.correctedPolicies ?? {} };
}

/** Read a report file (a regular file of bounded size). */
export function readTemplateReport(path: string): TemplateReport {
  const st = statSync(path);
  if (!st.isFile()) throw new Error('not a regular file');
  if (st.size > MAX_REPORT_BYTES) throw new Error(`larger than ${MAX_REPORT_BYTES} bytes`);
  return parseTemplateReport(readFileSync(path, 'utf8'));
}

/**
 * True when the report names a TA001 finding of a role written in infrastructure code. A loose look (the
 * template patcher validates the report strictly and says what is wrong); false for anything unreadable,
 * which the live `fix --from` path reports.
 */
export function reportHasTemplateFindings(path: string): boolean {
  let json: unknown;
  try {
    const st = statSync(path);
    if (!st.isFile() || st.size > MAX_REPORT_BYTES) return false;
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return false;
  }
  const list = (json as { findings?: unknown } | null)?.findings;
  if (!Array.isArray(list)) return false;
  return list.some((f) => {
    const o = f as { ruleId?: unknown; resource?: { source?: unknown } } | null;
    return (
      o?.ruleId === FIXABLE_RULE &&
      typeof o.resource?.source === 'string' &&
      isIacSource(o.resource.source as SourceKind)
    );
  });
}
