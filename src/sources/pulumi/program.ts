/**
 * A Pulumi YAML program (`Pulumi.yaml` with `runtime: yaml`, or `Main.yaml`) -> its IAM roles:
 * `aws:iam:Role` / `aws:iam/role:Role` (`assumeRolePolicy`) and `aws-native:iam:Role`
 * (`assumeRolePolicyDocument`), each judged once per stack whose settings change its trust policy.
 * Component resources that create roles inside them (pulumi-aws-iam) are reported, not expanded.
 */
import {
  DEPLOYING_ACCOUNT,
  isSymbolic,
  type JsonLike,
  type Role,
  type ScanError,
} from '../../model/types.js';
import { BudgetExceeded, type Budgets } from '../../scan/budgets.js';
import type { CEntry, CNode, LineIndex } from '../cloudformation/nodes.js';
import { get, getEntry, scalarText } from '../cloudformation/nodes.js';
import { quoted } from '../kubernetes/context.js';
import { trustPolicyOf } from '../kubernetes/trust.js';
import { componentError } from './components.js';
import { projectConfig, stackAccount } from './config.js';
import { type ConfigValue, Evaluator, type ProgramScope } from './evaluate.js';
import { err, loc } from './located.js';

/** How each provider's role resource names its fields. */
interface RoleType {
  provider: 'aws' | 'aws-native';
  document: string;
  name: string;
}

const ROLE_TYPES: Readonly<Record<string, RoleType>> = {
  'aws:iam:Role': { provider: 'aws', document: 'assumeRolePolicy', name: 'name' },
  'aws-native:iam:Role': { provider: 'aws-native', document: 'assumeRolePolicyDocument', name: 'roleName' },
};

/** `aws:iam/role:Role` and `aws:iam:Role` are the same type (the module's sub-path is optional). */
export function normaliseType(token: string): string {
  const parts = token.split(':');
  if (parts.length !== 3) return token;
  const [pkg, mod, name] = parts as [string, string, string];
  const slash = mod.indexOf('/');
  return `${pkg}:${slash < 0 ? mod : mod.slice(0, slash)}:${name}`;
}

export interface Stack {
  name: string;
  config: ReadonlyMap<string, ConfigValue>;
}

export interface ProgramInput {
  file: string;
  text: string;
  lines: LineIndex;
  root: CNode;
  /** The project file's root, when the program is a `Main.yaml` next to it (else `root` itself). */
  project: CNode;
  /** Stacks found next to the project file; none: the program's defaults only. */
  stacks: readonly Stack[];
  owner?: string;
  budgets: Budgets;
}

export function programRoles(input: ProgramInput): {
  roles: Role[];
  errors: ScanError[];
  warnings: ScanError[];
} {
  const roles: Role[] = [];
  const errors: ScanError[] = [];
  // Component resources: their roles cannot be judged from the program by its nature.
  const warnings: ScanError[] = [];
  const resources = get(input.root, 'resources');
  if (resources?.t !== 'map') return { roles, errors, warnings };
  const project = scalarText(get(input.project, 'name'));
  const { declared, defaults } = projectConfig(get(input.project, 'config'));
  if (input.project !== input.root) {
    for (const k of projectConfig(get(input.root, 'config')).declared) declared.add(k);
    for (const [k, v] of projectConfig(get(input.root, 'config')).defaults) defaults.set(k, v);
  }
  const variablesNode = get(input.root, 'variables');
  const variables = new Map<string, CNode>(
    variablesNode?.t === 'map' ? variablesNode.entries.map((e) => [e.key, e.value]) : [],
  );
  const resourceNames = new Set(resources.entries.map((e) => e.key));
  const stacks: (Stack | undefined)[] = input.stacks.length > 0 ? [...input.stacks] : [undefined];

  for (const entry of resources.entries) {
    const type = scalarText(get(entry.value, 'type'));
    if (type === undefined) continue;
    const token = normaliseType(type);
    const component = componentError(token, entry, input.file, input.budgets);
    if (component) {
      warnings.push(component);
      continue;
    }
    const rt = Object.hasOwn(ROLE_TYPES, token) ? ROLE_TYPES[token] : undefined;
    if (!rt || get(entry.value, 'get') !== undefined) continue;
    try {
      const scopes = stacks.map((stack) => {
        const config = new Map(defaults);
        for (const [k, v] of stack?.config ?? []) config.set(k, v);
        const owner = input.owner ?? stackAccount(config);
        const scope: ProgramScope = {
          config,
          declared,
          variables,
          resources: resourceNames,
          budgets: input.budgets,
          source: input.text,
          ...(project !== undefined ? { project } : {}),
          ...(stack ? { stack: stack.name } : {}),
          ...(owner !== undefined ? { owner } : {}),
        };
        return { stack, scope };
      });
      resourceRole(input, entry, rt, scopes, roles, errors);
    } catch (e) {
      const why =
        e instanceof BudgetExceeded
          ? e.message
          : `it could not be read: ${e instanceof RangeError ? 'it is nested too deeply' : ((e as Error)?.message ?? String(e))}`;
      errors.push(
        err(
          input.file,
          e instanceof BudgetExceeded ? 'budget-exceeded' : 'internal',
          `${quoted(entry.key, input.budgets)}: ${why}`,
          entry.keyPos,
        ),
      );
    }
  }
  return { roles, errors, warnings };
}

