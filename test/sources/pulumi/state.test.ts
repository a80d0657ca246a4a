/**
 * `pulumi stack export` state (fixture written from Pulumi's documented checkpoint format, version 3):
 * deployed roles with their account and ARN, positions inside the JSON-string trust policy, roles
 * created by component resources, and secret values.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../../src/model/types.js';
import { pulumiSource } from '../../../src/sources/pulumi/index.js';
import { fixtureInput, repoRoot, scanWith, textInput, where } from '../kubernetes/helpers.js';

const dir = join(repoRoot, 'test/fixtures/pulumi');
const rel = 'state/stack-export.json';
const text = readFileSync(join(dir, rel), 'utf8');
const scan = () => scanWith(pulumiSource, [fixtureInput(dir, rel)]);
const named = (roles: Role[], name: string) => roles.find((r) => r.name === name) as Role;

describe('stack export', () => {
  it('reads every aws:iam/role:Role with its account, ARN and unique id', async () => {
    const r = await scan();
    expect(r.roles.map((x) => [x.name, x.account, x.arn, x.roleId])).toEqual([
      [
        'AnalyticsVendor',
        '123456789012',
        'arn:aws:iam::123456789012:role/AnalyticsVendor',
        'AROAEXAMPLEANALYTICS01',
      ],
      [
        'backup-vendor-4f1c2e9',
        '123456789012',
        'arn:aws:iam::123456789012:role/backup-vendor-4f1c2e9',
        'AROAEXAMPLEBACKUP0002',
      ],
      [
        'VendorSupport',
        '123456789012',
        'arn:aws:iam::123456789012:role/VendorSupport',
        'AROAEXAMPLESUPPORT003',
      ],
      [
        'ingest-fn-role-9a8b7c6',
        '123456789012',
        'arn:aws:iam::123456789012:role/ingest-fn-role-9a8b7c6',
        'AROAEXAMPLEINGEST0004',
      ],
    ]);
    for (const role of r.roles) {
      expect(role.source.kind).toBe('pulumi-state');
      expect(role.id).toBe(role.arn);
    }
  });

  it('points inside the JSON-string trust policy', async () => {
    const r = await scan();
    const vendor = named(r.roles, 'AnalyticsVendor');
    // The outputs' copy (the second occurrence: inputs come first).
    const principal = where(text, '\\"AWS\\":\\"arn:aws:iam::111122223333:root\\"', 2);
    expect(vendor.trustPolicy.statements[0]?.principals?.[0]?.location).toMatchObject({
      file: rel,
      ...principal,
    });
    const backup = named(r.roles, 'backup-vendor-4f1c2e9');
    expect(backup.trustPolicy.statements[0]?.conditions[0]).toMatchObject({
      key: 'sts:ExternalId',
      values: ['7f3c2a9e-backup-tenant-0042'],
      location: where(text, '\\"sts:ExternalId\\"', 2),
    });
  });

  it('names the component resource a role was created by', async () => {
    const r = await scan();
    expect(named(r.roles, 'VendorSupport').source.construct).toBe(
      'aws-iam:index:AssumableRole::support-role',
    );
    expect(named(r.roles, 'AnalyticsVendor').source.construct).toBeUndefined();
  });

  it('reports an encrypted trust policy instead of passing over it', async () => {
    const r = await scan();
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ source: 'pulumi', code: 'pulumi-secret', file: rel });
    expect(r.errors[0]?.message).toContain('escrow-vendor');
    expect(r.errors[0]?.message).toContain('--show-secrets');
    const outputs = text.indexOf('"outputs"', text.indexOf('escrow-vendor'));
    expect(r.errors[0]?.line).toBe(
      text.slice(0, text.indexOf('"assumeRolePolicy"', outputs)).split('\n').length,
    );
  });

  it('reads a secret shown in plain text (--show-secrets)', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:root' }, Action: 'sts:AssumeRole' },
      ],
    });
    const state = {
      version: 3,
      deployment: {
        manifest: { time: '2026-05-14T09:10:04Z', magic: 'x', version: 'v3.160.0' },
        resources: [
          {
            urn: 'urn:pulumi:dev::p::aws:iam/role:Role::shown',
            custom: true,
            type: 'aws:iam/role:Role',
            outputs: {
              arn: 'arn:aws:iam::123456789012:role/shown',
              assumeRolePolicy: {
                '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270',
                plaintext: JSON.stringify(policy),
              },
            },
          },
        ],
      },
    };
    const r = await scanWith(pulumiSource, [textInput('shown.json', JSON.stringify(state, null, 2))]);
    expect(r.errors).toEqual([]);
    expect(r.roles[0]?.trustPolicy.statements[0]?.principals?.[0]?.value).toBe(
      'arn:aws:iam::999988887777:root',
    );
  });

  it('names the line of a JSON syntax error', async () => {
    const r = await scanWith(pulumiSource, [
      textInput(
        'broken.json',
        '{\n  "deployment": {"resources": [\n    {"urn": "urn:pulumi:a::b::c::d",,}\n',
      ),
    ]);
    expect(r.roles).toEqual([]);
    expect(r.errors[0]).toMatchObject({ code: 'json-syntax', file: 'broken.json', line: 3 });
  });
});

describe('claim order', () => {
  it('gives a stack export holding Kubernetes manifests to the Pulumi reader, not the Kubernetes one', async () => {
    const { fileSources } = await import('../../../src/sources/index.js');
    const state = JSON.stringify({
      version: 3,
      deployment: {
        resources: [
          {
            urn: 'urn:pulumi:dev::p::kubernetes:iam.services.k8s.aws/v1alpha1:Role::r',
            type: 'kubernetes:iam.services.k8s.aws/v1alpha1:Role',
            inputs: { apiVersion: 'iam.services.k8s.aws/v1alpha1', kind: 'Role' },
          },
        ],
      },
    });
    const first = fileSources.find((s) => s.claim(textInput('state.json', state)));
    expect(first?.name).toBe('pulumi');
  });
});
