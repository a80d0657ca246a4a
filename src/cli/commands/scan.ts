import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { loadKnownAccounts } from '../../config/known-accounts.js';
import { buildZone, loadConfig, ruleSettingsFrom } from '../../config/load.js';
import type { Severity } from '../../findings/types.js';
import { reporters } from '../../reporters/index.js';
import type { Report, ReportText } from '../../reporters/types.js';
import type { RuleSetting } from '../../rules/engine.js';
import { BUDGET_NAMES, parseLimitFlags } from '../../scan/budgets.js';
import { buildReport, EXIT_CLEAN, exitCodeFor } from '../../scan/report.js';
import { DEFAULT_MAX_FILE_BYTES, runScan } from '../../scan/run.js';
import { loadParameterFile } from '../../sources/cloudformation/parameters-file.js';
import { loadVarFile, VarFileError } from '../../sources/terraform/var-file.js';
import type { RoleProvider } from '../../sources/types.js';
import { type CliIO, UsageError, useColor } from '../io.js';
import { collect, collectAccountIds, parsePairs, parsePositiveInt, parseSeverity } from '../parse.js';
import { writeReportFile, writeReportTo } from '../write-report.js';

/** File names used with --output-dir, by format. */
export const OUTPUT_FILE_NAMES: Record<string, string> = {
  text: 'trustaudit.txt',
  json: 'trustaudit.json',
  sarif: 'trustaudit.sarif',
  html: 'trustaudit.html',
  csv: 'trustaudit.csv',
  junit: 'trustaudit.junit.xml',
  markdown: 'trustaudit.md',
  asff: 'trustaudit.asff.json',
};

export interface ScanCliOptions {
  format: string;
  output?: string;
  outputDir?: string;
  failOn?: Severity | 'none';
  account?: string;
  trustedAccount?: string[];
  trustedOrg?: string[];
  config?: string;
  knownAccounts?: string;
  require?: string;
  rule?: string[];
  parameter?: string[];
  parametersFile?: string[];
  var?: string[];
  varFile?: string[];
  maxFileSize?: number;
  limit?: string[];
  color?: boolean;
  quiet?: boolean;
  [key: string]: unknown;
}

/** Extension points: other features add options to `scan` and act before/after it. */
export interface ScanHooks {
  addOptions: ((cmd: Command) => Command)[];
  /** Live sources (e.g. --aws) built from the parsed options. */
  providers: ((opts: ScanCliOptions, io: CliIO) => RoleProvider | undefined)[];
  /** Extra parameter/variable sources, applied before the --parameter/--var flags. */
  parameters: ((opts: ScanCliOptions, io: CliIO) => Map<string, string> | Promise<Map<string, string>>)[];
  variables: ((opts: ScanCliOptions, io: CliIO) => Map<string, string> | Promise<Map<string, string>>)[];
  /** Change the report before it is written (baseline marking). */
  transformReport: ((report: Report, opts: ScanCliOptions, io: CliIO) => Report)[];
  /** Act on the finished report (history recording). */
  afterReport: ((
    report: Report,
    opts: ScanCliOptions,
    io: CliIO,
    meta: { paths: string[] },
  ) => void | Promise<void>)[];
}

export function emptyScanHooks(): ScanHooks {
  return {
    addOptions: [],
    providers: [],
    parameters: [],
    variables: [],
    transformReport: [],
    afterReport: [],
  };
}

