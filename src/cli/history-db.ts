import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where scans are recorded unless `--db`/`--no-db` say otherwise: `TRUSTAUDIT_DB` (`off` disables
 * recording by default), else ~/.trustaudit/history.db (HOME taken from the given environment).
 */
export function defaultHistoryPath(env: Record<string, string | undefined> = process.env): string | false {
  const v = env.TRUSTAUDIT_DB;
  if (v !== undefined && v !== '') return ['off', 'false', '0', 'none'].includes(v.toLowerCase()) ? false : v;
  return join(env.HOME || env.USERPROFILE || homedir(), '.trustaudit', 'history.db');
}
