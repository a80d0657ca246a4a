/**
 * CDK cloud assemblies: `cdk.out/manifest.json` lists every stack template (and nested assemblies for
 * CDK stages). Each stack also says where it deploys (`aws://account/region`) when the app pinned it.
 */
import { posix } from 'node:path';
import type { ScanError } from '../../model/types.js';
import { append } from '../../util/append.js';
import { type CNode, get, LineIndex, scalarText } from './nodes.js';
import { parseJson } from './parse-json.js';

export interface CdkStack {
  /** Template path relative to the manifest's folder (forward slashes). */
  templateFile: string;
  /** Where the manifest names it (file, line, column), for a refused read. */
  templateFileAt: { file: string; line: number; column: number };
  /** Folder of the manifest that lists it, relative to the first manifest's folder. */
  dir: string;
  stackName: string;
  account?: string;
  region?: string;
  /** Logical id -> construct path, from the manifest's `aws:cdk:logicalId` metadata. */
  constructs: Map<string, string>;
}

const MAX_NESTING = 8;

/** A nested manifest's text, or why it was not read (`refused`: outside the scan root, not a file). */
export type ManifestRead = { ok: true; text: string } | { ok: false; reason: string; refused: boolean };

/**
 * The stacks of a cloud assembly. `read(rel)` reads a file relative to the first manifest's folder
 * (for nested assemblies) through the scan root. A refused read is a warning, a failed one an error.
 */
export function readManifest(
  text: string,
  display: string,
  read: (rel: string) => ManifestRead,
  dir = '',
  depth = 0,
): { stacks: CdkStack[]; errors: ScanError[]; warnings: ScanError[] } {
  const stacks: CdkStack[] = [];
  const errors: ScanError[] = [];
  const warnings: ScanError[] = [];
  const lines = new LineIndex(text);
  const parsed = parseJson(text, lines);
  if (!parsed.ok) {
    errors.push({
      source: 'cloudformation',
      code: parsed.code,
      message: `CDK manifest: ${parsed.message}`,
      file: display,
      line: parsed.pos.line,
      column: parsed.pos.column,
    });
    return { stacks, errors, warnings };
  }
  const artifacts = get(parsed.root, 'artifacts');
  if (artifacts?.t !== 'map') return { stacks, errors, warnings };
  for (const a of artifacts.entries) {
    const type = scalarText(get(a.value, 'type'));
    const props = get(a.value, 'properties');
    if (type === 'aws:cloudformation:stack') {
      const templateNode = get(props, 'templateFile');
      const templateFile = scalarText(templateNode);
      if (!templateFile) {
        errors.push({
          source: 'cloudformation',
          code: 'cdk-manifest',
          message: `CDK manifest: stack ${a.key} names no templateFile`,
          file: display,
          line: a.keyPos.line,
          column: a.keyPos.column,
        });
        continue;
      }
      const at = templateNode?.pos ?? a.keyPos;
      const stack: CdkStack = {
        templateFile,
        templateFileAt: { file: display, line: at.line, column: at.column },
        dir,
        stackName: scalarText(get(props, 'stackName')) ?? scalarText(get(a.value, 'displayName')) ?? a.key,
        constructs: constructsOf(get(a.value, 'metadata')),
      };
      const env = /^aws:\/\/([^/]*)\/(.*)$/.exec(scalarText(get(a.value, 'environment')) ?? '');
      if (env?.[1] && /^\d{12}$/.test(env[1])) stack.account = env[1];
      if (env?.[2] && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(env[2])) stack.region = env[2];
      stacks.push(stack);
    } else if (type === 'cdk:cloud-assembly') {
      const sub = scalarText(get(props, 'directoryName'));
      if (!sub) continue;
      const subDir = posix.join(dir, sub);
      if (depth >= MAX_NESTING) {
        errors.push({
          source: 'cloudformation',
          code: 'cdk-manifest',
          message: `CDK manifest: nested assembly ${subDir} is more than ${MAX_NESTING} levels deep; not read`,
          file: display,
        });
        continue;
      }
      const nestedRead = read(posix.join(subDir, 'manifest.json'));
      if (!nestedRead.ok) {
        (nestedRead.refused ? warnings : errors).push({
          source: 'cloudformation',
          code: nestedRead.refused ? 'file-refused' : 'unreadable',
          message: `CDK manifest: nested assembly ${subDir}/manifest.json was not read: ${nestedRead.reason}`,
          file: display,
          line: a.keyPos.line,
          column: a.keyPos.column,
        });
        continue;
      }
      const nested = readManifest(
        nestedRead.text,
        posix.join(posix.dirname(display), subDir, 'manifest.json'),
        read,
        subDir,
        depth + 1,
      );
      append(stacks, nested.stacks);
      append(errors, nested.errors);
      append(warnings, nested.warnings);
    }
  }
  return { stacks, errors, warnings };
}

function constructsOf(metadata: CNode | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (metadata?.t !== 'map') return out;
  for (const e of metadata.entries) {
    if (e.value.t !== 'seq') continue;
    for (const item of e.value.items) {
      if (scalarText(get(item, 'type')) !== 'aws:cdk:logicalId') continue;
      const id = scalarText(get(item, 'data'));
      if (id) out.set(id, e.key.replace(/^\//, ''));
    }
  }
  return out;
}
