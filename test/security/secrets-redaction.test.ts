import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { binPath, type CliRun, tempDir } from '../helpers/cli.js';

// Each test runs the real CLI (and the AWS SDK's credential chain) against a local server.
vi.setConfig({ testTimeout: 120_000 });

/**
 * Known secret values, one per way a credential reaches trustaudit. None of them may appear in any
 * report format, the history database, standard output or standard error.
 */
const S = {
  envSecret: 'envSecretKey/Qm9vZ+Jhcg1234567890abcd',
  envToken: 'envSessionToken//FwoGZXIvYXdzEJr+aaaa0123456789',
  customToken: 'myApiToken7Qx9Lm2Rt5Vw8Zb',
  profileSecret: 'profileSecretKey/ZXhhbXBsZQ+0987654321',
  profileToken: 'profileSessionToken+IQoJb3JpZ2luX2VjEJr/0000',
  processSecret: 'processSecretKey/cHJvY2Vzcw+1122334455',
  processToken: 'processSessionToken+cHJvY2Vzc3Rva2Vu/6677',
  webIdentityJwt: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2lnbmF0dXJlLW9mLXRoZS1qd3Q',
  webSecret: 'webIdentitySecretKey/d2ViaWRlbnRpdHk+998877',
  ssoSecret: 'ssoRoleSecretKey/c3NvLXNlY3JldA+13579',
  ssoToken: 'ssoRoleSessionToken+c3NvLXRva2Vu/24680',
  webToken: 'webIdentitySessionToken+d2VidG9rZW4/554433',
  urlPassword: 'endpointPassw0rd-9f8e7d6c',
};

/**
 * A stand-in for a misbehaving AWS endpoint on 127.0.0.1: AssumeRoleWithWebIdentity,
 * GetCallerIdentity and the IAM Identity Center portal's GetRoleCredentials succeed; every other call (IAM ListRoles) fails with an error whose message echoes
 * the request's session token and Authorization header, the web identity token it was sent, and
 * `echoAlso()` (the secret key of the test's credentials: a key never travels, but an error message
 * built from one must not leak it).
 */
class EchoServer {
  private server: Server | undefined;
  url = '';
  echoAlso: () => string[] = () => [];
  private seenJwt = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void readBody(req).then((body) => {
        if (req.url?.startsWith('/federation/credentials')) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              roleCredentials: {
                accessKeyId: 'ASIASSOROLETEST00001',
                secretAccessKey: S.ssoSecret,
                sessionToken: S.ssoToken,
                expiration: Date.now() + 3_600_000,
              },
            }),
          );
          return;
        }
        const form = new URLSearchParams(body);
        if (form.get('Action') === 'AssumeRoleWithWebIdentity') {
          this.seenJwt = form.get('WebIdentityToken') ?? '';
          res.writeHead(200, { 'content-type': 'text/xml' });
          res.end(webIdentityResponse());
          return;
        }
        if (form.get('Action') === 'GetCallerIdentity') {
          res.writeHead(200, { 'content-type': 'text/xml' });
          res.end(callerIdentityResponse());
          return;
        }
        const echoed = [
          `token=${req.headers['x-amz-security-token'] ?? ''}`,
          `auth=${req.headers.authorization ?? ''}`,
          `jwt=${this.seenJwt}`,
          `also=${this.echoAlso().join(',')}`,
        ].join(' ');
        res.writeHead(403, { 'content-type': 'text/xml' });
        res.end(
          `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>echo ${xml(echoed)}</Message></Error><RequestId>echo-1</RequestId></ErrorResponse>`,
        );
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString('utf8');
    });
    req.on('end', () => resolve(body));
  });
}

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function callerIdentityResponse(): string {
  return `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::123456789012:user/ci</Arn>
    <UserId>AIDACALLERIDENTITY01</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>caller-1</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`;
}

function webIdentityResponse(): string {
  return `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <Credentials>
      <AccessKeyId>ASIAWEBIDENTITYTEST1</AccessKeyId>
      <SecretAccessKey>${S.webSecret}</SecretAccessKey>
      <SessionToken>${S.webToken}</SessionToken>
      <Expiration>2099-01-01T00:00:00Z</Expiration>
    </Credentials>
    <SubjectFromWebIdentityToken>ci</SubjectFromWebIdentityToken>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/ci/trustaudit</Arn>
      <AssumedRoleId>AROAWEBIDENTITYTEST:trustaudit</AssumedRoleId>
    </AssumedRoleUser>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata><RequestId>web-1</RequestId></ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>`;
}

