import type { Finding, Severity } from '../findings/types.js';
import type { ScanError, SourceLocation } from '../model/types.js';
import type { RuleMeta } from '../rules/types.js';
import { type JsonPath, jsonPieces, type LazyList, lazyMap } from './json-pieces.js';
import { inPieces, type Report, type Reporter } from './types.js';

/**
 * SARIF 2.1.0 output for GitHub code scanning and other SARIF viewers.
 * One run; rules from the report's rule metadata; one result per finding (suppressed ones included, with a
 * `suppressions` entry); scan errors and warnings as tool notifications. No timestamps: the same report
 * always gives the same bytes.
 */

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/**
 * Where the tool is documented. Unset until the project has a public home: SARIF makes the field optional,
 * and a made-up address would send users to someone else's page.
 */
export const TRUSTAUDIT_INFORMATION_URI: string | undefined = undefined;
/** Base id for file locations: paths are relative to the directory the scan ran in (the repository root in CI). */
export const SRCROOT = '%SRCROOT%';
/** Base id for live roles, which have no file: their ARN as a path (see `artifactLocation`). */
export const AWSROOT = 'AWSROOT';
/** Key under `partialFingerprints`; bump the version if the fingerprint recipe ever changes. */
export const FINGERPRINT_KEY = 'trustaudit/v1';

// --- The subset of the SARIF 2.1.0 object model trustaudit writes (names as in the specification). ---

export type SarifLevel = 'none' | 'note' | 'warning' | 'error';

export interface SarifMessage {
  text: string;
  markdown?: string;
}

export interface SarifRegion {
  startLine: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
}

export interface SarifArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

export interface SarifPhysicalLocation {
  artifactLocation: SarifArtifactLocation;
  region?: SarifRegion;
}

export interface SarifLogicalLocation {
  name: string;
  fullyQualifiedName: string;
  kind: string;
}

export interface SarifLocation {
  physicalLocation?: SarifPhysicalLocation;
  logicalLocations?: SarifLogicalLocation[];
}

export interface SarifReportingDescriptor {
  id: string;
  name?: string;
  shortDescription?: SarifMessage;
  fullDescription?: SarifMessage;
  help?: SarifMessage;
  helpUri?: string;
  defaultConfiguration?: { enabled?: boolean; level: SarifLevel };
  properties?: Record<string, unknown>;
}

export interface SarifSuppression {
  kind: 'inSource' | 'external';
  status: 'accepted';
  justification: string;
  location?: SarifLocation;
  properties?: Record<string, unknown>;
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifMessage;
  /** Absent when the finding is not in a file (live roles). */
  locations?: SarifLocation[];
  partialFingerprints: Record<string, string>;
  baselineState?: 'new' | 'unchanged';
  suppressions?: SarifSuppression[];
  properties: Record<string, unknown>;
}

export interface SarifNotification {
  level: SarifLevel;
  message: SarifMessage;
  descriptor: { id: string };
  locations?: SarifLocation[];
  properties?: Record<string, unknown>;
}

export interface SarifInvocation {
  executionSuccessful: boolean;
  toolExecutionNotifications?: SarifNotification[];
  toolConfigurationNotifications?: SarifNotification[];
}

export interface SarifRun {
  tool: {
    driver: {
      name: string;
      version: string;
      semanticVersion?: string;
      informationUri?: string;
      rules: SarifReportingDescriptor[];
    };
  };
  originalUriBaseIds: Record<string, { description: SarifMessage }>;
  invocations: SarifInvocation[];
  results: SarifResult[];
  columnKind: 'utf16CodeUnits';
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}

// --- Mapping ---

const LEVEL_BY_SEVERITY: Record<Severity, SarifLevel> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/**
 * GitHub's `security-severity` (a number as a string): above 9.0 is shown as critical, 7.0-8.9 high,
 * 4.0-6.9 medium, up to 3.9 low. Informational rules get none, so GitHub falls back to the level.
 */
const SECURITY_SEVERITY: Record<Severity, string | undefined> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: undefined,
};

export function sarifLevel(s: Severity): SarifLevel {
  return LEVEL_BY_SEVERITY[s];
}

const RULE_TAGS = ['security', 'aws', 'iam', 'trust-policy'];

