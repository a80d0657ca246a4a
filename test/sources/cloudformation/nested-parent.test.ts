// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation writes ${Name} substitutions in plain strings.
/**
 * Nested stacks (`AWS::CloudFormation::Stack` with a local `TemplateURL`) and SAM applications (a local
 * `Location`) are judged as children of their parent, with the values the parent passes: a parent that
 * passes `"*"` as the external id makes the child's role assumable by anyone who can reach the vendor.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyZone } from '../../../src/analysis/zone.js';
import { isSymbolic, type Role } from '../../../src/model/types.js';
import { type BudgetName, budgetsWith } from '../../../src/scan/budgets.js';
import { openScanRoot } from '../../../src/scan/scan-root.js';
import { cloudformationSource } from '../../../src/sources/cloudformation/index.js';
import type { InputFile, SourceResult } from '../../../src/sources/types.js';
import { runJson, tempDir } from '../../helpers/cli.js';
import { fixtures, input, lineOf, scanFiles } from './helpers.js';

const PARENT = 'nested-parent/parent.yaml';
const CHILD = 'nested-parent/vendor-access.yaml';

/** The `sts:ExternalId` value of a role's only statement (`StringLike` or `StringEquals`). */
function externalId(role: Role): unknown {
  const raw = role.trustPolicy.raw as {
    Statement: { Condition?: Record<string, Record<string, unknown>> }[];
  };
  const c = raw.Statement[0]?.Condition;
  return c?.StringLike?.['sts:ExternalId'] ?? c?.StringEquals?.['sts:ExternalId'];
}

function principalOf(role: Role): unknown {
  const raw = role.trustPolicy.raw as { Statement: { Principal: { AWS: unknown } }[] };
  return raw.Statement[0]?.Principal.AWS;
}

/** Files written into a fresh folder that is the scan root; scanned as the scanner would hand them over. */
async function scanTree(
  files: Record<string, string>,
  scan: string[],
  limits: Partial<Record<BudgetName, number>> = {},
): Promise<SourceResult & { dir: string }> {
  const dir = tempDir('trustaudit-nested-');
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  const inputs: InputFile[] = scan.map((rel) => ({
    path: rel,
    absPath: join(dir, rel),
    text: readFileSync(join(dir, rel), 'utf8'),
    explicit: true,
  }));
  const r = await cloudformationSource.load(inputs, {
    zone: emptyZone(),
    parameters: new Map(),
    variables: new Map(),
    allFiles: inputs.map((f) => f.absPath as string),
    budgets: budgetsWith(limits),
    root: openScanRoot(dir, 1024 * 1024),
    maxFileBytes: 1024 * 1024,
  });
  return { ...r, dir };
}

const stackText = (id: string, url: string, params = '') => `  ${id}:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ${url}
${params}`;

const vendorRole = (id: string, account = '464622532012') => `  ${id}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { AWS: "arn:aws:iam::${account}:root" }
            Action: sts:AssumeRole
`;

