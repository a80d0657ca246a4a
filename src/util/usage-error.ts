/**
 * A choice the user made that cannot be used (a flag, an option of the library): printed without a
 * stack, exit code 2. It lives here, below the CLI, so that the settings step (src/scan/settings.ts)
 * and the library can raise it without depending on the CLI.
 */
export class UsageError extends Error {}

/** `Key=Value` pairs into a map; the value may itself contain `=`. */
export function parsePairs(pairs: readonly string[], what: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0) throw new UsageError(`${what} "${p}" must look like Name=Value.`);
    out.set(p.slice(0, i), p.slice(i + 1));
  }
  return out;
}
