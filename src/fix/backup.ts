import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { WriteError, type WriteFs, writeFileAtomic } from '../util/atomic-write.js';
import { type DirFs, makeDirs } from '../util/make-dirs.js';

export const BACKUP_KIND = 'trustaudit-trust-policy-backup';

/** Version 2 adds `applied`; version 1 backups (written before) are still read. */
export const BACKUP_VERSION = 2;

const BackupSchema = z.object({
  kind: z.literal(BACKUP_KIND),
  version: z.union([z.literal(1), z.literal(2)]),
  createdAt: z.string(),
  roleName: z.string().min(1),
  roleArn: z.string().optional(),
  account: z.string().optional(),
  /** The trust document exactly as IAM returned it (URL-encoded on real AWS). */
  document: z.string().min(1),
  /** Version 2: the trust policy `fix` sent (compact JSON), so rollback can tell when it changed since. */
  applied: z.string().min(1).optional(),
});

export type TrustBackup = z.infer<typeof BackupSchema>;

/** A file name that sorts by time and never collides within one run: `<account>-<role>-<ts>.json`. */
export function backupFileName(b: TrustBackup): string {
  const ts = b.createdAt.replace(/[-:]/g, '').replace(/\.(\d+)Z$/, '$1Z');
  const safe = b.roleName.replace(/[^\w+=,.@-]/g, '_');
  return `${b.account ?? 'unknown'}-${safe}-${ts}.json`;
}

export interface BackupFs {
  write?: WriteFs;
  dirs?: DirFs;
}

/**
 * Write a backup durably before anything is changed, and prove it can be restored: the JSON goes to a
 * temporary file in `dir` (mode 0o600), every byte checked and fsynced; it is read back, compared byte for
 * byte with what was meant and parsed as a backup equal to `backup`; only then does it get its final name
 * (never replacing an older backup) and the folder is fsynced. Returns the path. Throws a WriteError naming
 * the file and the cause (no space left, short write, read back different) and leaves no file behind.
 */
export function writeBackup(dir: string, backup: TrustBackup, fs: BackupFs = {}): string {
  makeDirs(dir, fs.dirs);
  const text = `${JSON.stringify(backup, null, 2)}\n`;
  const check = (bytes: Buffer) => {
    const again = parseBackup(bytes.toString('utf8'), 'the backup read back');
    if (
      again.document !== backup.document ||
      again.roleName !== backup.roleName ||
      again.account !== backup.account ||
      again.applied !== backup.applied
    ) {
      throw new Error('the backup read back does not hold the trust policy meant');
    }
  };
  for (let n = 0; ; n++) {
    const path = join(
      dir,
      n === 0 ? backupFileName(backup) : backupFileName(backup).replace(/\.json$/, `-${n}.json`),
    );
    try {
      writeFileAtomic(path, text, {
        mode: 0o600,
        forceMode: true,
        noReplace: true,
        verify: check,
        ...(fs.write ? { fs: fs.write } : {}),
      });
      return path;
    } catch (e) {
      if (e instanceof WriteError && e.code === 'EEXIST' && n < 100) continue;
      throw e;
    }
  }
}

/** Parse a backup's text; throws naming `where` when it is not JSON or not a trustaudit backup. */
function parseBackup(text: string, where: string): TrustBackup {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: not a readable JSON backup (${e instanceof Error ? e.message : String(e)})`);
  }
  const r = BackupSchema.safeParse(data);
  if (!r.success) {
    throw new Error(
      `${where}: not a trustaudit backup (${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')})`,
    );
  }
  return r.data;
}

export function readBackup(path: string): TrustBackup {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`${path}: not a readable JSON backup (${e instanceof Error ? e.message : String(e)})`);
  }
  return parseBackup(text, path);
}
