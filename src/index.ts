/**
 * trustaudit as a library: scan trust policies, IAM exports and templates from code and get the same
 * report the CLI prints. Every function here takes plain data and returns plain data; nothing reads
 * the environment or a config file unless you name one.
 *
 * ```ts
 * import { scanDocuments, renderReport } from 'trustaudit';
 * const report = await scanDocuments(
 *   [{ name: 'vendor.json', text: JSON.stringify(policy) }],
 *   { account: '123456789012' },
 * );
 * console.log(report.summary.findings, renderReport(report, 'sarif'));
 * ```
 */
import type { RequireMode } from './analysis/protection.js';
import type { KnownAccount } from './analysis/zone.js';
import { loadBundledKnownAccounts, mergeKnownAccounts } from './config/bundled-accounts.js';
import { loadKnownAccounts } from './config/known-accounts.js';
import type { Severity } from './findings/types.js';
import { reporters } from './reporters/all.js';
import { FORMAT_NAMES } from './reporters/index.js';
import { type Report, type ReporterOptions, wholeText } from './reporters/types.js';
import { allRules } from './rules/index.js';
import type { BudgetName } from './scan/budgets.js';
import { buildReport, exitCodeFor } from './scan/report.js';
import { runScan, type ScanOptions } from './scan/run.js';
import { scanSettings } from './scan/settings.js';

/** What protects a third-party trust (TA001's `require` option). */
export type { RequireMode } from './analysis/protection.js';
export type { ZoneOfTrust } from './analysis/zone.js';
export type { Finding, FindingPrincipal, Severity } from './findings/types.js';
export type { Role, ScanError, Statement, TrustPolicy } from './model/types.js';
export type { Report, ReporterOptions, ReportRole, Summary } from './reporters/types.js';
export { allRules as rules } from './rules/index.js';
export type { RuleMeta } from './rules/types.js';
export { BUDGETS, type BudgetName } from './scan/budgets.js';
export { REPORT_SCHEMA_VERSION } from './scan/report.js';

export interface LibraryScanOptions {
  /** Account that owns roles whose input does not say (bare policies, templates). */
  account?: string;
  /** Accounts of your own organization: never third parties. */
  trustedAccounts?: readonly string[];
  /** Organization ids (o-…) of your own organization. */
  trustedOrganizations?: readonly string[];
  /** Vendor names for accounts, by id; `knownAccountsFile` reads a known_aws_accounts YAML list. */
  knownAccounts?: Readonly<Record<string, string>>;
  knownAccountsFile?: string;
  /** Name vendors from the bundled known_aws_accounts list (default true). */
  bundledKnownAccounts?: boolean;
  /** What protects a third-party trust (default `external-id-or-mfa`). */
  require?: RequireMode;
  /** Per-rule settings: `false`/`'off'` disables, a severity overrides it, `true`/`'on'` enables. */
  rules?: Readonly<Record<string, boolean | 'on' | 'off' | Severity>>;
  /** CloudFormation parameter values. */
  parameters?: Readonly<Record<string, string>>;
  /** Terraform variable values (text, as on the command line). */
  variables?: Readonly<Record<string, string>>;
  /** Folder relative paths are resolved against (default: the process's current folder). */
  cwd?: string;
  /** Scan root: files named by scanned files are read only inside it (default: the git top level). */
  root?: string;
  /** Largest file read, in bytes. */
  maxFileBytes?: number;
  /** Evaluation limits (`BUDGETS` lists them). */
  limits?: Partial<Record<BudgetName, number>>;
}

/** Scan files and folders on disk (folders are walked, as `trustaudit scan PATH…` does). */
export async function scanPaths(paths: readonly string[], options: LibraryScanOptions = {}): Promise<Report> {
  return buildReport(await runScan(await scanOptions(options, { paths })));
}

/**
 * Scan documents held in memory: bare trust policies, IAM exports, CloudFormation or Terraform text.
 * `name` is what findings point at (and decides the kind, like a file name: `main.tf`, `stack.yaml`).
 */
export async function scanDocuments(
  documents: readonly { name: string; text: string }[],
  options: LibraryScanOptions = {},
): Promise<Report> {
  return buildReport(await runScan(await scanOptions(options, { paths: [], documents })));
}

/** Scan trust policies given as objects; each is named `name` (default `policy-N.json`). */
export async function scanPolicies(
  policies: readonly { name?: string; policy: unknown }[],
  options: LibraryScanOptions = {},
): Promise<Report> {
  return scanDocuments(
    policies.map((p, i) => ({ name: p.name ?? `policy-${i + 1}.json`, text: JSON.stringify(p.policy) })),
    options,
  );
}

/** The formats `renderReport` takes. */
export const formats: readonly string[] = FORMAT_NAMES;

/** A report as text in one of `formats` (`json`, `sarif`, `html`, `text`, …). */
export function renderReport(report: Report, format: string, options: Partial<ReporterOptions> = {}): string {
  const render = Object.hasOwn(reporters, format) ? reporters[format] : undefined;
  if (!render) throw new Error(`unknown format "${format}"; the formats are ${formats.join(', ')}`);
  return wholeText(render(report, { color: false, ...options }));
}

/** The CLI's exit code for a report: 0 clean, 1 findings at or above `failOn`, 2 incomplete. */
export function exitCode(report: Report, failOn: Severity = 'low'): number {
  return exitCodeFor(report, failOn);
}

/** The library's options through the settings step the CLI uses, with no config file. */
async function scanOptions(
  o: LibraryScanOptions,
  inputs: Pick<ScanOptions, 'paths' | 'documents'>,
): Promise<ScanOptions> {
  const { zone, ruleSettings, budgets } = scanSettings({
    ...(o.account ? { account: o.account } : {}),
    trustedAccounts: o.trustedAccounts ?? [],
    trustedOrgs: o.trustedOrganizations ?? [],
    knownAccounts: await libraryKnownAccounts(o),
    rule: Object.entries(o.rules ?? {}).map(
      ([id, v]) => `${id}=${v === false ? 'off' : v === true ? 'on' : v}`,
    ),
    ...(o.require ? { require: o.require } : {}),
    ...(o.limits ? { limits: o.limits } : {}),
  });
  return {
    ...inputs,
    cwd: o.cwd ?? process.cwd(),
    zone,
    ruleSettings,
    parameters: new Map(Object.entries(o.parameters ?? {})),
    variables: new Map(Object.entries(o.variables ?? {})),
    rules: allRules,
    ...(o.root ? { root: o.root } : {}),
    ...(o.maxFileBytes ? { maxFileBytes: o.maxFileBytes } : {}),
    ...(o.limits ? { budgets } : {}),
  };
}

/** The bundled vendor list (unless turned off), then the file's, then the names given: the last wins. */
async function libraryKnownAccounts(o: LibraryScanOptions): Promise<Map<string, KnownAccount>> {
  let known =
    o.bundledKnownAccounts !== false ? await loadBundledKnownAccounts() : new Map<string, KnownAccount>();
  if (o.knownAccountsFile) known = mergeKnownAccounts(known, loadKnownAccounts(o.knownAccountsFile));
  for (const [id, name] of Object.entries(o.knownAccounts ?? {})) known.set(id, { id, name });
  return known;
}
