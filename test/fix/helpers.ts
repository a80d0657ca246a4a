import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetRoleCommand,
  IAMClient,
  ListRolesCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import type { FixIO, FixOptions } from '../../src/fix/run.js';
import { type AwsClientFactory, createClientFactory } from '../../src/sources/aws/clients.js';

export const OWNER = '210987654321';
export const PARTNER = '111122223333';
export const PARTNER2 = '444455556666';
/** Datadog, in the bundled known-vendor list. */
export const DATADOG = '464622532012';

export const iamMock = mockClient(IAMClient);
export const stsMock = mockClient(STSClient);

export function doc(statements: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}
export const trust = (aws: unknown, condition?: Record<string, unknown>) => ({
  Effect: 'Allow',
  Principal: aws === '*' ? '*' : { AWS: aws },
  Action: 'sts:AssumeRole',
  ...(condition ? { Condition: condition } : {}),
});

/**
 * An IAM account in memory, behind aws-sdk-client-mock: ListRoles, GetRole and UpdateAssumeRolePolicy
 * read and write `roles` (documents URL-encoded, as real IAM returns them).
 */
export function fakeAccount(initial: Record<string, string>): {
  roles: Map<string, string>;
  set(name: string, text: string): void;
  text(name: string): string;
  updates(): { RoleName?: string; PolicyDocument?: string }[];
} {
  const roles = new Map(Object.entries(initial).map(([k, v]) => [k, encodeURIComponent(v)]));
  const role = (name: string) => ({
    RoleName: name,
    Arn: `arn:aws:iam::${OWNER}:role/${name}`,
    RoleId: `AROA${name.toUpperCase().replace(/[^A-Z]/g, '')}`,
    Path: '/',
    CreateDate: new Date(0),
    AssumeRolePolicyDocument: roles.get(name),
  });
  stsMock.on(GetCallerIdentityCommand).resolves({ Account: OWNER, Arn: `arn:aws:iam::${OWNER}:user/me` });
  iamMock.on(ListRolesCommand).callsFake(() => ({ Roles: [...roles.keys()].map(role) }));
  iamMock.on(GetRoleCommand).callsFake((input: { RoleName: string }) => ({ Role: role(input.RoleName) }));
  iamMock
    .on(UpdateAssumeRolePolicyCommand)
    .callsFake((input: { RoleName: string; PolicyDocument: string }) => {
      roles.set(input.RoleName, encodeURIComponent(input.PolicyDocument));
      return {};
    });
  return {
    roles,
    set: (name, text) => roles.set(name, encodeURIComponent(text)),
    text: (name) => decodeURIComponent(roles.get(name) ?? ''),
    updates: () => iamMock.commandCalls(UpdateAssumeRolePolicyCommand).map((c) => c.args[0].input),
  };
}

const creds = { accessKeyId: 'AKIAMOCK', secretAccessKey: 'mock-base-secret-value' };
export function factory(): AwsClientFactory {
  const f = createClientFactory({ region: 'us-east-1', maxAttempts: 1 });
  return {
    iam: (c) => f.iam(c ?? creds),
    sts: (c) => f.sts(c ?? creds),
    organizations: (c) => f.organizations(c ?? creds),
    destroy: () => f.destroy(),
  };
}

/** A FixIO whose terminal answers from `answers` (in order) and records every question. */
export function testIO(opts: { tty?: boolean; answers?: string[]; cwd?: string } = {}) {
  const answers = [...(opts.answers ?? [])];
  const asked: string[] = [];
  let out = '';
  let err = '';
  const io: FixIO = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    stdinIsTTY: opts.tty ?? false,
    env: {},
    cwd: opts.cwd ?? mkdtempSync(join(tmpdir(), 'ta-fixtest-')),
    ask: async (q, choices) => {
      asked.push(q);
      const a = answers.shift() ?? '';
      return choices.includes(a) ? a : '';
    },
    now: () => new Date('2026-12-04T10:00:00.000Z'),
  };
  return { io, asked, out: () => out, err: () => err };
}

export const baseOpts = (over: Partial<FixOptions> = {}): FixOptions => ({
  require: 'external-id',
  apply: false,
  yes: false,
  backupDir: 'backups',
  aws: {},
  ...over,
});
