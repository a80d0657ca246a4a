import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small HTTP proxy on 127.0.0.1 in front of moto that injects faults the way AWS shows them:
 * throttling (400 Throttling / ThrottlingException), 500s, AccessDenied for one account, slow answers.
 * It learns which account an access key belongs to from AssumeRole answers, so a fault can target one
 * member account of an organization.
 */
export interface FaultRule {
  /** API action, e.g. `ListRoles`, `AssumeRole`, `ListAccounts` (`*` for any). */
  action: string;
  /** Only requests signed for this account (assumed-role keys) or, for AssumeRole, naming it. */
  account?: string;
  kind: 'throttle' | 'server-error' | 'access-denied' | 'delay';
  /** Fire this many times, then let requests through (default: always). */
  times?: number;
  /** For `delay`. */
  delayMs?: number;
  /** Only requests whose body contains this text (e.g. `RoleName=b`). */
  bodyIncludes?: string;
}

export interface FaultProxy {
  url: string;
  rules: FaultRule[];
  /** Requests forwarded to moto per action. */
  seen: Map<string, number>;
  /** Requests received (before any fault) per `action:account`, for assumed-role keys. */
  arrived: Map<string, number>;
  /** Faults injected per `kind:action[:account]`. */
  injected: Map<string, number>;
  close(): Promise<void>;
}

interface Parsed {
  action: string;
  protocol: 'query' | 'json';
  accessKey?: string;
  roleArnAccount?: string;
}

function parseRequest(req: IncomingMessage, body: string): Parsed {
  const target = req.headers['x-amz-target'];
  const auth = String(req.headers.authorization ?? '');
  const accessKey = /Credential=([^/]+)\//.exec(auth)?.[1];
  if (typeof target === 'string') {
    return {
      action: target.split('.').pop() ?? target,
      protocol: 'json',
      ...(accessKey ? { accessKey } : {}),
    };
  }
  const params = new URLSearchParams(body);
  const roleArn = params.get('RoleArn') ?? '';
  const roleArnAccount = /^arn:[^:]+:iam::(\d{12}):/.exec(roleArn)?.[1];
  return {
    action: params.get('Action') ?? 'unknown',
    protocol: 'query',
    ...(accessKey ? { accessKey } : {}),
    ...(roleArnAccount ? { roleArnAccount } : {}),
  };
}

function sendFault(
  res: ServerResponse,
  p: Parsed,
  kind: 'throttle' | 'server-error' | 'access-denied',
): void {
  const status = kind === 'throttle' ? 400 : kind === 'server-error' ? 500 : 403;
  const message =
    kind === 'throttle'
      ? 'Rate exceeded'
      : kind === 'server-error'
        ? 'We encountered an internal error. Please try again.'
        : `User is not authorized to perform: ${p.action}`;
  if (p.protocol === 'json') {
    const type =
      kind === 'throttle'
        ? 'TooManyRequestsException'
        : kind === 'server-error'
          ? 'ServiceException'
          : 'AccessDeniedException';
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type });
    res.end(JSON.stringify({ __type: type, message, Message: message }));
    return;
  }
  const code =
    kind === 'throttle' ? 'Throttling' : kind === 'server-error' ? 'ServiceFailure' : 'AccessDenied';
  res.writeHead(status, { 'content-type': 'text/xml' });
  res.end(
    `<ErrorResponse><Error><Type>${kind === 'server-error' ? 'Receiver' : 'Sender'}</Type><Code>${code}</Code>` +
      `<Message>${message}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>`,
  );
}

export async function startFaultProxy(upstream: string, rules: FaultRule[] = []): Promise<FaultProxy> {
  const up = new URL(upstream);
  const keyAccount = new Map<string, string>();
  const seen = new Map<string, number>();
  const arrived = new Map<string, number>();
  const injected = new Map<string, number>();
  const state: FaultProxy = { url: '', rules, seen, arrived, injected, close: async () => {} };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const p = parseRequest(req, body.toString('utf8'));
      const account = p.accessKey ? keyAccount.get(p.accessKey) : undefined;
      if (account) arrived.set(`${p.action}:${account}`, (arrived.get(`${p.action}:${account}`) ?? 0) + 1);
      for (const rule of state.rules) {
        if (rule.action !== '*' && rule.action !== p.action) continue;
        if (rule.account && rule.account !== (p.action === 'AssumeRole' ? p.roleArnAccount : account))
          continue;
        if (rule.bodyIncludes && !body.toString('utf8').includes(rule.bodyIncludes)) continue;
        if (rule.times !== undefined && rule.times <= 0) continue;
        if (rule.times !== undefined) rule.times--;
        const key = `${rule.kind}:${p.action}${rule.account ? `:${rule.account}` : ''}`;
        injected.set(key, (injected.get(key) ?? 0) + 1);
        if (rule.kind === 'delay') {
          await new Promise((r) => setTimeout(r, rule.delayMs ?? 1000));
          continue;
        }
        sendFault(res, p, rule.kind);
        return;
      }
      seen.set(p.action, (seen.get(p.action) ?? 0) + 1);
      const fwd = request(
        {
          host: up.hostname,
          port: up.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: up.host },
        },
        (upRes) => {
          const out: Buffer[] = [];
          upRes.on('data', (c: Buffer) => out.push(c));
          upRes.on('end', () => {
            const text = Buffer.concat(out);
            if (p.action === 'AssumeRole' && p.roleArnAccount) {
              const key = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(text.toString('utf8'))?.[1];
              if (key) keyAccount.set(key, p.roleArnAccount);
            }
            res.writeHead(upRes.statusCode ?? 502, upRes.headers);
            res.end(text);
          });
        },
      );
      fwd.on('error', (e) => {
        res.writeHead(502);
        res.end(String(e));
      });
      fwd.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