describe('a nested stack is judged with the parameters its parent passes', () => {
  it('a parent passing "*" as the external id: the child role through that parent trusts any external id', async () => {
    const r = await scanFiles([input(PARENT), input(CHILD)]);
    const star = r.roles.find((x) => x.id === `${PARENT}#MonitoringAccess/${CHILD}#VendorRole`);
    expect(star).toBeDefined();
    expect(externalId(star as Role)).toBe('*');
    expect(principalOf(star as Role)).toBe('arn:aws:iam::464622532012:root');
    // Located in the child, where the fix goes, and named with the chain of parents.
    expect(star?.source.location).toEqual({ file: CHILD, line: lineOf(CHILD, 'VendorRole:'), column: 3 });
    expect(star?.extra?.nestedIn).toEqual([`${PARENT}#MonitoringAccess`]);
    const audit = r.roles.find((x) => x.id === `${PARENT}#AuditAccess/${CHILD}#VendorRole`);
    expect(externalId(audit as Role)).toBe('audit-7f3c2a91');
  });

  it('the child scanned on its own keeps its own verdict (its parameters have no value there)', async () => {
    const r = await scanFiles([input(PARENT), input(CHILD)]);
    const own = r.roles.filter((x) => x.id === `${CHILD}#VendorRole`);
    expect(own).toHaveLength(1);
    expect(isSymbolic(externalId(own[0] as Role) as never)).toBe(true);
    expect(r.roles).toHaveLength(3);
  });

  it('a parent that passes exactly what the child alone gives adds no second copy of the role', async () => {
    const child = `Parameters:\n  Account:\n    Type: String\n    Default: '464622532012'\nResources:\n${vendorRole('Vendor', '${Account}').replace('"arn:aws:iam::${Account}:root"', '!Sub "arn:aws:iam::${Account}:root"')}`;
    const parent = `Resources:\n${stackText('Same', 'child.yaml', "      Parameters:\n        Account: '464622532012'\n")}${stackText('Other', 'child.yaml', "      Parameters:\n        Account: '999988887777'\n")}`;
    const r = await scanTree({ 'parent.yaml': parent, 'child.yaml': child }, ['parent.yaml', 'child.yaml']);
    expect(r.roles.map((x) => x.id).sort()).toEqual([
      'child.yaml#Vendor',
      'parent.yaml#Other/child.yaml#Vendor',
    ]);
    // Scanned without the child on its own, the parent's copy is the only verdict and is kept.
    const alone = await scanTree({ 'parent.yaml': parent, 'child.yaml': child }, ['parent.yaml']);
    expect(alone.roles.map((x) => x.id).sort()).toEqual([
      'parent.yaml#Other/child.yaml#Vendor',
      'parent.yaml#Same/child.yaml#Vendor',
    ]);
  });

  it('a parameter the parent does not pass takes the child default: no external id at all', async () => {
    // Only the parent is scanned: before, the child was a warning and nothing was judged.
    const r = await scanFiles([input('nested-parent/no-value-parent.yaml')]);
    const id = 'nested-parent/no-value-parent.yaml#Vendor/nested-parent/optional-external-id.yaml#VendorRole';
    const open = r.roles.find((x) => x.id === id && x.variant === 'condition HasExternalId is false');
    expect(open).toBeDefined();
    expect(externalId(open as Role)).toBeUndefined();
    expect(principalOf(open as Role)).toBe('arn:aws:iam::464622532012:root');
    expect(r.warnings ?? []).toEqual([]);
  });

  it("a value resting on the parent's own default is not fixed: the child's conditions on it are judged both ways", async () => {
    const parent = `Parameters:\n  ExternalId:\n    Type: String\n    Default: ''\nResources:\n${stackText('Vendor', 'child.yaml', '      Parameters:\n        VendorAccountId: !Sub "${AWS::NoValue}464622532012"\n        ExternalId: !Ref ExternalId\n')}`;
    const child = readFileSync(join(fixtures, 'nested-parent/optional-external-id.yaml'), 'utf8');
    const r = await scanTree({ 'parent.yaml': parent, 'child.yaml': child }, ['parent.yaml']);
    expect(r.roles.map((x) => x.variant).sort()).toEqual([
      'condition HasExternalId is false',
      'condition HasExternalId is true',
    ]);
  });

  it('a value the parent cannot know stays unknown in the child, never literal text', async () => {
    const r = await scanFiles([input('nested-sam/template.yaml')]);
    const id = 'nested-sam/template.yaml#VendorAccess/nested-sam/apps/vendor/template.yaml#VendorRole';
    const required = r.roles.find(
      (x) => x.id === id && x.variant === 'condition Require of nested-sam/template.yaml is true',
    );
    const v = externalId(required as Role);
    expect(isSymbolic(v as never)).toBe(true);
    expect(v).toMatchObject({ description: 'parameter VendorExternalId (no default)' });
  });

  it('an Fn::If in what the parent passes judges each branch, and names it', async () => {
    const r = await scanFiles([input('nested-sam/template.yaml')]);
    const id = 'nested-sam/template.yaml#VendorAccess/nested-sam/apps/vendor/template.yaml#VendorRole';
    const star = r.roles.find(
      (x) => x.id === id && x.variant === 'condition Require of nested-sam/template.yaml is false',
    );
    expect(externalId(star as Role)).toBe('*');
  });

  it('Fn::Sub, Fn::FindInMap and Ref of a pseudo parameter are resolved in the parent', async () => {
    const parent = `Mappings:\n  Vendors:\n    Datadog:\n      Account: '464622532012'\nResources:\n${stackText('Vendor', 'child.yaml', '      Parameters:\n        Principal: !Sub\n          - "arn:${AWS::Partition}:iam::${Id}:root"\n          - Id: !FindInMap [Vendors, Datadog, Account]\n')}`;
    const child = `Parameters:\n  Principal:\n    Type: String\nResources:\n${vendorRole('Vendor').replace('"arn:aws:iam::464622532012:root"', '!Ref Principal')}`;
    const r = await scanTree({ 'parent.yaml': parent, 'child.yaml': child }, ['parent.yaml']);
    expect(r.roles.map(principalOf)).toEqual(['arn:aws:iam::464622532012:root']);
  });

  it("the user's --parameter values are for the parent: the child gets what the parent passes", async () => {
    const r = await scanFiles([input(PARENT)], { parameters: { ExternalId: 'from-the-command-line' } });
    const star = r.roles.find((x) => x.id === `${PARENT}#MonitoringAccess/${CHILD}#VendorRole`);
    expect(externalId(star as Role)).toBe('*');
  });

  it('the nested stack lives in its parent account (--account)', async () => {
    const r = await scanFiles([input(PARENT)], { owner: '111122223333' });
    expect(r.roles.map((x) => x.account)).toEqual(['111122223333', '111122223333']);
  });

  it('a nested stack whose Condition is false has no roles', async () => {
    const parent = `Conditions:\n  Never: !Equals [a, b]\nResources:\n  Off:\n    Type: AWS::CloudFormation::Stack\n    Condition: Never\n    Properties:\n      TemplateURL: child.yaml\n`;
    const r = await scanTree({ 'parent.yaml': parent, 'child.yaml': `Resources:\n${vendorRole('V')}` }, [
      'parent.yaml',
    ]);
    expect(r.roles).toEqual([]);
  });
});