function ruleDescriptor(meta: RuleMeta): SarifReportingDescriptor {
  const references = meta.references.filter(isAbsoluteUri);
  const helpText = [
    meta.description,
    `Risk: ${meta.risk}`,
    `Remediation: ${meta.remediation}`,
    ...(references.length ? [`References:\n${references.map((r) => `- ${r}`).join('\n')}`] : []),
  ].join('\n\n');
  const helpMarkdown = [
    `**${meta.title}**`,
    meta.description,
    `### Risk\n\n${meta.risk}`,
    `### Remediation\n\n${meta.remediation}`,
    ...(references.length ? [`### References\n\n${references.map((r) => `- <${r}>`).join('\n')}`] : []),
  ].join('\n\n');
  const securitySeverity = SECURITY_SEVERITY[meta.severity];
  return {
    id: meta.id,
    name: pascalCase(meta.name),
    shortDescription: { text: sentence(meta.title) },
    fullDescription: { text: sentence(meta.description) },
    help: { text: helpText, markdown: helpMarkdown },
    ...(references[0] ? { helpUri: references[0] } : {}),
    defaultConfiguration: { enabled: meta.enabledByDefault, level: sarifLevel(meta.severity) },
    properties: {
      tags: RULE_TAGS,
      'trustaudit-severity': meta.severity,
      ...(securitySeverity ? { 'security-severity': securitySeverity } : {}),
    },
  };
}

/**
 * A rule that produced findings but is missing from `report.rules` still needs an entry for ruleIndex,
 * with the descriptions GitHub requires; they come from the finding itself.
 */
function placeholderDescriptor(f: Finding): SarifReportingDescriptor {
  const text = sentence(f.title || f.ruleId);
  return {
    id: f.ruleId,
    shortDescription: { text },
    fullDescription: { text },
    help: { text: `${text} No further documentation was available when this report was written.` },
    defaultConfiguration: { level: sarifLevel(f.severity) },
    properties: { tags: RULE_TAGS },
  };
}

/**
 * A URI reference for a finding's file. A live role has no file, only its ARN; GitHub code scanning
 * rejects results without a physical location, so an ARN becomes a path under the `AWSROOT` base:
 * `arn:aws:iam::111122223333:role/team/x` -> `aws/iam/111122223333/role/team/x`. Other strings with a
 * URI scheme (and the empty string) are not files and get no location.
 */
export function artifactLocation(file: string): SarifArtifactLocation | undefined {
  if (file === '') return undefined;
  if (/^[A-Za-z]:[\\/]/.test(file)) {
    // Windows absolute path.
    return { uri: `file:///${encodePath(file.replaceAll('\\', '/'))}` };
  }
  const arn = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/.exec(file);
  if (arn) {
    const segments = [arn[1], arn[2], arn[3], arn[4], ...(arn[5] ?? '').split(/[:/]/)].filter(
      (p): p is string => !!p,
    );
    return { uri: encodePath(segments.join('/')), uriBaseId: AWSROOT };
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(file)) return undefined; // s3://..., https://...: not a file in the repository
  const slashed = file.replaceAll('\\', '/');
  if (slashed.startsWith('/')) return { uri: `file://${encodePath(slashed)}` };
  return { uri: encodePath(slashed.replace(/^(\.\/)+/, '')), uriBaseId: SRCROOT };
}

function encodePath(path: string): string {
  return path
    .split('/')
    .map((seg, i) => (i === 0 && /^[A-Za-z]:$/.test(seg) ? seg : encodeURIComponent(seg)))
    .join('/');
}

/**
 * Only what is known and valid: lines and columns are 1-based integers, the end comes after the start
 * (SARIF end columns point just past the region). An end line before the start line drops the whole end;
 * an end column with no end line is taken to be on the start line.
 */
export function sarifRegion(loc: SourceLocation): SarifRegion | undefined {
  if (!isPositiveInt(loc.line)) return undefined;
  const region: SarifRegion = { startLine: loc.line };
  if (isPositiveInt(loc.column)) region.startColumn = loc.column;
  if (loc.endLine !== undefined && !(isPositiveInt(loc.endLine) && loc.endLine >= loc.line)) return region;
  const endLine = loc.endLine ?? loc.line;
  if (endLine > loc.line) region.endLine = endLine;
  if (isPositiveInt(loc.endColumn) && (endLine > loc.line || loc.endColumn > (region.startColumn ?? 1))) {
    region.endColumn = loc.endColumn;
  }
  return region;
}

