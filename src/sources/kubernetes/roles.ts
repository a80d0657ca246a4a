/**
 * Kubernetes manifests -> roles. Every document of the stream is read; `kind: List` (and `…List`
 * results of `kubectl get -o yaml`) is read item by item; a Crossplane `Composition` is read resource by
 * resource (the base of each composed Role).
 */
import {
  DEPLOYING_ACCOUNT,
  isSymbolic,
  type Role,
  type SourceLocation,
  type Symbolic,
} from '../../model/types.js';
import { BudgetExceeded } from '../../scan/budgets.js';
import { type CNode, get, type Pos, scalarText } from '../cloudformation/nodes.js';
import { composedRoles } from './composition.js';
import { type ComposedAt, k8sError, type ManifestContext, quoted } from './context.js';
import { documentEntry, type Flavour, groupOf, parametersOf, roleFlavour } from './kinds.js';
import { withPlaceholders } from './placeholders.js';
import { literalNode, trustPolicyOf } from './trust.js';
import type { YamlDoc } from './yaml-stream.js';

const FLAVOUR_LABEL: Readonly<Record<Flavour, string>> = {
  ack: 'ACK',
  'crossplane-upbound': 'Crossplane (Upbound provider)',
  'crossplane-classic': 'Crossplane (community provider)',
};

function loc(file: string, p: Pos): SourceLocation {
  return { file, line: p.line, column: p.column };
}

/** Every role of the documents of one file. Never throws for bad input. */
export function manifestRoles(docs: readonly YamlDoc[], mc: ManifestContext): void {
  for (const doc of docs) {
    if (!doc.ok) {
      mc.errors.push(k8sError(mc.file, doc.code, doc.message, doc.pos));
      continue;
    }
    for (const w of doc.warnings) mc.warnings.push(k8sError(mc.file, w.code, w.message, w.pos));
    if (!doc.root) continue;
    try {
      resourceRoles(doc.root, mc, 0);
    } catch (e) {
      // One document that cannot be judged must not cost the others.
      const [code, why] =
        e instanceof BudgetExceeded
          ? ['budget-exceeded', e.message]
          : ['internal', `it could not be read: ${(e as Error)?.message ?? String(e)}`];
      mc.errors.push(k8sError(mc.file, code, `document ${doc.index + 1}: ${why}`, doc.root.pos));
    }
  }
}

function resourceRoles(res: CNode, mc: ManifestContext, depth: number): void {
  if (res.t !== 'map') return;
  const kind = scalarText(get(res, 'kind'));
  const items = get(res, 'items');
  if (kind?.endsWith('List') && items?.t === 'seq') {
    // A List of Lists is legal YAML but nothing produces it; the nesting budget still bounds it.
    if (depth > mc.budgets['nesting-depth'])
      throw new BudgetExceeded('nesting-depth', mc.budgets['nesting-depth'], 'Lists nested too deeply');
    for (const item of items.items) resourceRoles(item, mc, depth + 1);
    return;
  }
  const group = groupOf(scalarText(get(res, 'apiVersion')));
  if (group === 'apiextensions.crossplane.io' && kind === 'Composition') {
    composedRoles(res, mc, (base, where) => roleOf(base, mc, where));
    return;
  }
  roleOf(res, mc, undefined);
}