function resourceRole(
  input: ProgramInput,
  entry: CEntry,
  rt: RoleType,
  scopes: { stack: Stack | undefined; scope: ProgramScope }[],
  roles: Role[],
  errors: ScanError[],
): void {
  const props = get(entry.value, 'properties');
  const docEntry = getEntry(props, rt.document);
  if (
    !docEntry ||
    (docEntry.value.t === 'scalar' && (docEntry.value.v === null || docEntry.value.v === ''))
  ) {
    errors.push(
      err(
        input.file,
        'pulumi-no-trust-policy',
        `${quoted(entry.key, input.budgets)} (${rt.provider === 'aws' ? 'aws:iam:Role' : 'aws-native:iam:Role'}) has no ${rt.document}; the role was not judged`,
        entry.keyPos,
      ),
    );
    return;
  }
  // One role per distinct trust policy over the stacks (the same policy everywhere is one role).
  const groups: { stacks: string[]; role: Role; key: string }[] = [];
  for (const { stack, scope } of scopes) {
    const ev = new Evaluator(scope);
    const doc = ev.value(docEntry.value);
    const trustPolicy = trustPolicyOf(doc, {
      file: input.file,
      text: input.text,
      lines: input.lines,
      budgets: input.budgets,
      at: docEntry.keyPos,
    });
    const key = JSON.stringify(trustPolicy.raw);
    const same = groups.find((g) => g.key === key);
    if (same) {
      if (stack) same.stacks.push(stack.name);
      continue;
    }
    const nameNode = get(props, rt.name);
    const nameValue = nameNode ? ev.value(nameNode).v : undefined;
    const staticName = typeof nameValue === 'string' ? nameValue : undefined;
    const pathNode = get(props, 'path');
    const pathValue = pathNode ? ev.value(pathNode).v : undefined;
    const path = typeof pathValue === 'string' ? pathValue : undefined;
    const account = scope.owner ?? DEPLOYING_ACCOUNT;
    const role: Role = {
      id: `${input.file}#${entry.key}`,
      name: staticName ?? entry.key,
      account,
      partition: 'aws',
      source: { kind: 'pulumi-yaml', location: loc(input.file, entry.keyPos) },
      trustPolicy,
      extra: {
        resourceName: entry.key,
        resourceType: scalarText(get(entry.value, 'type')),
        // Without a name Pulumi names the role `<resource name>-<random suffix>`.
        ...(staticName === undefined ? { autoNamed: !isSymbolic(nameValue) } : {}),
        ...(isSymbolic(nameValue) ? { roleName: nameValue } : {}),
      },
    };
    if (staticName && scope.owner && (pathNode === undefined || path !== undefined))
      role.arn = `arn:aws:iam::${scope.owner}:role${path ?? '/'}${staticName}`;
    if (path) role.path = path;
    const description = get(props, 'description');
    const d = description ? ev.value(description).v : undefined;
    if (typeof d === 'string') role.description = d;
    const tags = tagsOf(get(props, 'tags') ? ev.value(get(props, 'tags') as CNode).v : undefined);
    if (tags) role.tags = tags;
    groups.push({ stacks: stack ? [stack.name] : [], role, key });
  }
  for (const g of groups) {
    if (groups.length > 1) g.role.variant = `stack${g.stacks.length === 1 ? '' : 's'} ${g.stacks.join(', ')}`;
    else if (g.stacks.length > 0) g.role.extra = { ...g.role.extra, stacks: g.stacks };
    roles.push(g.role);
  }
}

/** `aws` writes tags as a map, `aws-native` as `[{key, value}]`. */
function tagsOf(v: JsonLike | undefined): Record<string, string> | undefined {
  const pairs: [string, string][] = [];
  if (Array.isArray(v)) {
    for (const t of v) {
      if (t && typeof t === 'object' && !Array.isArray(t) && !isSymbolic(t)) {
        const k = t.key;
        const val = t.value;
        if (typeof k === 'string' && typeof val === 'string') pairs.push([k, val]);
      }
    }
  } else if (v && typeof v === 'object' && !isSymbolic(v)) {
    for (const [k, val] of Object.entries(v)) if (typeof val === 'string') pairs.push([k, val]);
  }
  return pairs.length > 0 ? Object.fromEntries(pairs) : undefined;
}
