/**
 * Terragrunt units: a `terragrunt.hcl` deploys the Terraform module its `terraform { source }` names
 * (or the `.tf` files next to it when there is no source) with its `inputs`, merged with the inputs of
 * the files it includes. Each unit's local module is evaluated through `scanHcl` with those inputs as the
 * evaluated values of its root module's variables (`rootValues`; unknown ones stay unknown), so its
 * roles are judged as that unit deploys them. Roles are named by the unit (`live/prod/iam#aws_iam_role.x`);
 * a module folder evaluated through a unit is not judged again on its own (see deployed-dirs.ts).
 * A remote source is never fetched: a warning names the unit, the source and the roles it may hide.
 */
import path from 'node:path';
import type { Role, ScanError } from '../../model/types.js';
import { BudgetExceeded, BudgetMeter, budgetError } from '../../scan/budgets.js';
import type { InputFile } from '../types.js';
import { isConfigFile } from './config.js';
import { type HclScanOptions, scanHcl } from './hcl-source.js';
import { loadUnit, type TgConfig, tgWarning, UnitProblem } from './terragrunt-config.js';
import { isRemoteSource, localSourceDir, readModule } from './terragrunt-module.js';
import { unitInputs } from './terragrunt-vars.js';
import { realFile } from './tree-reader.js';

export { isTerragruntUnit } from './claims.js';

export interface TerragruntResult {
  roles: Role[];
  errors: ScanError[];
  warnings: ScanError[];
  /** Real folders of the modules evaluated through a unit. */
  evaluatedDirs: Set<string>;
}

interface LoadedUnit {
  file: InputFile;
  realPath: string;
  config: TgConfig;
}

const PLAN_ADVICE =
  'to judge them, scan the plan: terragrunt plan -out=tfplan, then terragrunt show -json tfplan > plan.json';

export function scanTerragrunt(units: InputFile[], opts: HclScanOptions): TerragruntResult {
  const { parser, ctx } = opts;
  const out: TerragruntResult = { roles: [], errors: [], warnings: [], evaluatedDirs: new Set() };
  const loaded: LoadedUnit[] = [];
  for (const file of units) {
    if (!file.absPath) {
      out.warnings.push({
        source: 'terraform',
        code: 'module-not-found',
        message: `${file.path}: a Terragrunt unit read from standard input has no folder, so its module cannot be found; it was not evaluated`,
        file: file.path,
      });
      continue;
    }
    const realPath = realFile(file.absPath);
    if (realPath === undefined) {
      out.errors.push({
        source: 'terraform',
        code: 'internal',
        message: `the Terragrunt unit's real path cannot be resolved; it was not evaluated`,
        file: file.path,
      });
      continue;
    }
    const parsed = guard(out, file.path, () =>
      parser.parse({ path: file.path, abs: realPath, text: file.text }),
    );
    if (!parsed) continue;
    if (parsed.error) {
      out.errors.push({
        source: 'terraform',
        code: 'hcl-syntax',
        message: `${parsed.error.message}; the Terragrunt unit was skipped`,
        file: file.path,
        line: parsed.error.line,
        column: parsed.error.column,
      });
      continue;
    }
    const unitDir = path.dirname(realPath);
    const displayDir = path.dirname(file.path);
    const env = {
      parser,
      root: ctx.root,
      owner: opts.account,
      meter: new BudgetMeter(ctx.budgets),
      warn: (w: ScanError) => out.warnings.push(w),
      display: (abs: string) => path.join(displayDir, path.relative(unitDir, abs)),
    };
    const config = guard(out, file.path, () => loadUnit(env, parsed, realPath));
    if (config) loaded.push({ file, realPath, config });
  }
  // A `terragrunt.hcl` another unit includes is a parent (the legacy root layout), not a unit.
  const parents = new Set(loaded.flatMap((u) => u.config.includes.map((i) => i.path)));
  for (const unit of loaded) {
    if (parents.has(unit.realPath)) continue;
    guard(out, unit.file.path, () => evaluateUnit(unit, opts, out));
  }
  return out;
}

