/**
 * The Terraform module a Terragrunt unit deploys: where its `terraform { source }` points, and the files
 * of that folder (and of the local modules it calls), read through the scan root. A remote source (git,
 * registry `tfr://`, HTTP, a bucket...) is never fetched.
 */
import path from 'node:path';
import { parseTree } from 'jsonc-parser';
import type { ScanError } from '../../model/types.js';
import { isInside, type ScanRoot } from '../../scan/scan-root.js';
import type { InputFile } from '../types.js';
import { isConfigFile, isJsonConfig, localModuleSource, tfvarsRank } from './config.js';
import { bodyAttrs, bodyBlocks, type HclParser } from './hcl.js';
import { folderNames, realFolder } from './tree-reader.js';

/** A source go-getter would fetch: `git::`, `s3::`, any `scheme://`, `git@…`, or a known code host. */
export function isRemoteSource(s: string): boolean {
  return (
    /^[A-Za-z][A-Za-z0-9+.-]*::/.test(s) ||
    /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(s) ||
    /^git@/.test(s) ||
    /^(?:github\.com|gitlab\.com|bitbucket\.org)\//.test(s) ||
    /^[^/]+\.(?:s3|storage\.googleapis)[^/]*\.com\//.test(s)
  );
}

/**
 * The folder of a local source, relative to the unit: `../modules/iam`, `../modules//iam` (the part
 * after `//` is the folder inside what Terragrunt copies) or an absolute path from `get_terragrunt_dir()`.
 */
export function localSourceDir(source: string, unitDir: string): string {
  const noQuery = source.split('?')[0] as string;
  const cut = noQuery.indexOf('//');
  const base = cut === -1 ? noQuery : noQuery.slice(0, cut);
  const sub = cut === -1 ? '' : noQuery.slice(cut + 2);
  return path.resolve(unitDir, base || '.', sub);
}

export interface ModuleFiles {
  /** Real folder of the module. */
  dir: string;
  files: InputFile[];
  /** Variables the module declares (its top folder). */
  variables: Set<string>;
  /** Variables that the module's own `terraform.tfvars` / `*.auto.tfvars` set (they win over inputs). */
  tfvarsNames: Set<string>;
}

export type ModuleRead =
  | { ok: true; module: ModuleFiles }
  | { ok: false; code: 'module-not-found' | 'module-outside-root'; reason: string };

/**
 * Reads the module folder `dir` and, through `module` blocks with a local source, the folders it calls
 * (at most `maxDepth` levels). `display` names a real path the way findings show it.
 */
export function readModule(
  dir: string,
  root: ScanRoot,
  parser: HclParser,
  maxDepth: number,
  display: (abs: string) => string,
  warn: (w: ScanError) => void,
): ModuleRead {
  if (!isInside(root.dir, path.resolve(dir)))
    return { ok: false, code: 'module-outside-root', reason: `${dir} is outside the scan root ${root.dir}` };
  const real = realFolder(dir);
  if (real === undefined) return { ok: false, code: 'module-not-found', reason: `${dir} does not exist` };
  if (!isInside(root.dir, real))
    return {
      ok: false,
      code: 'module-outside-root',
      reason: `${dir} leads to ${real}, outside the scan root ${root.dir}`,
    };
  const out: ModuleFiles = { dir: real, files: [], variables: new Set(), tfvarsNames: new Set() };
  const seen = new Set<string>();
  const visit = (d: string, depth: number, top: boolean): void => {
    if (seen.has(d) || depth > maxDepth) return;
    seen.add(d);
    const names = folderNames(d);
    if (!names) return;
    for (const name of names) {
      const config = isConfigFile(name);
      const rank = tfvarsRank(name);
      if (!config && (rank === undefined || !top)) continue;
      const r = root.read(name, d);
      const abs = path.join(d, name);
      if (!r.ok) {
        if (r.refusal !== 'not-regular')
          warn({
            source: 'terraform',
            code: 'file-refused',
            message: `${display(abs)} was not read: ${r.reason}`,
            file: display(abs),
          });
        continue;
      }
      const file: InputFile = { path: display(abs), absPath: abs, text: r.text, explicit: false };
      out.files.push(file);
      if (rank !== undefined) {
        for (const k of tfvarsKeys(file, parser)) out.tfvarsNames.add(k);
        continue;
      }
      if (isJsonConfig(name)) continue; // calls and variables of JSON files are left to the Terraform reader
      let parsed: ReturnType<HclParser['parse']>;
      try {
        parsed = parser.parse({ path: file.path, abs, text: r.text });
      } catch {
        continue; // too deeply nested: scanHcl reports it
      }
      if (parsed.error) continue; // scanHcl reports the syntax error
      for (const b of bodyBlocks(parsed.body)) {
        if (b.type === 'variable' && top && b.labels[0]) out.variables.add(b.labels[0]);
        else if (b.type === 'module') {
          const src = localModuleSource(b);
          if (!src) continue;
          const child = path.resolve(d, src);
          const childReal = realFolder(child);
          // A missing folder: scanHcl says so.
          if (childReal !== undefined && isInside(root.dir, childReal)) visit(childReal, depth + 1, false);
        }
      }
    }
  };
  visit(real, 0, true);
  return { ok: true, module: out };
}

/** Names a variables file assigns. */
function tfvarsKeys(file: InputFile, parser: HclParser): string[] {
  if (file.path.endsWith('.json')) {
    const tree = parseTree(file.text);
    if (tree?.type !== 'object') return [];
    return (tree.children ?? [])
      .map((p) => p.children?.[0]?.value)
      .filter((k): k is string => typeof k === 'string');
  }
  try {
    const parsed = parser.parse({ path: file.path, text: file.text });
    return parsed.error ? [] : [...bodyAttrs(parsed.body).keys()];
  } catch {
    return [];
  }
}
