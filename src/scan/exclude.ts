import { basename, isAbsolute, relative, sep } from 'node:path';

/**
 * `--exclude GLOB` and the config's `exclude:` list. Each glob is matched against a path relative to its
 * bases (command-line globs: the current folder and the scan root; config globs: the config file's
 * folder and the scan root), with forward slashes. A glob without a `/` also matches the name alone
 * (`fixtures` leaves out every folder named so); a glob that matches a folder leaves out all of it.
 * Dot files match like any other (`dot: true`).
 */
export interface ExcludeGlob {
  glob: string;
  /** Absolute folders the glob is relative to. */
  bases: readonly string[];
  /** Where it was given, for messages: `--exclude` or the config file. */
  from: string;
}

/** The glob that leaves a path out (as normalised) and where it was given, or undefined. */
export type ExcludeTest = (abs: string) => { glob: string; from: string } | undefined;

/** A problem with a glob (`!negation` is not supported, an empty glob), or undefined when it is usable. */
export function globProblem(glob: string): string | undefined {
  if (glob.trim() === '') return 'an exclude glob cannot be empty';
  if (glob.startsWith('!')) return `"${glob}": negated globs are not supported; list only what to leave out`;
  if (glob.includes('\0')) return 'an exclude glob cannot contain a NUL character';
  return undefined;
}

/** Normalise a glob: `./x` and `/x` are anchored at the base, a trailing `/` is dropped. */
function normalise(glob: string): string {
  let g = glob.trim().split('\\').join('/');
  while (g.startsWith('./')) g = g.slice(2);
  while (g.startsWith('/')) g = g.slice(1);
  while (g.length > 1 && g.endsWith('/')) g = g.slice(0, -1);
  return g;
}

/** The test for `globs`, or undefined when there are none (then the glob matcher is not even loaded). */
export async function excludeTest(globs: readonly ExcludeGlob[]): Promise<ExcludeTest | undefined> {
  if (globs.length === 0) return undefined;
  const { default: picomatch } = await import('picomatch');
  const compiled = globs.map((g) => {
    const glob = normalise(g.glob);
    const full = picomatch(glob, { dot: true });
    const byName = glob.includes('/') ? undefined : picomatch(glob, { dot: true });
    return { ...g, glob, full, byName };
  });
  // A path is left out when it, or a folder it is in (below the base), matches: a file named on the
  // command line inside an excluded folder is excluded too.
  return (abs) => {
    for (const g of compiled) {
      const hit = { glob: g.glob, from: g.from };
      if (g.byName?.(basename(abs))) return hit;
      for (const base of g.bases) {
        const rel = relative(base, abs);
        if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) continue;
        const parts = rel.split(sep);
        for (let n = 1; n <= parts.length; n++) {
          if (g.full(parts.slice(0, n).join('/'))) return hit;
          if (n < parts.length && g.byName?.(parts[n - 1] ?? '')) return hit;
        }
      }
    }
    return undefined;
  };
}
