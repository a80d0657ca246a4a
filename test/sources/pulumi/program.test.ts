// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Pulumi YAML writes ${name} interpolations in plain strings.
/**
 * The Pulumi source over YAML programs written from Pulumi's YAML reference: config per stack,
 * variables, fn::toJSON / JSON strings / aws-native mappings, exact positions, component resources.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSymbolic, type Role } from '../../../src/model/types.js';
import { pulumiSource } from '../../../src/sources/pulumi/index.js';
import { MAX_STACKS } from '../../../src/sources/pulumi/load.js';
import { fixtureInput, inputsUnder, repoRoot, scanWith, textInput, where } from '../kubernetes/helpers.js';

const dir = join(repoRoot, 'test/fixtures/pulumi');
const program = 'vendor-access/Pulumi.yaml';
const text = readFileSync(join(dir, program), 'utf8');
const scanDir = (sub: string, opts: Parameters<typeof scanWith>[2] = {}) =>
  scanWith(pulumiSource, inputsUnder(join(dir, sub)), opts);
const roleOf = (roles: Role[], resource: string, variant?: string): Role => {
  const r = roles.find((x) => x.extra?.resourceName === resource && x.variant === variant);
  if (!r) throw new Error(`no role ${resource} ${variant ?? ''}`);
  return r;
};

describe('claim', () => {
  it('claims YAML programs, stack settings and state exports, and nothing else', () => {
    expect(pulumiSource.claim(fixtureInput(dir, program))).toBe(true);
    expect(pulumiSource.claim(fixtureInput(dir, 'vendor-access/Pulumi.dev.yaml'))).toBe(true);
    expect(pulumiSource.claim(fixtureInput(dir, 'main-layout/Main.yaml'))).toBe(true);
    expect(pulumiSource.claim(fixtureInput(dir, 'state/stack-export.json'))).toBe(true);
    expect(
      pulumiSource.claim({
        path: '<stdin>',
        text: readFileSync(join(dir, 'state/stack-export.json'), 'utf8'),
        explicit: true,
      }),
    ).toBe(true);
    // A TypeScript project's Pulumi.yaml holds no resources.
    expect(pulumiSource.claim(textInput('Pulumi.yaml', 'name: web\nruntime: nodejs\n'))).toBe(false);
    expect(pulumiSource.claim(textInput('other.yaml', text))).toBe(false);
    expect(pulumiSource.claim(textInput('x.json', '{"Version":"2012-10-17","Statement":[]}'))).toBe(false);
  });
});

describe('a program with two stacks', () => {
  it('judges each stack whose settings change the trust policy, as a variant of one role', async () => {
    const r = await scanDir('vendor-access');
    const dev = roleOf(r.roles, 'analytics-vendor', 'stack dev');
    const prod = roleOf(r.roles, 'analytics-vendor', 'stack prod');
    expect(dev.id).toBe(prod.id);
    expect(dev.id).toBe('Pulumi.yaml#analytics-vendor');
    expect(dev.trustPolicy.statements[0]?.principals?.[0]?.value).toBe('arn:aws:iam::999988887777:root');
    expect(prod.trustPolicy.statements[0]?.principals?.[0]?.value).toBe('arn:aws:iam::111122223333:root');
    // The same trust policy in every stack is one role.
    expect(r.roles.filter((x) => x.extra?.resourceName === 'backup-vendor')).toHaveLength(1);
  });

  it('takes the owner account from aws:allowedAccountIds and builds the ARN of a named role', async () => {
    const r = await scanDir('vendor-access');
    const dev = roleOf(r.roles, 'analytics-vendor', 'stack dev');
    expect(dev.source.kind).toBe('pulumi-yaml');
    expect(dev.account).toBe('123456789012');
    expect(dev.name).toBe('AnalyticsVendor');
    expect(dev.arn).toBe('arn:aws:iam::123456789012:role/AnalyticsVendor');
    expect(dev.description).toBe('The analytics vendor reads our data lake');
    expect(dev.tags).toEqual({ team: 'data' });
    // Without a name Pulumi picks one: the resource name is shown, no ARN is guessed.
    const backup = roleOf(r.roles, 'backup-vendor');
    expect(backup.name).toBe('backup-vendor');
    expect(backup.arn).toBeUndefined();
    expect(backup.extra?.autoNamed).toBe(true);
  });

  it('points at the resource, the statement and the principal where they are written', async () => {
    const r = await scanDir('vendor-access');
    const dev = roleOf(r.roles, 'analytics-vendor', 'stack dev');
    expect(dev.source.location).toMatchObject({
      file: program.split('/')[1],
      ...where(text, 'analytics-vendor:'),
    });
    // A statement written as a sequence item starts at its first key, after the `- `.
    const item = where(text, '- Sid: AnalyticsVendor');
    expect(dev.trustPolicy.statements[0]?.location).toMatchObject({
      line: item.line,
      column: item.column + 2,
    });
    expect(dev.trustPolicy.statements[0]?.principals?.[0]?.location).toMatchObject(
      where(text, 'AWS: arn:aws:iam::${vendorAccountId}:root'),
    );
  });

  it('maps positions inside a JSON block scalar that interpolates config', async () => {
    const r = await scanDir('vendor-access');
    const auditor = roleOf(r.roles, 'auditor');
    const st = auditor.trustPolicy.statements[0];
    expect(st?.principals?.[0]?.value).toBe('arn:aws:iam::555566667777:root');
    expect(st?.principals?.[0]?.location).toMatchObject(
      where(text, '"AWS": "arn:aws:iam::${auditorAccountId}:root"'),
    );
    expect(st?.conditions[0]).toMatchObject({
      operator: 'Bool',
      key: 'aws:MultiFactorAuthPresent',
      values: ['true'],
    });
    expect(st?.conditions[0]?.location).toMatchObject(where(text, '"aws:MultiFactorAuthPresent"'));
  });

  it('keeps a secret config value as a named unknown, never as its ciphertext', async () => {
    const r = await scanDir('vendor-access');
    const v = roleOf(r.roles, 'backup-vendor').trustPolicy.statements[0]?.conditions[0]?.values[0];
    expect(isSymbolic(v)).toBe(true);
    expect(v).toMatchObject({
      description: 'secret config backupExternalId (encrypted in the stack settings)',
    });
    expect(JSON.stringify(r.roles)).not.toContain('Q2hhbmdlTWU');
  });

  it('reads aws:getCallerIdentity as the deploying account, and aws-native and JSON-string roles', async () => {
    const r = await scanDir('vendor-access');
    const bg = roleOf(r.roles, 'break-glass');
    expect(bg.name).toBe('BreakGlassAccess');
    expect(bg.trustPolicy.statements[0]?.principals?.[0]?.value).toBe(
      'arn:aws:iam::123456789012:role/BreakGlass',
    );
    const fn = roleOf(r.roles, 'ingest-fn-role');
    expect(fn.trustPolicy.statements[0]?.principals?.[0]).toMatchObject({
      type: 'Service',
      value: 'lambda.amazonaws.com',
      location: where(text, '"Service":"lambda.amazonaws.com"'),
    });
    // 6 role resources, one with two variants; the Lambda function is no role.
    expect(r.roles).toHaveLength(7);
  });

  it('builds the document of fn::invoke aws:iam:getPolicyDocument, with positions', async () => {
    const r = await scanDir('vendor-access');
    const st = roleOf(r.roles, 'ci-deployer').trustPolicy.statements[0];
    expect(st).toMatchObject({ sid: 'PartnerCi', effect: 'Allow', actions: ['sts:AssumeRole'] });
    expect(st?.principals?.[0]).toMatchObject({
      type: 'AWS',
      value: 'arn:aws:iam::777788889999:role/ci',
      location: where(text, 'arn:aws:iam::777788889999:role/ci'),
    });
    expect(st?.conditions[0]).toMatchObject({
      operator: 'StringEquals',
      key: 'sts:ExternalId',
      values: ['partner-ci-77'],
      location: { line: where(text, '- test: StringEquals').line },
    });
    expect(st?.location).toMatchObject({ line: where(text, '- sid: PartnerCi').line });
  });

  it('leaves a getPolicyDocument that merges other documents unknown', async () => {
    const src = `name: p
runtime: yaml
variables:
  doc:
    fn::invoke:
      function: aws:iam:getPolicyDocument
      arguments:
        sourcePolicyDocuments: ["\${other.json}"]
        statements: []
resources:
  r:
    type: aws:iam:Role
    properties:
      assumeRolePolicy: \${doc.json}
`;
    const r = await scanWith(pulumiSource, [textInput('Pulumi.yaml', src)]);
    expect(r.roles[0]?.trustPolicy.issues.map((i) => i.code)).toContain('symbolic-structure');
  });

  it('reports the component resource instead of passing over it', async () => {
    const r = await scanDir('vendor-access');
    expect(r.errors).toEqual([]);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings?.[0]).toMatchObject({
      source: 'pulumi',
      code: 'pulumi-component-not-expanded',
      file: 'Pulumi.yaml',
      ...where(text, 'support-role:'),
    });
    const message = r.warnings?.[0]?.message;
    expect(message).toContain('aws-iam:index:AssumableRole');
    expect(message).toContain('"arn:aws:iam::888899990000:root"');
    expect(message).toContain('role.requiresMfa: false');
    expect(message).toContain('pulumi stack export | trustaudit scan -');
  });
});

describe('without stack settings', () => {
  it('keeps a config key without a value as a named unknown and uses defaults', async () => {
    const r = await scanWith(pulumiSource, [textInput('Pulumi.yaml', text)]);
    const role = r.roles.find((x) => x.extra?.resourceName === 'analytics-vendor');
    expect(role?.variant).toBeUndefined();
    expect(role?.account).toBe('<deploying-account>');
    const p = role?.trustPolicy.statements[0]?.principals?.[0]?.value;
    expect(p).toMatchObject({ symbolic: true, text: 'arn:aws:iam::${vendorAccountId}:root' });
    expect(isSymbolic(p) && p.description).toContain('config vendorAccountId');
    const auditor = r.roles.find((x) => x.extra?.resourceName === 'auditor');
    expect(auditor?.trustPolicy.statements[0]?.principals?.[0]?.value).toBe('arn:aws:iam::555566667777:root');
  });

  it('reads a Main.yaml with the config of the Pulumi.yaml next to it', async () => {
    const r = await scanWith(pulumiSource, inputsUnder(join(dir, 'main-layout')), { root: dir });
    expect(r.errors).toEqual([]);
    expect(r.roles).toHaveLength(1);
    expect(r.roles[0]?.trustPolicy.statements[0]?.principals?.[0]?.value).toBe(
      'arn:aws:iam::666677778888:role/deployer',
    );
  });
});

describe('interpolation', () => {
  const roleWith = (policy: string, extra = '') => `name: p
runtime: yaml
${extra}resources:
  r:
    type: aws:iam:Role
    properties:
      assumeRolePolicy: ${policy}
`;

  it('treats $${ as a literal ${ (no lookup)', async () => {
    const src = roleWith(
      `'{"Statement":[{"Effect":"Allow","Principal":{"AWS":"999988887777"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"$\${aws:PrincipalTag/x}"}}}]}'`,
    );
    const r = await scanWith(pulumiSource, [textInput('Pulumi.yaml', src)]);
    expect(r.roles[0]?.trustPolicy.statements[0]?.conditions[0]?.values).toEqual(['${aws:PrincipalTag/x}']);
  });

  it('names a resource output as an unknown', async () => {
    const src = `name: p
runtime: yaml
resources:
  other:
    type: aws:iam:Role
    properties:
      assumeRolePolicy: '{"Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
  r:
    type: aws:iam:Role
    properties:
      assumeRolePolicy:
        fn::toJSON:
          Statement:
            - Effect: Allow
              Principal: {AWS: "\${other.arn}"}
              Action: sts:AssumeRole
`;
    const r = await scanWith(pulumiSource, [textInput('Pulumi.yaml', src)]);
    const p = r.roles.find((x) => x.extra?.resourceName === 'r')?.trustPolicy.statements[0]?.principals?.[0]
      ?.value;
    expect(p).toMatchObject({ symbolic: true, description: 'resource other.arn (known after deployment)' });
  });

  it('survives variables that refer to each other in a loop', async () => {
    const src = roleWith('"${a}"', 'variables:\n  a: ${b}\n  b: ${a}\n');
    const r = await scanWith(pulumiSource, [textInput('Pulumi.yaml', src)]);
    expect(r.roles).toHaveLength(1);
    expect(r.roles[0]?.trustPolicy.issues.map((i) => i.code)).toContain('symbolic-structure');
  });

  it('stops a variable that doubles itself at the string-length budget', async () => {
    const vars = ['variables:', '  v0: xxxxxxxxxxxxxxxx'];
    for (let i = 1; i < 40; i++) vars.push(`  v${i}: \${v${i - 1}}\${v${i - 1}}`);
    const src = roleWith('"${v39}"', `${vars.join('\n')}\n`);
    const r = await scanWith(pulumiSource, [textInput('Pulumi.yaml', src)], {
      budgets: { 'string-length': 100_000 },
    });
    expect(r.roles).toEqual([]);
    expect(r.errors).toMatchObject([{ code: 'budget-exceeded', file: 'Pulumi.yaml' }]);
    expect(r.errors[0]?.message).toContain('--limit string-length=');
  });
});

describe('many stacks', () => {
  it('judges at most MAX_STACKS stacks and says so', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'trustaudit-pulumi-'));
    try {
      writeFileSync(join(tmp, 'Pulumi.yaml'), text);
      for (let i = 0; i < MAX_STACKS + 6; i++)
        writeFileSync(
          join(tmp, `Pulumi.s${String(i).padStart(3, '0')}.yaml`),
          `config:\n  vendor-access:vendorAccountId: "${String(100000000000 + i)}"\n`,
        );
      const r = await scanWith(pulumiSource, inputsUnder(tmp), { root: tmp });
      expect(r.roles.filter((x) => x.extra?.resourceName === 'analytics-vendor')).toHaveLength(MAX_STACKS);
      expect(r.errors).toMatchObject([{ code: 'pulumi-too-many-stacks', file: 'Pulumi.yaml' }]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('bad input', () => {
  it('names the line of a YAML syntax error', async () => {
    const r = await scanWith(pulumiSource, [
      textInput('Pulumi.yaml', 'name: p\nruntime: yaml\nresources:\n  r: [unclosed\n'),
    ]);
    expect(r.roles).toEqual([]);
    expect(r.errors[0]).toMatchObject({ source: 'pulumi', code: 'yaml-syntax', file: 'Pulumi.yaml' });
    expect(r.errors[0]?.line).toBeGreaterThanOrEqual(4);
  });

  it('reports a role without a trust policy', async () => {
    const r = await scanWith(pulumiSource, [
      textInput(
        'Pulumi.yaml',
        'name: p\nruntime: yaml\nresources:\n  r:\n    type: aws:iam:Role\n    properties: {}\n',
      ),
    ]);
    expect(r.roles).toEqual([]);
    expect(r.errors).toMatchObject([{ code: 'pulumi-no-trust-policy', line: 4, column: 3 }]);
  });

  it('says what to scan when a stack settings file is named on its own', async () => {
    const r = await scanWith(pulumiSource, [fixtureInput(dir, 'vendor-access/Pulumi.dev.yaml', true)]);
    expect(r.errors).toEqual([]);
    expect(r.warnings?.map((e) => e.code)).toEqual(['pulumi-stack-settings']);
  });
});

describe('resource type names from the file', () => {
  it('a type named like an inherited property (toString, constructor, __proto__) is not a role type', async () => {
    for (const type of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      const src = `name: p\nruntime: yaml\nresources:\n  r:\n    type: ${type}\n    properties:\n      assumeRolePolicy: '{"Statement":[]}'\n`;
      const program = await scanWith(pulumiSource, [textInput('Pulumi.yaml', src)]);
      expect(program.errors).toEqual([]);
      expect(program.roles).toEqual([]);
      const state = JSON.stringify({
        version: 3,
        deployment: { resources: [{ urn: `urn:pulumi:dev::p::${type}::r`, type, inputs: {} }] },
      });
      const exported = await scanWith(pulumiSource, [textInput('state.json', state)]);
      expect(exported.errors).toEqual([]);
      expect(exported.roles).toEqual([]);
    }
  });
});
