/**
 * Nested stacks (`AWS::CloudFormation::Stack` `TemplateURL`, SAM `AWS::Serverless::Application`
 * `Location`) name another template. A file scan never fetches one (an S3 or HTTPS URL, a SAR
 * application), and a local path is judged only when that file is itself among the scanned files,
 * inside the scan root. Any other nested template is a warning at the property: its roles are judged
 * only if its file is scanned on its own (a repository often holds the nested templates it uploads).
 */
import path from 'node:path';
import type { ScanError } from '../../model/types.js';
import type { ScanRoot } from '../../scan/scan-root.js';
import { type CNode, get, scalarText } from './nodes.js';

const NESTED: Record<string, string> = {
  'AWS::CloudFormation::Stack': 'TemplateURL',
  'AWS::Serverless::Application': 'Location',
};

export interface NestedTemplateCheck {
  /** Folder of the template on disk (a local `TemplateURL` is relative to it). */
  dir: string;
  root: ScanRoot;
  /** Absolute paths of the files this scan reads on its own. */
  scanned: ReadonlySet<string>;
}

export function nestedStackWarnings(template: CNode, file: string, check: NestedTemplateCheck): ScanError[] {
  const resources = get(template, 'Resources');
  if (resources?.t !== 'map') return [];
  const out: ScanError[] = [];
  for (const r of resources.entries) {
    const property = NESTED[scalarText(get(r.value, 'Type')) ?? ''];
    if (!property) continue;
    const node = get(get(r.value, 'Properties'), property);
    if (!node) continue;
    const why = notJudged(node, check);
    if (!why) continue;
    out.push({
      source: 'cloudformation',
      code: 'nested-template-not-read',
      message: `${r.key}: the nested template (${property}) ${why}; its roles are judged only where its own file is scanned`,
      file,
      line: node.pos.line,
      column: node.pos.column,
    });
  }
  return out;
}

function notJudged(node: CNode, check: NestedTemplateCheck): string | undefined {
  const value = scalarText(node);
  if (value === undefined)
    return node.t === 'map' && get(node, 'ApplicationId')
      ? 'is a Serverless Application Repository application, which a file scan never fetches'
      : 'is computed (an intrinsic function) and was not resolved';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value))
    return `is ${value}, which a file scan never fetches (no network)`;
  const abs = path.resolve(check.dir, value);
  if (!check.root.contains(abs)) return `is ${value}, outside the scan root or missing`;
  if (!check.scanned.has(abs)) return `is ${value}, which is not among the scanned files`;
  return undefined;
}
