/**
 * The Serverless Framework reader: parses each claimed configuration (claims.ts decides which), replaces
 * its variables (`./variables.ts`) and reads its `resources.Resources` with the CloudFormation source's
 * role extraction. Imported by index.ts only when a file was claimed.
 */
import { DEPLOYING_ACCOUNT, type Role, type ScanError } from '../../model/types.js';
import { BudgetExceeded } from '../../scan/budgets.js';
import { append } from '../../util/append.js';
import { type CEntry, type CMap, type CNode, get, getEntry } from '../cloudformation/nodes.js';
import { parseTemplateText } from '../cloudformation/parse.js';
import { extractRoles } from '../cloudformation/roles.js';
import { indexTemplate } from '../cloudformation/template.js';
import { sourceError } from '../source-error.js';
import type { InputFile, SourceContext, SourceResult } from '../types.js';
import { Substituter, type Unknowns } from './variables.js';

const scanError = (file: string, code: string, message: string, line?: number, column?: number): ScanError =>
  sourceError('serverless', file, code, message, line, column);

export async function loadServerless(files: InputFile[], ctx: SourceContext): Promise<SourceResult> {
  const roles: Role[] = [];
  const errors: ScanError[] = [];
  const warnings: ScanError[] = [];
  for (const f of files) {
    try {
      const r = scanConfig(f, ctx);
      append(roles, r.roles);
      append(errors, r.errors);
      append(warnings, r.warnings);
    } catch (e) {
      const budget = e instanceof BudgetExceeded;
      errors.push(
        scanError(
          f.path,
          budget ? 'limit-exceeded' : 'internal',
          budget
            ? `the configuration was not fully read: ${e.message}`
            : e instanceof RangeError
              ? 'the configuration is nested too deeply to read'
              : `the configuration could not be read: ${(e as Error)?.message ?? String(e)}`,
        ),
      );
    }
  }
  return { roles, errors, warnings };
}

interface ConfigResult {
  roles: Role[];
  errors: ScanError[];
  warnings: ScanError[];
}

function scanConfig(f: InputFile, ctx: SourceContext): ConfigResult {
  const out: ConfigResult = { roles: [], errors: [], warnings: [] };
  const parsed = parseTemplateText(f.text, f.path, { allowAliases: true });
  const o = parsed.outcome;
  if (!o.ok) {
    out.errors.push(scanError(f.path, o.code, o.message, o.pos.line, o.pos.column));
    return out;
  }
  for (const w of o.warnings)
    out.warnings.push(scanError(f.path, w.code, w.message, w.pos.line, w.pos.column));
  const root = o.root;
  if (root.t !== 'map' || !get(root, 'service')) {
    if (f.explicit)
      out.errors.push(
        scanError(
          f.path,
          'not-serverless',
          'not a Serverless Framework configuration (no top-level service)',
        ),
      );
    return out;
  }
  const provider = get(root, 'provider');
  const providerName = get(provider, 'name');
  if (providerName?.t === 'scalar' && typeof providerName.v === 'string' && providerName.v !== 'aws')
    return out;

  const sections = resourceSections(get(root, 'resources'), f.path, out);
  if (sections.length === 0) return out;
  const subst = new Substituter(root, ctx.budgets);
  const template = templateOf(
    sections.map((s) => subst.substitute(s)),
    root.pos,
  );
  const tpl = indexTemplate(f.path, f.text, parsed.lines, template);
  for (const token of subst.unknowns.byToken.keys())
    tpl.params.set(token, { name: token, type: 'String', pos: root.pos });
  const owner = ctx.zone.defaultOwner;
  const r = extractRoles(tpl, { parameters: ctx.parameters, ...(owner ? { owner } : {}) });
  for (const role of r.roles) {
    role.source.kind = 'serverless-resource';
    role.account ??= DEPLOYING_ACCOUNT;
    const service = get(root, 'service');
    if (service?.t === 'scalar' && typeof service.v === 'string')
      role.extra = { ...role.extra, serverlessService: service.v };
    rename(role, subst.unknowns);
    out.roles.push(role);
  }
  for (const e of r.errors) {
    rename(e, subst.unknowns);
    out.errors.push({ ...e, source: 'serverless' });
  }
  return out;
}

