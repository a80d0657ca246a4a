/**
 * Parsing one Terraform file (HCL, or JSON turned into HCL first): a file handed to the scan, one the
 * scan found itself, or a variables file. What cannot be read is an error naming the file (a limit, a
 * syntax error); the caller goes on with the other files.
 */
import type { ScanError } from '../../model/types.js';
import type { InputFile, SourceContext } from '../types.js';
import { isJsonConfig } from './config.js';
import type { HclComment, HclParser, ParsedHcl, SrcFile } from './hcl.js';
import { transpileJsonConfig, transpileJsonVars } from './json-config.js';
import { fileFailure, jsonError, syntaxError, type WarningList } from './scan-report.js';

const SKIPPED = 'the file was skipped';
const VARS_IGNORED = 'the variables file was ignored';

/** What reading the files of one scan shares. */
export interface FileReading {
  parser: HclParser;
  ctx: SourceContext;
  errors: ScanError[];
  warnings: WarningList;
  /** The comments of each parsed configuration file (inline suppressions). */
  comments: Map<SrcFile, HclComment[]>;
}

/** A variables file, with its rank in Terraform's order. */
export interface RankedTfvars {
  file: InputFile;
  rank: number;
}

/** A file that runs out of a limit while it is read (nested too deeply) is reported and skipped alone. */
function guarded<T>(r: FileReading, display: string, outcome: string, work: () => T): T | undefined {
  try {
    return work();
  } catch (e) {
    r.errors.push(fileFailure(display, e, outcome));
    return undefined;
  }
}

/** A configuration file handed to the scan: parsed, or an error naming it. */
export function parseHandedFile(f: InputFile, r: FileReading): ParsedHcl | undefined {
  let src: SrcFile = { path: f.path, text: f.text };
  if (isJsonConfig(f.path)) {
    const maxDepth = r.ctx.budgets['nesting-depth'];
    const t = guarded(r, f.path, SKIPPED, () => transpileJsonConfig(f.text, maxDepth, f.path));
    if (!t) return undefined;
    if (!t.ok) {
      r.errors.push(jsonError(f.path, t, SKIPPED));
      return undefined;
    }
    src = { path: f.path, text: t.hcl, lineMap: t.lineMap };
  }
  if (f.absPath) src.abs = f.absPath;
  const parsed = guarded(r, f.path, SKIPPED, () => r.parser.parse(src));
  if (!parsed) return undefined;
  if (parsed.error) {
    r.errors.push(syntaxError(f.path, parsed.error, `; ${SKIPPED}`));
    return undefined;
  }
  r.comments.set(src, parsed.comments);
  return parsed;
}

/**
 * A configuration file the scan found itself (next to a scanned file, or in the module cache): parsed,
 * or undefined when it cannot be (only a limit or a failure of the reader is reported).
 */
export function parseQuietly(
  display: string,
  abs: string,
  text: string,
  r: FileReading,
): { src: SrcFile; parsed: ParsedHcl } | undefined {
  let src: SrcFile = { path: display, abs, text };
  if (isJsonConfig(display)) {
    const maxDepth = r.ctx.budgets['nesting-depth'];
    const t = guarded(r, display, SKIPPED, () => transpileJsonConfig(text, maxDepth, display));
    if (!t?.ok) return undefined;
    src = { path: display, abs, text: t.hcl, lineMap: t.lineMap };
  }
  const parsed = guarded(r, display, SKIPPED, () => r.parser.parse(src));
  if (!parsed || parsed.error) return undefined;
  return { src, parsed };
}

/** A variables file: parsed, or an error naming it (it is then ignored). */
export function parseTfvarsFile(file: InputFile, r: FileReading): ParsedHcl | undefined {
  const maxDepth = r.ctx.budgets['nesting-depth'];
  let src: SrcFile = { path: file.path, text: file.text };
  if (file.path.endsWith('.json')) {
    const t = guarded(r, file.path, VARS_IGNORED, () => transpileJsonVars(file.text, maxDepth, file.path));
    if (!t) return undefined;
    if (!t.ok) {
      r.errors.push(jsonError(file.path, t, VARS_IGNORED));
      return undefined;
    }
    src = { path: file.path, text: t.hcl, lineMap: t.lineMap };
  }
  const parsed = guarded(r, file.path, VARS_IGNORED, () => r.parser.parse(src));
  if (!parsed) return undefined;
  if (parsed.error) {
    r.errors.push(syntaxError(file.path, parsed.error, ' (variables file ignored)'));
    return undefined;
  }
  return parsed;
}
