import { closeSync, constants, existsSync, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { emptyZone, type ZoneOfTrust } from '../analysis/zone.js';
import type { Severity } from '../findings/types.js';
import type { RuleSetting } from '../rules/engine.js';
import { isInside } from '../scan/scan-root.js';
import { emptyConfig } from './empty.js';
import { ConfigError } from './errors.js';
import type { Config } from './schema.js';

export const CONFIG_FILE_NAMES = [
  'trustaudit.config.json',
  'trustaudit.config.yaml',
  'trustaudit.config.yml',
];

export { ConfigError };

/**
 * How the config file was chosen: named on the command line (`--config`, trusted: the user typed it),
 * found in the current folder, found in a folder of the scanned tree (the scanned path's folder or one
 * above it, up to the repository's top level) — in CI both are usually the checked-out tree, so written
 * by whoever wrote the change — or none.
 */
export type ConfigOrigin = 'command-line' | 'current-folder' | 'scanned-tree' | 'none';

export interface LoadedConfig {
  config: Config;
  /** The file it came from; undefined when no config file was used. */
  file?: string;
  origin: ConfigOrigin;
  /** A config file that would have been picked up and was left unread (`--no-repo-config`). */
  ignored?: string;
}

export interface LoadConfigOptions {
  /**
   * False (`--no-repo-config`): never pick up a config file from the current folder; only an
   * explicit `--config FILE` is read.
   */
  repoConfig?: boolean;
  /**
   * Search for a config file from this folder (the first scanned path's) upward, and use the nearest,
   * as ESLint and Biome do. The search stops at `stopAt` (the scan root) when the folder is inside it,
   * else at the git top level (a folder holding `.git`), else it looks in this folder only. When nothing
   * is found there, the current folder is looked in.
   */
  searchFrom?: string;
  stopAt?: string;
}

/**
 * The folders searched for a config file, nearest first: `from`, then each parent up to and including
 * `stopAt` when `from` is inside it, else up to the git top level, else `from` alone.
 */
export function configSearchFolders(from: string, stopAt?: string): string[] {
  const start = realOrSelf(resolve(from));
  const stop = stopAt ? realOrSelf(resolve(stopAt)) : undefined;
  const limit = stop && isInside(stop, start) ? stop : (gitTopLevel(start) ?? start);
  const out: string[] = [];
  for (let d = start; ; d = dirname(d)) {
    out.push(d);
    if (d === limit || dirname(d) === d) return out;
  }
}

function gitTopLevel(start: string): string | undefined {
  for (let d = start; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return undefined;
  }
}

function realOrSelf(p: string): string {
  try {
    return realpathSync.native(p);
  } catch {
    return p;
  }
}

/** The config file discovery would use (nearest to `searchFrom`, else in `cwd`), and how it was found. */
function discoverConfig(
  cwd: string,
  opts: LoadConfigOptions,
): { file: string; origin: 'current-folder' | 'scanned-tree' } | undefined {
  const here = realOrSelf(resolve(cwd));
  for (const dir of opts.searchFrom ? configSearchFolders(opts.searchFrom, opts.stopAt) : []) {
    const file = findConfigFile(dir);
    if (file) return { file, origin: dir === here ? 'current-folder' : 'scanned-tree' };
  }
  const file = findConfigFile(cwd);
  return file ? { file, origin: 'current-folder' } : undefined;
}

/** The first of `CONFIG_FILE_NAMES` in `dir`, if any. */
export function findConfigFile(dir: string): string | undefined {
  return CONFIG_FILE_NAMES.map((n) => resolve(dir, n)).find((p) => existsSync(p));
}

/**
 * Load `explicitPath` (it always wins), or else the nearest config file discovered (see
 * `LoadConfigOptions.searchFrom`; unless `opts.repoConfig` is false), or else an empty config. Only one
 * config file ever applies: files further up are not merged in.
 */
export async function loadConfig(
  cwd: string,
  explicitPath?: string,
  opts: LoadConfigOptions = {},
): Promise<LoadedConfig> {
  if (explicitPath) {
    const file = resolve(cwd, explicitPath);
    return { config: await parseConfigFile(file), file, origin: 'command-line' };
  }
  const found = discoverConfig(cwd, opts);
  if (found && opts.repoConfig === false) {
    return { config: emptyConfig(), origin: 'none', ignored: found.file };
  }
  if (!found) return { config: emptyConfig(), origin: 'none' };
  return { config: await parseConfigFile(found.file), ...found };
}

/** Read and validate one config file; the parser (zod, YAML, JSONC) is loaded only when there is a file. */
async function parseConfigFile(file: string): Promise<Config> {
  const text = readConfigFile(file);
  const { parseConfigText } = await import('./parse.js');
  return parseConfigText(text, file);
}

/** A config file is small: anything larger is refused rather than read into memory. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/**
 * Read a config file: a regular file (not a FIFO or a device such as `/dev/zero`, which a checked-out
 * tree can plant under the config's name), at most `MAX_CONFIG_BYTES`, counted on the bytes read.
 */
function readConfigFile(file: string): string {
  let fd: number | undefined;
  try {
    // O_NONBLOCK: opening a FIFO never waits for a writer; the fstat below then refuses it.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    if (!fstatSync(fd).isFile()) throw new ConfigError(`config ${file} is not a regular file`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.alloc(64 * 1024);
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_CONFIG_BYTES)
        throw new ConfigError(`config ${file} is larger than ${MAX_CONFIG_BYTES} bytes`);
      chunks.push(buf.subarray(0, n));
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(`cannot read config ${file}: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The zone of trust from config plus command-line flags (flags add to / override the config). */
export function buildZone(
  config: Config,
  flags: { account?: string; trustedAccounts?: readonly string[] },
): ZoneOfTrust {
  const zone = emptyZone();
  const owner = flags.account ?? config.account;
  if (owner) zone.defaultOwner = owner;
  for (const t of config.trustedAccounts) {
    const entry = typeof t === 'string' ? { id: t } : t;
    zone.trusted.set(entry.id, entry);
  }
  for (const id of flags.trustedAccounts ?? []) if (!zone.trusted.has(id)) zone.trusted.set(id, { id });
  for (const o of config.trustedOrganizations) zone.trustedOrgIds.add(o);
  return zone;
}

/** Per-rule settings from the config's `rules` section. */
export function ruleSettingsFrom(config: Config): Map<string, RuleSetting> {
  const out = new Map<string, RuleSetting>();
  for (const [id, v] of Object.entries(config.rules)) {
    const key = id.toUpperCase();
    if (typeof v === 'boolean') out.set(key, { enabled: v });
    else if (typeof v === 'string') {
      out.set(key, v === 'off' ? { enabled: false } : { enabled: true, severity: v as Severity });
    } else {
      out.set(key, {
        enabled: v.enabled ?? true,
        ...(v.severity ? { severity: v.severity } : {}),
        ...(v.options ? { options: v.options } : {}),
      });
    }
  }
  return out;
}
