/**
 * Which files the Terraform source reads, decided from the name (and, for plan JSON, the first bytes):
 * kept apart from the readers so that offering a file to the source loads nothing heavy.
 */
import path from 'node:path';

/** A Terraform or OpenTofu configuration file (`.tf`, `.tf.json`, `.tofu`, `.tofu.json`). */
export function isConfigFile(p: string): boolean {
  return p.endsWith('.tf') || p.endsWith('.tf.json') || p.endsWith('.tofu') || p.endsWith('.tofu.json');
}

/** Configuration or variables files (`.tfvars`, `.tfvars.json`). */
export function isHcl(p: string): boolean {
  return isConfigFile(p) || p.endsWith('.tfvars') || p.endsWith('.tfvars.json');
}

/** A Terragrunt unit: `terragrunt.hcl`, except copies Terragrunt leaves under `.terragrunt-cache`. */
export function isTerragruntUnit(p: string): boolean {
  return path.basename(p) === 'terragrunt.hcl' && !p.split(/[\\/]/).includes('.terragrunt-cache');
}

/** Cheap test: a JSON file that starts like a plan or a state rendered by `terraform show -json`. */
export function looksLikePlan(text: string): boolean {
  const head = text.slice(0, 4096);
  return (
    /"format_version"\s*:/.test(head) &&
    /"terraform_version"\s*:/.test(head) &&
    /"(planned_values|resource_changes|root_module)"\s*:/.test(text)
  );
}
