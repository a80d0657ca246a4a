import { DEPLOYING_ACCOUNT, type Role, type ScanError } from '../../model/types.js';
import { append } from '../../util/append.js';
import type { FileSource, InputFile, SourceContext, SourceResult } from '../types.js';
import { isConfigFile } from './config.js';
import { createHclParser } from './hcl.js';
import { scanHcl } from './hcl-source.js';
import { looksLikePlan, scanPlan } from './plan.js';

export { createHclParser, type HclParser } from './hcl.js';
export { looksLikePlan } from './plan.js';
export { loadVarFile, VarFileError } from './var-file.js';

/** Terraform and OpenTofu configuration (`.tofu`, `.tofu.json`) and variables files. */
function isHcl(p: string): boolean {
  return isConfigFile(p) || p.endsWith('.tfvars') || p.endsWith('.tfvars.json');
}

/**
 * Terraform: configuration (`.tf`, `.tf.json`, with `terraform.tfvars` / `*.auto.tfvars` and their `.json`
 * forms) and plan JSON
 * (`terraform show -json`). Must come before the CloudFormation and export sources (plans are JSON).
 */
export const terraformSource: FileSource = {
  name: 'terraform',
  claim(file: InputFile): boolean {
    if (isHcl(file.path)) return true;
    if (file.path.endsWith('.json')) return looksLikePlan(file.text);
    return false;
  },
  async load(files: InputFile[], ctx: SourceContext): Promise<SourceResult> {
    return loadTerraform(files, ctx);
  },
};

/** Reads the claimed files. One tree-sitter parser is made for the call and freed at the end. */
export async function loadTerraform(files: InputFile[], ctx: SourceContext): Promise<SourceResult> {
  const roles: Role[] = [];
  const errors: ScanError[] = [];
  const warnings: ScanError[] = [];
  const account = ctx.zone.defaultOwner ?? DEPLOYING_ACCOUNT;
  const partition = 'aws';
  const hcl = files.filter((f) => isHcl(f.path));
  const plans = files.filter((f) => !isHcl(f.path));
  if (hcl.length > 0) {
    let parser: Awaited<ReturnType<typeof createHclParser>> | undefined;
    try {
      parser = await createHclParser({ maxDepth: ctx.budgets['nesting-depth'] });
    } catch (e) {
      errors.push({
        source: 'terraform',
        code: 'parser-unavailable',
        message: `the HCL parser could not be loaded (${e instanceof Error ? e.message : String(e)}); ${hcl.length} Terraform file(s) not scanned`,
      });
    }
    if (parser) {
      try {
        const r = scanHcl(hcl, { parser, ctx, account, partition });
        append(roles, r.roles);
        append(errors, r.errors);
        append(warnings, r.warnings);
      } finally {
        parser.dispose();
      }
    }
  }
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
  return { roles, errors, warnings };
}
