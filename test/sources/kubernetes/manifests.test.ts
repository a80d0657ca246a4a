// biome-ignore-all lint/suspicious/noTemplateCurlyInString: manifests write ${NAME} placeholders in plain strings.
/**
 * The Kubernetes source over the fixtures written from the ACK and Crossplane documentation: which
 * files it claims, the roles it builds (names, accounts, exact positions of statements, principals
 * and conditions), Lists, placeholders, Compositions, Helm charts and hostile input.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSymbolic, type Role } from '../../../src/model/types.js';
import { kubernetesSource } from '../../../src/sources/kubernetes/index.js';
import { fixtureInput, inputsUnder, repoRoot, scanWith, textInput, where } from './helpers.js';

const dir = join(repoRoot, 'test/fixtures/kubernetes');
const read = (rel: string) => readFileSync(join(dir, rel), 'utf8');
const scan = (rels: string[], opts: Parameters<typeof scanWith>[2] = {}) =>
  scanWith(
    kubernetesSource,
    rels.map((r) => fixtureInput(dir, r)),
    opts,
  );
const byName = (roles: Role[], name: string): Role => {
  const r = roles.find((x) => x.name === name);
  if (!r) throw new Error(`no role ${name} in ${roles.map((x) => x.name).join(', ')}`);
  return r;
};

describe('claim', () => {
  it('claims IAM manifests and Compositions by content, whatever the file name', () => {
    expect(kubernetesSource.claim(fixtureInput(dir, 'platform-roles.yaml'))).toBe(true);
    expect(kubernetesSource.claim(fixtureInput(dir, 'crossplane/composition.yaml'))).toBe(true);
    expect(kubernetesSource.claim(textInput('x/whatever.yml', read('placeholders.yaml')))).toBe(true);
    expect(kubernetesSource.claim(fixtureInput(dir, 'chart/Chart.yaml'))).toBe(true);
    // Standard input (`helm template chart | trustaudit scan -`).
    expect(
      kubernetesSource.claim({ path: '<stdin>', text: read('platform-roles.yaml'), explicit: true }),
    ).toBe(true);
  });

  it('leaves other YAML alone: workloads, CloudFormation, Ansible playbooks, values files', () => {
    const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n';
    expect(kubernetesSource.claim(textInput('d.yaml', deployment))).toBe(false);
    const cfn = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  R:\n    Type: AWS::IAM::Role\n';
    expect(kubernetesSource.claim(textInput('t.yaml', cfn))).toBe(false);
    const playbook =
      '- hosts: localhost\n  tasks:\n    - kubernetes.core.k8s:\n        definition:\n          apiVersion: iam.services.k8s.aws/v1alpha1\n          kind: Role\n';
    expect(kubernetesSource.claim(textInput('p.yml', playbook))).toBe(false);
    expect(kubernetesSource.claim(fixtureInput(dir, 'chart/values.yaml'))).toBe(false);
    expect(kubernetesSource.claim(textInput('r.txt', read('platform-roles.yaml')))).toBe(false);
  });
});

describe('a multi-document file', () => {
  it('reads every IAM Role of the stream and nothing else', async () => {
    const r = await scan(['platform-roles.yaml']);
    expect(r.errors).toEqual([]);
    expect(r.roles.map((x) => x.name)).toEqual([
      'MonitoringVendorAccess',
      'BackupVendorAccess',
      'PartnerCiDeployer',
      'bastion',
    ]);
    for (const role of r.roles) {
      expect(role.source.kind).toBe('kubernetes-manifest');
      expect(role.account).toBe('<deploying-account>');
    }
    expect(r.roles.map((x) => x.extra?.controller)).toEqual([
      'ack',
      'ack',
      'crossplane-upbound',
      'crossplane-classic',
    ]);
  });

  it('points at the statement, principal and condition inside a JSON block and a YAML mapping', async () => {
    const text = read('platform-roles.yaml');
    const r = await scan(['platform-roles.yaml']);
    const monitoring = byName(r.roles, 'MonitoringVendorAccess');
    expect(monitoring.id).toBe('platform-roles.yaml#Role/platform-iam/monitoring-vendor');
    expect(monitoring.source.location).toMatchObject(where(text, 'apiVersion: iam.services.k8s.aws', 1));
    const st = monitoring.trustPolicy.statements[0];
    expect(st?.sid).toBe('MonitoringVendor');
    // The statement's `{`, on the line before its "Sid"; a principal is where its type key is written.
    const sid = where(text, '"Sid": "MonitoringVendor"');
    expect(st?.location).toMatchObject({
      file: 'platform-roles.yaml',
      line: sid.line - 1,
      column: sid.column - 2,
    });
    expect(st?.principals?.[0]?.location).toMatchObject(
      where(text, '"AWS": "arn:aws:iam::999988887777:root"'),
    );

    const backup = byName(r.roles, 'BackupVendorAccess');
    expect(backup.path).toBe('/vendors/');
    const cond = backup.trustPolicy.statements[0]?.conditions[0];
    expect(cond).toMatchObject({
      operator: 'StringEquals',
      key: 'sts:ExternalId',
      values: ['7f3c2a9e-backup-tenant-0042'],
    });
    expect(cond?.location).toMatchObject(where(text, 'sts:ExternalId: 7f3c'));
    expect(backup.trustPolicy.statements[0]?.principals?.[0]?.location).toMatchObject(
      where(text, 'AWS: arn:aws:iam::444455556666:root'),
    );
  });

  it('reads a single-quoted JSON string (Crossplane) with positions inside it, and the external-name', async () => {
    const text = read('platform-roles.yaml');
    const r = await scan(['platform-roles.yaml']);
    const partner = byName(r.roles, 'PartnerCiDeployer');
    expect(partner.tags).toEqual({ owner: 'platform' });
    const p = partner.trustPolicy.statements[0]?.principals?.[0];
    expect(p?.value).toBe('arn:aws:iam::777788889999:role/ci');
    expect(p?.location).toMatchObject(where(text, '"AWS":"arn:aws:iam::777788889999:role/ci"'));
  });

  it('gives the ARN when --account names the owner', async () => {
    const r = await scan(['platform-roles.yaml'], { owner: '123456789012' });
    expect(byName(r.roles, 'BackupVendorAccess').arn).toBe(
      'arn:aws:iam::123456789012:role/vendors/BackupVendorAccess',
    );
    expect(byName(r.roles, 'BackupVendorAccess').account).toBe('123456789012');
  });
});

describe('kind: List (kubectl get -o yaml / -o json)', () => {
  it('reads each item, with the ARN and owner account from its status', async () => {
    const r = await scan(['cluster-export.yaml']);
    expect(r.errors).toEqual([]);
    expect(r.roles.map((x) => [x.name, x.account, x.arn])).toEqual([
      ['AuditVendor', '210987654321', 'arn:aws:iam::210987654321:role/AuditVendor'],
      ['lambda-exec', '210987654321', 'arn:aws:iam::210987654321:role/lambda-exec'],
    ]);
    expect(r.roles[0]?.id).toBe('arn:aws:iam::210987654321:role/AuditVendor');
  });

  it('reads the JSON form of a List', async () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'iam.aws.upbound.io/v1beta1',
          kind: 'Role',
          metadata: { name: 'json-role' },
          spec: {
            forProvider: {
              assumeRolePolicy: JSON.stringify({
                Version: '2012-10-17',
                Statement: [
                  { Effect: 'Allow', Principal: { AWS: '999988887777' }, Action: 'sts:AssumeRole' },
                ],
              }),
            },
          },
        },
      ],
    };
    const text = JSON.stringify(list, null, 2);
    const r = await scanWith(kubernetesSource, [textInput('roles.json', text)]);
    expect(r.errors).toEqual([]);
    expect(r.roles.map((x) => x.name)).toEqual(['json-role']);
    expect(r.roles[0]?.trustPolicy.statements[0]?.principals?.[0]?.location?.line).toBe(
      where(text, '"assumeRolePolicy"').line,
    );
  });
});

describe('placeholders', () => {
  it('keeps $NAME and ${NAME} as named unknowns, never as literal text', async () => {
    const text = read('placeholders.yaml');
    const r = await scan(['placeholders.yaml']);
    expect(r.errors).toEqual([]);
    const role = r.roles[0] as Role;
    expect(role.name).toBe('$ROLE_NAME');
    expect(role.extra?.roleName).toMatchObject({ symbolic: true, description: 'placeholder $ROLE_NAME' });
    const p = role.trustPolicy.statements[0]?.principals?.[0];
    expect(isSymbolic(p?.value)).toBe(true);
    expect(p?.value).toMatchObject({
      description: 'placeholder $VENDOR_ACCOUNT_ID',
      text: 'arn:aws:iam::${VENDOR_ACCOUNT_ID}:root',
    });
    // Inside the folded (`>`) block: the line of the principal.
    expect(p?.location).toMatchObject(where(text, '"AWS": "arn:aws:iam::${VENDOR_ACCOUNT_ID}:root"'));
  });

  it("does not take IAM's own policy variables for placeholders", async () => {
    const text = `apiVersion: iam.services.k8s.aws/v1alpha1
kind: Role
metadata:
  name: tagged
spec:
  name: tagged
  assumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"\${aws:PrincipalTag/tenant}"}}}]}'
`;
    const r = await scanWith(kubernetesSource, [textInput('tagged.yaml', text)]);
    expect(r.roles[0]?.trustPolicy.statements[0]?.conditions[0]?.values).toEqual([
      '${aws:PrincipalTag/tenant}',
    ]);
  });
});

describe('Crossplane Compositions', () => {
  it('reports a Role whose trust policy a patch builds at compose time, and judges a complete base', async () => {
    const text = read('crossplane/composition.yaml');
    const r = await scan(['crossplane/composition.yaml']);
    // A template is not judged by its nature: a warning, which does not make the scan incomplete.
    expect(r.errors).toEqual([]);
    expect(r.warnings).toHaveLength(1);
    const e = r.warnings?.[0];
    expect(e).toMatchObject({
      source: 'kubernetes',
      code: 'k8s-composed-trust-policy',
      file: 'crossplane/composition.yaml',
    });
    expect(e).toMatchObject(where(text, 'assumeRolePolicy: ""'));
    expect(e?.message).toContain('xvendoraccess.example.org');
    expect(e?.message).toContain('built at compose time');
    expect(e?.message).toContain('not judged');
    expect(e?.message).toContain(
      `CombineFromComposite patch (line ${where(text, '- type: CombineFromComposite').line})`,
    );

    expect(r.roles).toHaveLength(1);
    const role = r.roles[0] as Role;
    expect(role.name).toBe('auditor-role');
    expect(role.id).toBe('crossplane/composition.yaml#Composition/xauditor.example.org/auditor-role');
    expect(role.extra).toMatchObject({
      composition: 'xauditor.example.org',
      composedResource: 'auditor-role',
    });
    expect(role.trustPolicy.statements[0]?.principals?.[0]?.location).toMatchObject(
      where(text, '"AWS": "arn:aws:iam::999988887777:root"'),
    );
  });

  it('reports a Role rendered by function-go-templating', async () => {
    const text = `apiVersion: apiextensions.crossplane.io/v1
kind: Composition
metadata:
  name: templated
spec:
  mode: Pipeline
  pipeline:
    - step: render
      functionRef:
        name: function-go-templating
      input:
        apiVersion: gotemplating.fn.crossplane.io/v1beta1
        kind: GoTemplate
        source: Inline
        inline:
          template: |
            apiVersion: iam.aws.upbound.io/v1beta1
            kind: Role
            spec:
              forProvider:
                assumeRolePolicy: {{ .observed.composite.resource.spec.trust | quote }}
`;
    const r = await scanWith(kubernetesSource, [textInput('templated.yaml', text)]);
    expect(r.roles).toEqual([]);
    expect(r.warnings?.map((e) => e.code)).toEqual(['k8s-templated-composition']);
    expect(r.warnings?.[0]?.line).toBe(where(text, '- step: render').line);
  });
});

describe('Helm charts', () => {
  it('reports the chart once, with the command that renders it, and does not parse its templates', async () => {
    const r = await scanWith(kubernetesSource, inputsUnder(join(dir, 'chart')));
    expect(r.roles).toEqual([]);
    // Its templates define an IAM Role that was not judged: an error (the scan is incomplete).
    expect(r.warnings).toEqual([]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({
      code: 'helm-chart-not-rendered',
      file: 'Chart.yaml',
      line: 1,
      column: 1,
    });
    expect(r.errors[0]?.message).toContain('"vendor-roles" is not rendered');
    expect(r.errors[0]?.message).toContain('1 of its templates defines IAM roles');
    expect(r.errors[0]?.message).toContain('render it first: helm template . | trustaudit scan -');
  });

  it('quotes a chart folder for the shell', async () => {
    const chart = textInput("my charts/it's/Chart.yaml", 'apiVersion: v2\nname: x\nversion: 1.0.0\n');
    chart.absPath = "/tmp/my charts/it's/Chart.yaml";
    const r = await scanWith(kubernetesSource, [chart]);
    // No template names an IAM resource: a warning, still with the command.
    expect(r.errors).toEqual([]);
    expect(r.warnings?.[0]?.message).toContain('none of its templates names an IAM role');
    expect(r.warnings?.[0]?.message).toContain(`helm template 'my charts/it'\\''s' | trustaudit scan -`);
  });

  it('says "render it first" for a template read on its own', async () => {
    const r = await scanWith(kubernetesSource, [textInput('role.yaml', read('chart/templates/role.yaml'))]);
    expect(r.roles).toEqual([]);
    expect(r.errors.map((e) => e.code)).toContain('yaml-syntax');
    expect(r.errors.find((e) => e.code === 'yaml-syntax')?.message).toContain('render it first');
  });
});

describe('Go template actions in a file that parses', () => {
  it('does not judge a Role holding {{ … }}: it is a template, not a manifest', async () => {
    const text = `apiVersion: iam.services.k8s.aws/v1alpha1
kind: Role
metadata:
  name: "{{ .Release.Name }}-vendor"
spec:
  name: vendor
  assumeRolePolicyDocument: '{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{ .Values.vendorAccountId }}:root"},"Action":"sts:AssumeRole"}]}'
`;
    const r = await scanWith(kubernetesSource, [textInput('templated-role.yaml', text)]);
    expect(r.roles).toEqual([]);
    expect(r.errors).toMatchObject([
      { code: 'helm-template-not-rendered', file: 'templated-role.yaml', line: 4 },
    ]);
    expect(r.errors[0]?.message).toContain('render the chart first');
  });
});

describe('bad input', () => {
  it('names the document that cannot be read and still reads the others', async () => {
    const text = `apiVersion: iam.services.k8s.aws/v1alpha1
kind: Role
metadata: {name: first}
spec: {name: first, assumeRolePolicyDocument: '{"Statement":[{"Effect":"Allow","Principal":{"AWS":"999988887777"},"Action":"sts:AssumeRole"}]}'}
---
apiVersion: iam.services.k8s.aws/v1alpha1
kind: Role
metadata: {name: [broken
---
apiVersion: iam.services.k8s.aws/v1alpha1
kind: Role
metadata: {name: third}
spec: {name: third, assumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}}
`;
    const r = await scanWith(kubernetesSource, [textInput('mixed.yaml', text)]);
    expect(r.roles.map((x) => x.name)).toEqual(['first', 'third']);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ code: 'yaml-syntax', file: 'mixed.yaml' });
    expect(r.errors[0]?.line).toBeGreaterThanOrEqual(8);
    expect(r.errors[0]?.line).toBeLessThan(10);
  });

  it('reports a Role without a trust policy instead of passing over it', async () => {
    const text =
      'apiVersion: iam.aws.upbound.io/v1beta1\nkind: Role\nmetadata:\n  name: empty\nspec:\n  forProvider:\n    assumeRolePolicy: ""\n';
    const r = await scanWith(kubernetesSource, [textInput('empty.yaml', text)]);
    expect(r.roles).toEqual([]);
    expect(r.errors).toMatchObject([{ code: 'k8s-no-trust-policy', line: 7, column: 5 }]);
  });

  it('stops an alias bomb at the collection-size budget, naming the limit', async () => {
    const lines = [
      'apiVersion: iam.services.k8s.aws/v1alpha1',
      'kind: Role',
      'a0: &a0 [x, x, x, x, x, x, x, x, x, x]',
    ];
    for (let i = 1; i < 9; i++) {
      const prev = `*a${i - 1}`;
      lines.push(`a${i}: &a${i} [${Array(10).fill(prev).join(', ')}]`);
    }
    const r = await scanWith(kubernetesSource, [textInput('bomb.yaml', `${lines.join('\n')}\n`)], {
      budgets: { 'collection-size': 1000 },
    });
    expect(r.roles).toEqual([]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]?.code).toBe('budget-exceeded');
    expect(r.errors[0]?.message).toContain('--limit collection-size=');
  });

  it('refuses a trust policy over the statements budget', async () => {
    const statements = Array.from({ length: 30 }, () => ({
      Effect: 'Allow',
      Principal: { Service: 'ec2.amazonaws.com' },
      Action: 'sts:AssumeRole',
    }));
    const text = `apiVersion: iam.services.k8s.aws/v1alpha1\nkind: Role\nmetadata: {name: big}\nspec:\n  assumeRolePolicyDocument: '${JSON.stringify({ Statement: statements })}'\n`;
    const r = await scanWith(kubernetesSource, [textInput('big.yaml', text)], {
      budgets: { statements: 10 },
    });
    expect(r.roles).toEqual([]);
    expect(r.errors[0]).toMatchObject({ code: 'budget-exceeded', file: 'big.yaml', line: 1 });
    expect(r.errors[0]?.message).toContain('--limit statements=20');
  });

  it('reports a repeated key and reads the last one', async () => {
    const text = `apiVersion: iam.services.k8s.aws/v1alpha1
kind: Role
metadata: {name: dup}
spec:
  assumeRolePolicyDocument: '{"Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
  assumeRolePolicyDocument: '{"Statement":[{"Effect":"Allow","Principal":{"AWS":"999988887777"},"Action":"sts:AssumeRole"}]}'
`;
    const r = await scanWith(kubernetesSource, [textInput('dup.yaml', text)]);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toMatchObject([{ code: 'duplicate-key', line: 6, column: 3 }]);
    expect(r.roles[0]?.trustPolicy.statements[0]?.principals?.[0]?.value).toBe('999988887777');
  });
});

describe('deep nesting', () => {
  it.each([300, 5000])(
    'refuses a document nested %i deep (past the nesting-depth budget) without crashing',
    async (depth) => {
      const text = `apiVersion: iam.services.k8s.aws/v1alpha1\nkind: Role\nmetadata: {name: deep}\nspec:\n  assumeRolePolicyDocument: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
      const r = await scanWith(kubernetesSource, [textInput('deep.yaml', text)]);
      expect(r.roles).toEqual([]);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toMatchObject({ file: 'deep.yaml' });
      expect(r.errors[0]?.message).toContain('nesting-depth');
    },
  );
});
