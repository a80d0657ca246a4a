/**
 * CloudTrail log files as a trail delivers them to S3: `{"Records": [...]}` in `*.json.gz` (or `*.json`),
 * under `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/` or, for an organization trail,
 * `AWSLogs/<org-id>/<account>/CloudTrail/<region>/YYYY/MM/DD/`. The folder is named by the user, but every
 * file is still read bounded: regular files only, a size limit, and a limit on the gunzipped size.
 */
import { type Dirent, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ScanError } from '../model/types.js';
import type { UsageCollector, UsageWindow } from './aggregate.js';
import { assumeRoleCallOf } from './events.js';

export interface LogReadLimits {
  /** Largest file read, as stored (compressed). */
  maxFileBytes: number;
  /** Largest text a file may gunzip to. */
  maxOutputBytes: number;
}

/** CloudTrail log files are small (a few MB): these limits leave a wide margin. */
export const DEFAULT_LOG_LIMITS: LogReadLimits = {
  maxFileBytes: 64 * 1024 * 1024,
  maxOutputBytes: 512 * 1024 * 1024,
};

/** Folders deeper than this under the named path are not walked (the S3 layout is 8 levels deep). */
const MAX_DEPTH = 24;
const DAY_MS = 86_400_000;

export interface LogReadResult {
  filesRead: number;
  /** Files whose `YYYY/MM/DD` folder lies wholly outside the window (not opened). */
  filesOutsideWindow: number;
  /** Entries that are not regular files or folders (symbolic links, devices...): not read. */
  notRegular: number;
  errors: ScanError[];
}

function isLogFile(name: string): boolean {
  const n = name.toLowerCase();
  return n.endsWith('.json.gz') || n.endsWith('.json');
}

/**
 * The day a file's folder names, when it sits in the trail layout (`.../CloudTrail/<region>/YYYY/MM/DD/`).
 * Returns the start of that day (UTC, ms) or undefined.
 */
export function layoutDay(relPath: string): number | undefined {
  const segs = relPath.split(sep).join('/').split('/');
  for (let i = 0; i + 4 < segs.length; i++) {
    if (segs[i] !== 'CloudTrail') continue;
    const [y, m, d] = [segs[i + 2], segs[i + 3], segs[i + 4]];
    if (!/^\d{4}$/.test(y ?? '') || !/^\d{2}$/.test(m ?? '') || !/^\d{2}$/.test(d ?? '')) continue;
    const t = Date.UTC(Number(y), Number(m) - 1, Number(d));
    if (!Number.isNaN(t)) return t;
  }
  return undefined;
}

