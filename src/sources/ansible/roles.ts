/**
 * One `iam_role` task -> the roles it creates: one per item of a literal loop, none for
 * `state: absent`. Argument names and aliases follow the module documentation of community.aws
 * (`name`, `path`, `description`, `tags`/`resource_tags`, `state`, `assume_role_policy_document`) and
 * of amazon.aws (`role_name`, `path_prefix`/`prefix`).
 */
import { parseTrustDocument } from '../../model/normalise.js';
import {
  isSymbolic,
  type JsonLike,
  type Role,
  type ScanError,
  type SourceLocation,
  type Symbolic,
} from '../../model/types.js';
import { BudgetExceeded } from '../../scan/budgets.js';
import { type CEntry, type CNode, get, getEntry, scalarText } from '../cloudformation/nodes.js';
import { hasJinja } from './jinja.js';
import {
  asDocument,
  type FileRef,
  type LNode,
  locateIn,
  locOf,
  type RenderEnv,
  render,
  type VarBinding,
} from './render.js';
import { type TaskRef, taskName } from './tasks.js';

const NAME_KEYS = ['name', 'role_name'];
const PATH_KEYS = ['path', 'path_prefix', 'prefix'];
const TAG_KEYS = ['tags', 'resource_tags'];
const LOOP_KEYS = ['loop', 'with_items', 'with_list'];

export interface TaskResult {
  roles: Role[];
  errors: ScanError[];
}

function firstEntry(args: CNode, keys: readonly string[]): CEntry | undefined {
  for (const k of keys) {
    const e = getEntry(args, k);
    if (e) return e;
  }
  return undefined;
}

function error(code: string, message: string, loc: SourceLocation): ScanError {
  const e: ScanError = { source: 'ansible', code, message, file: loc.file };
  if (loc.line !== undefined) e.line = loc.line;
  if (loc.column !== undefined) e.column = loc.column;
  return e;
}

/** The loop items, bound to the loop variable: literal lists only; anything else is one unknown item. */
function loopBindings(ref: TaskRef, file: FileRef, env: RenderEnv): Map<string, VarBinding>[] | undefined {
  const entry = ref.task.entries.find((e) => LOOP_KEYS.includes(e.key) || e.key.startsWith('with_'));
  if (!entry) return undefined;
  const control = get(ref.task, 'loop_control');
  const loopVar = scalarText(get(control, 'loop_var')) ?? 'item';
  let items: VarBinding[] | undefined;
  if (LOOP_KEYS.includes(entry.key) && entry.value.t === 'seq') {
    items = entry.value.items.map((node) => ({ node, file }));
  } else if (LOOP_KEYS.includes(entry.key)) {
    // `loop: "{{ list }}"` where the list is plain data.
    const scoped = { ...env, scope: { ...env.scope, layers: [...ref.layers, ...env.scope.layers] } };
    const r = render(entry.value, file, scoped);
    const kids = r.kids;
    if (Array.isArray(r.v) && kids) items = r.v.map((_, i) => ({ value: kids.get(i)?.node ?? { v: null } }));
  }
  const max = env.meter.budgets['collection-size'];
  if (items && items.length > max)
    throw new BudgetExceeded(
      'collection-size',
      max,
      `task "${taskName(ref.task) ?? ref.module.key}" loops over too many items`,
    );
  if (!items) {
    const how = scalarText(entry.value) ?? entry.key;
    return [
      new Map<string, VarBinding>([
        [loopVar, { unknown: `a loop item: the loop ${how.slice(0, 80)} is not a literal list` }],
      ]),
    ];
  }
  return items.map((it) => new Map<string, VarBinding>([[loopVar, it]]));
}

/** Text of a rendered value: a string, a symbolic value, or undefined for anything else. */
function textOf(n: LNode | undefined): string | Symbolic | undefined {
  if (!n) return undefined;
  if (typeof n.v === 'string' || isSymbolic(n.v)) return n.v;
  if (typeof n.v === 'number' || typeof n.v === 'boolean') return String(n.v);
  return undefined;
}

/** A role name as the user would write it: unknown parts back in Jinja form. */
function shown(v: string | Symbolic): string {
  if (typeof v === 'string') return v;
  return v.text === undefined ? v.description : v.text.replace(/\$\{([^}]*)\}/g, '{{ $1 }}');
}

