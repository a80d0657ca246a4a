import { mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/model/types.js';
import { budgetsWith } from '../../src/scan/budgets.js';
import { openScanRoot } from '../../src/scan/scan-root.js';
import { cloudformationSplit, contiguousRuns, terraformSplit } from '../../src/scan/workers/groups.js';
import type { InputFile, SourceContext } from '../../src/sources/types.js';
import { tempDir } from '../helpers/cli.js';

const file = (abs: string, text = ''): InputFile => ({
  path: abs.slice(1),
  absPath: abs,
  text,
  explicit: false,
});
const paths = (groups: InputFile[][]) => groups.map((g) => g.map((f) => f.absPath));

function ctx(): SourceContext {
  const dir = tempDir('ta-groups-');
  return {
    zone: { trusted: new Map(), trustedOrgIds: new Set(), known: new Map() },
    parameters: new Map(),
    variables: new Map(),
    allFiles: [],
    maxFileBytes: 1024 * 1024,
    budgets: budgetsWith(),
    root: openScanRoot(dir, 1024 * 1024),
  };
}

describe('contiguous runs of items', () => {
  it('never puts two items of one set in different runs, and keeps the order', () => {
    expect(contiguousRuns([0, 1, 2])).toEqual([[0], [1], [2]]);
    // Set 0 spans items 0..2, so item 1 (set 1) is inside its run.
    expect(contiguousRuns([0, 1, 0, 2])).toEqual([[0, 1, 2], [3]]);
    expect(contiguousRuns([5, 6, 6, 5, 7, 7])).toEqual([
      [0, 1, 2, 3],
      [4, 5],
    ]);
  });
});

describe('Terraform groups', () => {
  it('keeps a root module with the local modules it calls, each other folder apart, plans last', () => {
    const files = [
      file('/r/plan.json', '{}'),
      file('/r/a/main.tf', 'resource "x" "y" {}'),
      file('/r/b/main.tf', 'module "m" {\n  source = "../c"\n}'),
      file('/r/b/terraform.tfvars', 'x = 1'),
      file('/r/c/main.tf', 'variable "v" {}'),
      file('/r/d/main.tf.json', '{"module": {"m": {"source": "./sub"}}}'),
      file('/r/d/sub/main.tf', ''),
      file('/r/e/main.tf', ''),
    ];
    const split = terraformSplit(files, ctx());
    expect(paths(split.groups)).toEqual([
      ['/r/a/main.tf'],
      ['/r/b/main.tf', '/r/b/terraform.tfvars', '/r/c/main.tf'],
      ['/r/d/main.tf.json', '/r/d/sub/main.tf'],
      ['/r/e/main.tf'],
      ['/r/plan.json'],
    ]);
    expect(split.sameProblemOnce).toBe(true);
  });

  it('joins every folder between a caller and a module it calls, so results come in folder order', () => {
    const files = [
      file('/r/a/main.tf', 'module "m" { source = "../c" }'),
      file('/r/b/main.tf', ''),
      file('/r/c/main.tf', ''),
    ];
    expect(paths(terraformSplit(files, ctx()).groups)).toEqual([
      ['/r/a/main.tf', '/r/b/main.tf', '/r/c/main.tf'],
    ]);
  });

  it('reads the Terragrunt units together after the configuration, plans last', () => {
    const files = [
      file('/r/plan.json', '{}'),
      file('/r/a/main.tf'),
      file('/r/live/b/terragrunt.hcl', 'terraform { source = "../../a" }'),
      file('/r/c/main.tf'),
      file('/r/live/terragrunt.hcl', 'remote_state {}'),
    ];
    const split = terraformSplit(files, ctx());
    expect(paths(split.groups)).toEqual([
      ['/r/a/main.tf'],
      ['/r/c/main.tf'],
      ['/r/live/b/terragrunt.hcl', '/r/live/terragrunt.hcl'],
      ['/r/plan.json'],
    ]);
    expect(split.finish).toBeTypeOf('function');
  });

  it("drops, across groups, the standalone roles of a folder a unit deployed, never its own or a plan's", () => {
    const dir = tempDir('ta-groups-tg-');
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'c'));
    const hclA = { path: 'a/main.tf', absPath: join(dir, 'a/main.tf'), text: '', explicit: false };
    const hclC = { path: 'c/main.tf', absPath: join(dir, 'c/main.tf'), text: '', explicit: false };
    const unit = {
      path: 'live/terragrunt.hcl',
      absPath: join(dir, 'live/terragrunt.hcl'),
      text: '',
      explicit: false,
    };
    const split = terraformSplit([hclA, hclC, unit], ctx());
    const role = (id: string, kind: Role['source']['kind'], construct?: string): Role => ({
      id,
      name: id,
      partition: 'aws',
      source: { kind, location: { file: 'x' }, ...(construct ? { construct } : {}) },
      trustPolicy: { statements: [], raw: {} } as unknown as Role['trustPolicy'],
    });
    const merged = split.finish!({
      roles: [
        role('a#aws_iam_role.r', 'terraform'),
        role('c#aws_iam_role.r', 'terraform'),
        role('live#aws_iam_role.r', 'terraform', 'terragrunt unit live'),
        role('aws_iam_role.p', 'terraform-plan'),
      ],
      errors: [],
      deployedDirs: [realpathSync(join(dir, 'a'))],
    });
    expect(merged.roles.map((r) => r.id)).toEqual([
      'c#aws_iam_role.r',
      'live#aws_iam_role.r',
      'aws_iam_role.p',
    ]);
  });
});

describe('CloudFormation groups', () => {
  const isManifest = (f: InputFile) => f.path.endsWith('manifest.json');

  it('keeps a template with the nested templates it names, each other template apart', () => {
    const files = [
      file('/r/a.yaml', 'Resources: {}'),
      file(
        '/r/parent.yaml',
        'Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./nested/child.yaml\n',
      ),
      file('/r/b.yaml', 'Resources: {}'),
      file('/r/nested/child.yaml', 'Resources: {}'),
      file('/r/other/child.yaml', 'Resources: {}'),
    ];
    expect(paths(cloudformationSplit(files, isManifest).groups)).toEqual([
      ['/r/a.yaml'],
      ['/r/parent.yaml', '/r/b.yaml', '/r/nested/child.yaml'],
      ['/r/other/child.yaml'],
    ]);
  });

  it('reads a CDK cloud assembly in one piece', () => {
    const files = [
      file('/r/cdk.out/manifest.json', '{}'),
      file('/r/cdk.out/Stack.template.json', '{}'),
      file('/r/x.yaml'),
    ];
    expect(cloudformationSplit(files, isManifest).groups).toHaveLength(1);
  });
});
