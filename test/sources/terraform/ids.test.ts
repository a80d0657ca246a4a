import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyZone } from '../../../src/analysis/zone.js';
import { runScan } from '../../../src/scan/run.js';
import { tempDir } from '../../helpers/cli.js';

const MODULE = `variable "partner" { type = string }
resource "aws_iam_role" "this" {
  name = "partner"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::\${var.partner}:root" }, Action = "sts:AssumeRole" }]
  })
}
`;
const root = (account: string) => `module "partner" {
  source  = "../../modules/partner"
  partner = "${account}"
}
`;

describe('Terraform resource ids are unique within a scan', () => {
  it('one module called from two roots gives two roles, two ids and two findings', async () => {
    const dir = tempDir();
    for (const [d, text] of [
      ['modules/partner', MODULE],
      ['envs/prod', root('111122223333')],
      ['envs/dev', root('444455556666')],
    ] as const) {
      mkdirSync(join(dir, d), { recursive: true });
      writeFileSync(join(dir, d, 'main.tf'), text);
    }
    const r = await runScan({ paths: ['.'], cwd: dir, zone: emptyZone() });
    expect(r.errors).toEqual([]);
    expect(r.roles.map((x) => x.id).sort()).toEqual([
      'envs/dev#module.partner.aws_iam_role.this',
      'envs/prod#module.partner.aws_iam_role.this',
    ]);
    const ta001 = r.findings.filter((f) => f.ruleId === 'TA001');
    expect(ta001.map((f) => f.principals[0]?.account).sort()).toEqual(['111122223333', '444455556666']);
    expect(new Set(ta001.map((f) => f.fingerprint)).size).toBe(2);
  });

  it('a root scanned from inside keeps the bare address', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'main.tf'), MODULE.replace('type = string', 'default = "111122223333"'));
    const r = await runScan({ paths: ['.'], cwd: dir, zone: emptyZone() });
    expect(r.roles.map((x) => x.id)).toEqual(['aws_iam_role.this']);
  });
});
