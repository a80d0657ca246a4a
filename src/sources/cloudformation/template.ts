import type { CEntry, CMap, CNode, LineIndex, Pos } from './nodes.js';
import { get, scalarText } from './nodes.js';

export interface ParamDef {
  name: string;
  type: string;
  /** The default as text (a list default is joined with commas, as CloudFormation reads it). */
  default?: string;
  pos: Pos;
}

/** A parsed template with its sections indexed. */
export interface TemplateModel {
  /** Path shown to the user. */
  file: string;
  text: string;
  lines: LineIndex;
  root: CMap;
  params: Map<string, ParamDef>;
  mappings?: CNode;
  conditions: Map<string, CEntry>;
  resources: Map<string, CEntry>;
  resourceTypes: Map<string, string>;
  /** Names of the transforms the template declares (`AWS::Serverless-2016-10-31`...). */
  transforms: string[];
  globals?: CNode;
}

const RESOURCE_TYPE = /^(AWS|Custom|Alexa)::[A-Za-z0-9]+(::[A-Za-z0-9-]+)*$|^Custom::/;

/** Is this parsed document a CloudFormation template (as opposed to some other JSON/YAML)? */
export function looksLikeTemplate(root: CNode): root is CMap {
  if (root.t !== 'map') return false;
  if (root.entries.some((e) => e.key === 'AWSTemplateFormatVersion')) return true;
  const resources = get(root, 'Resources');
  const hasTransform = root.entries.some((e) => e.key === 'Transform');
  if (resources?.t !== 'map') return false;
  if (hasTransform) return true;
  return resources.entries.some((e) => {
    const type = scalarText(get(e.value, 'Type'));
    return type !== undefined && RESOURCE_TYPE.test(type);
  });
}

function textOf(n: CNode | undefined): string | undefined {
  if (!n) return undefined;
  if (n.t === 'scalar') return n.v === null ? undefined : String(n.v);
  if (n.t === 'seq') {
    const parts = n.items.map(scalarText);
    return parts.every((p) => p !== undefined) ? parts.join(',') : undefined;
  }
  return undefined;
}

export function indexTemplate(file: string, text: string, lines: LineIndex, root: CMap): TemplateModel {
  const params = new Map<string, ParamDef>();
  const pSection = get(root, 'Parameters');
  if (pSection?.t === 'map') {
    for (const e of pSection.entries) {
      const def = e.value;
      const type = textOf(get(def, 'Type')) ?? 'String';
      const dflt = get(def, 'Default');
      const p: ParamDef = { name: e.key, type, pos: e.keyPos };
      const d = textOf(dflt);
      if (dflt && d !== undefined) p.default = d;
      else if (dflt && dflt.t === 'scalar' && dflt.v === null) p.default = '';
      params.set(e.key, p);
    }
  }
  const conditions = new Map<string, CEntry>();
  const cSection = get(root, 'Conditions');
  if (cSection?.t === 'map') for (const e of cSection.entries) conditions.set(e.key, e);
  const resources = new Map<string, CEntry>();
  const resourceTypes = new Map<string, string>();
  const rSection = get(root, 'Resources');
  if (rSection?.t === 'map') {
    for (const e of rSection.entries) {
      resources.set(e.key, e);
      const type = scalarText(get(e.value, 'Type'));
      if (type) resourceTypes.set(e.key, type);
    }
  }
  const transforms: string[] = [];
  const t = get(root, 'Transform');
  if (t?.t === 'scalar' && typeof t.v === 'string') transforms.push(t.v);
  else if (t?.t === 'seq') {
    for (const item of t.items) {
      const name = scalarText(item) ?? scalarText(get(item, 'Name'));
      if (name) transforms.push(name);
    }
  } else if (t?.t === 'map') {
    const name = scalarText(get(t, 'Name'));
    if (name) transforms.push(name);
  }
  const model: TemplateModel = {
    file,
    text,
    lines,
    root,
    params,
    conditions,
    resources,
    resourceTypes,
    transforms,
  };
  const mappings = get(root, 'Mappings');
  if (mappings) model.mappings = mappings;
  const globals = get(root, 'Globals');
  if (globals) model.globals = globals;
  return model;
}

export function isSam(t: TemplateModel): boolean {
  return t.transforms.some((x) => x.startsWith('AWS::Serverless'));
}
