/**
 * The Kubernetes resources that define an IAM role, and where each keeps its trust policy:
 * - AWS Controllers for Kubernetes (ACK): `iam.services.k8s.aws` `Role`, `spec.assumeRolePolicyDocument`.
 * - Crossplane's Upbound AWS provider: `iam.aws.upbound.io` (and the namespaced `iam.aws.m.upbound.io`)
 *   `Role`, `spec.forProvider.assumeRolePolicy` (or `spec.initProvider.assumeRolePolicy`).
 * - Crossplane's older community provider: `iam.aws.crossplane.io` `Role`,
 *   `spec.forProvider.assumeRolePolicyDocument`.
 * Any version of each group is read (the fields have not changed between them).
 */
import type { CEntry, CNode } from '../cloudformation/nodes.js';
import { get, getEntry, scalarText } from '../cloudformation/nodes.js';

export type Flavour = 'ack' | 'crossplane-upbound' | 'crossplane-classic';

export const IAM_GROUPS: Readonly<Record<string, Flavour>> = {
  'iam.services.k8s.aws': 'ack',
  'iam.aws.upbound.io': 'crossplane-upbound',
  'iam.aws.m.upbound.io': 'crossplane-upbound',
  'iam.aws.crossplane.io': 'crossplane-classic',
};

/** The field paths (from the resource root) that hold the trust policy, in order of preference. */
export const DOCUMENT_PATHS: Readonly<Record<Flavour, readonly (readonly string[])[]>> = {
  ack: [['spec', 'assumeRolePolicyDocument']],
  'crossplane-upbound': [
    ['spec', 'forProvider', 'assumeRolePolicy'],
    ['spec', 'initProvider', 'assumeRolePolicy'],
  ],
  'crossplane-classic': [['spec', 'forProvider', 'assumeRolePolicyDocument']],
};

export function groupOf(apiVersion: string | undefined): string | undefined {
  if (apiVersion === undefined) return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The flavour of an IAM Role resource, or undefined for anything else. */
export function roleFlavour(res: CNode | undefined): Flavour | undefined {
  if (scalarText(get(res, 'kind')) !== 'Role') return undefined;
  const group = groupOf(scalarText(get(res, 'apiVersion')));
  return group !== undefined && Object.hasOwn(IAM_GROUPS, group) ? IAM_GROUPS[group] : undefined;
}

export function entryAt(root: CNode | undefined, path: readonly string[]): CEntry | undefined {
  let node = root;
  let entry: CEntry | undefined;
  for (const seg of path) {
    entry = getEntry(node, seg);
    if (!entry) return undefined;
    node = entry.value;
  }
  return entry;
}

/** The entry holding the trust policy (the first path present), with its dotted field path. */
export function documentEntry(res: CNode, flavour: Flavour): { entry: CEntry; field: string } | undefined {
  for (const path of DOCUMENT_PATHS[flavour]) {
    const entry = entryAt(res, path);
    if (entry) return { entry, field: path.join('.') };
  }
  return undefined;
}

/** Every dotted field path that may hold the trust policy of this flavour. */
export function documentFields(flavour: Flavour): string[] {
  return DOCUMENT_PATHS[flavour].map((p) => p.join('.'));
}

/** Where the role's own fields are: ACK keeps them under `spec`, Crossplane under `spec.forProvider`. */
export function parametersOf(res: CNode, flavour: Flavour): CNode | undefined {
  const spec = get(res, 'spec');
  return flavour === 'ack' ? spec : get(spec, 'forProvider');
}
