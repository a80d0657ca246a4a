import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** The package version, read from package.json next to the compiled code. */
export function toolVersion(): string {
  if (cached) return cached;
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  cached = pkg.version;
  return cached;
}

/** The package's root folder (holds package.json and docs/), for both src/ and dist/ layouts. */
export function packageRoot(): URL {
  return new URL('../', import.meta.url);
}
