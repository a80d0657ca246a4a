/**
 * The only direct file-system calls of the Terraform source. File contents are always read through
 * the scan root (`ctx.root`, src/scan/scan-root.ts), which follows links, stays inside the root and
 * outside `.git`, and bounds the size. The scan root reads files but does not list folders, so the
 * three questions it cannot answer are asked here, and nothing else: the names in a folder (to find
 * the other files of a module, or of a cached module), a folder's or file's real path (so a link out
 * of a folder the user named is still refused by the root, and a Terragrunt unit is known by one
 * name however it is reached), and whether a module source exists (to say
 * "not found" rather than "not scanned"; asked only of paths inside the root). None of them reads a
 * byte of a file.
 */
import { existsSync, readdirSync, realpathSync } from 'node:fs';

/** The names in a folder, sorted; undefined when it cannot be listed. */
export function folderNames(dir: string): string[] | undefined {
  try {
    return readdirSync(dir).sort();
  } catch {
    return undefined;
  }
}

/** The real (link-free) path of a folder; undefined when it cannot be resolved. */
export function realFolder(dir: string): string | undefined {
  try {
    return realpathSync.native(dir);
  } catch {
    return undefined;
  }
}

/** The real (link-free) path of a file; undefined when it cannot be resolved. */
export function realFile(file: string): string | undefined {
  try {
    return realpathSync.native(file);
  } catch {
    return undefined;
  }
}

/** Does the path exist? */
export function pathExists(p: string): boolean {
  return existsSync(p);
}
