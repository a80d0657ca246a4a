/**
 * Terraform as real repositories lay it out (issue 13): functions as Terraform documents them,
 * count/for_each instances, both branches of unknown conditionals, unknowns that stay unknown. Each
 * case runs the built CLI on a small fixture under test/fixtures/terraform/real-layouts/.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type JsonReport, repoRoot, runJson } from '../../helpers/cli.js';
import { addressOf, loadFixture } from './helpers.js';

const dir = (name: string): string => path.join(repoRoot, 'test/fixtures/terraform/real-layouts', name);

type Finding = JsonReport['findings'][number] & { resource: { variant?: string } };

function scan(name: string, extra: string[] = []): { code: number; report: JsonReport; findings: Finding[] } {
  const r = runJson(['scan', dir(name), '--no-repo-config', ...extra]);
  return { ...r, findings: r.report.findings as Finding[] };
}

const ids = (fs: Finding[]): string[] =>
  fs
    .map(
      (f) =>
        `${f.ruleId} ${f.resource.id.split('#')[1]}${f.resource.variant ? ` when ${f.resource.variant}` : ''}`,
    )
    .sort();

describe('Terraform functions as documented', () => {
  it('sensitive() is the identity and format("%012d") keeps the leading zeros of an account id', () => {
    const { findings, report } = scan('functions');
    expect(ids(findings)).toEqual(['TA001 aws_iam_role.vendor']);
    expect(findings[0]?.message).toContain('000004646225');
    expect(report.warnings.map((w) => w.code)).not.toContain('role-not-judged');
  });
});

describe('count and for_each instances', () => {
  it('judges each for_each instance with its own each.value, and roles with a known zero count do not exist', () => {
    const { findings } = scan('instances');
    // acme has an external id; globex has none. never/legacy/empty_set/module.disabled are never created.
    expect(ids(findings)).toEqual(['TA001 aws_iam_role.partner["globex"]']);
    expect(findings[0]?.message).toContain('444455556666');
  });

  it('a role whose count depends on an unknown bool exists in one branch only, and is labelled so', async () => {
    const { roles } = await loadFixture('real-layouts/bool-var');
    expect(roles.map((r) => [addressOf(r), r.variant])).toEqual([
      ['aws_iam_role.partner[0]', 'var.allow_partner = true'],
    ]);
  });

  it('a count over a bool given with --var is converted by the declared type', () => {
    expect(scan('bool-var', ['--var', 'allow_partner=false']).findings).toEqual([]);
    expect(ids(scan('bool-var', ['--var', 'allow_partner=true']).findings)).toEqual([
      'TA001 aws_iam_role.partner[0]',
    ]);
  });
});

describe('unknown conditions judged on both branches', () => {
  it('reports the unprotected branch of `var.flag ? merge(stmt, {Condition}) : stmt` and of a choice between documents', () => {
    const { findings } = scan('branches');
    expect(ids(findings)).toEqual([
      'TA001 aws_iam_role.partner when var.use_strict = false',
      'TA001 aws_iam_role.vendor when var.require_external_id = false',
    ]);
  });

  it('a value for the condition leaves one role without a branch label', () => {
    const { findings } = scan('branches', ['--var', 'require_external_id=true', '--var', 'use_strict=true']);
    expect(findings).toEqual([]);
    const loose = scan('branches', ['--var', 'require_external_id=false', '--var', 'use_strict=false']);
    expect(ids(loose.findings)).toEqual(['TA001 aws_iam_role.partner', 'TA001 aws_iam_role.vendor']);
  });
});

describe('unknowns stay unknown', () => {
  it('join/format/trimspace over a document with an unknown account give no false TA000 or TA001', () => {
    const { findings } = scan('unknowns');
    const joined = findings.filter((f) => /aws_iam_role\.(joined|trimmed)$/.test(f.resource.id));
    expect(joined).toEqual([]);
  });

  it('join(",", concat(on[*].json, off[*].json)) over count 1/0 documents is the one document', () => {
    const { findings, report } = scan('unknowns');
    expect(report.errors.map((e) => e.code)).not.toContain('policy-json');
    expect(ids(findings)).toEqual(['TA001 aws_iam_role.combined']);
    expect(findings[0]?.message).toContain('999988887777');
  });
});

describe('CDKTF output and OpenTofu files', () => {
  it('reads cdktf.out/stacks/*/cdk.tf.json, whose interpolations hold quoted strings', () => {
    const { findings, report } = scan('cdktf');
    expect(report.errors).toEqual([]);
    expect(findings.map((f) => [f.ruleId, f.resource.name])).toEqual([['TA001', 'cdktf-vendor']]);
  });

  it('reads .tofu and .tofu.json like .tf and .tf.json', () => {
    const { findings } = scan('opentofu');
    expect(findings.map((f) => f.resource.name).sort()).toEqual(['tofu-auditor', 'tofu-partner']);
  });
});

describe('an unknown Action', () => {
  it('is judged as possibly granting sts:AssumeRole, with a warning saying so', () => {
    const { findings, report } = scan('unknown-action');
    expect(findings.map((f) => [f.ruleId, f.resource.name]).sort()).toEqual([
      ['TA001', 'document-actions'],
      ['TA001', 'vendor-actions'],
    ]);
    const w = report.warnings.filter((x) => x.code === 'action-unknown');
    expect(w).toHaveLength(2);
    expect(w[0]?.message).toContain('judged as if it allowed sts:AssumeRole');
  });
});

describe('data "template_file"', () => {
  it('is rendered with its vars, located in the .tf file where the template is written', () => {
    const { findings, report } = scan('template-file');
    expect(report.warnings.map((w) => w.code)).not.toContain('role-not-judged');
    expect(findings.map((f) => [f.ruleId, f.resource.name, f.location.line])).toEqual([
      ['TA001', 'template-vendor', 10],
    ]);
    expect(findings[0]?.message).toContain('111122223333');
  });
});