/** The trust document argument as a located value: a mapping, JSON text, a variable or a lookup. */
function trustDocument(arg: CNode, file: FileRef, env: RenderEnv): LNode {
  if (arg.t === 'scalar' && typeof arg.v === 'string') {
    const t = arg.v.trim();
    if ((t.startsWith('{') && !t.startsWith('{{') && !t.startsWith('{%')) || t.startsWith('[')) {
      return asDocument(
        { v: arg.v, loc: locOf(file, arg.pos), src: { file, scalar: arg, jinja: true } },
        env,
      );
    }
  }
  const r = render(arg, file, env);
  return typeof r.v === 'string' ? asDocument(r, env) : r;
}

export function taskRoles(ref: TaskRef, file: FileRef, env: RenderEnv, ids: Set<string>): TaskResult {
  const roles: Role[] = [];
  const errors: ScanError[] = [];
  const moduleLoc = locOf(file, ref.module.keyPos);
  const args = ref.module.value;
  const label = taskName(ref.task) ?? ref.module.key;
  if (args.t !== 'map') {
    errors.push(
      error(
        'ansible-free-form-arguments',
        `task "${label}": ${ref.module.key} arguments written as one string (key=value) are not read; the role was not judged (write them as a mapping)`,
        moduleLoc,
      ),
    );
    return { roles, errors };
  }
  const docEntry = getEntry(args, 'assume_role_policy_document');
  const loops = loopBindings(ref, file, env) ?? [new Map<string, VarBinding>()];
  loops.forEach((loopLayer, index) => {
    const scoped: RenderEnv = {
      ...env,
      scope: { ...env.scope, layers: [loopLayer, ...ref.layers, ...env.scope.layers] },
    };
    const state = getEntry(args, 'state');
    const stateText = state ? textOf(render(state.value, file, scoped)) : 'present';
    if (stateText === 'absent') return;
    const nameEntry = firstEntry(args, NAME_KEYS);
    const nameValue = nameEntry ? textOf(render(nameEntry.value, file, scoped)) : undefined;
    const looped = loops.length > 1 ? ` (loop item ${index + 1})` : '';
    if (!docEntry) {
      // community.aws requires the document when state is present; amazon.aws keeps an existing role's.
      errors.push(
        error(
          'ansible-no-trust-policy',
          `task "${label}"${looped}: ${ref.module.key} has no assume_role_policy_document, so its trust policy is not in this file; the role was not judged`,
          moduleLoc,
        ),
      );
      return;
    }
    const docLoc = locOf(file, docEntry.keyPos);
    const doc = trustDocument(docEntry.value, file, scoped);
    const trustPolicy = parseTrustDocument(doc.v, {
      file: file.path,
      base: docLoc,
      locate: (path) => (path.length === 0 ? docLoc : (locateIn(doc, path) ?? docLoc)),
    });
    const name = nameValue === undefined ? label : shown(nameValue);
    let id = `${file.path}#${name}`;
    if (ids.has(id)) id = `${id}@${moduleLoc.line ?? 0}:${index + 1}`;
    ids.add(id);
    const role: Role = {
      id,
      name,
      account: env.owner,
      partition: 'aws',
      source: { kind: 'ansible-task', location: moduleLoc },
      trustPolicy,
      extra: {
        module: ref.module.key,
        task: label,
        ...(loops.length > 1 ? { loopItem: index + 1 } : {}),
        ...(nameValue !== undefined && isSymbolic(nameValue) ? { roleName: nameValue } : {}),
        ...(isSymbolic(stateText) ? { state: stateText } : {}),
      },
    };
    const pathEntry = firstEntry(args, PATH_KEYS);
    const path = pathEntry ? textOf(render(pathEntry.value, file, scoped)) : undefined;
    if (typeof path === 'string') role.path = path;
    const description = getEntry(args, 'description');
    const d = description ? textOf(render(description.value, file, scoped)) : undefined;
    if (typeof d === 'string') role.description = d;
    const tags = tagsOf(firstEntry(args, TAG_KEYS), file, scoped);
    if (tags) role.tags = tags;
    if (typeof nameValue === 'string' && !hasJinja(nameValue) && /^\d{12}$/.test(env.owner))
      role.arn = `arn:aws:iam::${env.owner}:role${typeof path === 'string' ? path : '/'}${nameValue}`;
    roles.push(role);
  });
  return { roles, errors };
}

function tagsOf(
  entry: CEntry | undefined,
  file: FileRef,
  env: RenderEnv,
): Record<string, string> | undefined {
  if (!entry) return undefined;
  const v: JsonLike = render(entry.value, file, env).v;
  if (!v || typeof v !== 'object' || Array.isArray(v) || isSymbolic(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return Object.keys(out).length > 0 ? out : undefined;
}
