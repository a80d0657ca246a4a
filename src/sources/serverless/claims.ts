/**
 * Which files the Serverless source reads, decided from the name and a look at the text: kept apart
 * from the reader so that offering a file to the source loads no YAML parser.
 */
import { posix } from 'node:path';

const NAME = /^serverless(?:\.[\w-]+)*\.(?:ya?ml|json)$/i;
const EXTENSIONS = /\.(?:ya?ml|json)$/i;
const YAML_KEYS = [/^service\s*:/m, /^provider\s*:/m];
const JSON_KEYS = [/"service"\s*:/, /"provider"\s*:/];

/** A Serverless configuration: by name, or a YAML/JSON file with top-level `service` and `provider`. */
export function looksLikeServerless(path: string, text: string): boolean {
  const base = posix.basename(path.split('\\').join('/'));
  if (NAME.test(base)) return true;
  if (!EXTENSIONS.test(base)) return false;
  const keys = /\.json$/i.test(base) ? JSON_KEYS : YAML_KEYS;
  return keys.every((k) => k.test(text)) && /\bresources\b/.test(text);
}
