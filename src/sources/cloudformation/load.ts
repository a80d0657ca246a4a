/**
 * The CloudFormation reader: CDK cloud assemblies first (each stack's template with the stack's
 * environment), then every other claimed template, each through `scanTemplate`. Imported by index.ts
 * only when a file was claimed (claims.ts decides which).
 */
import { dirname, isAbsolute, posix, relative, resolve, sep } from 'node:path';
import type { TrustedAccount } from '../../analysis/zone.js';
import type { Role, ScanError } from '../../model/types.js';
import { append } from '../../util/append.js';
import { sourceError } from '../source-error.js';
import type { InputFile, SourceContext, SourceResult } from '../types.js';
import { type CdkStack, readManifest } from './cdk.js';
import { isCdkManifest } from './claims.js';
import type { ExtractOptions } from './roles.js';
import { scanTemplate, type TemplateScan } from './scan-template.js';

const scanError = (file: string, code: string, message: string, line?: number, column?: number): ScanError =>
  sourceError('cloudformation', file, code, message, line, column);

export async function loadCloudFormation(files: InputFile[], ctx: SourceContext): Promise<SourceResult> {
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
  // Every scan's result, with the file it was read from (`abs`) when that is a file of its own.
  const results: { scan: TemplateScan; abs?: string }[] = [];
  const trusted = new Map<string, TrustedAccount>();

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
    // Every account the app deploys a stack to is one of its own: trusted, as with --trusted-account.
    for (const stack of manifest.stacks)
      if (stack.account && !trusted.has(stack.account))
        trusted.set(stack.account, { id: stack.account, name: `CDK stack ${stack.stackName}` });
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
        tree: {
          root: ctx.root,
          dir: dirname(abs),
          real: abs,
          // A CDK nested stack's template is read through its parent, with the parent's environment.
          onFile: (child, cdk) => {
            if (cdk) covered.add(resolve(child));
          },
        },
      });
      results.push({ scan: r, abs });
    }
  }

  for (const f of files) {
    if (isCdkManifest(f.path, f.text)) continue;
    if (f.absPath && covered.has(resolve(f.absPath))) continue;
    const abs = f.absPath ? resolve(f.absPath) : undefined;
    const r = scanTemplate(f.text, f.path, {
      ...base,
      maxFileBytes: ctx.maxFileBytes,
      explicit: f.explicit,
      tree: { root: ctx.root, ...(abs ? { dir: dirname(abs), real: abs } : {}) },
    });
    results.push({ scan: r, ...(abs ? { abs } : {}) });
  }
  append(roles, withoutRepeats(results));
  for (const { scan } of results) {
    append(errors, scan.errors);
    append(warnings, scan.warnings ?? []);
    for (const t of scan.trusted ?? []) if (!trusted.has(t.id)) trusted.set(t.id, t);
  }
  return {
    roles,
    errors: distinctErrors(errors),
    ...(warnings.length > 0 ? { warnings: distinctErrors(warnings) } : {}),
    ...(trusted.size > 0 ? { trusted: [...trusted.values()] } : {}),
  };
}

/** What a role's trust comes to: the same resource judged twice the same way is one verdict. */
function verdictKey(role: Role): string {
  return JSON.stringify([
    role.account ?? null,
    role.partition,
    role.trustPolicy.raw,
    role.trustPolicy.statements,
  ]);
}

/** `file#LogicalId` of a role without the nesting prefix: the part after the last `#`. */
function localId(role: Role): string {
  return role.id.slice(role.id.lastIndexOf('#') + 1);
}

/**
 * Every role, except a child's role judged through its parent exactly as the child's own file
 * (scanned on its own) already judges it: the standalone verdict is kept, and only what the parent
 * changes (its `Parameters`) is reported again, under the parent's chain.
 */
function withoutRepeats(results: readonly { scan: TemplateScan; abs?: string }[]): Role[] {
  const standalone = new Map<string, Set<string>>();
  for (const { scan, abs } of results) {
    if (!abs) continue;
    for (const role of scan.roles) {
      if (scan.nestedFrom?.has(role)) continue;
      const key = `${abs}#${localId(role)}`;
      const set = standalone.get(key) ?? new Set<string>();
      set.add(verdictKey(role));
      standalone.set(key, set);
    }
  }
  const out: Role[] = [];
  for (const { scan } of results) {
    for (const role of scan.roles) {
      const from = scan.nestedFrom?.get(role);
      if (from && standalone.get(`${from}#${localId(role)}`)?.has(verdictKey(role))) continue;
      out.push(role);
    }
  }
  return out;
}

/** A problem met once per template, however many parents read it, is reported once. */
function distinctErrors(list: readonly ScanError[]): ScanError[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const k = `${e.code}|${e.file}|${e.line}|${e.column}|${e.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

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