function roleOf(res: CNode, mc: ManifestContext, composed: ComposedAt | undefined): void {
  const flavour = roleFlavour(res);
  if (!flavour) return;
  const metadata = get(res, 'metadata');
  const metaName = scalarText(get(metadata, 'name'));
  const namespace = scalarText(get(metadata, 'namespace'));
  const params = parametersOf(res, flavour);
  const label = composed
    ? `Composition ${quoted(composed.composition, mc.budgets)} resource ${quoted(composed.resource, mc.budgets)}`
    : `${FLAVOUR_LABEL[flavour]} Role ${quoted(metaName ?? '(no metadata.name)', mc.budgets)}`;
  const template = templateAction(res);
  if (template) {
    mc.errors.push(
      k8sError(
        mc.file,
        'helm-template-not-rendered',
        `${label} holds a Go template action (${quoted(template.text, mc.budgets)}): it is a Helm chart template, not a manifest, so it was not judged; render the chart first (helm template <chart folder> | trustaudit scan -)`,
        template.pos,
      ),
    );
    return;
  }
  const doc = documentEntry(res, flavour);
  const empty =
    !doc ||
    (doc.entry.value.t === 'scalar' &&
      (doc.entry.value.v === null || String(doc.entry.value.v).trim() === ''));
  if (!doc || empty) {
    mc.errors.push(
      k8sError(
        mc.file,
        'k8s-no-trust-policy',
        `${label} has no trust policy (${doc ? `${doc.field} is empty` : 'no assumeRolePolicy field'}); IAM requires one, so the role was not judged`,
        doc?.entry.keyPos ?? res.pos,
      ),
    );
    return;
  }
  const rawName =
    flavour === 'ack'
      ? (scalarText(get(params, 'name')) ?? metaName)
      : (scalarText(get(get(metadata, 'annotations'), 'crossplane.io/external-name')) ?? metaName);
  const name: string | Symbolic | undefined = rawName === undefined ? undefined : withPlaceholders(rawName);
  const pathText = scalarText(get(params, 'path'));
  const path = pathText === undefined ? undefined : withPlaceholders(pathText);
  const status = statusOf(res, flavour);
  const account = status.account ?? mc.owner ?? DEPLOYING_ACCOUNT;
  const partition = /^arn:([a-z-]+):/.exec(status.arn ?? '')?.[1] ?? 'aws';
  const trustPolicy = trustPolicyOf(literalNode(doc.entry.value), {
    file: mc.file,
    text: mc.text,
    lines: mc.lines,
    budgets: mc.budgets,
    at: doc.entry.keyPos,
    symbolise: withPlaceholders,
  });
  // The name as written (`$ROLE_NAME` stays `$ROLE_NAME`); a composed Role is named by its resource.
  const display = rawName ?? composed?.resource ?? `line-${res.pos.line}`;
  const idTail = composed
    ? `Composition/${composed.composition}/${composed.resource}`
    : `Role/${namespace ? `${namespace}/` : ''}${metaName ?? `line-${res.pos.line}`}`;
  const role: Role = {
    id: status.arn ?? `${mc.file}#${idTail}`,
    name: display,
    account,
    partition,
    source: { kind: 'kubernetes-manifest', location: loc(mc.file, res.pos) },
    trustPolicy,
    extra: {
      apiVersion: scalarText(get(res, 'apiVersion')),
      kind: 'Role',
      controller: flavour,
      ...(metaName !== undefined ? { metadataName: metaName } : {}),
      ...(namespace !== undefined ? { namespace } : {}),
      ...(composed ? { composition: composed.composition, composedResource: composed.resource } : {}),
      ...(isSymbolic(name) ? { roleName: name } : {}),
    },
  };
  if (status.arn) role.arn = status.arn;
  else if (typeof name === 'string' && mc.owner && (path === undefined || typeof path === 'string'))
    role.arn = `arn:${partition}:iam::${mc.owner}:role${path ?? '/'}${name}`;
  if (typeof path === 'string') role.path = path;
  const description = scalarText(get(params, 'description'));
  if (description !== undefined) role.description = description;
  const tags = tagsOf(get(params, 'tags'));
  if (tags) role.tags = tags;
  mc.roles.push(role);
}

/** What a manifest read back from the cluster (`kubectl get -o yaml`) says about the created role. */
function statusOf(res: CNode, flavour: Flavour): { arn?: string; account?: string } {
  const status = get(res, 'status');
  const arn =
    flavour === 'ack'
      ? scalarText(get(get(status, 'ackResourceMetadata'), 'arn'))
      : scalarText(get(get(status, 'atProvider'), 'arn'));
  const owner =
    flavour === 'ack' ? scalarText(get(get(status, 'ackResourceMetadata'), 'ownerAccountID')) : undefined;
  const out: { arn?: string; account?: string } = {};
  const m = arn ? /^arn:[a-z-]+:iam::(\d{12}):role\//.exec(arn) : null;
  if (arn && m) {
    out.arn = arn;
    out.account = m[1] as string;
  }
  if (owner && /^\d{12}$/.test(owner)) out.account = owner;
  return out;
}

/** ACK and the community provider write `[{key, value}]`; the Upbound provider a map. */
function tagsOf(n: CNode | undefined): Record<string, string> | undefined {
  const pairs: [string, string][] = [];
  if (n?.t === 'seq') {
    for (const t of n.items) {
      const k = scalarText(get(t, 'key'));
      const v = scalarText(get(t, 'value'));
      if (k !== undefined && v !== undefined) pairs.push([k, v]);
    }
  } else if (n?.t === 'map') {
    for (const e of n.entries) {
      const v = scalarText(e.value);
      if (v !== undefined) pairs.push([e.key, v]);
    }
  }
  // fromEntries, not assignment: a tag named __proto__ stays a plain key.
  return pairs.length > 0 ? Object.fromEntries(pairs) : undefined;
}

/**
 * The first `{{ … }}` in a resource: Helm and other Go-template tools leave them in files that are
 * templates, not manifests (IAM accepts no such text, so a real manifest never holds one). A key that is
 * itself a mapping is what the YAML parser makes of `{{ .Values.x }}: …`.
 */
function templateAction(n: CNode): { text: string; pos: Pos } | undefined {
  if (n.t === 'scalar') {
    const m = typeof n.v === 'string' ? /\{\{[^}]*\}\}/.exec(n.v) : null;
    return m ? { text: m[0], pos: n.pos } : undefined;
  }
  const kids = n.t === 'seq' ? n.items : n.entries.map((e) => e.value);
  if (n.t === 'map') {
    const bad = n.entries.find((e) => e.key === '<mapping key>');
    if (bad) return { text: '{{ … }}', pos: bad.keyPos };
  }
  for (const k of kids) {
    const hit = templateAction(k);
    if (hit) return hit;
  }
  return undefined;
}
