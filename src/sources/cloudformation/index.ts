/**
 * The CloudFormation / SAM / CDK source: templates (JSON or YAML, every short-form tag) and CDK cloud
 * assemblies (`cdk.out/manifest.json`) -> roles with exact file, line and column.
 */
import { dirname, isAbsolute, posix, relative, resolve, sep } from 'node:path';
import type { Role, ScanError } from '../../model/types.js';
import { append } from '../../util/append.js';
import type { FileSource, InputFile, SourceContext, SourceResult } from '../types.js';
import { type CdkStack, isCdkManifest, readManifest } from './cdk.js';
import { type NestedTemplateCheck, nestedStackWarnings } from './nested-stacks.js';
import { parseTemplateText } from './parse.js';
import { type ExtractOptions, extractRoles } from './roles.js';
import { indexTemplate, looksLikeTemplate } from './template.js';

export { loadParameterFile, ParameterFileError, parseParameterText } from './parameters-file.js';

const EXTENSIONS = /\.(json|ya?ml|template)$/i;
const FORMAT_VERSION = /\bAWSTemplateFormatVersion\b/;
const RESOURCES_KEY = /(^|[\s{,])["']?Resources["']?\s*:/m;
const RESOURCE_TYPE = /["']?Type["']?\s*:\s*["']?(AWS|Custom|Alexa)::[A-Za-z0-9]+/;
const TRANSFORM_KEY = /(^|[\s{,])["']?Transform["']?\s*:/m;

/** Does the text look like a CloudFormation template? (Cheap: a few regular expressions.) */
export function looksLikeCloudFormation(text: string): boolean {
  if (FORMAT_VERSION.test(text)) return true;
  return RESOURCES_KEY.test(text) && (RESOURCE_TYPE.test(text) || TRANSFORM_KEY.test(text));
}

function scanError(file: string, code: string, message: string, line?: number, column?: number): ScanError {
  const e: ScanError = { source: 'cloudformation', code, message, file };
  if (line !== undefined) e.line = line;
  if (column !== undefined) e.column = column;
  return e;
}

export type TemplateScanOptions = ExtractOptions & {
  maxFileBytes: number;
  explicit?: boolean;
  allowAliases?: boolean;
  /** Where a template is on disk, so nested stacks it does not judge are warnings (nested-stacks.ts). */
  nested?: NestedTemplateCheck;
};

/** A template's roles and errors, and warnings (nested templates not judged) when there are any. */
export type TemplateScan = { roles: Role[]; errors: ScanError[]; warnings?: ScanError[] };

/** Parse one template and extract its roles. Never throws: a failure is a ScanError for this file only. */
export function scanTemplate(text: string, file: string, opts: TemplateScanOptions): TemplateScan {
  try {
    return scanTemplateUnsafe(text, file, opts);
  } catch (e) {
    const deep = e instanceof RangeError;
    return {
      roles: [],
      errors: [
        scanError(
          file,
          deep ? 'too-deep' : 'internal',
          deep
            ? 'the template is nested too deeply to read'
            : `the template could not be read: ${(e as Error)?.message ?? String(e)}`,
        ),
      ],
    };
  }
}

function scanTemplateUnsafe(text: string, file: string, opts: TemplateScanOptions): TemplateScan {
  const size = Buffer.byteLength(text, 'utf8');
  if (size > opts.maxFileBytes) {
    return {
      roles: [],
      errors: [
        scanError(
          file,
          'file-too-large',
          `the file is ${size} bytes, over the ${opts.maxFileBytes}-byte limit for one file; it was not read (raise the limit to scan it)`,
        ),
      ],
    };
  }
  const parsed = parseTemplateText(text, file, {
    allowAliases: opts.allowAliases === true,
    ...(opts.budgets ? { budgets: opts.budgets } : {}),
  });
  const o = parsed.outcome;
  if (!o.ok) {
    return { roles: [], errors: [scanError(file, o.code, o.message, o.pos.line, o.pos.column)] };
  }
  const warnings = o.warnings.map((w) => scanError(file, w.code, w.message, w.pos.line, w.pos.column));
  if (!looksLikeTemplate(o.root)) {
    // Looked like CloudFormation from its text but is something else: say so only when asked for by name.
    return {
      roles: [],
      errors: opts.explicit
        ? [
            scanError(
              file,
              'not-a-template',
              'not a CloudFormation template (it has no Resources section with AWS:: resource types)',
            ),
          ]
        : [],
    };
  }
  const r = extractRoles(indexTemplate(file, text, parsed.lines, o.root), opts);
  const nested = opts.nested ? nestedStackWarnings(o.root, file, opts.nested) : [];
  // A repeated key was resolved (the last one, as CloudFormation keeps it) and scanned: a warning.
  const resolved = [...warnings, ...nested];
  return {
    roles: r.roles,
    errors: r.errors,
    ...(resolved.length > 0 ? { warnings: resolved } : {}),
  };
}

export const cloudformationSource: FileSource = {
  name: 'cloudformation',

  claim(file: InputFile): boolean {
    // Standard input has no extension: judged by its content alone.
    const stdin = file.absPath === undefined && !/\.[A-Za-z0-9]+$/.test(file.path);
    if (!stdin && !EXTENSIONS.test(file.path)) return false;
    if (isCdkManifest(file.path, file.text)) return true;
    return looksLikeCloudFormation(file.text);
  },

  async load(files: InputFile[], ctx: SourceContext): Promise<SourceResult> {
    const roles: Role[] = [];
    const errors: ScanError[] = [];
    const warnings: ScanError[] = [];
    const owner = ctx.parameters.get('AWS::AccountId') ?? ctx.zone.defaultOwner;
    const base: ExtractOptions = {
      parameters: ctx.parameters,
      budgets: ctx.budgets,
      ...(owner ? { owner } : {}),
    };
    const byAbs = new Map<string, InputFile>();
    for (const f of files) if (f.absPath) byAbs.set(resolve(f.absPath), f);
    const seenByScanner = new Set(ctx.allFiles.map((p) => resolve(p)));
    const scanned: ReadonlySet<string> = new Set(byAbs.keys());

    // CDK assemblies first: a template listed by a manifest is read once, with the stack's environment.
    const covered = new Set<string>();
    for (const m of files) {
      if (!isCdkManifest(m.path, m.text)) continue;
      if (!m.absPath) {
        errors.push(
          scanError(
            m.path,
            'cdk-manifest',
            'a CDK manifest read from standard input cannot locate its templates',
          ),
        );
        continue;
      }
      const manifestDir = dirname(resolve(m.absPath));
      // Every file a manifest names goes through the scan root: `../` or an absolute path out of it is refused.
      const manifest = readManifest(m.text, m.path, (rel) => {
        const r = ctx.root.read(rel, manifestDir);
        if (r.ok) return { ok: true, text: r.text };
        return {
          ok: false,
          reason: r.reason,
          refused: r.refusal === 'outside' || r.refusal === 'not-regular',
        };
      });
      append(errors, manifest.errors);
      append(warnings, manifest.warnings);
      for (const stack of manifest.stacks) {
        const tf = stack.templateFile;
        const target = isAbsolute(tf) || stack.dir === '' ? tf : posix.join(stack.dir, tf);
        const abs = resolve(manifestDir, target);
        if (covered.has(abs)) continue;
        covered.add(abs);
        const walked = byAbs.get(abs);
        // Walked but handed to another reader, or refused by the scanner (too large): not read again here.
        if (!walked && seenByScanner.has(abs)) continue;
        let display = walked?.path;
        let text = walked?.text;
        if (text === undefined) {
          const r = ctx.root.read(target, manifestDir);
          if (!r.ok) {
            const refused = r.refusal === 'outside' || r.refusal === 'not-regular';
            const at = stack.templateFileAt;
            (refused ? warnings : errors).push(
              scanError(
                at.file,
                refused ? 'file-refused' : r.refusal === 'too-large' ? 'file-too-large' : 'unreadable',
                `stack ${stack.stackName}: templateFile ${JSON.stringify(tf)} was not read: ${r.reason}`,
                at.line,
                at.column,
              ),
            );
            continue;
          }
          // Named after where it really is (inside the root), relative to the manifest as the user sees it.
          display = posix.join(
            posix.dirname(m.path.split('\\').join('/')),
            relative(manifestDir, r.abs).split(sep).join('/'),
          );
          text = r.text;
        }
        const r = scanTemplate(text, display ?? target, {
          ...stackOptions(base, ctx, stack, m.path),
          maxFileBytes: ctx.maxFileBytes,
        });
        append(roles, r.roles);
        append(errors, r.errors);
        append(warnings, r.warnings ?? []);
      }
    }

    for (const f of files) {
      if (isCdkManifest(f.path, f.text)) continue;
      if (f.absPath && covered.has(resolve(f.absPath))) continue;
      const r = scanTemplate(f.text, f.path, {
        ...base,
        maxFileBytes: ctx.maxFileBytes,
        explicit: f.explicit,
        ...(f.absPath ? { nested: { dir: dirname(resolve(f.absPath)), root: ctx.root, scanned } } : {}),
      });
      append(roles, r.roles);
      append(errors, r.errors);
      append(warnings, r.warnings ?? []);
    }
    return { roles, errors, ...(warnings.length > 0 ? { warnings } : {}) };
  },
};

/** A pinned stack environment (`aws://111122223333/eu-west-1`) fills in what the user did not say. */
function stackOptions(
  base: ExtractOptions,
  ctx: SourceContext,
  stack: CdkStack,
  manifest: string,
): ExtractOptions {
  const parameters = new Map(ctx.parameters);
  if (stack.region && !parameters.has('AWS::Region')) parameters.set('AWS::Region', stack.region);
  const owner = ctx.parameters.get('AWS::AccountId') ?? stack.account ?? base.owner;
  return {
    parameters,
    budgets: ctx.budgets,
    ...(owner ? { owner } : {}),
    constructs: stack.constructs,
    extra: { cdkStack: stack.stackName, cdkManifest: manifest },
  };
}
