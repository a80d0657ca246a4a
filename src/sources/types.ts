import type { TrustedAccount, ZoneOfTrust } from '../analysis/zone.js';
import type { Role, ScanError } from '../model/types.js';
import type { Budgets } from '../scan/budgets.js';
import type { ScanRoot } from '../scan/scan-root.js';

/** A file handed to the sources. `path` is what the user sees in findings (relative to cwd when possible). */
export interface InputFile {
  path: string;
  /** Absolute path on disk (undefined for stdin). */
  absPath?: string;
  text: string;
  /** Named on the command line (or stdin): an unrecognised explicit file is an error, a walked one is skipped. */
  explicit: boolean;
}

export interface SourceContext {
  zone: ZoneOfTrust;
  /** CloudFormation parameter overrides (`--parameter Key=Value`, parameters files). */
  parameters: ReadonlyMap<string, string>;
  /** Terraform variable overrides (`--var name=value`, `--var-file`). */
  variables: ReadonlyMap<string, string>;
  /** Every file the scan found (absolute paths), so a source can look at siblings (tfvars, cdk manifest). */
  allFiles: readonly string[];
  /** Largest file a source should parse, in bytes. */
  maxFileBytes: number;
  /** Limits on every evaluation of the input (`src/scan/budgets.ts`); exceeding one fails that file or module only. */
  budgets: Budgets;
  /**
   * The only way a source may read a file that a scanned file names (`file()`, module sources, CDK
   * `templateFile`, Ansible lookups): refuses anything outside the scan root, non-regular files and
   * oversized files, with a reason to report as a warning.
   */
  root: ScanRoot;
}

export interface SourceResult {
  roles: Role[];
  errors: ScanError[];
  /**
   * Problems that do not make the result incomplete but must be visible (a refused read outside the
   * scan root, a URL module source not fetched): summary, JSON and SARIF, exit code unchanged.
   */
  warnings?: ScanError[];
  /** Accounts the source found to be inside the zone of trust (e.g. every account of the scanned Organization). */
  trusted?: TrustedAccount[];
  /** Accounts the source scanned (live AWS), with names when known. */
  accounts?: { id: string; name?: string }[];
  /**
   * Folders (real paths) whose files this result judged as deployed by another file (the module a
   * Terragrunt unit deploys): roles read from those folders on their own are superseded. One load
   * applies it itself; `SourceSplit.finish` applies it across groups read apart.
   */
  deployedDirs?: string[];
}

/** A source that does not read files (live AWS). Called once per scan. */
export type RoleProvider = (ctx: { zone: ZoneOfTrust }) => Promise<SourceResult>;

/**
 * A source of roles read from files. The scanner offers each file to the sources in registry order;
 * the first whose `claim` returns true gets it. Files nobody claims are skipped (or, when explicit, reported).
 */
export interface FileSource {
  name: string;
  /** Cheap test (extension, a few bytes of content): is this file mine? */
  claim(file: InputFile): boolean;
  /** Parse the claimed files. Never throws for bad input: errors go to `errors` and the rest is still read. */
  load(files: InputFile[], ctx: SourceContext): Promise<SourceResult>;
  /**
   * Optional: split the claimed files into groups that can be read apart (in worker threads). Loading
   * every group in turn (or any run of consecutive groups at once) and concatenating the results must
   * give what loading all the files gives. A worker runs the registry's source of the same `name`.
   */
  split?(files: InputFile[], ctx: SourceContext): SourceSplit;
  /** Told of each group read elsewhere (a worker thread), e.g. to count progress. */
  loadedElsewhere?(files: InputFile[], result: SourceResult): void;
}

/** Independent groups of a source's files (`FileSource.split`). */
export interface SourceSplit {
  /** In the order their results are concatenated. */
  groups: InputFile[][];
  /** An error or warning several groups give alike is kept once (a module that several root modules call). */
  sameProblemOnce?: boolean;
  /**
   * What one load of all the files does across groups, applied once to their merged result on the main
   * thread (Terraform: a folder a unit deploys is not judged on its own as well).
   */
  finish?(merged: SourceResult): SourceResult;
}