/** The account of the S3 layout (`AWSLogs/<account>/...` or `AWSLogs/<org-id>/<account>/...`) in a path. */
export function layoutAccount(path: string): string | undefined {
  const segs = path.split(sep).join('/').split('/');
  const i = segs.lastIndexOf('AWSLogs');
  if (i < 0) return undefined;
  const first = segs[i + 1] ?? '';
  const account = first.startsWith('o-') ? segs[i + 2] : first;
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

/** The Region a file's folder names in the trail layout (`.../CloudTrail/<region>/YYYY/MM/DD/`). */
export function layoutRegion(path: string): string | undefined {
  const segs = path.split(sep).join('/').split('/');
  const i = segs.lastIndexOf('CloudTrail');
  const region = i >= 0 ? segs[i + 1] : undefined;
  return region && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(region) ? region : undefined;
}

/** Every record shows one account and Region whose log was read, whatever its event. */
function markRecordScope(r: unknown, collector: UsageCollector): void {
  if (typeof r !== 'object' || r === null) return;
  const { recipientAccountId: account, awsRegion: region } = r as Record<string, unknown>;
  if (
    typeof account === 'string' &&
    /^\d{12}$/.test(account) &&
    typeof region === 'string' &&
    /^[a-z0-9-]{1,32}$/.test(region)
  )
    collector.markRead(account, region);
}

/** A day folder can hold events of the day before (delivery lags): keep one day of margin. */
function dayOutside(day: number, w: UsageWindow): boolean {
  return day + 2 * DAY_MS <= w.from || day - DAY_MS > w.to;
}

function err(code: string, file: string, message: string): ScanError {
  return { source: 'usage', code, file, message: `${file}: ${message}` };
}

/** Read one log file into the collector; an error names the file and never stops the others. */
export function readLogFile(
  file: string,
  collector: UsageCollector,
  limits: LogReadLimits = DEFAULT_LOG_LIMITS,
): ScanError | undefined {
  let raw: Buffer;
  try {
    const st = lstatSync(file);
    if (!st.isFile()) return err('cloudtrail-not-a-file', file, 'not a regular file');
    if (st.size > limits.maxFileBytes)
      return err(
        'cloudtrail-too-large',
        file,
        `${st.size} bytes is more than the ${limits.maxFileBytes} bytes a CloudTrail log file may have`,
      );
    raw = readFileSync(file);
  } catch (e) {
    return err('cloudtrail-unreadable', file, (e as Error).message);
  }
  let text: string;
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      text = gunzipSync(raw, { maxOutputLength: limits.maxOutputBytes }).toString('utf8');
    } catch (e) {
      const tooBig = e instanceof RangeError || (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      return tooBig
        ? err('cloudtrail-too-large', file, `gunzips to more than ${limits.maxOutputBytes} bytes; not read`)
        : err('cloudtrail-gzip', file, `not a valid gzip file (${(e as Error).message})`);
    }
  } else if (file.toLowerCase().endsWith('.gz')) {
    return err('cloudtrail-gzip', file, 'named .gz but not gzip-compressed');
  } else {
    text = raw.toString('utf8');
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return err('cloudtrail-json', file, `not valid JSON (${(e as Error).message})`);
  }
  const records =
    typeof doc === 'object' && doc !== null && !Array.isArray(doc)
      ? (doc as Record<string, unknown>).Records
      : undefined;
  if (!Array.isArray(records))
    return err('cloudtrail-no-records', file, 'has no "Records" array: not a CloudTrail log file');
  for (const r of records) {
    markRecordScope(r, collector);
    const call = assumeRoleCallOf(r);
    if (call) collector.add(call);
  }
  return undefined;
}

/**
 * Read every `*.json.gz` / `*.json` log file under `path` (a folder or one file). Digest files
 * (`CloudTrail-Digest/`) hold no events and are skipped.
 */
export function readCloudTrailPath(
  path: string,
  collector: UsageCollector,
  limits: LogReadLimits = DEFAULT_LOG_LIMITS,
): LogReadResult {
  const out: LogReadResult = { filesRead: 0, filesOutsideWindow: 0, notRegular: 0, errors: [] };
  const st = statSync(path);
  if (st.isFile()) {
    const e = readLogFile(path, collector, limits);
    if (e) out.errors.push(e);
    else out.filesRead++;
    return out;
  }
  const walk = (dir: string, depth: number): void => {
    if (depth > MAX_DEPTH) {
      out.errors.push(err('cloudtrail-too-deep', dir, `more than ${MAX_DEPTH} folders deep; not read`));
      return;
    }
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      out.errors.push(err('cloudtrail-unreadable', dir, (e as Error).message));
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const ent of entries) {
      const full = join(dir, ent.name);
      if (ent.isDirectory()) {
        if (ent.name === 'CloudTrail-Digest') continue;
        walk(full, depth + 1);
      } else if (ent.isFile()) {
        if (!isLogFile(ent.name)) continue;
        const day = layoutDay(full);
        if (day !== undefined && dayOutside(day, collector.window)) {
          out.filesOutsideWindow++;
          continue;
        }
        const e = readLogFile(full, collector, limits);
        if (e) out.errors.push(e);
        else {
          out.filesRead++;
          const account = layoutAccount(full);
          const region = layoutRegion(full);
          if (account && region) collector.markRead(account, region);
          else if (account) collector.accounts.add(account);
        }
      } else {
        out.notRegular++;
      }
    }
  };
  walk(path, 0);
  return out;
}