/** `resources` is a mapping, or a list of mappings merged in order (`${file(…)}` items are not read). */
function resourceSections(resources: CNode | undefined, file: string, out: ConfigResult): CMap[] {
  if (!resources) return [];
  const items = resources.t === 'seq' ? resources.items : [resources];
  const maps: CMap[] = [];
  for (const it of items) {
    if (it.t === 'map') maps.push(it);
    else if (it.t === 'scalar' && typeof it.v === 'string') {
      out.warnings.push(
        scanError(
          file,
          'serverless-resources-not-read',
          `resources from ${it.v} are not read here (a file the framework merges at deploy time); scan that file itself if it is a CloudFormation template`,
          it.pos.line,
          it.pos.column,
        ),
      );
    }
  }
  return maps;
}

/**
 * One CloudFormation template from the `resources` sections: their Resources, Conditions, Mappings
 * and Parameters, and a role for each `extensions` entry that gives a generated resource (the
 * execution role `IamRoleLambdaExecution`) an AssumeRolePolicyDocument.
 */
function templateOf(sections: readonly CNode[], pos: CMap['pos']): CMap {
  const merged = new Map<string, CEntry[]>();
  const order = ['Parameters', 'Mappings', 'Conditions', 'Resources'];
  for (const s of sections) {
    if (s.t !== 'map') continue;
    for (const key of order) {
      const sec = get(s, key);
      if (sec?.t === 'map') merged.set(key, [...(merged.get(key) ?? []), ...sec.entries]);
    }
  }
  const resources = merged.get('Resources') ?? [];
  const declared = new Set(resources.map((e) => e.key));
  for (const s of sections) {
    const ext = get(s, 'extensions');
    if (ext?.t !== 'map') continue;
    for (const e of ext.entries) {
      if (declared.has(e.key)) continue;
      const props = get(e.value, 'Properties');
      if (!getEntry(props, 'AssumeRolePolicyDocument')) continue;
      resources.push({
        key: e.key,
        keyPos: e.keyPos,
        value: {
          t: 'map',
          pos: e.value.pos,
          entries: [
            { key: 'Type', keyPos: e.keyPos, value: { t: 'scalar', v: 'AWS::IAM::Role', pos: e.keyPos } },
            ...(e.value.t === 'map' ? e.value.entries : []),
          ],
        },
      });
    }
  }
  merged.set('Resources', resources);
  const entries: CEntry[] = [];
  for (const key of order) {
    const list = merged.get(key);
    if (list) entries.push({ key, keyPos: pos, value: { t: 'map', pos, entries: list } });
  }
  return { t: 'map', pos, entries };
}

/** Name each unknown by its Serverless variable instead of the parameter it was handed over as. */
function rename(target: object, unknowns: Unknowns): void {
  if (unknowns.byToken.size === 0) return;
  const fix = (s: string): string =>
    s
      .replace(
        /parameter (SlsVar\d+) \(no default\)/g,
        (m, t: string) => unknowns.byToken.get(t)?.description ?? m,
      )
      .replace(/\$\{(SlsVar\d+)\}/g, (m, t: string) => unknowns.byToken.get(t)?.text ?? m);
  const seen = new Set<object>();
  const walk = (v: unknown): void => {
    if (!v || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    const rec = v as Record<string, unknown>;
    for (const k of Object.keys(rec)) {
      const x = rec[k];
      if (typeof x === 'string') {
        if (x.includes('SlsVar')) rec[k] = fix(x);
      } else walk(x);
    }
  };
  walk(target);
}
