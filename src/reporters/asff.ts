import type { Finding, Severity } from '../findings/types.js';
import { accountNames, locationText, principalsText, truncate } from './format-helpers.js';
import { jsonPieces, type LazyList, lazyMap } from './json-pieces.js';
import { inPieces, type Report, type Reporter, type ReporterOptions } from './types.js';

/** Raised when a finding cannot be expressed in ASFF (no AWS account to attribute it to). */
export class AsffError extends Error {}

const LABEL: Record<Severity, string> = {
  info: 'INFORMATIONAL',
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
  critical: 'CRITICAL',
};

/** Field limits from the AwsSecurityFinding API reference. */
const MAX = { id: 512, title: 256, description: 1024, recommendation: 512, productFieldValue: 2048 } as const;

const ACCOUNT = /^\d{12}$/;

export interface AsffFinding {
  SchemaVersion: '2018-10-08';
  Id: string;
  ProductArn: string;
  GeneratorId: string;
  AwsAccountId: string;
  Types: string[];
  CreatedAt: string;
  UpdatedAt: string;
  Severity: { Label: string; Original: string };
  Title: string;
  Description: string;
  Remediation: { Recommendation: { Text: string; Url?: string } };
  ProductFields: Record<string, string>;
  Resources: { Type: 'AwsIamRole'; Id: string; Partition: string; Region: string }[];
  Workflow: { Status: 'NEW' | 'SUPPRESSED' };
  RecordState: 'ACTIVE';
}

function partitionOf(f: Finding): string {
  const m = /^arn:([^:]+):/.exec(f.resource.arn ?? '');
  return m?.[1] ?? 'aws';
}

function accountOf(f: Finding, opts: Partial<ReporterOptions>): string {
  const fromArn = /^arn:[^:]+:iam::(\d{12}):/.exec(f.resource.arn ?? '')?.[1];
  const acct = [f.resource.account, fromArn, opts.account].find((a) => a !== undefined && ACCOUNT.test(a));
  if (!acct) {
    throw new AsffError(
      `ASFF needs an AWS account for role ${f.resource.id} (found in ${f.location.file}): pass --account 123456789012`,
    );
  }
  return acct;
}

/** One ASFF finding. `opts.region` defaults to us-east-1; it must be the region you import into. */
export function toAsff(
  f: Finding,
  report: Report,
  opts: Partial<ReporterOptions>,
  names: Record<string, string> = accountNames(report),
): AsffFinding {
  const region = opts.region ?? 'us-east-1';
  const partition = partitionOf(f);
  const account = accountOf(f, opts);
  // The product ARN names the importing account's own "default" product: the --account when given.
  const importer = opts.account && ACCOUNT.test(opts.account) ? opts.account : account;
  const now = opts.generatedAt ?? new Date().toISOString();
  const meta = report.rules.find((r) => r.id === f.ruleId);
  const description = [f.message, f.evidence.summary, ...f.evidence.details].join(' ');
  const recommendation = [f.remediation.summary, ...f.remediation.steps.map((s, i) => `${i + 1}. ${s}`)].join(
    ' ',
  );
  const url = meta?.references.find((r) => /^https:\/\//.test(r));
  return {
    SchemaVersion: '2018-10-08',
    Id: truncate(`trustaudit/${f.ruleId}/${f.fingerprint}`, MAX.id),
    ProductArn: `arn:${partition}:securityhub:${region}:${importer}:product/${importer}/default`,
    GeneratorId: `trustaudit/${f.ruleId}`,
    AwsAccountId: account,
    Types: ['Software and Configuration Checks/AWS Security Best Practices/Cross-Account Trust'],
    CreatedAt: now,
    UpdatedAt: now,
    Severity: { Label: LABEL[f.severity], Original: f.severity },
    Title: truncate(`${f.ruleId}: ${f.title}: ${f.resource.name}`, MAX.title),
    Description: truncate(description, MAX.description),
    Remediation: {
      Recommendation: { Text: truncate(recommendation, MAX.recommendation), ...(url ? { Url: url } : {}) },
    },
    ProductFields: {
      'trustaudit/Fingerprint': f.fingerprint,
      'trustaudit/Location': truncate(locationText(f), MAX.productFieldValue),
      'trustaudit/Principals': truncate(principalsText(f, names) || '-', MAX.productFieldValue),
      'trustaudit/ToolVersion': report.tool.version,
    },
    Resources: [
      { Type: 'AwsIamRole', Id: f.resource.arn ?? f.resource.id, Partition: partition, Region: region },
    ],
    Workflow: { Status: f.suppressed ? 'SUPPRESSED' : 'NEW' },
    RecordState: 'ACTIVE',
  };
}

/**
 * A JSON array of ASFF findings for `aws securityhub batch-import-findings --findings file://...`
 * (the API takes at most 100 per call; see docs/asff.md). Suppressed findings are included with
 * Workflow.Status SUPPRESSED so Security Hub shows them as such; baseline findings are included as NEW.
 */
export const asffReporter: Reporter = (report, opts) => {
  const names = accountNames(report);
  if (!inPieces(report, opts)) {
    return `${JSON.stringify(
      report.findings.map((f) => toAsff(f, report, opts, names)),
      null,
      2,
    )}\n`;
  }
  // A finding ASFF cannot express stops the report before any of it is written.
  for (const f of report.findings) accountOf(f, opts);
  return asffPieces(lazyMap(report.findings, (f) => toAsff(f, report, opts, names)));
};

/** The array written a batch of findings at a time, each made as it is written. */
function* asffPieces(findings: LazyList<AsffFinding>): Generator<string> {
  yield* jsonPieces(findings, (p) => p.length === 0);
  yield '\n';
}
