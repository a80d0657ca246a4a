/**
 * Crossplane Compositions: the Roles they compose. A composed Role whose trust policy a patch writes
 * (`CombineFromComposite` with a `fmt` string, `FromCompositeFieldPath`, `FromEnvironmentFieldPath`…)
 * is built at compose time from the claim's fields, so it cannot be judged from the file: that is
 * reported, never passed over. A base Role with a complete trust policy that no patch touches is judged.
 * Compositions rendered by function-go-templating are templates: reported likewise.
 */
import { type CNode, get, scalarText } from '../cloudformation/nodes.js';
import { type ComposedAt, k8sError, type ManifestContext, quoted } from './context.js';
import { documentEntry, documentFields, IAM_GROUPS, roleFlavour } from './kinds.js';

/** Patch types that write the composed resource (the others write the composite or the environment). */
const INBOUND = new Set([
  'FromCompositeFieldPath',
  'CombineFromComposite',
  'FromEnvironmentFieldPath',
  'CombineFromEnvironment',
  'PatchSet',
]);

function seqItems(n: CNode | undefined): CNode[] {
  return n?.t === 'seq' ? n.items : [];
}

/** Named patch sets: `spec.patchSets` (legacy mode) and each pipeline step's `input.patchSets`. */
function patchSets(comp: CNode): Map<string, CNode[]> {
  const out = new Map<string, CNode[]>();
  const spec = get(comp, 'spec');
  const lists = [
    get(spec, 'patchSets'),
    ...seqItems(get(spec, 'pipeline')).map((s) => get(get(s, 'input'), 'patchSets')),
  ];
  for (const list of lists) {
    for (const set of seqItems(list)) {
      const name = scalarText(get(set, 'name'));
      if (name !== undefined) out.set(name, seqItems(get(set, 'patches')));
    }
  }
  return out;
}

/** The first patch that writes one of `fields`, following PatchSet references (once each). */
function writer(
  patches: readonly CNode[],
  fields: readonly string[],
  sets: Map<string, CNode[]>,
  seen = new Set<string>(),
): CNode | undefined {
  for (const p of patches) {
    const type = scalarText(get(p, 'type')) ?? 'FromCompositeFieldPath';
    if (!INBOUND.has(type)) continue;
    if (type === 'PatchSet') {
      const name = scalarText(get(p, 'patchSetName'));
      if (name === undefined || seen.has(name)) continue;
      seen.add(name);
      const hit = writer(sets.get(name) ?? [], fields, sets, seen);
      if (hit) return hit;
      continue;
    }
    const to = scalarText(get(p, 'toFieldPath'));
    if (
      to !== undefined &&
      fields.some(
        (f) => to === f || f.startsWith(`${to}.`) || to.startsWith(`${f}.`) || to.startsWith(`${f}[`),
      )
    )
      return p;
  }
  return undefined;
}

export function composedRoles(
  comp: CNode,
  mc: ManifestContext,
  judge: (base: CNode, where: ComposedAt) => void,
): void {
  const compName = scalarText(get(get(comp, 'metadata'), 'name')) ?? `line-${comp.pos.line}`;
  const spec = get(comp, 'spec');
  const sets = patchSets(comp);
  const pipeline = seqItems(get(spec, 'pipeline'));
  const resources = [
    ...seqItems(get(spec, 'resources')),
    ...pipeline.flatMap((s) => seqItems(get(get(s, 'input'), 'resources'))),
  ];
  resources.forEach((r, i) => {
    const base = get(r, 'base');
    const flavour = roleFlavour(base);
    if (!base || !flavour) return;
    const resName = scalarText(get(r, 'name')) ?? `resources[${i}]`;
    const label = `Composition ${quoted(compName, mc.budgets)} resource ${quoted(resName, mc.budgets)}`;
    const patch = writer(seqItems(get(r, 'patches')), documentFields(flavour), sets);
    if (patch) {
      const type = scalarText(get(patch, 'type')) ?? 'FromCompositeFieldPath';
      const doc = documentEntry(base, flavour);
      mc.warnings.push(
        k8sError(
          mc.file,
          'k8s-composed-trust-policy',
          `${label}: the Role's trust policy is built at compose time by a ${type} patch (line ${patch.pos.line}) from the composite resource's fields, so it was not judged; scan the composed Role instead (kubectl get roles.${Object.keys(IAM_GROUPS).find((g) => IAM_GROUPS[g] === flavour)} -o yaml | trustaudit scan -)`,
          doc?.entry.keyPos ?? base.pos,
        ),
      );
      return;
    }
    judge(base, { composition: compName, resource: resName });
  });
  // function-go-templating: the composed resources are Go templates inside a string.
  for (const step of pipeline) {
    const template = scalarText(get(get(get(step, 'input'), 'inline'), 'template'));
    if (template === undefined) continue;
    if (!Object.keys(IAM_GROUPS).some((g) => template.includes(g)) || !/\bkind:\s*Role\b/.test(template))
      continue;
    mc.warnings.push(
      k8sError(
        mc.file,
        'k8s-templated-composition',
        `Composition ${quoted(compName, mc.budgets)} step ${quoted(scalarText(get(step, 'step')) ?? '?', mc.budgets)} renders an IAM Role from a Go template at compose time; it was not judged (scan the composed Role: kubectl get … -o yaml | trustaudit scan -)`,
        step.pos,
      ),
    );
  }
}