export function registerScanCommand(
  program: Command,
  io: CliIO,
  hooks: ScanHooks,
  setExit: (code: number) => void,
): void {
  let cmd = program
    .command('scan')
    .description(
      'Scan trust policies, IAM exports, CloudFormation and Terraform for roles a third party can assume without an external ID or MFA.',
    )
    .argument('[paths...]', 'files or folders to scan; - reads standard input')
    .option(
      '-f, --format <formats>',
      `output format(s), comma-separated: ${Object.keys(OUTPUT_FILE_NAMES).join(', ')}`,
      'text',
    )
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .option('--output-dir <dir>', 'write one file per format into this folder')
    .addOption(
      new Option('--fail-on <severity>', 'lowest severity that makes the exit code 1 (or none)').argParser(
        parseSeverity,
      ),
    )
    .option(
      '--account <id>',
      'account that owns the roles when the input does not say (bare policies, templates)',
      (v) => collectAccountIds(v)[0],
    )
    .option(
      '--trusted-account <ids>',
      'account(s) of your own organization, never third parties (repeatable, comma-separated)',
      collectAccountIds,
    )
    .option('--trusted-org <id>', 'organization id (o-...) of your own organization (repeatable)', collect)
    .option('-c, --config <file>', 'config file (default: trustaudit.config.json|yaml in the current folder)')
    .option(
      '--known-accounts <file>',
      'vendor account list (known_aws_accounts YAML format) to name third parties',
    )
    .addOption(
      new Option('--require <mode>', 'what protects a third-party trust (TA001 option)').choices([
        'external-id-or-mfa',
        'external-id',
        'mfa',
        'external-id-and-mfa',
      ]),
    )
    .option(
      '--rule <ID=setting>',
      'turn a rule on/off or set its severity, e.g. TA002=off, TA001=high (repeatable)',
      collect,
    )
    .option('--parameter <Key=Value>', 'CloudFormation parameter value (repeatable)', collect)
    .option(
      '--parameters-file <file>',
      'CloudFormation parameters file: AWS CLI [{ParameterKey, ParameterValue}], {Parameters: {...}} or {Key: Value}, JSON or YAML (repeatable)',
      collect,
    )
    .option('--var <name=value>', 'Terraform variable value (repeatable)', collect)
    .option('--var-file <file>', 'Terraform variables file (.tfvars or .tfvars.json; repeatable)', collect)
    .option(
      '--max-file-size <bytes>',
      `largest file read (default ${DEFAULT_MAX_FILE_BYTES})`,
      parsePositiveInt,
    )
    .option(
      '--limit <name=N>',
      `raise or lower an evaluation limit (repeatable): ${BUDGET_NAMES.join(', ')}; see docs/security.md`,
      collect,
    )
    .option('--color', 'force colour in text output')
    .option('--no-color', 'no colour in text output')
    .option('-q, --quiet', 'no progress or notes on standard error');
  for (const add of hooks.addOptions) cmd = add(cmd);
  cmd.action(async (paths: string[], opts: ScanCliOptions) => {
    setExit(await runScanCommand(paths, opts, io, hooks));
  });
}

