import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import type { TrustedAccount, ZoneOfTrust } from '../analysis/zone.js';
import type { ConfigSuppression } from '../config/schema.js';
import type { Finding } from '../findings/types.js';
import type { Role, ScanError } from '../model/types.js';
import { type RuleSetting, runRules } from '../rules/engine.js';
import { allRules } from '../rules/index.js';
import type { AnyRule } from '../rules/types.js';
import { fileSources } from '../sources/index.js';
import type { FileSource, InputFile, RoleProvider, SourceContext } from '../sources/types.js';
import { applySuppressions } from '../suppress/index.js';
import { append } from '../util/append.js';
import { type BudgetName, budgetsWith } from './budgets.js';
import { defaultRootFor, openScanRoot } from './scan-root.js';
import { errMessage, walkPaths } from './walk.js';

/** Extensions worth reading when a folder is walked (named files are always read). */
const CANDIDATE_EXTENSIONS = new Set([
  '.json',
  '.yaml',
  '.yml',
  '.template',
  '.tf',
  '.tfvars',
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
  /** YYYY-MM-DD, for suppression expiry. Defaults to today (UTC). */
  today?: string;
  maxFileBytes?: number;
  /** Overrides of the evaluation limits (`--limit NAME=N`). */
  budgets?: Partial<Record<BudgetName, number>>;
  /** The scan root (`--root`); default: the git top level above the first path. */
  root?: string;
  /** Override the registries (tests). */
  sources?: readonly FileSource[];
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
}

/** Read inputs, run every source, every enabled rule and the suppressions. Never throws for bad input. */
export async function runScan(opts: ScanOptions): Promise<ScanResult> {
  const sources = opts.sources ?? fileSources;
  const rules = opts.rules ?? allRules;
  const maxFileBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const errors: ScanError[] = [];
  const warnings: ScanError[] = [];

  const inputs = await readInputs(opts, maxFileBytes, errors);
  const zone = cloneZone(opts.zone);
  const ctx: SourceContext = {
    zone,
    parameters: opts.parameters ?? new Map(),
    variables: opts.variables ?? new Map(),
    allFiles: inputs.all,
    maxFileBytes,
    budgets: budgetsWith(opts.budgets),
    root: openScanRoot(opts.root ?? defaultRootFor(opts.paths, opts.cwd), maxFileBytes),
  };

  // Offer each file to the sources in order; the first that claims it gets it.
  const claimed = new Map<FileSource, InputFile[]>();
  let filesScanned = 0;
  for (const file of inputs.files) {
    const source = sources.find((s) => safeClaim(s, file, errors));
    if (!source) {
      if (file.explicit) {
        errors.push({
          source: 'input',
          code: 'unrecognised',
          file: file.path,
          message: `${file.path} is not a trust policy, IAM export, CloudFormation template or Terraform file`,
        });
      }
      continue;
    }
    filesScanned++;
    const list = claimed.get(source) ?? [];
    list.push(file);
    claimed.set(source, list);
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
  for (const [source, files] of claimed) {
    try {
      absorb(await source.load(files, ctx));
    } catch (e) {
      errors.push({
        source: source.name,
        code: 'internal',
        message: `the ${source.name} reader failed on ${files.length} file(s) (${files[0]?.path ?? ''}…): ${errMessage(e)}`,
      });
    }
  }
  for (const provider of opts.providers ?? []) {
    try {
      absorb(await provider({ zone }));
    } catch (e) {
      errors.push({ source: 'aws', code: 'internal', message: `live scan failed: ${errMessage(e)}` });
    }
  }

  const found = runRules(roles, rules, {
    zone,
    ...(opts.ruleSettings ? { settings: opts.ruleSettings } : {}),
  });
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const suppressed = applySuppressions(found, roles, opts.suppressions ?? [], today);
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

async function readInputs(
  opts: ScanOptions,
  maxFileBytes: number,
  errors: ScanError[],
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
  const walked = walkPaths(paths, opts.cwd);
  append(errors, walked.errors);
  for (const f of walked.files) {
    if (!f.explicit && !isCandidate(f.abs)) continue;
    try {
      const size = statSync(f.abs).size;
      if (size > maxFileBytes) {
        errors.push({
          source: 'input',
          code: 'too-large',
          file: f.display,
          message: `${f.display} is ${size} bytes, over the ${maxFileBytes}-byte limit (raise it with --max-file-size)`,
        });
        continue;
      }
      files.push({
        path: f.display,
        absPath: f.abs,
        text: readFileSync(f.abs, 'utf8'),
        explicit: f.explicit,
      });
    } catch (e) {
      errors.push({
        source: 'input',
        code: 'unreadable',
        file: f.display,
        message: `cannot read ${f.display}: ${errMessage(e)}`,
      });
    }
  }
  return { files, all: walked.files.map((f) => f.abs) };
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
