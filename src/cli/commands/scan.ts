import { statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { REQUIRE_MODES } from '../../analysis/protection.js';
import { loadBundledKnownAccounts, mergeKnownAccounts } from '../../config/bundled-accounts.js';
import type { KnownAccountsReader } from '../../config/known-accounts.js';
import { type LoadedConfig, loadConfig } from '../../config/load.js';
import { SEVERITIES, type Severity } from '../../findings/types.js';
import type { Role } from '../../model/types.js';
import { FORMAT_NAMES, outputFormats } from '../../reporters/index.js';
import type { ConfigSummary, Report, ReportText } from '../../reporters/types.js';
import { BUDGET_NAMES } from '../../scan/budgets.js';
import { type ExcludeGlob, globProblem } from '../../scan/exclude.js';
import { buildReport, EXIT_CLEAN, EXIT_ERROR, exitCodeFor, isIncomplete } from '../../scan/report.js';
import { keepAtOrAbove, type RuleFlags } from '../../scan/rule-flags.js';
import { DEFAULT_MAX_FILE_BYTES, runScan } from '../../scan/run.js';
import { defaultRootFor, openScanRoot, readRegularFile } from '../../scan/scan-root.js';
import { outputFormatsFor, scanSettings } from '../../scan/settings.js';
import { defaultJobs } from '../../scan/workers/load.js';
import { fileSources } from '../../sources/index.js';
import type { RoleProvider } from '../../sources/types.js';
import { neutraliseText } from '../../util/neutralise.js';
import {
  createRedactor,
  type Redactor,
  redactingStream,
  secretsFromEnvironment,
  urlSecrets,
} from '../../util/redact.js';
import { shellCommand } from '../../util/shell-quote.js';
import { type CliIO, UsageError, useColor } from '../io.js';
import { collect, collectAccountIds, parsePairs, parsePositiveInt, parseSeverity } from '../parse.js';
import { fileScanProgress } from '../scan-progress.js';
import { writeReportFiles, writeReportToStdout } from '../write-report.js';

/** A variables file is small: anything larger is refused rather than read into memory. */
const MAX_VAR_FILE_BYTES = 16 * 1024 * 1024;

/** File names used with --output-dir, by format (read from the format table). */
export const OUTPUT_FILE_NAMES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(outputFormats).map(([name, f]) => [name, f.fileName]),
);

/** The formats written in pieces, for the message about a report too large for one string. */
const STREAMED_FORMATS = FORMAT_NAMES.filter((f) => outputFormats[f]?.streams);

export interface ScanCliOptions {
  format: string;
  output?: string;
  outputDir?: string;
  failOn?: Severity | 'none';
  /** `--fail-on-incomplete`: exit 2 when a role was not judged or a Terraform module could not be read. */
  failOnIncomplete?: boolean;
  account?: string;
  trustedAccount?: string[];
  trustedOrg?: string[];
  config?: string;
  /** False with `--no-repo-config`: no config file is picked up from the current folder. */
  repoConfig?: boolean;
  /** False with `--no-inline-suppressions`: suppressions in the scanned templates are ignored. */
  inlineSuppressions?: boolean;
  /** A file, or false for --no-known-accounts. */
  knownAccounts?: string | false;
  require?: string;
  rule?: string[];
  rules?: string[];
  skipRules?: string[];
  severity?: Severity;
  parameter?: string[];
  parametersFile?: string[];
  var?: string[];
  varFile?: string[];
  maxFileSize?: number;
  /** `--jobs N`: threads that parse IaC files (default: one per available core). */
  jobs?: number;
  /** `--root DIR`: the scan root (default: the git top level above the first path). */
  root?: string;
  /** `--exclude GLOB` (repeatable): paths not walked or read. */
  exclude?: string[];
  /** False with `--no-gitignore`: files git ignores are walked too. */
  gitignore?: boolean;
  /** `--allow-unreadable`: inputs that could not be scanned stay errors in every report, but do not exit 2. */
  allowUnreadable?: boolean;
  limit?: string[];
  color?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  /** Not an option: the command line as typed (options given on it), set by the `scan` action for reports. */
  commandLine?: string;
  [key: string]: unknown;
}