function evaluateUnit(unit: LoadedUnit, opts: HclScanOptions, out: TerragruntResult): void {
  const { parser, ctx } = opts;
  const { file, config } = unit;
  const unitDir = path.dirname(unit.realPath);
  const displayDir = path.dirname(file.path);
  const display = (abs: string): string => path.join(displayDir, path.relative(unitDir, abs));
  const src = config.source;
  let moduleDir = unitDir;
  if (src) {
    const at = src.at;
    if (src.value.t !== 'str') {
      const why = src.value.t === 'sym' ? src.value.description : 'not a string';
      out.warnings.push(
        tgWarning(
          'module-not-found',
          `Terragrunt unit ${file.path}: its terraform source is not known (${why}); any role its module defines is not judged (${PLAN_ADVICE})`,
          at,
        ),
      );
      return;
    }
    if (isRemoteSource(src.value.v)) {
      out.warnings.push(
        tgWarning(
          'module-not-fetched',
          `Terragrunt unit ${file.path}: source ${JSON.stringify(src.value.v)} is not a local folder; it was not fetched (a file scan never uses the network), so any role its module defines is not judged (${PLAN_ADVICE})`,
          at,
        ),
      );
      return;
    }
    moduleDir = localSourceDir(src.value.v, unitDir);
  }
  const warn = (w: ScanError): void => {
    out.warnings.push(w);
  };
  const read = readModule(moduleDir, ctx.root, parser, ctx.budgets['module-depth'], display, warn);
  if (!read.ok) {
    out.warnings.push(
      tgWarning(
        read.code,
        `Terragrunt unit ${file.path}: source ${JSON.stringify(src?.value.t === 'str' ? src.value.v : '.')} cannot be read (${read.reason}); any role its module defines is not judged`,
        src?.at ?? { file: file.path },
      ),
    );
    return;
  }
  const mod = read.module;
  if (!mod.files.some((f) => isConfigFile(f.path))) {
    // Without a source, a unit with no .tf next to it deploys nothing (a parent-only file).
    if (src)
      out.warnings.push(
        tgWarning(
          'module-not-found',
          `Terragrunt unit ${file.path}: source ${JSON.stringify(src.value.t === 'str' ? src.value.v : '')} names ${display(mod.dir)}, which holds no Terraform file; any role its module defines is not judged`,
          src.at,
        ),
      );
    return;
  }
  const inputs = config.inputs?.value;
  const inputsAt = config.inputs?.at ?? { file: file.path };
  if (inputs && inputs.t !== 'obj' && inputs.t !== 'null' && inputs.t !== 'sym') {
    out.warnings.push(
      tgWarning(
        'terragrunt-input-unknown',
        `Terragrunt unit ${file.path}: its inputs are not an object; the module was evaluated without them, so its variables' defaults stand in`,
        inputsAt,
      ),
    );
  }
  const overridden = (name: string): boolean => mod.tfvarsNames.has(name) || ctx.variables.has(name);
  const given = unitInputs(inputs, mod.variables, overridden);
  if (given.unknown.size > 0) {
    const names = [...given.unknown].slice(0, 10);
    const what =
      inputs?.t === 'sym'
        ? `its inputs are not known before apply (${inputs.description}), so every variable of its module they could set is judged as unknown: ${names.map(([n]) => n).join(', ')}`
        : `inputs not known before apply: ${names.map(([n, why]) => `${n} (${why})`).join(', ')}`;
    out.warnings.push(
      tgWarning(
        'terragrunt-input-unknown',
        `Terragrunt unit ${file.path}: ${what}${given.unknown.size > names.length ? ', …' : ''}; the module judges them as unknown values (its defaults do not stand in)`,
        inputsAt,
      ),
    );
  }
  out.evaluatedDirs.add(mod.dir);
  const r = scanHcl(mod.files, { ...opts, rootValues: given.values });
  const moduleDisplay = display(mod.dir);
  for (const role of r.roles) {
    const prefix = `${moduleDisplay}#`;
    const address = role.id.startsWith(prefix) ? role.id.slice(prefix.length) : role.id;
    role.id = displayDir === '.' || displayDir === '' ? address : `${displayDir}#${address}`;
    const construct = role.source.construct;
    role.source.construct = `terragrunt unit ${displayDir}${construct ? ` ${construct}` : ''}`;
    out.roles.push(role);
  }
  out.errors.push(...r.errors);
  out.warnings.push(...r.warnings);
}

/** Runs one step of a unit; a limit or an unexpected failure is that unit's error, never the scan's. */
function guard<T>(out: TerragruntResult, file: string, work: () => T): T | undefined {
  try {
    return work();
  } catch (e) {
    if (e instanceof UnitProblem) {
      const w = tgWarning(e.code, `Terragrunt unit ${file}: ${e.message}; it was not evaluated`, e.at);
      if (e.code === 'hcl-syntax') out.errors.push(w);
      else out.warnings.push(w);
    } else if (e instanceof BudgetExceeded)
      out.errors.push(budgetError('terraform', e, { file }, 'the Terragrunt unit was not evaluated'));
    else
      out.errors.push({
        source: 'terraform',
        code: 'internal',
        message: `could not evaluate the Terragrunt unit: ${e instanceof Error ? e.message : String(e)}`,
        file,
      });
    return undefined;
  }
}
