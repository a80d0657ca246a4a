/**
 * The state of a stack, as `pulumi stack export` writes it (`{version, deployment: {manifest, resources}}`):
 * every `aws:iam/role:Role` with its deployed `outputs.assumeRolePolicy` (JSON text), and every
 * `aws-native:iam:Role` with `outputs.assumeRolePolicyDocument`. The account and name come from the
 * role's ARN; a role created by a component resource names the component as its construct.
 */
import type { Role, ScanError } from '../../model/types.js';
import { BudgetExceeded, type Budgets } from '../../scan/budgets.js';
import type { CEntry, CNode, LineIndex } from '../cloudformation/nodes.js';
import { get, getEntry, scalarText } from '../cloudformation/nodes.js';
import { parseJson } from '../cloudformation/parse-json.js';
import { quoted } from '../kubernetes/context.js';
import { literalNode, trustPolicyOf } from '../kubernetes/trust.js';
import { err, loc } from './located.js';
import { normaliseType } from './program.js';

/** The marker Pulumi puts on a secret value (`{"4dabf…": "1b47…", "ciphertext" | "plaintext": …}`). */
const SECRET_SIG = '4dabf18193072939515e22adb298388d';

const DOC_FIELD: Readonly<Record<string, string>> = {
  'aws:iam:Role': 'assumeRolePolicy',
  'aws-native:iam:Role': 'assumeRolePolicyDocument',
};

/** `urn:pulumi:stack::project::parent$type::name` -> `type::name` of the resource itself. */
function urnTail(urn: string): string {
  const parts = urn.split('::');
  const type = (parts[2] ?? '').split('$').pop() ?? '';
  return `${type}::${parts.slice(3).join('::')}`;
}

export function stateRoles(
  text: string,
  file: string,
  lines: LineIndex,
  budgets: Budgets,
): { roles: Role[]; errors: ScanError[] } {
  const roles: Role[] = [];
  const errors: ScanError[] = [];
  const parsed = parseJson(text, lines, budgets['nesting-depth']);
  if (!parsed.ok) return { roles, errors: [err(file, parsed.code, parsed.message, parsed.pos)] };
  const root = parsed.root;
  const resources =
    get(get(root, 'deployment'), 'resources') ?? get(get(get(root, 'checkpoint'), 'latest'), 'resources');
  if (resources?.t !== 'seq') {
    return {
      roles,
      errors: [
        err(
          file,
          'pulumi-state-shape',
          'a Pulumi stack export without deployment.resources: nothing was read',
          root.pos,
        ),
      ],
    };
  }
  const byUrn = new Map<string, CNode>();
  for (const r of resources.items) {
    const urn = scalarText(get(r, 'urn'));
    if (urn) byUrn.set(urn, r);
  }
  for (const r of resources.items) {
    const type = scalarText(get(r, 'type'));
    if (type === undefined) continue;
    const typeName = normaliseType(type);
    const field = Object.hasOwn(DOC_FIELD, typeName) ? DOC_FIELD[typeName] : undefined;
    if (!field) continue;
    const urn = scalarText(get(r, 'urn')) ?? '';
    const label = quoted(urnTail(urn) || type, budgets);
    try {
      const outputs = get(r, 'outputs');
      let doc: CEntry | undefined = getEntry(outputs, field);
      if (!doc) doc = getEntry(get(r, 'inputs'), field);
      if (!doc) {
        errors.push(
          err(
            file,
            'pulumi-no-trust-policy',
            `${label}: the state has no ${field} for this role; it was not judged`,
            r.pos,
          ),
        );
        continue;
      }
      let value: CNode = doc.value;
      if (get(value, SECRET_SIG) !== undefined) {
        const plaintext = scalarText(get(value, 'plaintext'));
        if (plaintext === undefined) {
          errors.push(
            err(
              file,
              'pulumi-secret',
              `${label}: the trust policy is a secret, encrypted in the export, so the role was not judged (export with pulumi stack export --show-secrets)`,
              doc.keyPos,
            ),
          );
          continue;
        }
        // `plaintext` holds the value as JSON text.
        let inner: unknown;
        try {
          inner = JSON.parse(plaintext);
        } catch {
          inner = plaintext;
        }
        value = { t: 'scalar', v: typeof inner === 'string' ? inner : JSON.stringify(inner), pos: value.pos };
      }
      const trustPolicy = trustPolicyOf(literalNode(value), { file, text, lines, budgets, at: doc.keyPos });
      const arn = scalarText(get(outputs, 'arn'));
      const m = arn ? /^arn:([a-z-]+):iam::(\d{12}):role(\/(?:.*\/)?)([^/]+)$/.exec(arn) : null;
      const name =
        m?.[4] ??
        scalarText(get(outputs, 'name')) ??
        scalarText(get(outputs, 'roleName')) ??
        urnTail(urn).split('::').pop() ??
        'role';
      const role: Role = {
        id: arn ?? urn,
        name,
        partition: m?.[1] ?? 'aws',
        source: { kind: 'pulumi-state', location: loc(file, r.pos) },
        trustPolicy,
        extra: { urn, resourceType: type },
      };
      if (m) {
        role.account = m[2] as string;
        role.arn = arn as string;
        role.path = m[3] as string;
      }
      const roleId = scalarText(get(outputs, 'uniqueId')) ?? scalarText(get(outputs, 'roleId'));
      if (roleId) role.roleId = roleId;
      const description = scalarText(get(outputs, 'description'));
      if (description) role.description = description;
      const parent = scalarText(get(r, 'parent'));
      const parentType = parent ? scalarText(get(byUrn.get(parent), 'type')) : undefined;
      if (parent && parentType && parentType !== 'pulumi:pulumi:Stack')
        role.source.construct = urnTail(parent);
      roles.push(role);
    } catch (e) {
      if (e instanceof BudgetExceeded)
        errors.push(err(file, 'budget-exceeded', `${label}: ${e.message}`, r.pos));
      else
        errors.push(
          err(file, 'internal', `${label} could not be read: ${(e as Error)?.message ?? String(e)}`, r.pos),
        );
    }
  }
  return { roles, errors };
}