describe('reading nested templates safely', () => {
  it('A -> B -> A is reported once per entry point and not followed again', async () => {
    const r = await scanFiles([input('nested-cycle/a.yaml'), input('nested-cycle/b.yaml')]);
    const cycles = (r.warnings ?? []).filter((w) => w.code === 'nested-stack-cycle');
    expect(cycles.map((w) => [w.file, w.line])).toEqual([
      ['nested-cycle/b.yaml', lineOf('nested-cycle/b.yaml', 'TemplateURL')],
      ['nested-cycle/a.yaml', lineOf('nested-cycle/a.yaml', 'TemplateURL')],
    ]);
    expect(r.roles.map((x) => x.id).sort()).toEqual([
      'nested-cycle/a.yaml#Inner/nested-cycle/b.yaml#CrossAccountRole',
      'nested-cycle/b.yaml#CrossAccountRole',
    ]);
  });

  it('a template that nests itself is a cycle too', async () => {
    const self = `Resources:\n${stackText('Me', './self.yaml')}${vendorRole('V')}`;
    const r = await scanTree({ 'self.yaml': self }, ['self.yaml']);
    expect((r.warnings ?? []).map((w) => w.code)).toEqual(['nested-stack-cycle']);
    expect(r.roles.map((x) => x.id)).toEqual(['self.yaml#V']);
  });

  it('nesting deeper than stack-depth is an error at the nesting resource; the levels above are judged', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 4; i++)
      files[`s${i}.yaml`] = `Resources:\n${vendorRole(`R${i}`)}${stackText('Next', `s${i + 1}.yaml`)}`;
    files['s4.yaml'] = `Resources:\n${vendorRole('R4')}`;
    const r = await scanTree(files, ['s0.yaml'], { 'stack-depth': 2 });
    expect(r.roles.map((x) => x.name)).toEqual(['R0', 'R1', 'R2']);
    expect(r.errors.map((e) => [e.code, e.file, e.line])).toEqual([['limit-stack-depth', 's2.yaml', 13]]);
    expect(r.errors[0]?.message).toContain('--limit stack-depth=');
  });

  it('more nested templates than nested-templates: one error, the rest not judged through the parent', async () => {
    const parent = `Resources:\n${['A', 'B', 'C', 'D'].map((n) => stackText(n, 'child.yaml')).join('')}`;
    const r = await scanTree(
      { 'parent.yaml': parent, 'child.yaml': `Resources:\n${vendorRole('V')}` },
      ['parent.yaml'],
      {
        'nested-templates': 2,
      },
    );
    expect(r.roles.map((x) => x.id)).toEqual(['parent.yaml#A/child.yaml#V', 'parent.yaml#B/child.yaml#V']);
    expect(r.errors.map((e) => e.code)).toEqual(['limit-nested-templates']);
  });

  it('a fan-out of many parents and children stays within the budget and finishes', async () => {
    // 6 levels of 4 nested stacks each would be 4^6 templates: the budget stops it early.
    const files: Record<string, string> = {};
    for (let i = 0; i < 6; i++)
      files[`l${i}.yaml`] =
        `Resources:\n${['A', 'B', 'C', 'D'].map((n) => stackText(n, `l${i + 1}.yaml`)).join('')}`;
    files['l6.yaml'] = `Resources:\n${vendorRole('V')}`;
    const r = await scanTree(files, ['l0.yaml']);
    expect(r.errors.map((e) => e.code)).toEqual(['limit-nested-templates']);
  });

  it('a child outside the scan root is refused (file-refused), a missing one is named', async () => {
    const parent = `Resources:\n${stackText('Out', '../../etc/passwd')}${stackText('Gone', 'missing.yaml')}`;
    const r = await scanTree({ 'repo/parent.yaml': parent }, ['repo/parent.yaml']);
    expect((r.warnings ?? []).map((w) => [w.code, w.line])).toEqual([
      ['file-refused', 5],
      ['nested-template-not-read', 9],
    ]);
    expect(r.warnings?.[0]?.message).toMatch(/^Out: .*outside the scan root/);
    expect(r.warnings?.[1]?.message).toMatch(/^Gone: .*missing\.yaml, which does not exist/);
  });

  it('S3, HTTPS and Serverless Application Repository templates are still warnings', async () => {
    const parent = `Transform: AWS::Serverless-2016-10-31\nResources:\n${stackText('S3', 'https://bucket.s3.amazonaws.com/x.yaml')}  Sar:\n    Type: AWS::Serverless::Application\n    Properties:\n      Location:\n        ApplicationId: arn:aws:serverlessrepo:us-east-1:123456789012:applications/x\n        SemanticVersion: 1.0.0\n`;
    const r = await scanTree({ 'parent.yaml': parent }, ['parent.yaml']);
    expect((r.warnings ?? []).map((w) => [w.code, w.message.slice(0, 4)])).toEqual([
      ['nested-template-not-read', 'S3: '],
      ['nested-template-not-read', 'Sar:'],
    ]);
  });
});

describe('through the CLI', () => {
  it('the "*" a parent passes is a TA001 finding on the child role, named with its parent', () => {
    const r = runJson(['scan', join(fixtures, 'nested-parent'), '--account', '111122223333']);
    const ids = r.report.findings.filter((f) => f.ruleId === 'TA001').map((f) => f.resource.id);
    expect(
      ids.some((id) =>
        id.endsWith(
          'parent.yaml#MonitoringAccess/test/fixtures/cloudformation/nested-parent/vendor-access.yaml#VendorRole',
        ),
      ),
    ).toBe(true);
    expect(ids.some((id) => id.includes('#AuditAccess/'))).toBe(false);
  });

  it('a SAM application whose parent may pass "*" is a finding on that branch', () => {
    const r = runJson(['scan', join(fixtures, 'nested-sam'), '--account', '111122223333']);
    const f = r.report.findings.filter((x) => x.ruleId === 'TA001');
    expect(f).toHaveLength(1);
    expect(f[0]?.resource.id).toContain('template.yaml#VendorAccess/');
    expect(JSON.stringify(f[0])).toContain('condition Require of');
  });
});
