import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createRedactor,
  isSecretName,
  redactUrlUserinfo,
  secretsFromEnvironment,
  stripUrlCredentials,
} from '../../src/util/redact.js';

describe('which environment variables are secret', () => {
  it.each([
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'GITHUB_TOKEN',
    'MY_API_TOKEN',
    'DB_PASSWORD',
    'MYSQL_PASSWD',
    'SNYK_AUTH',
    'npm_config__authToken',
    'SIGNING_PRIVATE',
    'APIKEY',
    'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  ])('%s is', (name) => expect(isSecretName(name)).toBe(true));

  it.each([
    'PATH',
    'HOME',
    'PWD',
    'AWS_REGION',
    'AWS_PROFILE',
    'SSH_AUTH_SOCK',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'AWS_ROLE_SESSION_NAME',
    'AUTH_SERVER_URL',
  ])('%s is not', (name) => expect(isSecretName(name)).toBe(false));

  it('takes long values only, the content of *_TOKEN_FILE files, and URL passwords', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trustaudit-redact-'));
    writeFileSync(join(dir, 'token'), 'jwt-from-the-token-file\n');
    const got = secretsFromEnvironment({
      AWS_SECRET_ACCESS_KEY: 'abcdEFGH/1234+5678',
      SOME_TOKEN: 'true',
      OTHER_KEY: '123456789012',
      SHORT_SECRET: 'abc',
      AWS_WEB_IDENTITY_TOKEN_FILE: join(dir, 'token'),
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/dev/zero',
      HTTPS_PROXY: 'http://proxy-user:proxy-password-1@proxy:3128',
      AUTH_SERVER_URL: 'https://auth-user:auth-password-2@auth.example.com/',
      HOME: '/root/some/long/home',
    });
    expect(got).toContain('abcdEFGH/1234+5678');
    expect(got).toContain('jwt-from-the-token-file\n');
    expect(got).toContain('proxy-password-1');
    expect(got).toContain('auth-password-2');
    expect(got).not.toContain('https://auth-user:auth-password-2@auth.example.com/');
    expect(got).not.toContain('true');
    expect(got).not.toContain('123456789012'); // an account id: in every report, never a secret
    expect(got).not.toContain('abc');
    expect(got).not.toContain('/root/some/long/home');
  });
});

describe('createRedactor', () => {
  it('replaces every known secret, in plain and URL-encoded form, longest first', () => {
    const r = createRedactor(['token/with+chars==', 'token/with+chars==and-more']);
    expect(r.text('a token/with+chars==and-more b token%2Fwith%2Bchars%3D%3D c')).toBe(
      'a [redacted] b [redacted] c',
    );
  });

  it('redacts object keys too (tags, account names)', () => {
    const out = createRedactor(['tag-key-secret-1']).value({ tags: { 'tag-key-secret-1': 'v', b: 'c' } });
    expect(out).toEqual({ tags: { '[redacted]': 'v', b: 'c' } });
  });

  it('ignores trivial values', () => {
    const r = createRedactor(['1', 'true', 'us-east-1', '2026-01-01']);
    expect(r.size).toBe(1); // only "us-east-1" is long enough and not a number
    expect(r.text('true 1 2026-01-01')).toBe('true 1 2026-01-01');
  });

  it('keeps untouched parts of a value shared, and copies only what held a secret', () => {
    const shared = { a: ['no secret here'] };
    const report = { x: shared, y: shared, z: { msg: 'the s3cr3t-value-1 leaked' } };
    const out = createRedactor(['s3cr3t-value-1']).value(report);
    expect(out.x).toBe(shared);
    expect(out.y).toBe(shared);
    expect(out.z.msg).toBe('the [redacted] leaked');
    expect(report.z.msg).toBe('the s3cr3t-value-1 leaked');
  });

  it('removes user:password from URLs in any text, but keeps git@ and e-mail addresses', () => {
    const r = createRedactor();
    expect(r.text('GET https://bob:hunter22@example.com/x failed')).toBe(
      'GET https://[redacted]@example.com/x failed',
    );
    expect(r.text('ssh://git@github.com/org/repo and alice@example.com')).toBe(
      'ssh://git@github.com/org/repo and alice@example.com',
    );
  });

  it('scans a huge hostile string in linear time', () => {
    const hostile = `${'a.'.repeat(2_000_000)}://${':'.repeat(1_000_000)}@`;
    const started = Date.now();
    expect(redactUrlUserinfo(hostile).endsWith('[redacted]@')).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('stripUrlCredentials', () => {
  it('drops user and password, keeps the rest', () => {
    expect(stripUrlCredentials('http://u:p@127.0.0.1:4566/path?q=1')).toBe('http://127.0.0.1:4566/path?q=1');
    expect(stripUrlCredentials('not a url')).toBe('not a url');
    expect(stripUrlCredentials('http://127.0.0.1:4566')).toBe('http://127.0.0.1:4566');
  });
});
