/**
 * The templates a template names as its children: nested stacks (`AWS::CloudFormation::Stack`
 * `TemplateURL`, or the local file a CDK nested stack's `aws:asset:path` metadata names), SAM
 * applications (`AWS::Serverless::Application` `Location`) and stack sets
 * (`AWS::CloudFormation::StackSet` `TemplateBody` or `TemplateURL`). This module only finds them and
 * says where each one is; `scan-template.ts` reads the local ones through the scan root. A file scan
 * never fetches a remote one (S3, HTTPS, the Serverless Application Repository): those are warnings.
 */
import type { ScanError } from '../../model/types.js';
import { type CEntry, type CMap, type CNode, type CScalar, get, type Pos, scalarText } from './nodes.js';

/** Where a child template is. */
export type ChildSource =
  /** A local file, relative to the parent template's folder. */
  | { kind: 'file'; path: string }
  /** A template written as a string inside the parent (a stack set's `TemplateBody`). */
  | { kind: 'text'; node: CScalar }
  /** A template written as a map inside the parent (a stack set's `TemplateBody` in JSON). */
  | { kind: 'inline'; node: CMap }
  /** Not read by a file scan: why. */
  | { kind: 'remote'; why: string };

export interface ChildLink {
  /** Logical id of the nesting resource in the parent. */
  logicalId: string;
  type: 'AWS::CloudFormation::Stack' | 'AWS::Serverless::Application' | 'AWS::CloudFormation::StackSet';
  entry: CEntry;
  /** The property that names the child (`TemplateURL`, `Location`, `TemplateBody`, `aws:asset:path`). */
  property: string;
  /** Where that property is written. */
  at: Pos;
  source: ChildSource;
  /** The parent's `Parameters` property for the child, when it has one. */
  parameters?: CNode;
  /** A stack set's `StackInstancesGroup` (each entry may have `ParameterOverrides`). */
  instanceGroups?: CNode;
  /** Stacks and applications pass a map; stack sets a list of `{ParameterKey, ParameterValue}`. */
  parameterStyle: 'map' | 'list';
  /** A CDK nested stack (its template file is a cloud assembly asset). */
  cdk: boolean;
}

const URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Every child template the template names, in the order its resources are written. */
export function childLinks(template: CNode): ChildLink[] {
  const resources = get(template, 'Resources');
  if (resources?.t !== 'map') return [];
  const out: ChildLink[] = [];
  for (const r of resources.entries) {
    const type = scalarText(get(r.value, 'Type'));
    const props = get(r.value, 'Properties');
    const parameters = get(props, 'Parameters');
    const base = { logicalId: r.key, entry: r, ...(parameters ? { parameters } : {}) };
    if (type === 'AWS::CloudFormation::Stack') {
      const asset = cdkAsset(r.value);
      if (asset) {
        out.push({ ...base, type, parameterStyle: 'map', cdk: true, ...asset });
        continue;
      }
      const node = get(props, 'TemplateURL');
      if (!node) continue;
      out.push({ ...base, type, parameterStyle: 'map', cdk: false, ...located('TemplateURL', node) });
    } else if (type === 'AWS::Serverless::Application') {
      const node = get(props, 'Location');
      if (!node) continue;
      out.push({ ...base, type, parameterStyle: 'map', cdk: false, ...located('Location', node) });
    } else if (type === 'AWS::CloudFormation::StackSet') {
      const body = get(props, 'TemplateBody');
      const url = get(props, 'TemplateURL');
      const node = body ?? url;
      if (!node) continue;
      const where = body ? stackSetBody(body) : located('TemplateURL', node);
      const instanceGroups = get(props, 'StackInstancesGroup');
      out.push({
        ...base,
        type,
        parameterStyle: 'list',
        cdk: false,
        ...where,
        ...(instanceGroups ? { instanceGroups } : {}),
      });
    }
  }
  return out;
}

type Located = { property: string; at: Pos; source: ChildSource };

/** CDK writes a nested stack's `TemplateURL` as an S3 URL and names the local file in metadata. */
function cdkAsset(resource: CNode): Located | undefined {
  const metadata = get(resource, 'Metadata');
  const path = get(metadata, 'aws:asset:path');
  const value = scalarText(path);
  const property = scalarText(get(metadata, 'aws:asset:property'));
  if (!path || value === undefined || (property !== undefined && property !== 'TemplateURL'))
    return undefined;
  if (URL.test(value)) return undefined;
  return { property: 'aws:asset:path', at: path.pos, source: { kind: 'file', path: value } };
}

function located(property: string, node: CNode): Located {
  const at = node.pos;
  const value = scalarText(node);
  if (value === undefined) {
    const why =
      node.t === 'map' && get(node, 'ApplicationId')
        ? 'is a Serverless Application Repository application, which a file scan never fetches'
        : node.t === 'map' && get(node, 'Bucket')
          ? 'is an S3 object, which a file scan never fetches (no network)'
          : 'is computed (an intrinsic function) and was not resolved';
    return { property, at, source: { kind: 'remote', why } };
  }
  if (value.includes('{{resolve:'))
    return {
      property,
      at,
      source: { kind: 'remote', why: `is ${value}, a dynamic reference resolved only at deploy time` },
    };
  if (URL.test(value))
    return {
      property,
      at,
      source: { kind: 'remote', why: `is ${value}, which a file scan never fetches (no network)` },
    };
  return { property, at, source: { kind: 'file', path: value } };
}

function stackSetBody(body: CNode): Located {
  const at = body.pos;
  if (body.t === 'scalar' && typeof body.v === 'string')
    return { property: 'TemplateBody', at, source: { kind: 'text', node: body } };
  const first = body.t === 'map' ? body.entries[0] : undefined;
  const intrinsic =
    body.t === 'map' &&
    body.entries.length === 1 &&
    first !== undefined &&
    (first.key === 'Ref' || first.key.startsWith('Fn::') || first.key.includes('::'));
  if (body.t === 'map' && !intrinsic)
    return { property: 'TemplateBody', at, source: { kind: 'inline', node: body } };
  const why = intrinsic
    ? `is computed (${first?.key}) and was not resolved`
    : 'is not a template (a string or a map was expected)';
  return { property: 'TemplateBody', at, source: { kind: 'remote', why } };
}

/** The warning for a child template that was not read (remote, computed, missing). */
export function notReadWarning(link: ChildLink, file: string, why: string): ScanError {
  return {
    source: 'cloudformation',
    code: 'nested-template-not-read',
    message: `${link.logicalId}: the nested template (${link.property}) ${why}; its roles are judged only where its own file is scanned`,
    file,
    line: link.at.line,
    column: link.at.column,
  };
}
