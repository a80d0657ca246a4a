import { realpathSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { TrustedAccount, ZoneOfTrust } from '../analysis/zone.js';
import type { ConfigSuppression } from '../config/schema.js';
import type { Finding } from '../findings/types.js';
import type { Role, ScanError } from '../model/types.js';
import { type RuleSetting, runRules, settingsNeedZod } from '../rules/engine.js';
import { allRules } from '../rules/index.js';
import type { AnyRule } from '../rules/types.js';
import { fileSources } from '../sources/index.js';
import type { FileSource, InputFile, RoleProvider, SourceContext } from '../sources/types.js';
import { applySuppressions } from '../suppress/index.js';
import { append } from '../util/append.js';
import { type BudgetName, budgetsWith } from './budgets.js';
import { type ExcludeGlob, excludeTest } from './exclude.js';
import { gitIgnoredUnder } from './git-ignored.js';
import { NOTHING_RECOGNISED_CODE, notJudgedWarnings } from './not-judged.js';
import { withinPolicyBudgets } from './policy-budget.js';
import { defaultRootFor, openScanRoot, readRegularFile, type ScanRoot } from './scan-root.js';
import { errMessage, walkPaths } from './walk.js';
import { defaultWorkerEntry, loadClaimed } from './workers/load.js';

/** Extensions worth reading when a folder is walked (named files are always read). */
/** Names the walk never warns about (editor lock files and the like are often links or sockets). */
const SKIPPED_NAME = /^\.#/;

const CANDIDATE_EXTENSIONS = new Set([
  '.json',
  '.yaml',
  '.yml',
  '.template',
  '.tf',
  '.tfvars',
  '.tofu',
  '.hcl',
  '.tpl',
]);

export const DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024;

export interface ScanOptions {
  /** Files and folders; `-` reads standard input. */
  paths: readonly string[];
  cwd: string;
  zone: ZoneOfTrust;
  /** Documents given in memory (library use): each is scanned as if it were a file of that name. */
  documents?: readonly { name: string; text: string }[];
  /** Reads standard input when `-` is among the paths. */
  readStdin?: () => Promise<string>;
  ruleSettings?: ReadonlyMap<string, RuleSetting>;
  parameters?: ReadonlyMap<string, string>;
  variables?: ReadonlyMap<string, string>;
  /** Live sources (AWS). */
  providers?: readonly RoleProvider[];
  suppressions?: readonly ConfigSuppression[];
  /** False (`--no-inline-suppressions`): suppressions written in the scanned templates are ignored. */
  inlineSuppressions?: boolean;
  /** YYYY-MM-DD, for suppression expiry. Defaults to the day of `now` (UTC). */
  today?: string;
  /**
   * The scan's time, in milliseconds since the epoch: what `aws:CurrentTime`/`aws:EpochTime` conditions
   * are judged against (time-boxed trusts). Defaults to the zone's, else the clock when the scan starts.
   */
  now?: number;
  maxFileBytes?: number;
  /** Overrides of the evaluation limits (`--limit NAME=N`). */
  budgets?: Partial<Record<BudgetName, number>>;
  /** The scan root (`--root`); default: the git top level above the first path. */
  root?: string;
  /** `--exclude`/`exclude:` globs: paths not walked or read (each is matched relative to the scan root too). */
  exclude?: readonly ExcludeGlob[];
  /** True: files git ignores (`.gitignore`) are not walked (the CLI's default; `--no-gitignore`). */
  gitignore?: boolean;
  /** Override the registries (tests). */
  sources?: readonly FileSource[];
  /**
   * Threads that parse and normalise IaC files (`--jobs`); default 1, no worker thread. A scan with
   * less than `parallelMinBytes` of input that can be split stays in one thread whatever this says.
   */
  jobs?: number;
  /** Splittable input below which no worker starts (default 2 MiB; tests lower it). */
  parallelMinBytes?: number;
  /** Bytes of input a worker task is filled to (default: a quarter of each worker's share, at least 64 KiB; tests lower it). */
  parallelTaskBytes?: number;
  /** The worker script (default: the one built next to this module; null: never start workers). */
  workerEntry?: URL | null;
  /** Heap limit of each worker thread in MiB (default: Node's). */
  workerHeapMb?: number;
  rules?: readonly AnyRule[];
}

export interface ScanResult {
  roles: Role[];
  findings: Finding[];
  errors: ScanError[];
  warnings: ScanError[];
  filesScanned: number;
  /** The zone of trust after live sources added to it (organization accounts). */
  zone: ZoneOfTrust;
  rules: readonly AnyRule[];
  accounts: { id: string; name?: string }[];
  /** Findings an inline suppression would have suppressed, had `--no-inline-suppressions` not been given. */
  inlineSuppressionsIgnored?: number;
}

/** Read inputs, run every source, every enabled rule and the suppressions. Never throws for bad input. */
export async function runScan(opts: ScanOptions): Promise<ScanResult> {
  const sources = opts.sources ?? fileSources;
  const rules = opts.rules ?? allRules;
  const maxFileBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const errors: ScanError[] = [];
  const warnings: ScanError[] = [];

  const root = openScanRoot(opts.root ?? defaultRootFor(opts.paths, opts.cwd), maxFileBytes);
  const inputs = await readInputs(opts, root, maxFileBytes, errors, warnings);
  const zone = cloneZone(opts.zone);
  // One instant for the whole scan, so every rule judges time-boxed trusts alike.
  zone.scanTime = opts.now ?? opts.zone.scanTime ?? Date.now();
  const ctx: SourceContext = {
    zone,
    parameters: opts.parameters ?? new Map(),
    variables: opts.variables ?? new Map(),
    allFiles: inputs.all,
    maxFileBytes,
    budgets: budgetsWith(opts.budgets),
    root,
  };

  // Offer each file to the sources in order; the first that claims it gets it.
  const claimed = new Map<FileSource, InputFile[]>();
  let filesScanned = 0;
  let unrecognised = 0;
  for (const file of inputs.files) {
    const source = sources.find((s) => safeClaim(s, file, errors));
    if (!source) {
      unrecognised++;
      if (file.explicit) {
        errors.push({
          source: 'input',
          code: 'unrecognised',
          file: file.path,
          message: `${file.path} is not a trust policy, IAM export, CloudFormation template, Terraform file, Ansible task file (using the iam_role module), Serverless Framework configuration, Kubernetes IAM manifest (ACK, Crossplane), Pulumi YAML program or Pulumi stack export`,
        });
      }
      continue;
    }
    filesScanned++;
    const list = claimed.get(source) ?? [];
    list.push(file);
    claimed.set(source, list);
  }
  // Files that look like infrastructure code but none of which any reader recognised: say so, so that
  // "no findings in 0 roles" is never read as a clean result.
  if (filesScanned === 0 && unrecognised > 0 && opts.paths.some((p) => p !== '-')) {
    warnings.push({
      source: 'input',
      code: NOTHING_RECOGNISED_CODE,
      message: `none of the ${unrecognised} JSON, YAML, Terraform and template file${unrecognised === 1 ? '' : 's'} found is a trust policy, IAM export or template trustaudit reads: nothing was judged (is this the right folder? templates that must be rendered first, such as Helm charts, are not read)`,
    });
  }

  const roles: Role[] = [];
  const accounts: { id: string; name?: string }[] = [];
  const absorb = (r: {
    roles: Role[];
    errors: ScanError[];
    warnings?: ScanError[];
    trusted?: TrustedAccount[];
    accounts?: { id: string; name?: string }[];
  }) => {
    append(roles, r.roles);
    append(errors, r.errors);
    append(warnings, r.warnings ?? []);
    for (const t of r.trusted ?? []) if (!zone.trusted.has(t.id)) zone.trusted.set(t.id, t);
    append(accounts, r.accounts ?? []);
  };
  // In claimed order; with `jobs` > 1 a large scan parses in worker threads (src/scan/workers/).
  const entry = opts.workerEntry === undefined ? defaultWorkerEntry() : opts.workerEntry;
  for (const result of await loadClaimed(claimed, ctx, {
    jobs: opts.jobs ?? 1,
    ...(entry ? { entry } : {}),
    ...(opts.parallelMinBytes !== undefined ? { minBytes: opts.parallelMinBytes } : {}),
    ...(opts.parallelTaskBytes !== undefined ? { taskBytes: opts.parallelTaskBytes } : {}),
    ...(opts.workerHeapMb !== undefined ? { maxHeapMb: opts.workerHeapMb } : {}),
  }))
    absorb(result);
  // The files' text is read: roles keep what findings and reports need, so let it go before the rules run.
  claimed.clear();
  inputs.files.length = 0;
  for (const provider of opts.providers ?? []) {
    try {
      absorb(await provider({ zone }));
    } catch (e) {
      errors.push({ source: 'aws', code: 'internal', message: `live scan failed: ${errMessage(e)}` });
    }
  }

  // A policy past the statements, principals or condition-values limit is an error for its role, not judged.
  const sized = withinPolicyBudgets(roles, ctx.budgets);
  append(errors, sized.errors);
  // A role whose whole trust is unknown gets no finding; it must not read as clean.
  append(warnings, notJudgedWarnings(sized.roles));
  // zod is loaded only when a config or a flag gives some rule options to check.
  const zod = settingsNeedZod(opts.ruleSettings) ? (await import('zod')).z : undefined;
  const found = runRules(sized.roles, rules, {
    zone,
    ...(opts.ruleSettings ? { settings: opts.ruleSettings } : {}),
    ...(zod ? { zod } : {}),
  });
  const today = opts.today ?? new Date(zone.scanTime).toISOString().slice(0, 10);
  const suppressed = await applySuppressions(found, roles, opts.suppressions ?? [], today, {
    inline: opts.inlineSuppressions !== false,
  });
  append(warnings, suppressed.warnings);

  return {
    roles,
    findings: suppressed.findings,
    errors: sortErrors(errors),
    warnings: sortErrors(warnings),
    filesScanned,
    zone,
    rules,
    accounts,
    inlineSuppressionsIgnored: suppressed.inlineIgnored,
  };
}

function safeClaim(source: FileSource, file: InputFile, errors: ScanError[]): boolean {
  try {
    return source.claim(file);
  } catch (e) {
    errors.push({ source: source.name, code: 'internal', file: file.path, message: errMessage(e) });
    return false;
  }
}

/**
 * Walk the command-line paths and read the files worth scanning. Walked files must stay inside the
 * scan root (or the folder the user named) after links are followed; files named on the command line
 * may be anywhere. Either way only regular files are read, and the size limit counts the bytes read.
 */
async function readInputs(
  opts: ScanOptions,
  root: ScanRoot,
  maxFileBytes: number,
  errors: ScanError[],
  warnings: ScanError[],
): Promise<{ files: InputFile[]; all: string[] }> {
  const files: InputFile[] = [];
  // In-memory documents (the library's scanDocuments): named by the caller, never read from disk.
  for (const d of opts.documents ?? []) files.push({ path: d.name, text: d.text, explicit: true });
  const paths = opts.paths.filter((p) => p !== '-');
  if (paths.length !== opts.paths.length) {
    if (!opts.readStdin) {
      errors.push({
        source: 'input',
        code: 'no-stdin',
        file: '-',
        message: 'standard input is not available',
      });
    } else {
      const text = await opts.readStdin();
      files.push({ path: '<stdin>', text, explicit: true });
    }
  }
  const exclude = await excludeTest(
    (opts.exclude ?? []).map((g) => ({ ...g, bases: [...g.bases, root.dir] })),
  );
  const walked = walkPaths(paths, opts.cwd, {
    rootDir: root.dir,
    wanted: (name) => isCandidate(name) && !SKIPPED_NAME.test(basename(name)),
    ...(exclude ? { exclude } : {}),
    ...(opts.gitignore ? { gitIgnored: (dir: string) => gitIgnoredUnder(dir) } : {}),
  });
  append(errors, walked.errors);
  append(warnings, walked.warnings);
  // A thousand links to one file read it once.
  const byReal = new Map<string, string>();
  for (const f of walked.files) {
    if (!f.explicit && !isCandidate(f.abs)) continue;
    const known = byReal.get(realPathOf(f.abs));
    if (known !== undefined) {
      files.push({ path: f.display, absPath: f.abs, text: known, explicit: f.explicit });
      continue;
    }
    const r = f.explicit
      ? readRegularFile(f.abs, maxFileBytes)
      : root.readFound(f.abs, f.base ? [f.base] : []);
    if (r.ok) {
      byReal.set(r.real, r.text);
      files.push({ path: f.display, absPath: f.abs, text: r.text, explicit: f.explicit });
      continue;
    }
    const reason = r.reason.split(f.abs).join(f.display);
    if (r.refusal === 'too-large') {
      errors.push({ source: 'input', code: 'too-large', file: f.display, message: reason });
    } else if (!f.explicit && (r.refusal === 'outside' || r.refusal === 'not-regular')) {
      warnings.push({ source: 'input', code: 'not-read', file: f.display, message: `${reason}; not read` });
    } else {
      errors.push({ source: 'input', code: 'unreadable', file: f.display, message: reason });
    }
  }
  return { files, all: walked.seen };
}

function realPathOf(abs: string): string {
  try {
    return realpathSync.native(abs);
  } catch {
    return abs;
  }
}

function isCandidate(path: string): boolean {
  return CANDIDATE_EXTENSIONS.has(extname(path).toLowerCase());
}

function cloneZone(z: ZoneOfTrust): ZoneOfTrust {
  return {
    ...(z.defaultOwner ? { defaultOwner: z.defaultOwner } : {}),
    trusted: new Map(z.trusted),
    trustedOrgIds: new Set(z.trustedOrgIds),
    known: new Map(z.known),
    ...(z.scanTime !== undefined ? { scanTime: z.scanTime } : {}),
  };
}

function sortErrors(errors: ScanError[]): ScanError[] {
  return errors.sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.account ?? '').localeCompare(b.account ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.message.localeCompare(b.message),
  );
}
