import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OCSF_VERSION, ocsfReporter } from '../../src/reporters/ocsf.js';
import { wholeText } from '../../src/reporters/types.js';
import { runCli } from '../helpers/cli.js';
import { buildFixtureReport } from './report-fixture.js';

/**
 * The subset of OCSF 1.3.0 this reporter relies on, written from the public schema
 * (https://schema.ocsf.io/1.3.0/classes/detection_finding, and the metadata, product, finding_info,
 * cloud, account, resource_details and remediation objects). Top-level keys are checked strictly:
 * an attribute the class does not define would be rejected by OCSF's validator.
 */
const severityIds = [0, 1, 2, 3, 4, 5, 6, 99] as const;
const OcsfDetectionFinding = z
  .object({
    activity_id: z.literal(1), // Create
    activity_name: z.literal('Create'),
    category_uid: z.literal(2), // Findings
    category_name: z.literal('Findings'),
    class_uid: z.literal(2004), // Detection Finding
    class_name: z.literal('Detection Finding'),
    type_uid: z.literal(200401), // class_uid * 100 + activity_id
    type_name: z.string(),
    time: z.number().int().positive(), // timestamp_t: milliseconds since the epoch
    severity_id: z.number().refine((n) => (severityIds as readonly number[]).includes(n)),
    severity: z.enum(['Unknown', 'Informational', 'Low', 'Medium', 'High', 'Critical', 'Fatal', 'Other']),
    status_id: z.union([z.literal(1), z.literal(3)]), // New, Suppressed
    status: z.enum(['New', 'Suppressed']),
    message: z.string().min(1),
    metadata: z.object({
      version: z.string().regex(/^\d+\.\d+\.\d+$/),
      product: z.object({ name: z.string(), vendor_name: z.string(), version: z.string(), uid: z.string() }),
      event_code: z.string(),
      profiles: z.array(z.string()),
    }),
    finding_info: z.object({
      uid: z.string().min(1), // required
      title: z.string().min(1),
      desc: z.string(),
      types: z.array(z.string()),
      created_time: z.number().int(),
      src_url: z.string().url().optional(),
    }),
    cloud: z.object({
      provider: z.literal('AWS'), // required by the cloud object
      account: z
        .object({ uid: z.string().regex(/^\d{12}$/), type: z.literal('AWS Account'), type_id: z.literal(10) })
        .optional(),
      region: z.string().optional(),
    }),
    resources: z
      .array(
        z.object({
          type: z.string(),
          uid: z.string(),
          name: z.string(),
          cloud_partition: z.string().optional(),
          region: z.string().optional(),
          data: z.record(z.string(), z.unknown()),
        }),
      )
      .min(1),
    remediation: z.object({ desc: z.string().min(1), references: z.array(z.string()) }),
    unmapped: z.record(z.string(), z.unknown()),
  })
  .strict();

describe('OCSF reporter', () => {
  const report = buildFixtureReport();
  const events = JSON.parse(
    wholeText(
      ocsfReporter(report, { color: false, generatedAt: '2026-01-02T03:04:05.000Z', region: 'eu-west-1' }),
    ),
  ) as unknown[];

  it('writes one Detection Finding per finding, valid against the OCSF 1.3.0 subset', () => {
    expect(OCSF_VERSION).toBe('1.3.0');
    expect(events).toHaveLength(report.findings.length);
    for (const e of events) {
      const r = OcsfDetectionFinding.safeParse(e);
      expect(r.success, JSON.stringify(r.error?.issues)).toBe(true);
    }
  });

  it('maps severity, status and identity from the finding', () => {
    const i = report.findings.findIndex((f) => f.suppressed);
    const e = events[Math.max(i, 0)] as {
      status: string;
      severity_id: number;
      finding_info: { uid: string };
    };
    const f = report.findings[Math.max(i, 0)]!;
    expect(e.status).toBe(f.suppressed ? 'Suppressed' : 'New');
    expect(e.severity_id).toBe({ info: 1, low: 2, medium: 3, high: 4, critical: 5 }[f.severity]);
    expect(e.finding_info.uid).toBe(`trustaudit/${f.ruleId}/${f.fingerprint}`);
    expect((events[0] as { time: number }).time).toBe(Date.parse('2026-01-02T03:04:05.000Z'));
  });

  it('is a format of the CLI', () => {
    const r = runCli(['scan', 'examples/', '--account', '123456789012', '--format', 'ocsf', '--no-db']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as unknown[];
    expect(out.length).toBeGreaterThan(0);
    for (const e of out) expect(OcsfDetectionFinding.safeParse(e).success).toBe(true);
  });
});
