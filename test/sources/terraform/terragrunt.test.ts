/**
 * Terragrunt units (issue 13, item 6): a `terragrunt.hcl` deploys its local module with its inputs and
 * the inputs of the files it includes. In process, over test/fixtures/terragrunt.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Role, ScanError } from '../../../src/model/types.js';
import { budgetsWith } from '../../../src/scan/budgets.js';
import { openScanRoot } from '../../../src/scan/scan-root.js';
import { terraformSource } from '../../../src/sources/terraform/index.js';
import { runJson, tempDir } from '../../helpers/cli.js';
import { conditionsOf, ctxFor, inputsUnder, principalsOf, repoRoot } from './helpers.js';

const fixtures = path.join(repoRoot, 'test/fixtures/terragrunt');

async function scan(
  dir: string,
  opts: { root?: string; relTo?: string } = {},
): Promise<{ roles: Role[]; errors: ScanError[]; warnings: ScanError[] }> {
  const files = inputsUnder(dir, opts.relTo ?? repoRoot).filter((f) => terraformSource.claim(f));
  const ctx = ctxFor(files);
  if (opts.root) ctx.root = openScanRoot(opts.root, 20 * 1024 * 1024);
  const r = await terraformSource.load(files, ctx);
  return { roles: r.roles, errors: r.errors, warnings: r.warnings ?? [] };
}

const unitRole = (roles: Role[], unit: string): Role => {
  const r = roles.find((x) => x.id.startsWith(`${unit}#`));
  if (!r) throw new Error(`no role of ${unit}; have ${roles.map((x) => x.id).join(', ')}`);
  return r;
};

describe('Terragrunt units', () => {
  const live = 'test/fixtures/terragrunt/live-layout/live';

  it('evaluates each unit’s local module with its inputs and the included parent’s inputs', async () => {
    const { roles, errors } = await scan(path.join(fixtures, 'live-layout'));
    expect(errors).toEqual([]);
    // One role per unit; the module folder is not judged a second time on its own.
    expect(roles.map((r) => r.id).sort()).toEqual([
      `${live}/dev/vendor#aws_iam_role.vendor`,
      `${live}/prod/vendor#aws_iam_role.vendor`,
      `${live}/staging/vendor#aws_iam_role.vendor`,
    ]);
    const prod = unitRole(roles, `${live}/prod/vendor`);
    // The name comes from a second include (prod/env.hcl), whose path_relative_to_include() is "vendor".
    expect(prod.name).toBe('prod-monitoring-vendor');
    expect(prod.source.location.file).toBe(
      'test/fixtures/terragrunt/live-layout/modules/vendor-role/main.tf',
    );
    expect(prod.source.construct).toBe(`terragrunt unit ${live}/prod/vendor`);
    // The parent's inputs are evaluated for the unit including it (path_relative_to_include).
    expect(prod.path).toBe('/prod/vendor/');
    const stmt = prod.trustPolicy.statements[0];
    // vendor_account_id comes from root.hcl's inputs, external_id from the unit.
    expect(principalsOf(stmt)).toEqual(['AWS:arn:aws:iam::464622532012:root']);
    expect(conditionsOf(stmt)).toEqual(['StringLike sts:ExternalId = *']);
    const staging = unitRole(roles, `${live}/staging/vendor`);
    expect(conditionsOf(staging.trustPolicy.statements[0])).toEqual([
      'StringLike sts:ExternalId = d41f2c9e-7b1a-4c55-9e0d-staging',
    ]);
    // include.root.locals (expose = true), basename(get_terragrunt_dir()), `//` in a local source.
    const dev = unitRole(roles, `${live}/dev/vendor`);
    expect(dev.name).toBe('dev-vendor-464622532012');
    expect(conditionsOf(dev.trustPolicy.statements[0])).toEqual([
      'StringLike sts:ExternalId = dev-vendor-e5a1',
    ]);
  });

  it('merges a parent’s inputs shallowly by default and deeply with merge_strategy = "deep"', async () => {
    const deep = await scan(path.join(fixtures, 'deep-merge'));
    expect(principalsOf(deep.roles[0]?.trustPolicy.statements[0])).toEqual([
      'AWS:arn:aws:iam::210987654321:root',
      'AWS:arn:aws:iam::464622532012:root',
    ]);
    const dir = tempDir();
    cpSync(path.join(fixtures, 'deep-merge'), dir, { recursive: true });
    const unit = path.join(dir, 'unit/terragrunt.hcl');
    writeFileSync(unit, readFileSync(unit, 'utf8').replace(/\s*merge_strategy = "deep"/, ''));
    const shallow = await scan(dir, { root: dir, relTo: dir });
    expect(principalsOf(shallow.roles[0]?.trustPolicy.statements[0])).toEqual([
      'AWS:arn:aws:iam::464622532012:root',
    ]);
  });

  it('keeps a dependency output unknown (never its mock_outputs) and says the input is unknown', async () => {
    const { roles, warnings } = await scan(path.join(fixtures, 'dependency-output'));
    const cond = conditionsOf(roles[0]?.trustPolicy.statements[0]);
    expect(cond).toHaveLength(1);
    expect(cond[0]).not.toContain('= *');
    expect(cond[0]).toContain('var.external_id');
    const w = warnings.find((x) => x.code === 'terragrunt-input-unknown');
    expect(w?.message).toContain('external_id (dependency.secrets.outputs.external_id');
    expect(w?.file).toBe('test/fixtures/terragrunt/dependency-output/app/terragrunt.hcl');
  });

  it('never reads the environment for get_env, not even its default', async () => {
    process.env.VENDOR_EXTERNAL_ID = 'env-secret-4a7f91';
    process.env.ROLE_PATH = '/env-secret-path/';
    try {
      const r = await scan(path.join(fixtures, 'env-lookup'));
      const text = JSON.stringify(r);
      expect(text).not.toContain('env-secret-4a7f91');
      expect(text).not.toContain('env-secret-path');
      expect(text).not.toContain('not-the-deployed-value');
      expect(text).not.toContain('/vendors/');
      const w = r.warnings.find((x) => x.code === 'terragrunt-input-unknown');
      expect(w?.message).toContain('an environment variable of the deployment, never read by a scan');
      // A variable with a default is unknown too: its default is not what the unit deploys.
      expect(w?.message).toContain('role_path (get_env(...) (an environment variable');
      expect(w?.message).toContain('its defaults do not stand in');
      expect(conditionsOf(r.roles[0]?.trustPolicy.statements[0])[0]).toContain('var.external_id');
      expect(r.roles[0]?.path).not.toBe('/');
    } finally {
      delete process.env.VENDOR_EXTERNAL_ID;
      delete process.env.ROLE_PATH;
    }
  });

  it('reads the legacy bare include of a parent terragrunt.hcl, which is not a unit itself', async () => {
    const { roles, errors } = await scan(path.join(fixtures, 'legacy-root'));
    expect(errors).toEqual([]);
    expect(roles.map((r) => r.id)).toEqual([
      'test/fixtures/terragrunt/legacy-root/env/central/audit#aws_iam_role.audit',
    ]);
    expect(principalsOf(roles[0]?.trustPolicy.statements[0])).toEqual(['AWS:arn:aws:iam::871282759583:root']);
    expect(roles[0]?.name).toBe('AuditReader');
  });

  it('does not fetch a remote source: a warning names the unit, the source and the roles it hides', async () => {
    const { roles, warnings } = await scan(path.join(fixtures, 'remote-source'));
    expect(roles).toEqual([]);
    expect(warnings).toEqual([
      expect.objectContaining({
        code: 'module-not-fetched',
        file: 'test/fixtures/terragrunt/remote-source/terragrunt.hcl',
        line: 2,
      }),
    ]);
    const m = warnings[0]?.message ?? '';
    expect(m).toContain(
      'git::https://github.com/acme/terraform-aws-vendor-role.git//modules/role?ref=v2.1.0',
    );
    expect(m).toContain('any role its module defines is not judged');
    expect(m).toContain('terragrunt show -json');
  });

  it('never reads an include, a file() or a module outside the scan root', async () => {
    const base = tempDir();
    const root = path.join(base, 'repo');
    mkdirSync(path.join(root, 'unit'), { recursive: true });
    mkdirSync(path.join(base, 'modules/role'), { recursive: true });
    writeFileSync(path.join(base, 'outside.hcl'), 'inputs = { external_id = "outside-secret-93c1" }\n');
    writeFileSync(path.join(base, 'secret.txt'), 'file-secret-5d2e\n');
    writeFileSync(
      path.join(base, 'modules/role/main.tf'),
      'resource "aws_iam_role" "r" {\n  name = "x"\n}\n',
    );
    const unit = path.join(root, 'unit/terragrunt.hcl');
    writeFileSync(
      unit,
      'include {\n  path = "../../outside.hcl"\n}\nterraform {\n  source = "../../modules/role"\n}\n',
    );
    writeFileSync(path.join(base, 'root.hcl'), 'inputs = { external_id = "above-root-secret-61aa" }\n');
    writeFileSync(
      unit,
      'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\nterraform {\n  source = "./"\n}\n',
    );
    const above = await scan(root, { root, relTo: root });
    expect(above.warnings.map((w) => w.code)).toEqual(['module-not-found']);
    expect(above.warnings[0]?.message).toContain('not found inside the scan root');
    expect(JSON.stringify(above)).not.toContain('above-root-secret-61aa');
    writeFileSync(
      unit,
      'include {\n  path = "../../outside.hcl"\n}\nterraform {\n  source = "../../modules/role"\n}\n',
    );
    const first = await scan(root, { root, relTo: root });
    expect(first.warnings.map((w) => w.code)).toEqual(['module-outside-root']);
    expect(JSON.stringify(first)).not.toContain('outside-secret-93c1');
    writeFileSync(
      unit,
      'terraform {\n  source = "../../modules/role"\n}\ninputs = {\n  id = file("../../secret.txt")\n}\n',
    );
    const second = await scan(root, { root, relTo: root });
    expect(second.roles).toEqual([]);
    expect(second.warnings.map((w) => w.code).sort()).toEqual(['file-refused', 'module-outside-root']);
    expect(JSON.stringify(second)).not.toContain('file-secret-5d2e');
  });

  it('ends a read_terragrunt_config cycle and a locals cycle as unknowns, without a hang', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'm'));
    writeFileSync(
      path.join(dir, 'm/main.tf'),
      'variable "n" {\n  type = string\n}\nresource "aws_iam_role" "r" {\n  name = var.n\n  assume_role_policy = "{}"\n}\n',
    );
    // a.hcl reads b.hcl, which reads a.hcl: a cycle, ended without a hang.
    writeFileSync(path.join(dir, 'a.hcl'), 'locals {\n  b = read_terragrunt_config("b.hcl")\n}\n');
    writeFileSync(path.join(dir, 'b.hcl'), 'locals {\n  a = read_terragrunt_config("a.hcl")\n}\n');
    writeFileSync(
      path.join(dir, 'terragrunt.hcl'),
      'locals {\n  x = local.y\n  y = local.x\n  r = read_terragrunt_config("a.hcl")\n}\nterraform {\n  source = "./m"\n}\ninputs = {\n  n = local.x\n}\n',
    );
    const r = await scan(dir, { root: dir, relTo: dir });
    expect(r.errors).toEqual([]);
    expect(r.roles).toHaveLength(1);
    expect(r.warnings.find((w) => w.code === 'terragrunt-input-unknown')?.message).toContain(
      'local.x (refers to itself)',
    );
  });

  it('a unit without a source deploys the .tf files next to it, with its inputs, judged once', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'terragrunt.hcl'), 'inputs = {\n  partner = "444455556666"\n}\n');
    writeFileSync(
      path.join(dir, 'main.tf'),
      'variable "partner" {\n  type = string\n}\nresource "aws_iam_role" "p" {\n  name = "partner"\n  assume_role_policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = var.partner } }]\n  })\n}\n',
    );
    mkdirSync(path.join(dir, '.terragrunt-cache/x'), { recursive: true });
    writeFileSync(
      path.join(dir, '.terragrunt-cache/x/terragrunt.hcl'),
      'terraform {\n  source = "git::https://example.com/m.git"\n}\n',
    );
    const r = await scan(dir, { root: dir, relTo: dir });
    expect(r.warnings).toEqual([]);
    expect(r.roles.map((x) => x.id)).toEqual(['aws_iam_role.p']);
    expect(r.roles[0]?.source.construct).toBe('terragrunt unit .');
    expect(principalsOf(r.roles[0]?.trustPolicy.statements[0])).toEqual(['AWS:444455556666']);
  });

  it('the module’s own auto-loaded tfvars win over inputs, and --var wins over both', async () => {
    const dir = tempDir();
    cpSync(path.join(fixtures, 'live-layout'), dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'modules/vendor-role/terraform.tfvars'),
      'external_id = "from-tfvars-0b3c"\n',
    );
    const files = inputsUnder(path.join(dir, 'live'), dir).filter((f) => terraformSource.claim(f));
    const run = async (variables: Record<string, string>): Promise<string[]> => {
      const ctx = ctxFor(files, { variables });
      ctx.root = openScanRoot(dir, 20 * 1024 * 1024);
      const r = await terraformSource.load(files, ctx);
      return conditionsOf(unitRole(r.roles, 'live/prod/vendor').trustPolicy.statements[0]);
    };
    expect(await run({})).toEqual(['StringLike sts:ExternalId = from-tfvars-0b3c']);
    expect(await run({ external_id: 'from-cli-9d1e' })).toEqual([
      'StringLike sts:ExternalId = from-cli-9d1e',
    ]);
  });

  /** A module whose variable `external_id` has a default, deployed by a unit whose input is `input`. */
  function unitOverDefault(input: string, variable: string): string {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'modules/vendor'), { recursive: true });
    mkdirSync(path.join(dir, 'live/app'), { recursive: true });
    writeFileSync(
      path.join(dir, 'modules/vendor/main.tf'),
      `${variable}\nresource "aws_iam_role" "vendor" {\n  name = "vendor"\n  assume_role_policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n      Effect    = "Allow"\n      Principal = { AWS = "arn:aws:iam::464622532012:root" }\n      Action    = "sts:AssumeRole"\n      Condition = { StringLike = { "sts:ExternalId" = var.external_id } }\n    }]\n  })\n}\n`,
    );
    writeFileSync(
      path.join(dir, 'live/app/terragrunt.hcl'),
      `terraform {\n  source = "../../modules/vendor"\n}\n\ndependency "secrets" {\n  config_path = "../secrets"\n  mock_outputs = {\n    external_id = "*"\n    ids         = ["*"]\n  }\n}\n\ninputs = {\n  external_id = ${input}\n}\n`,
    );
    return dir;
  }

  it('an unknown input over a variable with a default is judged unknown, as a root variable without default', async () => {
    // The default "*" is not what the unit deploys: the dependency output is. Today's code judged the
    // default (a TA001 wildcard); the unit must get the verdict of a root module that has no value.
    const dir = unitOverDefault(
      'dependency.secrets.outputs.external_id',
      'variable "external_id" {\n  type    = string\n  default = "*"\n}\n',
    );
    const unit = await scan(path.join(dir, 'live'), { root: dir, relTo: dir });
    const role = unitRole(unit.roles, 'live/app');
    const cond = conditionsOf(role.trustPolicy.statements[0]);
    expect(cond).toHaveLength(1);
    expect(cond[0]).not.toContain('= *');
    expect(cond[0]).toContain('dependency.secrets.outputs.external_id');
    // The same module as a plain root module whose variable has no default and no value.
    const main = path.join(dir, 'modules/vendor/main.tf');
    writeFileSync(main, readFileSync(main, 'utf8').replace('  default = "*"\n', ''));
    const plain = await scan(path.join(dir, 'modules'), { root: dir, relTo: dir });
    const dropSym = (c: string): string => c.replace(/=.*$/, '');
    expect(cond.map(dropSym)).toEqual(conditionsOf(plain.roles[0]?.trustPolicy.statements[0]).map(dropSym));
    // Through the CLI: no wildcard finding from the default; the warning names the unknown input.
    const { report } = runJson(['scan', path.join(dir, 'live'), '--root', dir, '--no-repo-config']);
    const plainReport = runJson([
      'scan',
      path.join(dir, 'modules'),
      '--root',
      dir,
      '--no-repo-config',
    ]).report;
    expect(report.findings.map((f) => f.ruleId)).toEqual(plainReport.findings.map((f) => f.ruleId));
    expect(report.warnings.find((w) => w.code === 'terragrunt-input-unknown')?.message).toContain(
      'external_id (dependency.secrets.outputs.external_id',
    );
  });

  it('a partly unknown list input keeps its known elements and its unknown one', async () => {
    const dir = unitOverDefault(
      '["vendor-7f3a91", dependency.secrets.outputs.external_id]',
      'variable "external_id" {\n  type    = list(string)\n  default = ["*"]\n}\n',
    );
    const r = await scan(path.join(dir, 'live'), { root: dir, relTo: dir });
    const cond = conditionsOf(unitRole(r.roles, 'live/app').trustPolicy.statements[0]);
    expect(cond).toHaveLength(1);
    expect(cond[0]).toContain('vendor-7f3a91');
    expect(cond[0]).toContain('dependency.secrets.outputs.external_id');
    expect(cond[0]).not.toMatch(/= \*|, \*/);
  });

  it('an unknown inputs object leaves every variable it could set unknown, defaults included', async () => {
    const dir = unitOverDefault(
      '"unused"',
      'variable "external_id" {\n  type    = string\n  default = "*"\n}\n',
    );
    const unit = path.join(dir, 'live/app/terragrunt.hcl');
    writeFileSync(
      unit,
      readFileSync(unit, 'utf8').replace(
        /inputs = \{[^}]*\}/,
        'inputs = merge({ region = "eu-west-1" }, dependency.secrets.outputs)',
      ),
    );
    const r = await scan(path.join(dir, 'live'), { root: dir, relTo: dir });
    const cond = conditionsOf(unitRole(r.roles, 'live/app').trustPolicy.statements[0]);
    expect(cond).toHaveLength(1);
    expect(cond[0]).not.toContain('= *');
    expect(cond[0]).toContain('var.external_id');
    const w = r.warnings.find((x) => x.code === 'terragrunt-input-unknown');
    expect(w?.message).toContain('its inputs are not known before apply');
    expect(w?.message).toContain('judged as unknown: external_id');
  });

  it('a string input that starts with "[" reaches an untyped variable as that string', async () => {
    // The old text round-trip read it back as HCL (a list), so the input was dropped and the default judged.
    const dir = unitOverDefault('"[vendor-7f3a91]"', 'variable "external_id" {\n  default = "*"\n}\n');
    const r = await scan(path.join(dir, 'live'), { root: dir, relTo: dir });
    expect(r.warnings.filter((w) => w.code === 'terragrunt-input-unknown')).toEqual([]);
    expect(conditionsOf(unitRole(r.roles, 'live/app').trustPolicy.statements[0])).toEqual([
      'StringLike sts:ExternalId = [vendor-7f3a91]',
    ]);
  });

  it('a unit that runs out of evaluation steps is an error naming it; the other units are still judged', async () => {
    const dir = tempDir();
    cpSync(path.join(fixtures, 'live-layout'), dir, { recursive: true });
    const big = Array.from({ length: 400 }, (_, i) => `  k${i} = "${i}"`).join('\n');
    const unit = path.join(dir, 'live/staging/vendor/terragrunt.hcl');
    writeFileSync(unit, `${readFileSync(unit, 'utf8')}\nlocals {\n${big}\n}\n`);
    const files = inputsUnder(dir, dir).filter((f) => terraformSource.claim(f));
    const ctx = ctxFor(files);
    ctx.root = openScanRoot(dir, 20 * 1024 * 1024);
    ctx.budgets = budgetsWith({ 'eval-steps': 600 });
    const r = await terraformSource.load(files, ctx);
    expect(r.errors.map((e) => [e.code, e.file])).toEqual([
      ['limit-eval-steps', 'live/staging/vendor/terragrunt.hcl'],
    ]);
    expect(r.errors[0]?.message).toContain('--limit eval-steps=');
    expect(r.roles.map((x) => x.id).sort()).toEqual([
      'live/dev/vendor#aws_iam_role.vendor',
      'live/prod/vendor#aws_iam_role.vendor',
    ]);
  });
});
