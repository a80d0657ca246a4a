/**
 * Which files the Pulumi source reads, decided from the name and a look at the text: kept apart from
 * the reader so that offering a file to the source loads no YAML or JSON parser.
 */
import { basename } from 'node:path';
import type { InputFile } from '../types.js';

const PROJECT_FILE = /^Pulumi\.ya?ml$/;
/** `Main.yaml`: a YAML program kept beside the project file. */
export const MAIN_FILE = /^Main\.ya?ml$/;
/** A stack's settings file, `Pulumi.<stack>.yaml` (the stack's name is the first group). */
export const STACK_FILE = /^Pulumi\.([^./\\]+)\.ya?ml$/;

/** The file's name without its folder (either kind of slash). */
export function baseName(file: InputFile): string {
  return basename(file.path.split('\\').join('/'));
}

/** Standard input: no file on disk and no extension to judge by. */
export function isStdin(file: InputFile): boolean {
  return file.absPath === undefined && !/\.[A-Za-z0-9]+$/.test(file.path);
}

/** A YAML program: the project file of a YAML project, or a `Main.yaml` with resources. */
export function isProgram(file: InputFile): boolean {
  const b = baseName(file);
  if (PROJECT_FILE.test(b))
    return (
      /^runtime\s*:\s*["']?yaml\b/m.test(file.text) ||
      /^runtime\s*:\s*\n\s+name\s*:\s*["']?yaml\b/m.test(file.text) ||
      /^resources\s*:/m.test(file.text)
    );
  if (MAIN_FILE.test(b)) return /^resources\s*:/m.test(file.text);
  return false;
}

/** A stack's settings file with settings in it. */
export function isStackFile(file: InputFile): boolean {
  return STACK_FILE.test(baseName(file)) && /^(config|secretsprovider|encryptionsalt)\s*:/m.test(file.text);
}

/** Cheap test: a stack export. */
export function looksLikeStateExport(text: string): boolean {
  return /^\uFEFF?\s*\{/.test(text) && text.includes('"deployment"') && text.includes('urn:pulumi:');
}
