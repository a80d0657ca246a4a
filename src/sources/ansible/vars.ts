/**
 * Where an Ansible task's variables come from, as far as they are plain data in the repository: role
 * `defaults/` and `vars/`, `group_vars/` and `host_vars/` next to the playbook (or above the role),
 * a play's `vars` and `vars_files`, block and task `vars`. Facts (`set_fact`), registered results,
 * inventory variables and `--extra-vars` are not known before the play runs and stay unknowns (the
 * deploying account from `aws_caller_info` excepted).
 */
import { type CMap, type CNode, get, LineIndex } from '../cloudformation/nodes.js';
import { type ParseProblem, parseTemplateText } from '../cloudformation/parse.js';
import type { FileRef, VarBinding } from './render.js';

/** A file read for its variables (or its tasks), or why it was not. */
export type ReadVarFile =
  | { ok: true; file: FileRef; root: CNode }
  | { ok: false; missing: boolean; reason: string };

/** Parse a YAML or JSON file of the repository into positioned nodes. */
export function parseAnsibleText(
  text: string,
  path: string,
):
  | { ok: true; root: CNode; lines: LineIndex; warnings: ParseProblem[] }
  | { ok: false; message: string; line: number; column: number } {
  const yamlPath = /\.json$/i.test(path) ? path : `${path.replace(/\.(ya?ml)$/i, '')}.yml`;
  const parsed = parseTemplateText(text, yamlPath, { allowAliases: true });
  const o = parsed.outcome;
  if (!o.ok) {
    if (o.code === 'empty')
      return { ok: true, root: { t: 'scalar', v: null, pos: o.pos }, lines: parsed.lines, warnings: [] };
    return { ok: false, message: o.message, line: o.pos.line, column: o.pos.column };
  }
  // A repeated key was resolved (the last one wins, as Ansible's YAML loader keeps it): the caller warns.
  return { ok: true, root: o.root, lines: parsed.lines, warnings: o.warnings };
}

/** The variables a mapping defines, each bound to the file it is written in. */
export function varsOf(map: CNode | undefined, file: FileRef): Map<string, VarBinding> {
  const out = new Map<string, VarBinding>();
  if (map?.t !== 'map') return out;
  for (const e of map.entries) out.set(e.key, { node: e.value, file });
  return out;
}

function plainKey(n: CNode): string {
  if (n.t === 'scalar') return JSON.stringify(n.v);
  if (n.t === 'seq') return `[${n.items.map(plainKey).join(',')}]`;
  return `{${n.entries.map((e) => `${JSON.stringify(e.key)}:${plainKey(e.value)}`).join(',')}}`;
}

/**
 * Merge the variables of files that apply to different hosts (group_vars, host_vars): a name every
 * file gives the same value keeps it; a name given different values depends on the host.
 */
export function mergeHostVars(
  files: readonly { file: FileRef; vars: Map<string, VarBinding> }[],
): Map<string, VarBinding> {
  const out = new Map<string, VarBinding>();
  const seen = new Map<string, { key: string; files: string[] }>();
  for (const f of files) {
    for (const [name, b] of f.vars) {
      if (!('node' in b)) continue;
      const key = plainKey(b.node);
      const prev = seen.get(name);
      if (!prev) {
        seen.set(name, { key, files: [f.file.path] });
        out.set(name, b);
      } else {
        prev.files.push(f.file.path);
        if (prev.key !== key) out.set(name, { ambiguous: prev.files });
      }
    }
  }
  return out;
}

/** `vars_files` of a play: literal paths relative to the playbook's folder, later files winning. */
export function varsFileNames(play: CMap): { names: string[]; skipped: CNode[] } {
  const list = get(play, 'vars_files');
  const names: string[] = [];
  const skipped: CNode[] = [];
  const items = list?.t === 'seq' ? list.items : list ? [list] : [];
  for (const it of items) {
    if (it.t === 'scalar' && typeof it.v === 'string' && !it.v.includes('{{')) names.push(it.v);
    else skipped.push(it);
  }
  return { names, skipped };
}

export function fileRef(path: string, text: string, lines?: LineIndex): FileRef {
  return { path, text, lines: lines ?? new LineIndex(text) };
}
