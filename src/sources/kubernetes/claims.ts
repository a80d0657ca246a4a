/**
 * Which files the Kubernetes source reads, decided from the name and a look at the text: kept apart
 * from the reader so that offering a file to the source loads no YAML parser.
 */
import type { InputFile } from '../types.js';
import { IAM_GROUPS } from './kinds.js';

export { isChartFile } from './helm.js';

/** Extensions of the files the source reads (standard input, which has none, is judged by content). */
export const MANIFEST_EXTENSIONS = /\.(ya?ml|json)$/i;
const GROUPS = [...Object.keys(IAM_GROUPS), 'apiextensions.crossplane.io'];
/** Any of the API groups, found in one pass over the text (a large export is searched once, not per group). */
const MENTIONS_GROUP = new RegExp(GROUPS.map((g) => g.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));

function mentionsIam(text: string): boolean {
  return MENTIONS_GROUP.test(text);
}

/** A manifest at the top level: `apiVersion:` and `kind:` at the start of a line (YAML) or JSON keys. */
export function looksLikeManifest(text: string): boolean {
  if (!mentionsIam(text)) return false;
  if (/^apiVersion\s*:/m.test(text) && /^kind\s*:/m.test(text)) return true;
  return /^\uFEFF?\s*\{/.test(text) && /"apiVersion"\s*:/.test(text) && /"kind"\s*:/.test(text);
}

/** Standard input: no file on disk and no extension to judge by. */
export function isStdin(file: InputFile): boolean {
  return file.absPath === undefined && !/\.[A-Za-z0-9]+$/.test(file.path);
}
