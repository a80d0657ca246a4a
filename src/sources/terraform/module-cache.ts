/**
 * Modules the scanned ones call that were not among the scanned files:
 * - installed by `terraform init`: `.terraform/modules/modules.json` in a root module's folder lists
 *   every call by key (`vpc`, `vpc.subnets`) with the folder it was installed in (relative to the
 *   root). The scan walk skips `.terraform`; the cache is read here, through the scan root, so
 *   registry and git modules are judged with their callers' inputs instead of being unknown;
 * - local folders inside the scan root (`../../modules/x` from an environment folder).
 */
import path from 'node:path';
import type { ScanError } from '../../model/types.js';
import type { ScanRoot } from '../../scan/scan-root.js';
import { addConfigFile, emptyModule, isConfigFile, localModuleSource, type TfModule } from './config.js';
import type { ParsedHcl } from './hcl.js';
import { folderNames } from './tree-reader.js';

export const MODULES_JSON = path.join('.terraform', 'modules', 'modules.json');

interface CacheEntry {
  key: string;
  dir: string;
}

/** Parses a config file of a cached module (`.tf` or `.tf.json`); undefined when it cannot be read. */
export type ParseConfig = (display: string, abs: string, text: string) => ParsedHcl | undefined;

/**
 * Adds to `modules` the cached modules of every root module (recording each call's folder in its
 * caller's `cachedCalls`) and the local modules inside the root that the scanned ones call. Problems
 * with the cache are warnings; calls that stay unread say so (module-sources.ts).
 */
export function loadModuleCache(
  modules: Map<string, TfModule>,
  root: ScanRoot,
  parse: ParseConfig,
  warn: (w: ScanError) => void,
): void {
  const queue = [...modules.values()];
  for (let mod = queue.shift(); mod; mod = queue.shift()) {
    if (!path.isAbsolute(mod.dir) || mod.moduleCalls.size === 0) continue;
    if (!mod.calledOnly) for (const m of loadCache(mod, modules, root, parse, warn)) queue.push(m);
    // A local source inside the root that was not among the scanned files (an environment folder
    // calling `../../modules/x`): read it too, as its callers use it.
    for (const call of mod.moduleCalls.values()) {
      const src = localModuleSource(call);
      if (!src) continue;
      const dir = path.resolve(mod.dir, src);
      if (modules.has(dir) || !root.contains(dir)) continue;
      const loaded = loadDir(dir, path.join(mod.displayDir, src), root, parse);
      if (!loaded) continue;
      modules.set(dir, loaded);
      queue.push(loaded);
    }
  }
}

/** The modules `.terraform/modules/modules.json` of a root module lists; returns the ones newly read. */
function loadCache(
  mod: TfModule,
  modules: Map<string, TfModule>,
  root: ScanRoot,
  parse: ParseConfig,
  warn: (w: ScanError) => void,
): TfModule[] {
  const read = root.read(MODULES_JSON, mod.dir);
  if (!read.ok) return [];
  const display = path.join(mod.displayDir, MODULES_JSON);
  const entries = parseEntries(read.text);
  if (!entries) {
    warn({
      source: 'terraform',
      code: 'module-cache-unreadable',
      message: `${display} is not the module list terraform init writes; the cached modules were not read`,
      file: display,
    });
    return [];
  }
  const added: TfModule[] = [];
  // Shorter keys first: a call's caller is loaded before the call.
  entries.sort((a, b) => a.key.split('.').length - b.key.split('.').length);
  const byKey = new Map<string, TfModule>([['', mod]]);
  for (const e of entries) {
    if (e.key === '') continue;
    const dot = e.key.lastIndexOf('.');
    const caller = byKey.get(dot === -1 ? '' : e.key.slice(0, dot));
    if (!caller) continue;
    const dir = path.resolve(mod.dir, e.dir);
    const name = e.key.slice(dot + 1);
    if (!root.contains(dir)) continue;
    let child = modules.get(dir);
    if (!child) {
      const loaded = loadDir(dir, path.join(mod.displayDir, e.dir), root, parse);
      if (!loaded) continue;
      child = loaded;
      modules.set(dir, child);
      added.push(child);
    }
    caller.cachedCalls.set(name, dir);
    byKey.set(e.key, child);
  }
  return added;
}

function parseEntries(text: string): CacheEntry[] | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  const list = (doc as { Modules?: unknown } | null)?.Modules;
  if (!Array.isArray(list)) return undefined;
  const out: CacheEntry[] = [];
  for (const m of list) {
    const key = (m as { Key?: unknown })?.Key;
    const dir = (m as { Dir?: unknown })?.Dir;
    if (typeof key === 'string' && typeof dir === 'string') out.push({ key, dir });
  }
  return out;
}

/** The `.tf` / `.tf.json` files of one cached module folder, read through the scan root. */
function loadDir(dir: string, displayDir: string, root: ScanRoot, parse: ParseConfig): TfModule | undefined {
  const names = folderNames(dir);
  if (!names) return undefined;
  const mod = emptyModule(dir, displayDir);
  mod.calledOnly = true;
  for (const name of names) {
    if (!isConfigFile(name)) continue;
    const read = root.read(name, dir);
    if (!read.ok) continue;
    const parsed = parse(path.join(displayDir, name), path.join(dir, name), read.text);
    if (parsed) addConfigFile(mod, parsed);
  }
  return mod;
}
