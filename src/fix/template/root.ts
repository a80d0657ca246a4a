/** The files a patch may touch: regular files inside the scan root, named by a report that is not trusted. */
import { lstatSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** The largest template the patcher reads (CloudFormation's own limit for a template body is 1 MB). */
export const MAX_TEMPLATE_BYTES = 16 * 1024 * 1024;

export interface RootedFile {
  /** Absolute, real path. */
  abs: string;
  /** Path from the root with `/` separators, as the patch names it. */
  rel: string;
}

/**
 * `file` (absolute, or relative to `cwd`) as a regular file inside `root`, following no link out of it.
 * Throws an Error saying why otherwise (outside the root, `..`, a link leading out, not a regular file).
 */
export function fileInsideRoot(root: string, cwd: string, file: string): RootedFile {
  if (file.includes('\0')) throw new Error(`${JSON.stringify(file)}: not a file name`);
  const realRoot = realpathSync(root);
  const wanted = resolve(cwd, file);
  const inside = (p: string, base: string) => {
    const r = relative(base, p);
    return r !== '' && !r.startsWith(`..${sep}`) && r !== '..' && !isAbsolute(r);
  };
  if (!inside(wanted, resolve(root)) && !inside(wanted, realRoot))
    throw new Error(`${JSON.stringify(file)} is outside the scan root ${root}: refused`);
  let real: string;
  try {
    real = realpathSync(wanted);
  } catch (e) {
    throw new Error(
      `${JSON.stringify(file)}: cannot be read (${(e as { code?: string }).code ?? String(e)})`,
    );
  }
  if (!inside(real, realRoot))
    throw new Error(`${JSON.stringify(file)} leads outside the scan root ${root} (a link): refused`);
  const st = lstatSync(real);
  if (!st.isFile()) throw new Error(`${JSON.stringify(file)} is not a regular file: refused`);
  if (st.size > MAX_TEMPLATE_BYTES)
    throw new Error(`${JSON.stringify(file)} is larger than ${MAX_TEMPLATE_BYTES} bytes: refused`);
  return { abs: real, rel: relative(realRoot, real).split(sep).join('/') };
}