export async function runScanCommand(
  paths: string[],
  opts: ScanCliOptions,
  io: CliIO,
  hooks: ScanHooks,
): Promise<number> {
  const formats = opts.format
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter(Boolean);
  for (const f of formats) {
    if (!reporters[f])
      throw new UsageError(`unknown format "${f}"; available: ${Object.keys(reporters).sort().join(', ')}`);
  }
  if (formats.length > 1 && !opts.outputDir) {
    throw new UsageError('several formats need --output-dir DIR (one file per format)');
  }
  if (opts.output && opts.outputDir) throw new UsageError('use either --output or --output-dir, not both');

  const { config, file: configFile } = loadConfig(io.cwd, opts.config);
  const zone = buildZone(config, {
    ...(opts.account ? { account: opts.account } : {}),
    trustedAccounts: opts.trustedAccount ?? [],
  });
  for (const o of opts.trustedOrg ?? []) zone.trustedOrgIds.add(o);
  // A vendor list named in the config is relative to the config file; on the command line, to cwd.
  const knownFile = opts.knownAccounts
    ? resolve(io.cwd, opts.knownAccounts)
    : config.knownAccounts && configFile
      ? resolve(dirname(configFile), config.knownAccounts)
      : undefined;
  if (knownFile) zone.known = loadKnownAccounts(knownFile);
  const settings = ruleSettingsFrom(config);
  applyRuleFlags(settings, opts);

  const providers = hooks.providers.map((p) => p(opts, io)).filter((p): p is RoleProvider => p !== undefined);
  if (paths.length === 0 && providers.length === 0) {
    throw new UsageError(
      'nothing to scan: give files or folders (or - for standard input), or a live source such as --aws',
    );
  }
  // Files first, then single values: a --parameter/--var on the command line wins over a file.
  const parameters = new Map<string, string>();
  for (const f of opts.parametersFile ?? []) {
    for (const [k, v] of readParameterFile(resolve(io.cwd, f))) parameters.set(k, v);
  }
  for (const h of hooks.parameters) for (const [k, v] of await h(opts, io)) parameters.set(k, v);
  for (const [k, v] of parsePairs(opts.parameter ?? [], 'parameter')) parameters.set(k, v);
  const variables = new Map<string, string>();
  for (const f of opts.varFile ?? []) {
    for (const [k, v] of await readVarFile(resolve(io.cwd, f))) variables.set(k, v);
  }
  for (const h of hooks.variables) for (const [k, v] of await h(opts, io)) variables.set(k, v);
  for (const [k, v] of parsePairs(opts.var ?? [], 'variable')) variables.set(k, v);

  let budgets: ReturnType<typeof parseLimitFlags>;
  try {
    budgets = parseLimitFlags(opts.limit ?? []);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }

  const startedAt = new Date().toISOString();
  const result = await runScan({
    budgets,
    paths,
    cwd: io.cwd,
    zone,
    readStdin: io.readStdin,
    ruleSettings: settings,
    parameters,
    variables,
    providers,
    suppressions: config.suppressions,
    ...(opts.maxFileSize ? { maxFileBytes: opts.maxFileSize } : {}),
  });
  let report = buildReport(result);
  for (const t of hooks.transformReport) report = t(report, opts, io);

  const color = useColor(io, opts.color);
  const region =
    typeof opts.region === 'string' ? opts.region : (io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION);
  const account = opts.account ?? zone.defaultOwner ?? result.accounts[0]?.id;
  // Render every format before writing anything, so a format that cannot be produced leaves no partial output.
  const render = (format: string, useColour: boolean): ReportText => {
    try {
      return reporters[format]!(report, {
        color: useColour,
        generatedAt: startedAt,
        ...(region ? { region } : {}),
        ...(account ? { account } : {}),
        // Large JSON, SARIF, ASFF and JUnit reports come as pieces, written in turn: no 512 MiB string.
        piecesOver: 0,
      });
    } catch (e) {
      // V8 strings hold at most 2^29 - 24 characters (about 512 MiB).
      if (e instanceof RangeError && /invalid string length/i.test(e.message)) {
        throw new UsageError(
          `cannot write the ${format} report: with ${report.findings.length} findings it would be larger than the 512 MiB one piece of text can hold; scan fewer inputs at a time, or choose json, sarif, asff or junit (written in pieces) or a more compact format (csv, text)`,
        );
      }
      throw new UsageError(
        `cannot write the ${format} report: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  };
  if (opts.outputDir) {
    const dir = resolve(io.cwd, opts.outputDir);
    const rendered = formats.map((f) => [f, render(f, false)] as const);
    mkdirSync(dir, { recursive: true });
    for (const [f, text] of rendered) {
      const file = join(dir, OUTPUT_FILE_NAMES[f] ?? `trustaudit.${f}`);
      writeReportFile(file, text);
      if (!opts.quiet) io.stderr.write(`wrote ${file}\n`);
    }
  } else if (opts.output) {
    const file = resolve(io.cwd, opts.output);
    writeReportFile(file, render(formats[0]!, false));
    if (!opts.quiet) io.stderr.write(`wrote ${file}\n`);
  } else {
    writeReportTo(io.stdout, render(formats[0]!, formats[0] === 'text' && color));
  }
  for (const a of hooks.afterReport) await a(report, opts, io, { paths });

  const failOn = opts.failOn ?? config.failOn ?? 'low';
  if (failOn === 'none') return report.errors.length > 0 ? exitCodeFor(report, 'critical') : EXIT_CLEAN;
  return exitCodeFor(report, failOn);
}

function readParameterFile(file: string): Map<string, string> {
  try {
    return loadParameterFile(file);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

async function readVarFile(file: string): Promise<Map<string, string>> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read variables file ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return await loadVarFile(file, text);
  } catch (e) {
    if (e instanceof VarFileError) {
      const at = e.line ? `:${e.line}${e.column ? `:${e.column}` : ''}` : '';
      throw new UsageError(`${e.file}${at}: ${e.message}`);
    }
    throw new UsageError(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function applyRuleFlags(settings: Map<string, RuleSetting>, opts: ScanCliOptions): void {
  for (const [id, value] of parsePairs(opts.rule ?? [], 'rule setting')) {
    const key = id.toUpperCase();
    const prev = settings.get(key);
    const v = value.toLowerCase();
    if (v === 'off' || v === 'false') settings.set(key, { ...prev, enabled: false });
    else if (v === 'on' || v === 'true') settings.set(key, { ...prev, enabled: true });
    else settings.set(key, { ...prev, enabled: true, severity: parseSeverity(v) as Severity });
  }
  if (opts.require) {
    const prev = settings.get('TA001');
    const options = {
      ...((prev?.options as Record<string, unknown> | undefined) ?? {}),
      require: opts.require,
    };
    settings.set('TA001', {
      enabled: prev?.enabled ?? true,
      ...(prev?.severity ? { severity: prev.severity } : {}),
      options,
    });
  }
}
