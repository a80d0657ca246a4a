import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addAwsScanOptions, awsOptionsFrom, awsProviderFromOptions } from '../../src/cli/aws-options.js';
import type { CliIO } from '../../src/cli/io.js';
import { readBackup, type TrustBackup, writeBackup } from '../../src/fix/backup.js';
import { ExternalIdBook, externalIdProblem, generateExternalId } from '../../src/fix/external-id.js';
import { planRoleFix, shellQuote } from '../../src/fix/plan.js';
import { parseExternalIdFlags } from '../../src/fix/run.js';
import { targetsFromFindings } from '../../src/fix/targets.js';
import { documentEncoding, documentText } from '../../src/sources/aws/document.js';
import { classifyAwsError, redact } from '../../src/sources/aws/errors.js';
import { assumeRoleArn, defaultSessionName } from '../../src/sources/aws/org.js';
import { createProgress } from '../../src/sources/aws/progress.js';

const sdkError = (name: string, status?: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} happened`), {
    name,
    ...(status ? { $metadata: { httpStatusCode: status } } : {}),
    ...extra,
  });

describe('classifyAwsError', () => {
  const cases: [string, unknown, string][] = [
    ['IAM AccessDenied', sdkError('AccessDenied', 403), 'access-denied'],
    ['Organizations AccessDeniedException', sdkError('AccessDeniedException', 400), 'access-denied'],
    ['unknown 403', sdkError('Weird', 403), 'access-denied'],
    ['ExpiredToken', sdkError('ExpiredToken', 400), 'expired-credentials'],
    ['ExpiredTokenException', sdkError('ExpiredTokenException'), 'expired-credentials'],
    ['InvalidClientTokenId', sdkError('InvalidClientTokenId', 403), 'invalid-credentials'],
    ['SignatureDoesNotMatch', sdkError('SignatureDoesNotMatch', 403), 'invalid-credentials'],
    ['no credentials at all', sdkError('CredentialsProviderError'), 'no-credentials'],
    ['IAM Throttling', sdkError('Throttling', 400), 'throttled'],
    ['TooManyRequestsException', sdkError('TooManyRequestsException', 400), 'throttled'],
    ['plain 429', sdkError('X', 429), 'throttled'],
    ['ServiceFailure', sdkError('ServiceFailure', 500), 'service-error'],
    ['unnamed 503', sdkError('Unknown', 503), 'service-error'],
    [
      'connection refused',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      'network',
    ],
    ['request timeout', sdkError('TimeoutError'), 'network'],
    ['not in an organization', sdkError('AWSOrganizationsNotInUseException', 400), 'not-in-organization'],
    ['validation error', sdkError('ValidationError', 400), 'aws-error'],
    ['not an object', 'boom', 'aws-error'],
  ];
  it.each(cases)('%s', (_name, err, code) => {
    expect(classifyAwsError(err)).toBe(code);
  });

  it('redact removes every secret occurrence and ignores short strings', () => {
    expect(redact('a SECRETVALUE b SECRETVALUE', ['SECRETVALUE', 'ab'])).toBe('a [redacted] b [redacted]');
  });
});

describe('documents as IAM returns them', () => {
  const cases: [string, string, 'url' | 'json', string][] = [
    ['raw JSON (moto)', '{"Statement":[]}', 'json', '{"Statement":[]}'],
    ['raw JSON with leading spaces', '  {"a":1}', 'json', '  {"a":1}'],
    ['URL-encoded (AWS)', '%7B%22Statement%22%3A%5B%5D%7D', 'url', '{"Statement":[]}'],
    ['URL-encoded with a literal plus kept', '%7B%22a%22%3A%22x+y%22%7D', 'url', '{"a":"x+y"}'],
  ];
  it.each(cases)('%s', (_n, raw, enc, text) => {
    expect(documentEncoding(raw)).toBe(enc);
    expect(documentText(raw)).toBe(text);
  });
});

describe('organization helpers', () => {
  it('assumeRoleArn keeps a path and the partition', () => {
    expect(assumeRoleArn('aws', '111122223333', 'OrganizationAccountAccessRole')).toBe(
      'arn:aws:iam::111122223333:role/OrganizationAccountAccessRole',
    );
    expect(assumeRoleArn('aws-cn', '111122223333', '/ops/Audit')).toBe(
      'arn:aws-cn:iam::111122223333:role/ops/Audit',
    );
  });
  it('defaultSessionName is a valid RoleSessionName with a timestamp', () => {
    const n = defaultSessionName(new Date('2026-11-28T06:45:00.123Z'));
    expect(n).toBe('trustaudit-20261128T064500Z');
    expect(n).toMatch(/^[\w+=,.@-]{2,64}$/);
  });
});

describe('progress', () => {
  const sink = (isTTY: boolean) => {
    const out: string[] = [];
    return { out, write: (s: string) => out.push(s), isTTY };
  };
  it('draws accounts, roles and errors on a terminal', () => {
    const s = sink(true);
    const p = createProgress(s, false);
    p.accountsTotal(3);
    p.roles(10);
    p.accountDone();
    p.error();
    p.end();
    expect(s.out.join('')).toContain('accounts 1/3 · roles 10 · errors 1');
  });
  it.each([
    ['not a terminal', false, false],
    ['--quiet', true, true],
  ])('is silent when %s', (_n, tty, quiet) => {
    const s = sink(tty);
    const p = createProgress(s, quiet);
    p.accountsTotal(3);
    p.accountDone();
    p.end();
    expect(s.out).toEqual([]);
  });
});

describe('scan --aws options', () => {
  const parse = (args: string[]) => {
    const cmd = addAwsScanOptions(new Command('scan').exitOverride().option('-q, --quiet'));
    cmd.parse(args, { from: 'user' });
    return cmd.opts();
  };
  it('maps every flag', () => {
    const o = parse([
      '--aws',
      '--org',
      '--profile',
      'audit',
      '--region',
      'eu-west-1',
      '--endpoint-url',
      'http://127.0.0.1:5000',
      '--max-attempts',
      '7',
      '--assume-role-name',
      'Audit',
      '--external-id',
      'xid-123',
      '--concurrency',
      '4',
      '--accounts',
      '111111111111,222222222222',
      '--exclude-accounts',
      '333333333333',
      '--org-accounts-are-third-parties',
    ]);
    expect(awsOptionsFrom(o)).toEqual({
      org: true,
      profile: 'audit',
      region: 'eu-west-1',
      endpointUrl: 'http://127.0.0.1:5000',
      maxAttempts: 7,
      assumeRoleName: 'Audit',
      externalId: 'xid-123',
      concurrency: 4,
      accounts: ['111111111111', '222222222222'],
      excludeAccounts: ['333333333333'],
      orgAccountsAreThirdParties: true,
    });
  });
  it.each([
    ['a bad account id', ['--accounts', '12345']],
    ['a non-URL endpoint', ['--endpoint-url', 'localhost:5000']],
    ['zero concurrency', ['--concurrency', '0']],
  ])('rejects %s', (_n, args) => {
    expect(() => parse(['--aws', ...args])).toThrow();
  });
  it.each([
    ['--accounts without --org', ['--aws', '--accounts', '111111111111'], /only apply with --org/],
    ['--concurrency without --org', ['--aws', '--concurrency', '2'], /--concurrency only apply with --org/],
    ['--profile without --aws', ['--profile', 'x'], /add --aws/],
  ])('refuses %s rather than ignore it', (_n, args, err) => {
    const io = { stderr: { write: () => true }, env: {} } as unknown as CliIO;
    expect(() => awsProviderFromOptions(parse(args), io)).toThrow(err);
  });
  it('gives no provider without --aws or --org', () => {
    const io = { stderr: { write: () => true }, env: {} } as unknown as CliIO;
    expect(awsProviderFromOptions(parse([]), io)).toBeUndefined();
    expect(awsProviderFromOptions(parse(['--aws']), io)).toBeTypeOf('function');
  });
});

describe('external ids', () => {
  it('generates 32 URL-safe characters, different every time', () => {
    const ids = new Set(Array.from({ length: 50 }, () => generateExternalId()));
    expect(ids.size).toBe(50);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(externalIdProblem(id)).toBeUndefined();
    }
  });
  it('one id per account for a whole run', () => {
    let n = 0;
    const book = new ExternalIdBook(undefined, () => `id-${++n}`);
    expect(book.for('111111111111').externalId).toBe('id-1');
    expect(book.for('222222222222').externalId).toBe('id-2');
    expect(book.for('111111111111').externalId).toBe('id-1');
  });
  it.each([
    ['one id for all', ['shared-id'], { all: 'shared-id', byAccount: [] }],
    [
      'per account',
      ['111111111111=a-1', '222222222222=b-2'],
      {
        byAccount: [
          ['111111111111', 'a-1'],
          ['222222222222', 'b-2'],
        ],
      },
    ],
  ])('parses --external-id: %s', (_n, flags, want) => {
    const r = parseExternalIdFlags(flags);
    expect({ ...(r.all ? { all: r.all } : {}), byAccount: [...r.byAccount] }).toEqual(want);
  });
  it.each([
    ['too short', ['x']],
    ['a space', ['has space']],
    ['empty per-account id', ['111111111111=']],
  ])('rejects --external-id with %s', (_n, flags) => {
    expect(() => parseExternalIdFlags(flags)).toThrow(/external id/);
  });
});

const finding = (over: Record<string, unknown> = {}) => ({
  ruleId: 'TA001',
  suppressed: false,
  resource: {
    kind: 'aws-iam-role',
    id: 'arn:aws:iam::210987654321:role/vendor',
    name: 'vendor',
    account: '210987654321',
    arn: 'arn:aws:iam::210987654321:role/vendor',
  },
  statement: { index: 0 },
  principals: [{ value: 'arn:aws:iam::111122223333:root', kind: 'account', account: '111122223333' }],
  evidence: {
    summary: '',
    details: [],
    data: {
      statementIndex: 0,
      thirdPartyPrincipals: ['arn:aws:iam::111122223333:root'],
      accounts: ['111122223333'],
    },
  },
  ...over,
});

describe('targetsFromFindings', () => {
  it('groups the statements of one role and keeps each principal with its account', () => {
    const r = targetsFromFindings([
      finding(),
      finding({
        statement: { index: 2 },
        principals: [{ value: '444455556666', kind: 'account', account: '444455556666' }],
        evidence: {
          summary: '',
          details: [],
          data: { statementIndex: 2, thirdPartyPrincipals: ['444455556666'], accounts: ['444455556666'] },
        },
      }),
    ]);
    expect(r.skipped).toEqual([]);
    expect(r.targets).toEqual([
      {
        roleName: 'vendor',
        arn: 'arn:aws:iam::210987654321:role/vendor',
        account: '210987654321',
        statements: [
          {
            statementIndex: 0,
            principals: [
              { value: 'arn:aws:iam::111122223333:root', account: '111122223333', kind: 'account' },
            ],
          },
          {
            statementIndex: 2,
            principals: [{ value: '444455556666', account: '444455556666', kind: 'account' }],
          },
        ],
      },
    ]);
  });
  it.each([
    ['another rule', finding({ ruleId: 'TA000' }), []],
    ['a suppressed finding', finding({ suppressed: true }), []],
    [
      'an IaC finding (no ARN)',
      finding({ resource: { name: 'VendorRole', id: 'cfn.yaml#VendorRole' } }),
      ['VendorRole: not a live IAM role'],
    ],
  ])('ignores %s', (_n, f, skipped) => {
    const r = targetsFromFindings([f]);
    expect(r.targets).toEqual([]);
    expect(r.skipped.map((s) => s.split(' (')[0])).toEqual(skipped);
  });
  it('--role keeps only the named roles', () => {
    expect(targetsFromFindings([finding()], ['other']).targets).toEqual([]);
    expect(targetsFromFindings([finding()], ['vendor']).targets).toHaveLength(1);
  });
});

describe('planRoleFix', () => {
  const doc = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: ['111111111111', '222222222222', 'arn:aws:iam::210987654321:root'] },
        Action: 'sts:AssumeRole',
      },
      { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ],
  });
  const target = {
    roleName: 'r',
    account: '210987654321',
    statements: [
      {
        statementIndex: 0,
        principals: [
          { value: '111111111111', account: '111111111111' },
          { value: '222222222222', account: '222222222222' },
        ],
      },
    ],
  };
  it('gives each third-party account its own statement and external id; the rest is kept', () => {
    let n = 0;
    const plan = planRoleFix(target, doc, {
      requirement: 'external-id',
      externalIds: new ExternalIdBook(undefined, () => `gen-${++n}`),
    });
    const st = (plan.corrected as { Statement: Record<string, unknown>[] }).Statement;
    expect(st).toHaveLength(4);
    expect(st[0]).toEqual({
      Effect: 'Allow',
      Principal: { AWS: ['arn:aws:iam::210987654321:root'] },
      Action: 'sts:AssumeRole',
    });
    const byPrincipal = Object.fromEntries(
      st.slice(1, 3).map((s) => [(s.Principal as { AWS: string }).AWS, s.Condition]),
    );
    const ids = plan.externalIds.map((e) => e.externalId);
    expect(new Set(ids).size).toBe(2);
    expect(byPrincipal['111111111111']).toEqual({
      StringEquals: {
        'sts:ExternalId': plan.externalIds.find((e) => e.account === '111111111111')?.externalId,
      },
    });
    expect(byPrincipal['222222222222']).toEqual({
      StringEquals: {
        'sts:ExternalId': plan.externalIds.find((e) => e.account === '222222222222')?.externalId,
      },
    });
    expect(st[3]).toEqual({
      Effect: 'Allow',
      Principal: { Service: 'ec2.amazonaws.com' },
      Action: 'sts:AssumeRole',
    });
    expect(JSON.parse(plan.correctedText)).toEqual(plan.corrected);
    expect(plan.diff).toMatch(/^\+ +"sts:ExternalId": "gen-1"$/m);
    expect(plan.command).toContain("aws iam update-assume-role-policy --role-name r --policy-document '{");
  });
  it('--require mfa adds only the MFA condition and no external id', () => {
    const plan = planRoleFix(target, encodeURIComponent(doc), {
      requirement: 'mfa',
      externalIds: new ExternalIdBook(),
    });
    expect(plan.externalIds).toEqual([]);
    const text = JSON.stringify(plan.corrected);
    expect(text).toContain('"Bool":{"aws:MultiFactorAuthPresent":"true"}');
    expect(text).not.toContain('ExternalId');
  });
  it('principals of unknown account still get an id, listed under their names', () => {
    const d = JSON.stringify({
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'AROAEXAMPLEUNIQUEID1' }, Action: 'sts:AssumeRole' }],
    });
    const plan = planRoleFix(
      { roleName: 'r', statements: [{ statementIndex: 0, principals: [{ value: 'AROAEXAMPLEUNIQUEID1' }] }] },
      d,
      { requirement: 'external-id', externalIds: new ExternalIdBook('fixed-id-1') },
    );
    expect(plan.externalIds).toEqual([
      {
        account: 'unknown account: AROAEXAMPLEUNIQUEID1',
        externalId: 'fixed-id-1',
        generated: false,
        origin: 'given',
      },
    ]);
    expect(JSON.stringify(plan.corrected)).toContain('"sts:ExternalId":"fixed-id-1"');
  });

  it('an unreadable current document is an error', () => {
    expect(() =>
      planRoleFix(target, 'not json', { requirement: 'mfa', externalIds: new ExternalIdBook() }),
    ).toThrow(/cannot be read/);
  });
  it.each([
    ['plain', 'role-name', 'role-name'],
    ['JSON', '{"a":"b c"}', `'{"a":"b c"}'`],
    ['a single quote', "it's", `'it'\\''s'`],
  ])('shellQuote: %s', (_n, input, want) => {
    expect(shellQuote(input)).toBe(want);
  });
});