/** The real CLI, asynchronously (the echo server lives in this process), with a clean AWS environment. */
function runCliAsync(args: string[], cwd: string, env: Record<string, string>): Promise<CliRun> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('AWS_') && !/TOKEN|SECRET|PASSWORD/i.test(k)) base[k] = v;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      cwd,
      env: {
        ...base,
        HOME: cwd,
        NO_COLOR: '1',
        TRUSTAUDIT_DB: 'off',
        AWS_CONFIG_FILE: join(cwd, 'no-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(cwd, 'no-credentials'),
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Every format the CLI writes. */
const ALL_FORMATS = 'text,json,sarif,html,csv,junit,markdown,asff,ocsf';

/** A Terraform role whose name and Sid come from `--var`: the way a typed value reaches every format. */
const TEMPLATE = `variable "role_name" {}
variable "sid" {}
resource "aws_iam_role" "vendor" {
  name = var.role_name
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = var.sid
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::999988887777:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}
`;

interface Outputs {
  run: CliRun;
  /** Every output file and the history database, by name. */
  files: Map<string, string>;
  json: {
    tool: { name: string };
    errors: { message: string }[];
    findings: { resource: { name: string } }[];
  };
}

/** Scan the template and the live "account" behind the echo server, into every format and a history. */
async function scanEverything(
  dir: string,
  extraArgs: string[],
  env: Record<string, string>,
): Promise<Outputs> {
  writeFileSync(join(dir, 'main.tf'), TEMPLATE);
  const run = await runCliAsync(
    [
      'scan',
      'main.tf',
      '--aws',
      '--max-attempts',
      '1',
      '--account',
      '123456789012',
      '--var',
      `role_name=${S.customToken}`,
      '--var',
      `sid=${S.customToken}`,
      '--format',
      ALL_FORMATS,
      '--output-dir',
      'out',
      '--db',
      join(dir, 'history.db'),
      ...extraArgs,
    ],
    dir,
    { MY_API_TOKEN: S.customToken, ...env },
  );
  const files = new Map<string, string>();
  const out = join(dir, 'out');
  if (existsSync(out)) for (const f of readdirSync(out)) files.set(f, readFileSync(join(out, f), 'latin1'));
  for (const f of readdirSync(dir)) {
    if (f.startsWith('history.db')) files.set(f, readFileSync(join(dir, f), 'latin1'));
  }
  const jsonText = files.get('trustaudit.json');
  if (!jsonText) throw new Error(`no JSON report (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  return { run, files, json: JSON.parse(jsonText) as Outputs['json'] };
}

function expectNoSecret(o: Outputs, secrets: readonly string[]): void {
  const places: [string, string][] = [
    ['stdout', o.run.stdout],
    ['stderr', o.run.stderr],
    ...o.files.entries(),
  ];
  for (const secret of secrets) {
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      const leaks = places.filter(([, text]) => text.includes(form)).map(([name]) => name);
      expect(leaks, `secret ${secret} leaked`).toEqual([]);
    }
  }
  // Not vacuous: every format and the history were written, the echoing call was reported as an
  // error, and the role built from the --var value was judged.
  expect([...o.files.keys()].filter((f) => f.startsWith('trustaudit')).length).toBe(
    ALL_FORMATS.split(',').length,
  );
  expect(o.files.has('history.db')).toBe(true);
  // The session token was sent, echoed, and replaced.
  expect(o.json.errors.some((e) => e.message.includes('echo token=[redacted]'))).toBe(true);
  expect(o.json.findings.some((f) => f.resource.name === '[redacted]')).toBe(true);
}

let server: EchoServer;
beforeAll(async () => {
  server = new EchoServer();
  await server.start();
});
afterAll(async () => {
  await server?.stop();
});

describe('secrets never reach a report, the history or stderr', () => {
  it('environment credentials, and a custom MY_API_TOKEN typed into --var', async () => {
    const dir = tempDir('trustaudit-secrets-env-');
    server.echoAlso = () => [S.envSecret];
    const o = await scanEverything(dir, ['--endpoint-url', server.url], {
      AWS_ACCESS_KEY_ID: 'AKIAENVIRONMENTTEST1',
      AWS_SECRET_ACCESS_KEY: S.envSecret,
      AWS_SESSION_TOKEN: S.envToken,
    });
    expectNoSecret(o, [S.envSecret, S.envToken, S.customToken]);
  });

  it('a shared credentials file profile (--profile)', async () => {
    const dir = tempDir('trustaudit-secrets-profile-');
    writeFileSync(
      join(dir, 'credentials'),
      `[echo]\naws_access_key_id = AKIAPROFILETEST00001\naws_secret_access_key = ${S.profileSecret}\naws_session_token = ${S.profileToken}\n`,
    );
    writeFileSync(join(dir, 'config'), '[profile echo]\nregion = us-east-1\n');
    server.echoAlso = () => [S.profileSecret];
    const o = await scanEverything(dir, ['--profile', 'echo', '--endpoint-url', server.url], {
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_CONFIG_FILE: join(dir, 'config'),
    });
    expectNoSecret(o, [S.profileSecret, S.profileToken, S.customToken]);
  });

  it('a credential_process profile that hands out new keys on every run', async () => {
    const dir = tempDir('trustaudit-secrets-process-');
    const script = join(dir, 'print-credentials.mjs');
    // Each SDK client runs the process itself: STS and IAM get different keys.
    const counter = join(dir, 'runs');
    writeFileSync(counter, '0');
    writeFileSync(
      script,
      `import { readFileSync, writeFileSync } from 'node:fs';
const n = Number(readFileSync(${JSON.stringify(counter)}, 'utf8')) + 1;
writeFileSync(${JSON.stringify(counter)}, String(n));
const secret = ${JSON.stringify(S.processSecret)} + n;
writeFileSync(${JSON.stringify(join(dir, 'last-secret'))}, secret);
process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: 'AKIAPROCESSTEST00001', SecretAccessKey: secret, SessionToken: ${JSON.stringify(S.processToken)} + n }));
`,
    );
    chmodSync(script, 0o700);
    writeFileSync(
      join(dir, 'config'),
      `[profile proc]\nregion = us-east-1\ncredential_process = ${process.execPath} ${script}\n`,
    );
    server.echoAlso = () => [readFileSync(join(dir, 'last-secret'), 'utf8')];
    const o = await scanEverything(dir, ['--profile', 'proc', '--endpoint-url', server.url], {
      AWS_CONFIG_FILE: join(dir, 'config'),
    });
    expectNoSecret(o, [S.processSecret, S.processToken, S.customToken]);
    expect(Number(readFileSync(counter, 'utf8'))).toBeGreaterThanOrEqual(2);
  });

  it('web identity (AWS_WEB_IDENTITY_TOKEN_FILE): the token and the credentials STS returned', async () => {
    const dir = tempDir('trustaudit-secrets-web-');
    writeFileSync(join(dir, 'web-identity-token'), S.webIdentityJwt);
    server.echoAlso = () => [S.webSecret];
    const o = await scanEverything(dir, [], {
      AWS_WEB_IDENTITY_TOKEN_FILE: join(dir, 'web-identity-token'),
      AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/ci',
      AWS_ROLE_SESSION_NAME: 'trustaudit',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: server.url,
    });
    expectNoSecret(o, [S.webIdentityJwt, S.webSecret, S.webToken, S.customToken]);
    // A session name is a label, not a secret: "trustaudit" is not redacted out of the report.
    expect(o.json.tool.name).toBe('trustaudit');
  });

  it('an IAM Identity Center (SSO) profile', async () => {
    const dir = tempDir('trustaudit-secrets-sso-');
    mkdirSync(join(dir, '.aws', 'sso', 'cache'), { recursive: true });
    writeFileSync(
      join(dir, 'config'),
      `[profile sso]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = ci
region = us-east-1

[sso-session corp]
sso_region = us-east-1
sso_start_url = https://example.awsapps.com/start
`,
    );
    // The token cache the AWS CLI's `aws sso login` leaves, named by the SHA-1 of the session name.
    writeFileSync(
      join(dir, '.aws', 'sso', 'cache', `${createHash('sha1').update('corp').digest('hex')}.json`),
      JSON.stringify({
        accessToken: 'sso-portal-access-token',
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        region: 'us-east-1',
        startUrl: 'https://example.awsapps.com/start',
      }),
    );
    server.echoAlso = () => [S.ssoSecret];
    // AWS_ENDPOINT_URL also points the SDK's Identity Center portal client at the stand-in.
    const o = await scanEverything(dir, ['--profile', 'sso'], {
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_ENDPOINT_URL: server.url,
    });
    expectNoSecret(o, [S.ssoSecret, S.ssoToken, S.customToken]);
  });

  it('an --endpoint-url with user:password loses both in the history and in every output', async () => {
    const dir = tempDir('trustaudit-secrets-url-');
    server.echoAlso = () => [S.envSecret];
    const withPassword = server.url.replace('http://', `http://ci-user:${S.urlPassword}@`);
    const o = await scanEverything(dir, ['--endpoint-url', withPassword], {
      AWS_ACCESS_KEY_ID: 'AKIAENVIRONMENTTEST1',
      AWS_SECRET_ACCESS_KEY: S.envSecret,
      AWS_SESSION_TOKEN: S.envToken,
    });
    expectNoSecret(o, [S.urlPassword, S.envSecret, S.envToken, S.customToken]);
    // The endpoint itself stays in the recorded options, without its user:password part.
    expect(o.files.get('history.db')).toContain(server.url.replace('http://', ''));
  });
});
