import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { type AwsClientFactory, createClientFactory } from '../../../src/sources/aws/clients.js';
import type { ApiCallStats } from '../../../src/sources/aws/types.js';
import { DUMMY_CREDENTIALS } from '../../helpers/moto.js';

// The SDK's "Node 22 will be required" notice is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** moto's default account: what GetCallerIdentity answers for the dummy credentials. */
export const MOTO_ACCOUNT = '123456789012';

export type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

export function sdkConfig(endpoint: string, credentials: Creds = DUMMY_CREDENTIALS) {
  return { endpoint, region: 'us-east-1', credentials, maxAttempts: 1 };
}

/** Environment for the CLI child process: dummy credentials, everything routed to `endpoint`. */
export function cliEnv(endpoint: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('AWS_')) env[k] = v;
  }
  return {
    ...env,
    AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: DUMMY_CREDENTIALS.sessionToken,
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: endpoint,
    AWS_CONFIG_FILE: '/nonexistent/trustaudit-test-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/trustaudit-test-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    NO_COLOR: '1',
    // Keep whatever the CLI writes under HOME (history database, caches) out of the real home folder.
    HOME: mkdtempSync(join(tmpdir(), 'ta-home-')),
    ...extra,
  };
}

export function trustDoc(statements: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

export const vendorStatement = (account: string, condition?: Record<string, unknown>) => ({
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${account}:root` },
  Action: 'sts:AssumeRole',
  ...(condition ? { Condition: condition } : {}),
});

export const serviceStatement = (service: string) => ({
  Effect: 'Allow',
  Principal: { Service: service },
  Action: 'sts:AssumeRole',
});

export async function createRoles(
  iam: IAMClient,
  roles: { name: string; doc: string; path?: string }[],
  concurrency = 4,
): Promise<void> {
  const queue = [...roles];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let r = queue.shift(); r; r = queue.shift()) {
        const input = {
          RoleName: r.name,
          AssumeRolePolicyDocument: r.doc,
          ...(r.path ? { Path: r.path } : {}),
        };
        // moto's threaded server now and then answers a burst with an HTML 500 page: try again.
        for (let attempt = 1; ; attempt++) {
          try {
            await iam.send(new CreateRoleCommand(input));
            break;
          } catch (e) {
            if (attempt > 1 && (e as Error).name === 'EntityAlreadyExists') break;
            if (attempt >= 4) throw e;
            await new Promise((res) => setTimeout(res, 100 * attempt));
          }
        }
      }
    }),
  );
}

/** An organization with `names.length` member accounts (plus the management account). */
export async function createOrganization(
  endpoint: string,
  names: string[],
): Promise<{ id: string; name: string }[]> {
  const org = new OrganizationsClient(sdkConfig(endpoint));
  await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const out: { id: string; name: string }[] = [];
  for (const name of names) {
    const r = await org.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }));
    out.push({ id: r.CreateAccountStatus!.AccountId!, name });
  }
  org.destroy();
  return out;
}

/** An IAM client acting in a member account (moto routes assumed-role credentials to that account). */
export async function memberIam(endpoint: string, account: string): Promise<IAMClient> {
  const sts = new STSClient(sdkConfig(endpoint));
  const r = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`,
      RoleSessionName: 'seed',
    }),
  );
  sts.destroy();
  const c = r.Credentials!;
  return new IAMClient(
    sdkConfig(endpoint, {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
    }),
  );
}

/** A client factory for in-process scans: pointed at `endpoint`, signing with the dummy credentials. */
export function pinnedFactory(endpoint: string, stats?: ApiCallStats, maxAttempts = 2): AwsClientFactory {
  const f = createClientFactory({ endpointUrl: endpoint, region: 'us-east-1', maxAttempts }, stats);
  return {
    iam: (c) => f.iam(c ?? DUMMY_CREDENTIALS),
    sts: (c) => f.sts(c ?? DUMMY_CREDENTIALS),
    organizations: (c) => f.organizations(c ?? DUMMY_CREDENTIALS),
    destroy: () => f.destroy(),
  };
}