function physicalLocation(loc: SourceLocation): SarifPhysicalLocation | undefined {
  const artifact = artifactLocation(loc.file);
  if (!artifact) return undefined;
  const region = sarifRegion(loc);
  return { artifactLocation: artifact, ...(region ? { region } : {}) };
}

/**
 * The finding's file and region, with the role as a companion logical location. GitHub code scanning
 * rejects a whole upload when a location lacks `physicalLocation`, so a finding with no usable file gets
 * no `locations` (live roles do have one: see `artifactLocation`).
 */
function resultLocations(f: Finding): SarifLocation[] | undefined {
  const physical = physicalLocation(f.location);
  if (!physical) return undefined;
  return [
    {
      physicalLocation: physical,
      logicalLocations: [
        {
          name: f.resource.variant ? `${f.resource.name} (${f.resource.variant})` : f.resource.name,
          fullyQualifiedName: f.resource.arn ?? f.resource.id,
          kind: 'resource',
        },
      ],
    },
  ];
}

function suppressionOf(f: Finding): SarifSuppression[] | undefined {
  if (!f.suppressed || !f.suppression) return undefined;
  const s = f.suppression;
  const where = s.location ? physicalLocation(s.location) : undefined;
  return [
    {
      kind: s.kind === 'inline' ? 'inSource' : 'external',
      status: 'accepted',
      justification: s.expires ? `${s.reason} (until ${s.expires})` : s.reason,
      ...(where ? { location: { physicalLocation: where } } : {}),
      ...(s.expires ? { properties: { expires: s.expires } } : {}),
    },
  ];
}

function resultOf(f: Finding, ruleIndex: number, withBaseline: boolean): SarifResult {
  const accounts = [...new Set(f.principals.flatMap((p) => (p.account ? [p.account] : [])))].sort();
  const suppressions = suppressionOf(f);
  const locations = resultLocations(f);
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: sarifLevel(f.severity),
    message: { text: f.message },
    ...(locations ? { locations } : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    ...(withBaseline ? { baselineState: f.inBaseline ? 'unchanged' : 'new' } : {}),
    ...(suppressions ? { suppressions } : {}),
    properties: {
      severity: f.severity,
      resource: f.resource,
      ...(f.resource.account ? { account: f.resource.account } : {}),
      principals: f.principals.map((p) => ({
        value: p.value,
        kind: p.kind,
        ...(p.account ? { account: p.account } : {}),
        ...(p.accountName ? { accountName: p.accountName } : {}),
      })),
      principalAccounts: accounts,
      ...(f.statement ? { statement: f.statement } : {}),
      evidence: f.evidence.summary,
      // Who really assumes the role (scan --cloudtrail, RoleLastUsed): verdict and external ids per third party.
      ...(f.evidence.usage ? { usage: f.evidence.usage } : {}),
    },
  };
}

function notificationOf(e: ScanError, level: SarifLevel): SarifNotification {
  const physical = e.file
    ? physicalLocation({
        file: e.file,
        ...(e.line !== undefined ? { line: e.line } : {}),
        ...(e.column !== undefined ? { column: e.column } : {}),
      })
    : undefined;
  return {
    level,
    message: { text: e.message },
    descriptor: { id: `${e.source}/${e.code}` },
    ...(physical ? { locations: [{ physicalLocation: physical }] } : {}),
    properties: {
      source: e.source,
      code: e.code,
      ...(e.file ? { file: e.file } : {}),
      ...(e.account ? { account: e.account } : {}),
    },
  };
}

/** Build the SARIF log object (typed); `sarifReporter` serialises it. */
export function toSarif(report: Report): SarifLog {
  return sarifLog(report, (results) => Array.from(results)) as SarifLog;
}

/** A SARIF log whose results are made only as they are written (`sarifReporter`, for large reports). */
type LazySarifLog = Omit<SarifLog, 'runs'> & {
  runs: (Omit<SarifRun, 'results'> & { results: SarifResult[] | LazyList<SarifResult> })[];
};