/** What one scan run shares with its hooks. */
export interface ScanRunContext {
  /**
   * Keeps secrets out of everything the scan writes (reports, history, stderr): seeded from the
   * environment; live sources teach it the credentials they resolve.
   */
  redactor: Redactor;
}

/** Extension points: other features add options to `scan` and act before/after it. */
export interface ScanHooks {
  addOptions: ((cmd: Command) => Command)[];
  /** Live sources (e.g. --aws) built from the parsed options. */
  providers: ((opts: ScanCliOptions, io: CliIO, run: ScanRunContext) => RoleProvider | undefined)[];
  /** Extra parameter/variable sources, applied before the --parameter/--var flags. */
  parameters: ((opts: ScanCliOptions, io: CliIO) => Map<string, string> | Promise<Map<string, string>>)[];
  variables: ((opts: ScanCliOptions, io: CliIO) => Map<string, string> | Promise<Map<string, string>>)[];
  /** Change the report before it is written (baseline marking, usage evidence); `scan.roles`: the roles read. */
  transformReport: ((
    report: Report,
    opts: ScanCliOptions,
    io: CliIO,
    scan: { roles: readonly Role[] },
  ) => Report | Promise<Report>)[];
  /** Act on the finished report (history recording). */
  afterReport: ((
    report: Report,
    opts: ScanCliOptions,
    io: CliIO,
    meta: { paths: string[]; redactor: Redactor },
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
    .option('-f, --format <formats>', `output format(s), comma-separated: ${FORMAT_NAMES.join(', ')}`, 'text')
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .option('--output-dir <dir>', 'write one file per format into this folder')
    .addOption(
      new Option('--fail-on <severity>', 'lowest severity that makes the exit code 1 (or none)').argParser(
        parseSeverity,
      ),
    )
    .option(
      '--allow-unreadable',
      'inputs that could not be read or parsed are still errors in every report, but do not by themselves make the exit code 2',
    )
    .option(
      '--fail-on-incomplete',
      'exit 2 when a role could not be judged or a Terraform module could not be read',
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
    .option(
      '-c, --config <file>',
      'config file; keep it outside the scanned tree when that tree is untrusted (default: trustaudit.config.json|yaml in the current folder)',
    )
    .option(
      '--no-repo-config',
      'never pick up a config file from the current folder (an untrusted checkout); only --config is read',
    )
    .option(
      '--no-inline-suppressions',
      'ignore suppressions written in the scanned templates (CloudFormation Metadata, Terraform comments)',
    )
    .option(
      '--known-accounts <file>',
      'more vendor accounts (known_aws_accounts YAML format); added to the bundled list, and they win',
    )
    .option('--no-known-accounts', 'do not name vendors from the bundled known_aws_accounts list')
    .addOption(
      new Option('--require <mode>', 'what protects a third-party trust (TA001 option)').choices(
        REQUIRE_MODES,
      ),
    )
    .option(
      '--rule <ID=setting>',
      'turn a rule on/off or set its severity, e.g. TA002=off, TA001=high (repeatable)',
      collect,
    )
    .option('--rules <ids>', 'run only these rules, comma-separated (e.g. TA001,TA003)', collect)
    .option('--skip-rules <ids>', 'do not run these rules, comma-separated (e.g. TA002)', collect)
    .addOption(
      new Option(
        '--severity <level>',
        'show only findings at or above this severity (the rest are counted in a warning)',
      ).choices([...SEVERITIES]),
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
      '--exclude <glob>',
      'leave out paths matching this glob, relative to the current folder or the scan root (repeatable)',
      collect,
    )
    .option(
      '--no-gitignore',
      'walk files that git ignores too (by default .gitignore is honoured in a git repository)',
    )
    .option(
      '--root <dir>',
      'scan root: files that scanned files name (file(), module sources, CDK templates) must be inside it (default: the git top level above the first path)',
    )
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
    .option(
      '--jobs <n>',
      'threads that parse IaC files in a large scan (default: one per available core; 1: no worker threads)',
      parsePositiveInt,
    )
    .option('--color', 'force colour in text output')
    .option('--no-color', 'no colour in text output')
    .option('-q, --quiet', 'no progress or notes on standard error')
    .option('--verbose', 'text output: the evidence, the allowed request and the fix under each finding');
  for (const add of hooks.addOptions) cmd = add(cmd);
  cmd.action(async (paths: string[], opts: ScanCliOptions, self: Command) => {
    setExit(await runScanCommand(paths, { ...opts, commandLine: commandLineOf(self, paths) }, io, hooks));
  });
}

/**
 * Run `scan`. Everything that leaves the tool goes through one redactor: the report (before any format
 * is rendered or the history records it), standard error, and the message of an error that ends the run.
 */
export async function runScanCommand(
  paths: string[],
  opts: ScanCliOptions,
  io: CliIO,
  hooks: ScanHooks,
): Promise<number> {
  const redactor = createRedactor(secretsFromEnvironment(io.env));
  if (typeof opts.endpointUrl === 'string') redactor.add(...urlSecrets(opts.endpointUrl));
  // Notes and errors quote paths and names from the scanned tree: no secret and no control character
  // reaches the terminal. The progress line (counts only, no input text) keeps its own escapes.
  const redacted = redactingStream(io.stderr, redactor);
  const guarded: CliIO = {
    ...io,
    stderr: { ...redacted, write: (s: string) => redacted.write(neutraliseText(s)) },
  };
  try {
    return await scanWith(paths, opts, guarded, hooks, redactor, redacted);
  } catch (e) {
    if (e instanceof Error) e.message = redactor.text(e.message);
    throw e;
  }
}

/** The config file and inline-suppression choice, as the report shows them. */
function configSummary(loaded: LoadedConfig, cwd: string, inline: boolean): ConfigSummary {
  const shown = (file: string) => {
    const rel = relative(cwd, file);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
  };
  return {
    file: loaded.file ? shown(loaded.file) : null,
    origin: loaded.origin,
    ...(loaded.ignored ? { ignoredFile: shown(loaded.ignored) } : {}),
    inlineSuppressions: inline,
  };
}

async function scanWith(
  paths: string[],
  opts: ScanCliOptions,
  io: CliIO,
  hooks: ScanHooks,
  redactor: Redactor,
  progressSink: CliIO['stderr'],
): Promise<number> {
  const formats = outputFormatsFor(opts);

  // The scan root: every path a scanned file (or a config file inside the scanned tree) names stays in it.
  const rootDir = scanRootDir(paths, opts, io.cwd);
  // The nearest config file at or above the first scanned path, up to the scan root (ESLint, Biome).
  const searchFrom = configSearchStart(paths, io.cwd);
  const loaded = await loadConfig(io.cwd, opts.config, {
    repoConfig: opts.repoConfig !== false,
    ...(searchFrom ? { searchFrom, stopAt: rootDir } : {}),
  });
  const { config, file: configFile } = loaded;
  const inlineSuppressions = opts.inlineSuppressions !== false;
  const configInfo = configSummary(loaded, io.cwd, inlineSuppressions);
  // A config file nobody named can trust accounts and suppress findings: never use one silently.
  if ((loaded.origin === 'current-folder' || loaded.origin === 'scanned-tree') && !opts.quiet) {
    const where = loaded.origin === 'current-folder' ? 'the current folder' : 'the scanned tree';
    io.stderr.write(
      `trustaudit: note: using config ${configInfo.file} from ${where} (not named with --config); add --no-repo-config to ignore it\n`,
    );
  }
  const exclude = excludeGlobs(opts.exclude ?? [], config.exclude, io.cwd, configFile);
  const maxFileBytes = opts.maxFileSize ?? DEFAULT_MAX_FILE_BYTES;
  // A vendor list named in the config is relative to the config file; on the command line, to cwd.
  const knownFile =
    typeof opts.knownAccounts === 'string'
      ? resolve(io.cwd, opts.knownAccounts)
      : config.knownAccounts && configFile
        ? resolve(dirname(configFile), config.knownAccounts)
        : undefined;
  // Vendors are named from the bundled list unless --no-known-accounts; a user's list adds to it and wins.
  const bundled = opts.knownAccounts === false ? new Map() : await loadBundledKnownAccounts();
  const knownAccounts = knownFile
    ? mergeKnownAccounts(
        bundled,
        (await import('../../config/known-accounts.js')).loadKnownAccounts(
          knownFile,
          knownAccountsReader(opts, configFile, rootDir, maxFileBytes),
        ),
      )
    : bundled;
  const { zone, ruleSettings, budgets, failOn } = scanSettings(
    {
      ...(opts.account ? { account: opts.account } : {}),
      trustedAccounts: opts.trustedAccount ?? [],
      trustedOrgs: opts.trustedOrg ?? [],
      knownAccounts,
      ...ruleFlagsOf(opts),
      limitFlags: opts.limit ?? [],
      ...(opts.failOn ? { failOn: opts.failOn } : {}),
    },
    config,
  );

  const providers = hooks.providers
    .map((p) => p(opts, io, { redactor }))
    .filter((p): p is RoleProvider => p !== undefined);
  if (paths.length === 0 && providers.length === 0) {
    throw new UsageError(
      'nothing to scan: give files or folders (or - for standard input), or a live source such as --aws',
    );
  }
  // Files first, then single values: a --parameter/--var on the command line wins over a file.
  const parameters = new Map<string, string>();
  for (const f of opts.parametersFile ?? []) {
    for (const [k, v] of await readParameterFile(resolve(io.cwd, f))) parameters.set(k, v);
  }
  for (const h of hooks.parameters) for (const [k, v] of await h(opts, io)) parameters.set(k, v);
  for (const [k, v] of parsePairs(opts.parameter ?? [], 'parameter')) parameters.set(k, v);
  const variables = new Map<string, string>();
  for (const f of opts.varFile ?? []) {
    for (const [k, v] of await readVarFile(resolve(io.cwd, f))) variables.set(k, v);
  }
  for (const h of hooks.variables) for (const [k, v] of await h(opts, io)) variables.set(k, v);
  for (const [k, v] of parsePairs(opts.var ?? [], 'variable')) variables.set(k, v);

  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  // Files and roles per second on a terminal; nothing in CI, with --quiet or when stderr is a file.
  const progress = fileScanProgress(progressSink, { quiet: Boolean(opts.quiet), env: io.env });
  const scanning = runScan({
    now: started,
    budgets,
    paths,
    cwd: io.cwd,
    zone,
    readStdin: io.readStdin,
    ruleSettings,
    parameters,
    variables,
    providers,
    suppressions: config.suppressions,
    inlineSuppressions,
    root: rootDir,
    exclude,
    gitignore: opts.gitignore !== false,
    ...(opts.maxFileSize ? { maxFileBytes: opts.maxFileSize } : {}),
    jobs: opts.jobs ?? defaultJobs(),
    ...(progress ? { sources: progress.wrap(fileSources) } : {}),
  });
  const result = await scanning.finally(() => progress?.end());
  // --severity is a display filter: what it leaves out is counted in a warning.
  const shown = keepAtOrAbove(result.findings, opts.severity);
  result.findings = shown.findings;
  if (shown.warning) result.warnings.push(shown.warning);
  let report = buildReport(result, {
    config: configInfo,
    scan: {
      ...(opts.commandLine ? { command: opts.commandLine } : {}),
      ...(zone.defaultOwner ? { ownerAccount: zone.defaultOwner } : {}),
      trustedAccounts: [...result.zone.trusted.keys()].sort(),
      trustedOrgs: [...result.zone.trustedOrgIds].sort(),
      ...(result.accounts.length > 0 ? { scannedAccounts: result.accounts } : {}),
    },
    ...(budgets['message-length'] !== undefined ? { messageLength: budgets['message-length'] } : {}),
  });
  for (const t of hooks.transformReport) report = await t(report, opts, io, { roles: result.roles });
  // After the live sources taught it their credentials; before any format or the history sees the report.
  report = redactor.value(report);

  const color = useColor(io, opts.color);
  // Reports take no value from the environment unless a live scan uses the same credentials and
  // region: a file scan's region (ASFF, console links) is only ever the one given with --region.
  const region =
    typeof opts.region === 'string'
      ? opts.region
      : providers.length > 0
        ? (io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION)
        : undefined;
  const account = opts.account ?? zone.defaultOwner ?? result.accounts[0]?.id;
  // Only the reporters of the formats asked for are loaded (the HTML one is large).
  const reporters = new Map(
    await Promise.all(formats.map(async (f) => [f, await outputFormats[f]!.load()] as const)),
  );
  // Render every format before writing anything, so a format that cannot be produced leaves no partial output.
  const render = (format: string, useColour: boolean): ReportText => {
    try {
      return reporters.get(format)!(report, {
        color: useColour,
        ...(opts.verbose ? { verbose: true } : {}),
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
          `cannot write the ${format} report: with ${report.findings.length} findings it would be larger than the 512 MiB one piece of text can hold; scan fewer inputs at a time, or choose ${listOr(STREAMED_FORMATS)} (written in pieces) or a more compact format (csv, text)`,
        );
      }
      throw new UsageError(
        `cannot write the ${format} report: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  };
  // Each file is written all or nothing; one that cannot be is a one-line error and makes the exit code 2.
  let written: boolean;
  if (opts.outputDir) {
    const dir = resolve(io.cwd, opts.outputDir);
    const rendered = formats.map((f) => ({
      file: join(dir, outputFormats[f]?.fileName ?? `trustaudit.${f}`),
      text: render(f, false),
    }));
    written = writeReportFiles(rendered, io, { dir, ...(opts.quiet ? { quiet: true } : {}) });
  } else if (opts.output) {
    const file = resolve(io.cwd, opts.output);
    written = writeReportFiles([{ file, text: render(formats[0]!, false) }], io, {
      ...(opts.quiet ? { quiet: true } : {}),
    });
  } else {
    written = writeReportToStdout(io, render(formats[0]!, formats[0] === 'text' && color));
  }
  for (const a of hooks.afterReport) await a(report, opts, io, { paths, redactor });
  if (!written) return EXIT_ERROR;

  if (opts.failOnIncomplete && isIncomplete(report)) return EXIT_ERROR;
  // --allow-unreadable: the errors stay in every report; only the exit code leaves them out.
  const judged = opts.allowUnreadable ? { ...report, errors: [] } : report;
  if (opts.allowUnreadable && report.errors.length > 0 && !opts.quiet)
    io.stderr.write(
      `trustaudit: warning: ${report.errors.length} input${report.errors.length === 1 ? '' : 's'} could not be scanned (see the report); the exit code does not say so because of --allow-unreadable\n`,
    );
  if (failOn === 'none') return judged.errors.length > 0 ? EXIT_ERROR : EXIT_CLEAN;
  return exitCodeFor(judged, failOn);
}

/** The rule flags given (`--rule`, `--rules`, `--skip-rules`, `--require`), without the absent ones. */
function ruleFlagsOf(opts: ScanCliOptions): RuleFlags {
  return {
    ...(opts.rule ? { rule: opts.rule } : {}),
    ...(opts.rules ? { rules: opts.rules } : {}),
    ...(opts.skipRules ? { skipRules: opts.skipRules } : {}),
    ...(opts.require ? { require: opts.require } : {}),
  };
}

/** `a, b or c`. */
function listOr(words: readonly string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/** The folder the config search starts in: the first scanned path's (itself when it is a folder). */
function configSearchStart(paths: readonly string[], cwd: string): string | undefined {
  const first = paths.find((p) => p !== '-');
  if (!first) return undefined;
  const abs = resolve(cwd, first);
  try {
    return statSync(abs).isDirectory() ? abs : dirname(abs);
  } catch {
    return dirname(abs);
  }
}

/**
 * `--exclude` globs (relative to the current folder) and the config's `exclude:` (relative to the config
 * file's folder); the scan adds the scan root to both. A glob that cannot be used is a usage error.
 */
function excludeGlobs(
  flags: readonly string[],
  fromConfig: readonly string[],
  cwd: string,
  configFile: string | undefined,
): ExcludeGlob[] {
  const out: ExcludeGlob[] = [];
  for (const glob of flags) {
    const problem = globProblem(glob);
    if (problem) throw new UsageError(`--exclude: ${problem}`);
    out.push({ glob, bases: [cwd], from: '--exclude' });
  }
  const base = configFile ? dirname(configFile) : cwd;
  const from = configFile ? `exclude in ${relative(cwd, configFile) || configFile}` : 'exclude';
  for (const glob of fromConfig) out.push({ glob, bases: [base], from });
  return out;
}

/** `trustaudit scan PATHS --option value ...`: the options given on the command line, quoted for a shell. */
function commandLineOf(cmd: Command, paths: readonly string[]): string {
  const words = ['trustaudit', 'scan', ...paths];
  for (const o of cmd.options) {
    const key = o.attributeName();
    if (cmd.getOptionValueSource(key) !== 'cli') continue;
    const v: unknown = cmd.getOptionValue(key);
    const flag = o.long ?? o.short ?? key;
    if (typeof v === 'boolean') words.push(v || o.negate ? flag : `--no-${key}`);
    else if (Array.isArray(v)) for (const x of v) words.push(flag, String(x));
    else if (v !== undefined) words.push(flag, String(v));
  }
  return shellCommand(words);
}

/** A `--parameters` file; its parser (YAML) is loaded only when one is given. */
async function readParameterFile(file: string): Promise<Map<string, string>> {
  const { loadParameterFile } = await import('../../sources/cloudformation/parameters-file.js');
  try {
    return loadParameterFile(file);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/** `--root DIR` (an existing folder), else the git top level above the first path, else its folder. */
function scanRootDir(paths: readonly string[], opts: ScanCliOptions, cwd: string): string {
  if (typeof opts.root !== 'string') return defaultRootFor(paths, cwd);
  const dir = resolve(cwd, opts.root);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new UsageError(`--root ${opts.root}: not a folder`);
  return dir;
}

/**
 * A vendor list the user typed (`--known-accounts`, or named by a `--config` file outside the scanned
 * tree) may be anywhere; one named by a config file inside the scan root must stay inside it. Either
 * way only a regular file of bounded size is read.
 */
function knownAccountsReader(
  opts: ScanCliOptions,
  configFile: string | undefined,
  rootDir: string,
  maxFileBytes: number,
): KnownAccountsReader | undefined {
  if (typeof opts.knownAccounts === 'string' || !configFile) return undefined;
  const root = openScanRoot(rootDir, maxFileBytes);
  if (!root.contains(configFile)) return undefined;
  return (file) => root.read(file, dirname(configFile));
}

async function readVarFile(file: string): Promise<Map<string, string>> {
  const read = readRegularFile(file, MAX_VAR_FILE_BYTES);
  if (!read.ok) throw new UsageError(`cannot read variables file: ${read.reason}`);
  const text = read.text;
  // The HCL parser is loaded only when a variables file is given.
  const { loadVarFile, VarFileError } = await import('../../sources/terraform/var-file.js');
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
