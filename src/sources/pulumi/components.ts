/**
 * Component resources of pulumi-aws-iam (a wrapper of terraform-aws-modules/iam) create IAM roles inside
 * them; the trust policy is written by the component's code, not in the program, and depends on its
 * version and defaults (`requiresMfa`, how many roles `AssumableRoles` makes). They are reported as not
 * expanded, naming the trusted principals the inputs give, rather than judged on a guess. The state
 * (`pulumi stack export`) holds the roles they created, which are judged.
 */
import type { ScanError } from '../../model/types.js';
import type { Budgets } from '../../scan/budgets.js';
import type { CEntry, CNode } from '../cloudformation/nodes.js';
import { get, scalarText } from '../cloudformation/nodes.js';
import { quoted } from '../kubernetes/context.js';

/** pulumi-aws-iam components that create IAM roles. */
export const ROLE_COMPONENTS: ReadonlySet<string> = new Set([
  'aws-iam:index:AssumableRole',
  'aws-iam:index:AssumableRoles',
  'aws-iam:index:AssumableRoleWithOIDC',
  'aws-iam:index:AssumableRoleWithSAML',
  'aws-iam:index:AssumableRolesWithSAML',
  'aws-iam:index:EKSRole',
  'aws-iam:index:RoleForServiceAccountsEks',
]);

function strings(n: CNode | undefined): string[] {
  if (n?.t === 'seq')
    return n.items.flatMap((i) => (scalarText(i) !== undefined ? [scalarText(i) as string] : []));
  const s = scalarText(n);
  return s === undefined ? [] : [s];
}

/** Principals the component's inputs name, as far as the file shows them. */
function trustedInputs(props: CNode | undefined): string[] {
  const out = [
    ...strings(get(props, 'trustedRoleArns')),
    ...strings(get(props, 'trustedRoleServices')),
    ...strings(get(props, 'providerIds')),
    ...strings(get(props, 'providerUrls')),
  ];
  const providers = get(props, 'oidcProviders');
  if (providers?.t === 'map')
    for (const e of providers.entries) out.push(...strings(get(e.value, 'providerArn')));
  return out;
}

function mfaInputs(props: CNode | undefined): string[] {
  const out: string[] = [];
  if (props?.t !== 'map') return out;
  for (const e of props.entries) {
    const v = scalarText(get(e.value, 'requiresMfa'));
    if (v !== undefined) out.push(`${e.key}.requiresMfa: ${v}`);
  }
  return out;
}

/** The error for a role-creating component resource, or undefined for any other type. */
export function componentError(
  token: string,
  entry: CEntry,
  file: string,
  budgets: Budgets,
): ScanError | undefined {
  if (!ROLE_COMPONENTS.has(token)) return undefined;
  const props = get(entry.value, 'properties');
  const trusted = trustedInputs(props);
  const mfa = mfaInputs(props);
  const inputs = [
    trusted.length > 0
      ? `it trusts ${trusted.map((t) => quoted(t, budgets)).join(', ')}`
      : 'its inputs name no trusted principal',
    ...mfa,
  ].join('; ');
  return {
    source: 'pulumi',
    code: 'pulumi-component-not-expanded',
    file,
    line: entry.keyPos.line,
    column: entry.keyPos.column,
    message: `${quoted(entry.key, budgets)} is a component resource (${token}): the roles it creates get their trust policy from the component's code, so they were not expanded or judged (${inputs}); scan the deployed stack instead: pulumi stack export | trustaudit scan -`,
  };
}