function sarifLog(
  report: Report,
  keep: (results: LazyList<SarifResult>) => SarifResult[] | LazyList<SarifResult>,
): LazySarifLog {
  const metas = [...report.rules].sort((a, b) => cmp(a.id, b.id));
  const rules = metas.map(ruleDescriptor);
  const indexById = new Map(rules.map((r, i) => [r.id, i]));
  const orphans = report.findings
    .filter((f) => !indexById.has(f.ruleId))
    .sort((a, b) => cmp(a.ruleId, b.ruleId));
  for (const f of orphans) {
    if (indexById.has(f.ruleId)) continue;
    indexById.set(f.ruleId, rules.length);
    rules.push(placeholderDescriptor(f));
  }
  // `--baseline` marks every finding (true or false); without it the field is absent.
  const withBaseline = report.findings.some((f) => f.inBaseline !== undefined);
  const usesAwsRoot = [
    ...report.findings.map((f) => f.location.file),
    ...[...report.errors, ...report.warnings].map((e) => e.file ?? ''),
  ].some((file) => artifactLocation(file)?.uriBaseId === AWSROOT);
  const results = keep(
    lazyMap(report.findings, (f) => resultOf(f, indexById.get(f.ruleId) ?? 0, withBaseline)),
  );

  const execution = [
    ...report.errors.map((e) => notificationOf(e, 'error')),
    ...report.warnings.filter((w) => w.source !== 'config').map((w) => notificationOf(w, 'warning')),
  ];
  const configuration = report.warnings
    .filter((w) => w.source === 'config')
    .map((w) => notificationOf(w, 'warning'));
  const version = report.tool.version;

  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'trustaudit',
            version,
            ...(/^\d+\.\d+\.\d+/.test(version) ? { semanticVersion: version } : {}),
            ...(TRUSTAUDIT_INFORMATION_URI ? { informationUri: TRUSTAUDIT_INFORMATION_URI } : {}),
            rules,
          },
        },
        originalUriBaseIds: {
          [SRCROOT]: {
            description: { text: 'The directory trustaudit was run from; file paths are relative to it.' },
          },
          ...(usesAwsRoot
            ? {
                [AWSROOT]: {
                  description: {
                    text: 'Roles of live AWS accounts, by ARN: partition/service/account/resource.',
                  },
                },
              }
            : {}),
        },
        invocations: [
          {
            executionSuccessful: report.errors.length === 0 && report.summary.complete,
            ...(execution.length ? { toolExecutionNotifications: execution } : {}),
            ...(configuration.length ? { toolConfigurationNotifications: configuration } : {}),
          },
        ],
        results,
        columnKind: 'utf16CodeUnits',
        ...runProperties(report),
      },
    ],
  };
}

export const sarifReporter: Reporter = (report, opts) => {
  if (!inPieces(report, opts)) return `${JSON.stringify(toSarif(report), null, 2)}\n`;
  return sarifPieces(sarifLog(report, (results) => results));
};

/** The log, its runs, each run and its results are written in parts; the results a batch at a time. */
const expandSarif = (p: JsonPath) =>
  p.length === 0 || (p[0] === 'runs' && (p.length <= 2 || (p.length === 3 && p[2] === 'results')));

function* sarifPieces(log: LazySarifLog): Generator<string> {
  yield* jsonPieces(log, expandSarif);
  yield '\n';
}

/**
 * Run properties: which config file shaped the result and how many findings each kind of suppression
 * took out, so a reviewer of the uploaded log sees when a config or a template suppressed something.
 */
function runProperties(report: Report): { properties?: Record<string, unknown> } {
  const { config, suppressedBy } = report.summary;
  if (!config && !suppressedBy) return {};
  return {
    properties: {
      ...(config
        ? {
            configFile: config.file,
            configOrigin: config.origin,
            ...(config.ignoredFile ? { ignoredConfigFile: config.ignoredFile } : {}),
            inlineSuppressions: config.inlineSuppressions,
          }
        : {}),
      ...(suppressedBy ? { suppressedBy } : {}),
      rolesScanned: report.summary.rolesScanned,
      filesScanned: report.summary.filesScanned,
      ...(report.summary.rolesNotJudged !== undefined
        ? { rolesNotJudged: report.summary.rolesNotJudged }
        : {}),
    },
  };
}

// --- small helpers ---

function isPositiveInt(n: number | undefined): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1;
}

function isAbsoluteUri(s: string): boolean {
  return /^https?:\/\/\S+$/.test(s);
}

/** `cross-account-trust-without-external-id` -> `CrossAccountTrustWithoutExternalId`. */
function pascalCase(slug: string): string {
  return slug
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** SARIF wants descriptions that end with a full stop. */
function sentence(s: string): string {
  const t = s.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
