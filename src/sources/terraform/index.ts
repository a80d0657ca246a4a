import type { FileSource, InputFile, SourceContext, SourceResult } from '../types.js';
import { isHcl, isTerragruntUnit, looksLikePlan } from './claims.js';

export { looksLikePlan } from './claims.js';

/**
 * Terraform: configuration (`.tf`, `.tf.json`, `.tofu`, `.tofu.json`, with `terraform.tfvars` /
 * `*.auto.tfvars` and their `.json` forms), Terragrunt units (`terragrunt.hcl`) and plan JSON
 * (`terraform show -json`). Must come before the CloudFormation and export sources (plans are JSON).
 * Claiming is cheap (claims.ts); the reader (load.ts) is imported only when a file was claimed.
 */
export const terraformSource: FileSource = {
  name: 'terraform',
  claim(file: InputFile): boolean {
    if (isHcl(file.path) || isTerragruntUnit(file.path)) return true;
    if (file.path.endsWith('.json')) return looksLikePlan(file.text);
    return false;
  },
  async load(files: InputFile[], ctx: SourceContext): Promise<SourceResult> {
    return loadTerraform(files, ctx);
  },
};

/** Reads the claimed files (load.ts, imported on first use). */
export async function loadTerraform(files: InputFile[], ctx: SourceContext): Promise<SourceResult> {
  const { loadTerraform: load } = await import('./load.js');
  return load(files, ctx);
}
