/**
 * The Pulumi reader: YAML programs judged once per stack, with each stack's settings, and stack state
 * exports. Imported by index.ts only when a file was claimed (claims.ts decides which).
 */
import { readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Role, ScanError } from '../../model/types.js';
import { BudgetExceeded } from '../../scan/budgets.js';
import type { ScanRoot } from '../../scan/scan-root.js';
import { type CNode, LineIndex } from '../cloudformation/nodes.js';
import { parseYamlStream } from '../kubernetes/yaml-stream.js';
import type { InputFile, SourceContext, SourceResult } from '../types.js';
import { baseName, isProgram, looksLikeStateExport, MAIN_FILE, STACK_FILE } from './claims.js';
import { stackConfig } from './config.js';
import { programRoles, type Stack } from './program.js';
import { stateRoles } from './state.js';

/** Most stacks a program is judged for (each stack is one more evaluation of every role). */
export const MAX_STACKS = 64;

function perr(file: string, code: string, message: string, p?: { line: number; column: number }): ScanError {
  return { source: 'pulumi', code, message, file, ...(p ? { line: p.line, column: p.column } : {}) };
}

/** The first document of a YAML file, or an error naming where it fails. */
function parseOne(
  text: string,
  file: string,
  ctx: SourceContext,
): { root?: CNode; lines: LineIndex; errors: ScanError[]; warnings: ScanError[] } {
  const s = parseYamlStream(text, ctx.budgets);
  const first = s.docs[0];
  if (!first) return { lines: s.lines, errors: [], warnings: [] };
  if (!first.ok)
    return { lines: s.lines, errors: [perr(file, first.code, first.message, first.pos)], warnings: [] };
  const warnings = first.warnings.map((w) => perr(file, w.code, w.message, w.pos));
  return { ...(first.root ? { root: first.root } : {}), lines: s.lines, errors: [], warnings };
}

/** Stack settings next to the project file, read through the scan root. */
function stacksOf(
  dir: string,
  project: string | undefined,
  root: ScanRoot,
  ctx: SourceContext,
  errors: ScanError[],
  display: string,
  warnings: ScanError[],
): Stack[] {
  if (!root.contains(dir)) return [];
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => STACK_FILE.test(n))
      .sort();
  } catch {
    return [];
  }
  const out: Stack[] = [];
  if (names.length > MAX_STACKS) {
    errors.push(
      perr(
        display,
        'pulumi-too-many-stacks',
        `${names.length} stack settings files: only the first ${MAX_STACKS} (by name) were judged`,
      ),
    );
    names = names.slice(0, MAX_STACKS);
  }
  for (const n of names) {
    const r = root.read(n, dir);
    const shown = `${dirname(display) === '.' ? '' : `${dirname(display)}/`}${n}`;
    if (!r.ok) {
      errors.push(
        perr(
          shown,
          'unreadable',
          `stack settings ${n} were not read (${r.reason}); that stack was not judged`,
        ),
      );
      continue;
    }
    const p = parseOne(r.text, shown, ctx);
    errors.push(...p.errors);
    // A repeated key was resolved (the last one wins) and the file scanned: a warning, not an error.
    warnings.push(...p.warnings);
    if (!p.root && p.errors.length > 0) continue;
    out.push({ name: STACK_FILE.exec(n)?.[1] ?? n, config: stackConfig(p.root, project) });
  }
  return out;
}

export async function loadPulumi(files: InputFile[], ctx: SourceContext): Promise<SourceResult> {
  const roles: Role[] = [];
  const errors: ScanError[] = [];
  const warnings: ScanError[] = [];
  for (const f of files) {
    try {
      if (looksLikeStateExport(f.text) && !isProgram(f)) {
        const r = stateRoles(f.text, f.path, new LineIndex(f.text), ctx.budgets);
        roles.push(...r.roles);
        errors.push(...r.errors);
        continue;
      }
      if (!isProgram(f)) {
        if (f.explicit)
          warnings.push(
            perr(
              f.path,
              'pulumi-stack-settings',
              'stack settings hold no roles by themselves; scan the project folder (with its Pulumi.yaml) to judge them',
            ),
          );
        continue;
      }
      const p = parseOne(f.text, f.path, ctx);
      errors.push(...p.errors);
      warnings.push(...p.warnings);
      if (!p.root) continue;
      let project: CNode = p.root;
      const dir = f.absPath ? dirname(resolve(f.absPath)) : undefined;
      if (MAIN_FILE.test(baseName(f)) && dir) {
        const pf = ctx.root.read('Pulumi.yaml', dir);
        const pr = pf.ok ? parseOne(pf.text, 'Pulumi.yaml', ctx).root : undefined;
        if (pr) project = pr;
      }
      const name = project.t === 'map' ? project.entries.find((e) => e.key === 'name')?.value : undefined;
      const projectName = name?.t === 'scalar' && typeof name.v === 'string' ? name.v : undefined;
      const stacks = dir ? stacksOf(dir, projectName, ctx.root, ctx, errors, f.path, warnings) : [];
      const r = programRoles({
        file: f.path,
        text: f.text,
        lines: p.lines,
        root: p.root,
        project,
        stacks,
        budgets: ctx.budgets,
        ...(ctx.zone.defaultOwner ? { owner: ctx.zone.defaultOwner } : {}),
      });
      roles.push(...r.roles);
      errors.push(...r.errors);
      warnings.push(...r.warnings);
    } catch (e) {
      const budget = e instanceof BudgetExceeded;
      errors.push(
        perr(
          f.path,
          budget ? 'budget-exceeded' : 'internal',
          budget ? e.message : `the file could not be read: ${(e as Error)?.message ?? String(e)}`,
        ),
      );
    }
  }
  return { roles, errors, warnings };
}
