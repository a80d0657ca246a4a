/**
 * Function names are looked up among the reader's own functions only: an HCL call named like an
 * inherited JavaScript property (`toString`, `constructor`, `__proto__`) is a function the scan does not
 * evaluate, never the property itself (which gave a crash or a made-up value).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSymbolic } from '../../../src/model/types.js';
import { openScanRoot } from '../../../src/scan/scan-root.js';
import { terraformSource } from '../../../src/sources/terraform/index.js';
import type { InputFile } from '../../../src/sources/types.js';
import { tempDir } from '../../helpers/cli.js';
import { ctxFor } from './helpers.js';

const NAMES = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'];

function roleTf(values: string): string {
  return `resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::464622532012:root" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "sts:ExternalId" = [${values}] } }
    }]
  })
}
`;
}

async function load(files: InputFile[], root?: string) {
  const ctx = ctxFor(files);
  if (root) ctx.root = openScanRoot(root, 1024 * 1024);
  const r = await terraformSource.load(files, ctx);
  return { roles: r.roles, errors: r.errors, warnings: r.warnings ?? [] };
}

describe('function names that are inherited JavaScript properties', () => {
  it('toString("x") and its kind in Terraform are unknown, with a function-not-evaluated warning', async () => {
    const text = roleTf(NAMES.map((n) => `${n}("x")`).join(', '));
    const r = await load([{ path: 'main.tf', text, explicit: true }]);
    expect(r.errors).toEqual([]);
    const values = r.roles[0]?.trustPolicy.statements[0]?.conditions[0]?.values ?? [];
    expect(values).toHaveLength(NAMES.length);
    for (const [i, v] of values.entries()) {
      expect(isSymbolic(v)).toBe(true);
      expect(isSymbolic(v) && v.description).toBe(`${NAMES[i]}(...) (function not evaluated)`);
    }
    const warned = r.warnings.filter((w) => w.code === 'function-not-evaluated');
    expect(warned.map((w) => w.message.split('(')[0])).toEqual(NAMES);
    expect(warned[0]).toMatchObject({ file: 'main.tf', line: 9 });
  });

  it('in a Terragrunt file, such a call is an unknown input, never a value or a crash', async () => {
    const dir = tempDir();
    const tf = roleTf('var.external_id').replace(
      'resource',
      'variable "external_id" {\n  type = string\n}\n\nresource',
    );
    const main: InputFile = {
      path: 'main.tf',
      absPath: path.join(dir, 'main.tf'),
      text: tf,
      explicit: false,
    };
    writeFileSync(path.join(dir, 'main.tf'), tf);
    for (const n of NAMES) {
      const one = `inputs = {\n  external_id = ${n}("x")\n}\n`;
      writeFileSync(path.join(dir, 'terragrunt.hcl'), one);
      const unit = { path: 'terragrunt.hcl', absPath: path.join(dir, 'terragrunt.hcl'), text: one };
      const r = await load([main, { ...unit, explicit: false }], dir);
      expect(r.errors).toEqual([]);
      const w = r.warnings.find((x) => x.code === 'terragrunt-input-unknown');
      expect(w?.message).toContain(`external_id (${n}(...) (a function the scan does not evaluate`);
      const v = r.roles[0]?.trustPolicy.statements[0]?.conditions[0]?.values[0];
      expect(isSymbolic(v)).toBe(true);
    }
  });
});
