/**
 * Which files the export source reads, decided from the name and the first bytes: kept apart from the
 * reader so that offering a file to the source loads no JSON parser.
 */
import type { InputFile } from '../types.js';

/** Keys that only an export (or a policy) has at the top level; a walked `.json` without any is not read. */
export const MARKERS = [
  '"RoleDetailList"',
  '"UserDetailList"',
  '"GroupDetailList"',
  '"Roles"',
  '"Role"',
  '"Statement"',
];

/** Standard input (`-`, or a document with no file that was named on the command line). */
export function isStdin(file: InputFile): boolean {
  return file.path === '-' || (file.absPath === undefined && file.explicit);
}

export function isJsonPath(p: string): boolean {
  return p.toLowerCase().endsWith('.json');
}

/** The first character that is not white space or a byte order mark, within the first 4 KiB. */
export function firstChar(text: string): string {
  for (let i = 0; i < text.length && i < 4096; i++) {
    const c = text[i] as string;
    if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t' && c !== '\uFEFF') return c;
  }
  return '';
}