describe('backups', () => {
  const b: TrustBackup = {
    kind: 'trustaudit-trust-policy-backup',
    version: 1,
    createdAt: '2026-11-28T06:45:00.123Z',
    roleName: 'vendor',
    roleArn: 'arn:aws:iam::210987654321:role/vendor',
    account: '210987654321',
    document: '%7B%22Statement%22%3A%5B%5D%7D',
  };
  it('round-trips and never overwrites an older backup', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ta-backup-'));
    const p1 = writeBackup(join(dir, 'nested'), b);
    const p2 = writeBackup(join(dir, 'nested'), b);
    expect(p1).not.toBe(p2);
    expect(readBackup(p1)).toEqual(b);
    expect(readBackup(p2)).toEqual(b);
    expect(readdirSync(join(dir, 'nested'))).toHaveLength(2);
  });
  it.each([
    ['not JSON', 'nope', /not a readable JSON backup/],
    ['another JSON file', '{"findings":[]}', /not a trustaudit backup/],
    ['an empty document', JSON.stringify({ ...b, document: '' }), /document/],
  ])('rejects %s', (_n, text, err) => {
    const dir = mkdtempSync(join(tmpdir(), 'ta-backup-'));
    writeFileSync(join(dir, 'x.json'), text);
    expect(() => readBackup(join(dir, 'x.json'))).toThrow(err);
  });
});
