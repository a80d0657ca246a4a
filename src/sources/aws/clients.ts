import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import {
  type ApiCallStats,
  type AwsConnectionOptions,
  type AwsCredentials,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_REQUEST_TIMEOUT_MS,
} from './types.js';

/** Builds SDK clients that share one configuration; each call makes a new client (no singletons). */
export interface AwsClientFactory {
  /** IAM client; with `credentials`, signs with them (assumed-role session) instead of the default chain. */
  iam(credentials?: AwsCredentials): IAMClient;
  sts(credentials?: AwsCredentials): STSClient;
  organizations(credentials?: AwsCredentials): OrganizationsClient;
  /** Release sockets of every client made so far. */
  destroy(): void;
}

/** Used when neither `--region`, the environment nor the profile names a region (IAM is global anyway). */
export const FALLBACK_REGION = 'us-east-1';

/**
 * Resolve the region the way the SDK does (env, profile), falling back to us-east-1 instead of failing:
 * IAM is a global service, so a region is only needed to reach STS and Organizations.
 */
export async function resolveRegion(opts: AwsConnectionOptions): Promise<string> {
  if (opts.region) return opts.region;
  const probe = new STSClient(opts.profile ? { profile: opts.profile } : {});
  try {
    const r = await probe.config.region();
    return r || FALLBACK_REGION;
  } catch {
    return FALLBACK_REGION;
  } finally {
    probe.destroy();
  }
}

type ClientLike = {
  middlewareStack: {
    add(
      mw: (
        next: (a: unknown) => Promise<unknown>,
        ctx: { commandName?: string },
      ) => (a: unknown) => Promise<unknown>,
      opts: { step: 'initialize'; name: string },
    ): void;
  };
  destroy(): void;
};

export function createClientFactory(
  opts: AwsConnectionOptions & { region: string },
  stats?: ApiCallStats,
): AwsClientFactory {
  const made: ClientLike[] = [];
  const base = (credentials?: AwsCredentials) => ({
    region: opts.region,
    retryMode: 'adaptive',
    maxAttempts: opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    ...(opts.endpointUrl ? { endpoint: opts.endpointUrl } : {}),
    ...(credentials ? { credentials } : opts.profile ? { profile: opts.profile } : {}),
    // A hung connection becomes an error that the retry strategy handles (not just a logged warning).
    requestHandler: {
      requestTimeout: opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
  });
  const track = <C>(client: C): C => {
    const c = client as unknown as ClientLike;
    if (stats) {
      c.middlewareStack.add(
        (next, ctx) => async (args) => {
          stats.record(ctx.commandName ?? 'unknown');
          return next(args);
        },
        { step: 'initialize', name: 'trustauditCallCounter' },
      );
    }
    made.push(c);
    return client;
  };
  return {
    iam: (credentials) => track(new IAMClient(base(credentials))),
    sts: (credentials) => track(new STSClient(base(credentials))),
    organizations: (credentials) => track(new OrganizationsClient(base(credentials))),
    destroy: () => {
      for (const c of made.splice(0)) c.destroy();
    },
  };
}
