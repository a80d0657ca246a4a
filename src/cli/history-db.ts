import { homedir } from 'node:os';
import { join } from 'node:path';
import { describeFsError } from '../util/atomic-write.js';

/**
 * Where scans are recorded unless `--db`/`--no-db` say otherwise: `TRUSTAUDIT_DB` (`off` disables
 * recording by default), else ~/.trustaudit/history.db (HOME taken from the given environment).
 */
export function defaultHistoryPath(env: Record<string, string | undefined> = process.env): string | false {
  const v = env.TRUSTAUDIT_DB;
  if (v !== undefined && v !== '') return ['off', 'false', '0', 'none'].includes(v.toLowerCase()) ? false : v;
  return join(env.HOME || env.USERPROFILE || homedir(), '.trustaudit', 'history.db');
}

/** A SQLite or file-system error in words: `SQLITE_FULL` is a full disk like ENOSPC. */
export function describeSqliteError(e: unknown): string {
  const code = (e as { code?: unknown })?.code;
  if (code === 'SQLITE_FULL') return 'no space left on device (SQLITE_FULL)';
  if (typeof code === 'string' && code.startsWith('SQLITE_')) {
    return `${e instanceof Error ? e.message : String(e)} (${code})`;
  }
  return describeFsError(e).reason;
}
