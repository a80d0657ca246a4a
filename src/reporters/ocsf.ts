import type { Finding, Severity } from '../findings/types.js';
import { accountNames, locationText, principalsText } from './format-helpers.js';
import { jsonPieces, lazyMap } from './json-pieces.js';
import { inPieces, type Report, type Reporter, type ReporterOptions } from './types.js';

/**
 * OCSF (Open Cybersecurity Schema Framework) Detection Finding events, class 2004 in the Findings
 * category (2), schema 1.3.0: the shape Amazon Security Lake and Prowler's OCSF output use. One JSON
 * array, one event per finding. docs/ocsf.md maps each field.
 */
export const OCSF_VERSION = '1.3.0';

const CLASS_UID = 2004;
const CATEGORY_UID = 2;
const ACTIVITY_CREATE = 1;

/** severity_id values of the base event. */
const SEVERITY_ID: Record<Severity, number> = { info: 1, low: 2, medium: 3, high: 4, critical: 5 };
const SEVERITY_NAME: Record<Severity, string> = {
  info: 'Informational',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};

export interface OcsfDetectionFinding {
  activity_id: number;
  activity_name: string;
  category_uid: number;
  category_name: string;
  class_uid: number;
  class_name: string;
  type_uid: number;
  type_name: string;
  time: number;
  severity_id: number;
  severity: string;
  status_id: number;
  status: string;
  message: string;
  metadata: {
    version: string;
    product: { name: string; vendor_name: string; version: string; uid: string };
    event_code: string;
    /** The profiles whose attributes the event uses: `cloud` for `cloud`. */
    profiles: string[];
  };
  finding_info: {
    uid: string;
    title: string;
    desc: string;
    types: string[];
    created_time: number;
    src_url?: string;
  };
  cloud: { provider: 'AWS'; account?: { uid: string; type: 'AWS Account'; type_id: 10 }; region?: string };
  resources: {
    type: 'AWS::IAM::Role';
    uid: string;
    name: string;
    cloud_partition?: string;
    region?: string;
    data: { location: string; trusted_principals: string; statement?: { index: number; sid?: string } };
  }[];
  remediation: { desc: string; references: string[] };
  unmapped: { fingerprint: string; suppressed: boolean; suppression_reason?: string; in_baseline?: boolean };
}

export function toOcsf(
  f: Finding,
  report: Report,
  opts: Partial<ReporterOptions>,
  names: Record<string, string> = accountNames(report),
): OcsfDetectionFinding {
  const when = opts.generatedAt ?? new Date().toISOString();
  const time = Date.parse(when);
  const meta = report.rules.find((r) => r.id === f.ruleId);
  const partition = /^arn:([^:]+):/.exec(f.resource.arn ?? '')?.[1];
  const account =
    f.resource.account ?? /^arn:[^:]+:iam::(\d{12}):/.exec(f.resource.arn ?? '')?.[1] ?? opts.account;
  const url = meta?.references.find((r) => /^https:\/\//.test(r));
  return {
    activity_id: ACTIVITY_CREATE,
    activity_name: 'Create',
    category_uid: CATEGORY_UID,
    category_name: 'Findings',
    class_uid: CLASS_UID,
    class_name: 'Detection Finding',
    type_uid: CLASS_UID * 100 + ACTIVITY_CREATE,
    type_name: 'Detection Finding: Create',
    time,
    severity_id: SEVERITY_ID[f.severity],
    severity: SEVERITY_NAME[f.severity],
    // 3 = Suppressed (reviewed and accepted), 1 = New.
    status_id: f.suppressed ? 3 : 1,
    status: f.suppressed ? 'Suppressed' : 'New',
    message: f.message,
    metadata: {
      version: OCSF_VERSION,
      product: {
        name: 'trustaudit',
        vendor_name: 'trustaudit',
        version: report.tool.version,
        uid: 'trustaudit',
      },
      event_code: f.ruleId,
      profiles: ['cloud'],
    },
    finding_info: {
      uid: `trustaudit/${f.ruleId}/${f.fingerprint}`,
      title: `${f.ruleId}: ${f.title}`,
      desc: [f.evidence.summary, ...f.evidence.details].join(' '),
      types: ['Software and Configuration Checks/AWS Security Best Practices/Cross-Account Trust'],
      created_time: time,
      ...(url ? { src_url: url } : {}),
    },
    cloud: {
      provider: 'AWS',
      ...(account ? { account: { uid: account, type: 'AWS Account', type_id: 10 } } : {}),
      ...(opts.region ? { region: opts.region } : {}),
    },
    resources: [
      {
        type: 'AWS::IAM::Role',
        uid: f.resource.arn ?? f.resource.id,
        name: f.resource.name,
        ...(partition ? { cloud_partition: partition } : {}),
        // IAM is global; the region is the one the report is imported into, when given.
        ...(opts.region ? { region: opts.region } : {}),
        data: {
          location: locationText(f),
          trusted_principals: principalsText(f, names),
          ...(f.statement ? { statement: f.statement } : {}),
        },
      },
    ],
    remediation: {
      desc: [f.remediation.summary, ...f.remediation.steps.map((s, i) => `${i + 1}. ${s}`)].join(' '),
      references: meta?.references ?? [],
    },
    unmapped: {
      fingerprint: f.fingerprint,
      suppressed: f.suppressed,
      ...(f.suppression ? { suppression_reason: f.suppression.reason } : {}),
      ...(f.inBaseline ? { in_baseline: true } : {}),
    },
  };
}

/** A JSON array of OCSF Detection Findings, one per finding (suppressed ones with status Suppressed). */
export const ocsfReporter: Reporter = (report, opts) => {
  const names = accountNames(report);
  if (!inPieces(report, opts)) {
    return `${JSON.stringify(
      report.findings.map((f) => toOcsf(f, report, opts, names)),
      null,
      2,
    )}\n`;
  }
  return ocsfPieces(report, opts, names);
};

function* ocsfPieces(
  report: Report,
  opts: Partial<ReporterOptions>,
  names: Record<string, string>,
): Generator<string> {
  // One event per finding, made as it is written.
  yield* jsonPieces(
    lazyMap(report.findings, (f) => toOcsf(f, report, opts, names)),
    (p) => p.length === 0,
  );
  yield '\n';
}
