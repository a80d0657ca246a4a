/**
 * Reading Terraform files once the terraform source claimed them: HCL configuration and Terragrunt units
 * through one tree-sitter parser made for the call, plan JSON on its own. Loaded only when a scan holds
 * such files (index.ts imports it on first use), so other scans never load the parser, the regular
 * expression engine or the evaluator; the plan reader is imported only when a plan was claimed.
 */
import { DEPLOYING_ACCOUNT, type Role, type ScanError } from '../../model/types.js';
import { append } from '../../util/append.js';
import type { InputFile, SourceContext, SourceResult } from '../types.js';
import { isHcl, isTerragruntUnit } from './claims.js';
import { withoutDeployedStandalone } from './deployed-dirs.js';
import { createHclParser } from './hcl.js';
import { scanHcl } from './hcl-source.js';
import { scanTerragrunt } from './terragrunt.js';

/** Reads the claimed files. One tree-sitter parser is made for the call and freed at the end. */
export async function loadTerraform(files: InputFile[], ctx: SourceContext): Promise<SourceResult> {
  const roles: Role[] = [];
  const errors: ScanError[] = [];
  const warnings: ScanError[] = [];
  let deployedDirs: string[] | undefined;
  const account = ctx.zone.defaultOwner ?? DEPLOYING_ACCOUNT;
  const partition = 'aws';
  const hcl = files.filter((f) => isHcl(f.path));
  const units = files.filter((f) => isTerragruntUnit(f.path));
  const plans = files.filter((f) => !isHcl(f.path) && !isTerragruntUnit(f.path));
  if (hcl.length > 0 || units.length > 0) {
    let parser: Awaited<ReturnType<typeof createHclParser>> | undefined;
    try {
      parser = await createHclParser({ maxDepth: ctx.budgets['nesting-depth'] });
    } catch (e) {
      errors.push({
        source: 'terraform',
        code: 'parser-unavailable',
        message: `the HCL parser could not be loaded (${e instanceof Error ? e.message : String(e)}); ${hcl.length + units.length} Terraform file(s) not scanned`,
      });
    }
    if (parser) {
      try {
        const opts = { parser, ctx, account, partition };
        // Terragrunt units first: the module folders they deploy are judged through them (terragrunt.ts).
        const tg = units.length > 0 ? scanTerragrunt(units, opts) : undefined;
        const r = hcl.length > 0 ? scanHcl(hcl, opts) : { roles: [], errors: [], warnings: [] };
        append(roles, tg ? withoutDeployedStandalone(r.roles, hcl, tg.evaluatedDirs) : r.roles);
        append(errors, r.errors);
        append(warnings, r.warnings);
        if (tg) {
          // Told to the merge of groups read apart, which drops them again across groups (deployed-dirs.ts).
          if (tg.evaluatedDirs.size > 0) deployedDirs = [...tg.evaluatedDirs].sort();
          append(roles, tg.roles);
          append(errors, tg.errors);
          append(warnings, tg.warnings);
        }
      } finally {
        parser.dispose();
      }
    }
  }
  if (plans.length > 0) {
    const r = await readPlans(plans, account, partition, ctx);
    append(roles, r.roles);
    append(errors, r.errors);
  }
  return {
    roles,
    errors: unique(errors),
    warnings: unique(warnings),
    ...(deployedDirs ? { deployedDirs } : {}),
  };
}

/** Reads plan JSON files; the plan reader is imported only for a scan that holds plans. */
async function readPlans(
  plans: InputFile[],
  account: string,
  partition: string,
  ctx: SourceContext,
): Promise<{ roles: Role[]; errors: ScanError[] }> {
  const { scanPlan } = await import('./plan.js');
  const roles: Role[] = [];
  const errors: ScanError[] = [];
  for (const f of plans) {
    try {
      const r = scanPlan(f, account, partition, ctx.budgets['nesting-depth']);
      append(roles, r.roles);
      append(errors, r.errors);
    } catch (e) {
      errors.push({
        source: 'terraform',
        code: 'internal',
        message: `could not read the plan: ${e instanceof Error ? e.message : String(e)}`,
        file: f.path,
      });
    }
  }
  return { roles, errors };
}

/** The same problem reported by two evaluations of one file (a module read on its own and by a unit) is kept once. */
function unique(list: ScanError[]): ScanError[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const key = `${e.code}\0${e.file ?? ''}\0${e.line ?? ''}\0${e.column ?? ''}\0${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
