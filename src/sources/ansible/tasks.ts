/**
 * The tasks of an Ansible file: a playbook (plays with `tasks`, `pre_tasks`, `post_tasks`, `handlers`)
 * or a task list (a role's `tasks/`, an included task file), with blocks (`block`, `rescue`, `always`)
 * opened. Each task comes with the variable layers of its play, blocks and itself.
 */
import { type CEntry, type CMap, type CNode, get, type Pos, scalarText } from '../cloudformation/nodes.js';
import type { FileRef, VarBinding } from './render.js';
import { varsOf } from './vars.js';

/** The module names of the IAM role module (checked against the community.aws and amazon.aws docs). */
export const IAM_ROLE_MODULES: ReadonlySet<string> = new Set([
  'amazon.aws.iam_role',
  'community.aws.iam_role',
  'iam_role',
]);

/** Modules whose registered result holds the account of the credentials (`<result>.account`). */
export const CALLER_INFO_MODULES: ReadonlySet<string> = new Set([
  'amazon.aws.aws_caller_info',
  'aws_caller_info',
  'community.aws.aws_caller_info',
  'amazon.aws.aws_caller_facts',
  'aws_caller_facts',
]);

const SET_FACT_MODULES: ReadonlySet<string> = new Set([
  'ansible.builtin.set_fact',
  'set_fact',
  'ansible.legacy.set_fact',
]);

const PLAY_TASK_LISTS = ['pre_tasks', 'tasks', 'post_tasks', 'handlers'] as const;
const BLOCK_LISTS = ['block', 'rescue', 'always'] as const;

export interface TaskRef {
  task: CMap;
  /** The module key and its arguments. */
  module: CEntry;
  /** Variables of the enclosing play, blocks and the task itself, highest precedence first. */
  layers: ReadonlyMap<string, VarBinding>[];
}

export interface TaskWalk {
  /** Tasks that use one of `modules`. */
  tasks: TaskRef[];
  /** Every task (any module), for registered results and facts. */
  all: CMap[];
  /** The plays, when the file is a playbook. */
  plays: CMap[];
}

/** A playbook is a list of plays: mappings with `hosts` (or `import_playbook`). */
export function isPlaybook(root: CNode): boolean {
  if (root.t !== 'seq') return false;
  return root.items.some(
    (p) =>
      p.t === 'map' &&
      p.entries.some(
        (e) =>
          e.key === 'hosts' || e.key === 'import_playbook' || e.key === 'ansible.builtin.import_playbook',
      ),
  );
}

export function walkTasks(
  root: CNode,
  file: FileRef,
  modules: ReadonlySet<string>,
  playLayers: (play: CMap) => ReadonlyMap<string, VarBinding>[],
  checkDepth: (depth: number) => void,
): TaskWalk {
  const out: TaskWalk = { tasks: [], all: [], plays: [] };
  if (root.t !== 'seq') return out;
  if (isPlaybook(root)) {
    for (const play of root.items) {
      if (play.t !== 'map') continue;
      out.plays.push(play);
      const layers = [varsOf(get(play, 'vars'), file), ...playLayers(play)];
      for (const key of PLAY_TASK_LISTS) taskList(get(play, key), file, modules, layers, out, 1, checkDepth);
    }
  } else taskList(root, file, modules, [], out, 0, checkDepth);
  return out;
}

function taskList(
  list: CNode | undefined,
  file: FileRef,
  modules: ReadonlySet<string>,
  outer: ReadonlyMap<string, VarBinding>[],
  out: TaskWalk,
  depth: number,
  checkDepth: (depth: number) => void,
): void {
  if (list?.t !== 'seq') return;
  checkDepth(depth);
  for (const t of list.items) {
    if (t.t !== 'map') continue;
    const layers = [varsOf(get(t, 'vars'), file), ...outer];
    if (BLOCK_LISTS.some((k) => get(t, k) !== undefined)) {
      for (const k of BLOCK_LISTS) taskList(get(t, k), file, modules, layers, out, depth + 1, checkDepth);
      continue;
    }
    out.all.push(t);
    const module = t.entries.find((e) => modules.has(e.key));
    if (module) out.tasks.push({ task: t, module, layers });
  }
}

/** The module a task runs (the first key that names a known module), if any of `modules`. */
export function moduleOf(task: CMap, modules: ReadonlySet<string>): CEntry | undefined {
  return task.entries.find((e) => modules.has(e.key));
}

/** Registered results of caller-info tasks, and facts set to their `.account`. */
export function callerNames(tasks: readonly CMap[]): { results: Set<string>; facts: Set<string> } {
  const results = new Set<string>();
  for (const t of tasks) {
    if (!moduleOf(t, CALLER_INFO_MODULES)) continue;
    const reg = scalarText(get(t, 'register'));
    if (reg) results.add(reg);
  }
  const facts = new Set<string>();
  if (results.size === 0) return { results, facts };
  for (const t of tasks) {
    const m = moduleOf(t, SET_FACT_MODULES);
    if (m?.value.t !== 'map') continue;
    for (const e of m.value.entries) {
      const v = scalarText(e.value);
      const ref =
        v === undefined
          ? undefined
          : /^\{\{\s*([A-Za-z_]\w*)(?:\.account|\[\s*['"]account['"]\s*\])\s*\}\}$/.exec(v.trim());
      if (ref && results.has(ref[1] as string)) facts.add(e.key);
    }
  }
  return { results, facts };
}

/** The task's name, for messages. */
export function taskName(task: CMap): string | undefined {
  return scalarText(get(task, 'name'));
}

export function keyPosOf(task: CMap, key: string): Pos | undefined {
  return task.entries.find((e) => e.key === key)?.keyPos;
}
