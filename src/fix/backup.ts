import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const BACKUP_KIND = 'trustaudit-trust-policy-backup';
export const DEFAULT_BACKUP_DIR = 'trustaudit-backups';

const BackupSchema = z.object({
  kind: z.literal(BACKUP_KIND),
  version: z.literal(1),
  createdAt: z.string(),
  roleName: z.string().min(1),
  roleArn: z.string().optional(),
  account: z.string().optional(),
  /** The trust document exactly as IAM returned it (URL-encoded on real AWS). */
  document: z.string().min(1),
});

export type TrustBackup = z.infer<typeof BackupSchema>;

/** A file name that sorts by time and never collides within one run: `<account>-<role>-<ts>.json`. */
export function backupFileName(b: TrustBackup): string {
  const ts = b.createdAt.replace(/[-:]/g, '').replace(/\.(\d+)Z$/, '$1Z');
  const safe = b.roleName.replace(/[^\w+=,.@-]/g, '_');
  return `${b.account ?? 'unknown'}-${safe}-${ts}.json`;
}

/**
 * Write a backup durably before anything is changed: exclusive create (never overwrite an older backup),
 * write, fsync the file, then fsync the directory so the new entry survives a crash. Returns the path.
 */
export function writeBackup(dir: string, backup: TrustBackup): string {
  mkdirSync(dir, { recursive: true });
  let path = join(dir, backupFileName(backup));
  let fd: number | undefined;
  for (let n = 1; fd === undefined; n++) {
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || n > 100) throw e;
      path = join(dir, backupFileName(backup).replace(/\.json$/, `-${n}.json`));
    }
  }
  try {
    writeSync(fd, `${JSON.stringify(backup, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Some file systems cannot fsync a directory; the file itself is already on disk.
  }
  return path;
}

export function readBackup(path: string): TrustBackup {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not a readable JSON backup (${e instanceof Error ? e.message : String(e)})`);
  }
  const r = BackupSchema.safeParse(data);
  if (!r.success) {
    throw new Error(
      `${path}: not a trustaudit backup (${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')})`,
    );
  }
  return r.data;
}
