// Writes a seeded synthetic `get-account-authorization-details` export with N roles, numbered from FIRST
// (so that several files of one large export have distinct role names).
// Usage: node bench/gen-export.mjs N OUT [seed] [first]
import { writeFileSync } from 'node:fs';
import { rng } from './lib.mjs';

export function generateExport(n, seed = 42, first = 0) {
  const rand = rng(seed);
  const owner = '123456789012';
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const vendors = ['464622532012', '509560245411', '434813966438', '111122223333', '444455556666'];
  const roles = [];
  for (let i = first; i < first + n; i++) {
    const kind = rand();
    let statements;
    if (kind < 0.45) {
      statements = [
        {
          Effect: 'Allow',
          Principal: {
            Service: pick(['lambda.amazonaws.com', 'ec2.amazonaws.com', 'ecs-tasks.amazonaws.com']),
          },
          Action: 'sts:AssumeRole',
        },
      ];
    } else if (kind < 0.6) {
      statements = [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${owner}:root` }, Action: 'sts:AssumeRole' },
      ];
    } else if (kind < 0.75) {
      statements = [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${pick(vendors)}:root` },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': `ext-${i}` } },
        },
      ];
    } else if (kind < 0.85) {
      statements = [{ Effect: 'Allow', Principal: { AWS: pick(vendors) }, Action: 'sts:AssumeRole' }];
    } else if (kind < 0.92) {
      statements = [
        {
          Effect: 'Allow',
          Principal: {
            AWS: [`arn:aws:iam::${pick(vendors)}:role/vendor-${i % 7}`, `arn:aws:iam::${owner}:root`],
          },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } },
        },
      ];
    } else {
      statements = [
        {
          Sid: 'Vendor',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${pick(vendors)}:root` },
          Action: 'sts:*',
        },
        {
          Sid: 'RequireId',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 'sts:AssumeRole',
          Condition: { Null: { 'sts:ExternalId': 'true' } },
        },
      ];
    }
    const name = `role-${i}`;
    roles.push({
      Path: '/',
      RoleName: name,
      RoleId: `AROA${String(i).padStart(17, '0')}`,
      Arn: `arn:aws:iam::${owner}:role/${name}`,
      CreateDate: '2024-01-01T00:00:00Z',
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: statements },
      InstanceProfileList: [],
      RolePolicyList: [],
      AttachedManagedPolicies: [],
      Tags: [],
    });
  }
  return { UserDetailList: [], GroupDetailList: [], RoleDetailList: roles, Policies: [] };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const n = Number(process.argv[2] ?? 1000);
  writeFileSync(
    process.argv[3],
    JSON.stringify(generateExport(n, Number(process.argv[4] ?? 42), Number(process.argv[5] ?? 0))),
  );
}
