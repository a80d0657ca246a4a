// Issue: live AWS. Against moto (a local AWS emulator on 127.0.0.1; no other network):
// 1. 5,000 roles in one account: wall time and API calls, which must be ceil(N/1000) ListRoles plus a
//    constant (GetCallerIdentity), never one GetRole per role.
// 2. An Organization of 20 accounts x 250 roles at --concurrency 1 vs 8: the speed-up ratio, both
//    straight to moto and through a proxy that adds 50 ms to each answer (what a real network costs;
//    moto itself answers in a few ms and shares the machine's 2 cores with the scanner).
// 3. Issue "performance where users feel it": the time from starting `trustaudit scan --aws` (the CLI
//    as users run it, bin/trustaudit.js) to its first AWS call, with `node -e 0` beside it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fmt } from './lib.mjs';

const CREDS = { accessKeyId: 'AKIABENCHDUMMY000001', secretAccessKey: 'bench-dummy-secret' };

function findPython() {
  const pyenv = '/root/.pyenv/versions';
  const versions = existsSync(pyenv) ? readdirSync(pyenv).sort().reverse() : [];
  for (const py of ['python3', ...versions.map((v) => `${pyenv}/${v}/bin/python3`)]) {
    if (spawnSync(py, ['-c', 'import moto.server'], { stdio: 'ignore' }).status === 0) return py;
  }
  throw new Error('no Python interpreter can import moto: install moto[server] to run this benchmark');
}

async function listen(server) {
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return server.address().port;
}

async function startMoto() {
  const probe = createServer();
  const port = await listen(probe);
  await new Promise((r) => probe.close(r));
  const child = spawn(findPython(), ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 400; i++) {
    try {
      if ((await fetch(`${url}/moto-api/`)).ok) return { url, stop: () => child.kill('SIGTERM') };
    } catch {}
    await new Promise((r) => setTimeout(r, 150));
  }
  child.kill('SIGKILL');
  throw new Error('moto did not start');
}

/** Forwards to moto, answering each request `delayMs` later (network round trip stand-in). */
async function latencyProxy(upstream, delayMs) {
  const up = new URL(upstream);
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const fwd = request(
        {
          host: up.hostname,
          port: up.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: up.host },
        },
        (r) => {
          const out = [];
          r.on('data', (c) => out.push(c));
          r.on('end', () =>
            setTimeout(() => {
              res.writeHead(r.statusCode ?? 502, r.headers);
              res.end(Buffer.concat(out));
            }, delayMs),
          );
        },
      );
      fwd.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      fwd.end(Buffer.concat(chunks));
    });
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(r);
      }),
  };
}

/** Forwards to moto and notes when the first request came in (performance.now() of this process). */
async function firstCallProxy(upstream) {
  const up = new URL(upstream);
  const state = { first: undefined };
  const server = createServer((req, res) => {
    state.first ??= performance.now();
    const fwd = request(
      {
        host: up.hostname,
        port: up.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: up.host },
      },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    fwd.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(fwd);
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(r);
      }),
  };
}

/** Start the CLI's live scan; resolves to ms from spawn to its first AWS request, and to its exit. */
async function timeToFirstCall(repoRoot, endpoint) {
  const proxy = await firstCallProxy(endpoint);
  try {
    const t0 = performance.now();
    const child = spawn(
      process.execPath,
      [
        join(repoRoot, 'bin/trustaudit.js'),
        'scan',
        '--aws',
        '--endpoint-url',
        proxy.url,
        '--region',
        'us-east-1',
        '--no-db',
        '-q',
        '--format',
        'json',
      ],
      {
        stdio: 'ignore',
        env: {
          ...process.env,
          CI: 'true',
          AWS_ACCESS_KEY_ID: CREDS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey,
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
      },
    );
    const code = await new Promise((r) => child.on('exit', r));
    if (proxy.state.first === undefined)
      throw new Error(`trustaudit scan --aws made no AWS call (exit ${code})`);
    return { first: proxy.state.first - t0, total: performance.now() - t0 };
  } finally {
    await proxy.close();
  }
}

async function pool(items, n, fn) {
  const q = [...items];
  await Promise.all(
    Array.from({ length: n }, async () => {
      for (let x = q.shift(); x !== undefined; x = q.shift()) await fn(x);
    }),
  );
}

export async function run({ repoRoot, log }) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const req = createRequire(join(repoRoot, 'package.json'));
  const { IAMClient, CreateRoleCommand } = req('@aws-sdk/client-iam');
  const { OrganizationsClient, CreateOrganizationCommand, CreateAccountCommand } = req(
    '@aws-sdk/client-organizations',
  );
  const { STSClient, AssumeRoleCommand } = req('@aws-sdk/client-sts');
  const dist = (p) => import(pathToFileURL(join(repoRoot, 'dist', p)).href);
  const { scanAws } = await dist('sources/aws/provider.js');
  const { createClientFactory } = await dist('sources/aws/clients.js');
  const { ApiCallStats } = await dist('sources/aws/types.js');

  const moto = await startMoto();
  try {
    // 3. Time to the first AWS call (an empty account: the first call is the same whatever it holds).
    {
      const runs = [];
      const node = [];
      for (let i = 0; i < 5; i++) {
        runs.push(await timeToFirstCall(repoRoot, moto.url));
        const t = performance.now();
        spawnSync(process.execPath, ['-e', '0']);
        node.push(performance.now() - t);
      }
      const best = runs.reduce((a, b) => (b.first < a.first ? b : a));
      log(
        `time to the first AWS call (trustaudit scan --aws): best ${fmt(best.first)} ms of 5 (whole run ${fmt(best.total)} ms); node -e 0: ${fmt(Math.min(...node))} ms; load average ${loadavg()[0].toFixed(2)}, ${availableParallelism()} cores`,
      );
    }

    const cfg = (creds = CREDS, endpoint = moto.url) => ({
      endpoint,
      region: 'us-east-1',
      credentials: creds,
    });
    const doc = (i) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          i % 10 === 0
            ? {
                Effect: 'Allow',
                Principal: { AWS: `arn:aws:iam::${String(100000000000 + i)}:root` },
                Action: 'sts:AssumeRole',
              }
            : { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      });
    const seed = (iam, n, prefix) =>
      pool(
        Array.from({ length: n }, (_, i) => i),
        16,
        (i) =>
          iam.send(new CreateRoleCommand({ RoleName: `${prefix}-${i}`, AssumeRolePolicyDocument: doc(i) })),
      );
    const scan = async (opts, endpoint) => {
      const stats = new ApiCallStats();
      const f = createClientFactory({ endpointUrl: endpoint, region: 'us-east-1', ...opts }, stats);
      const factory = {
        iam: (c) => f.iam(c ?? CREDS),
        sts: (c) => f.sts(c ?? CREDS),
        organizations: (c) => f.organizations(c ?? CREDS),
        destroy: () => f.destroy(),
      };
      const t0 = performance.now();
      const r = await scanAws(opts, { factory, stats, env: {} });
      const ms = performance.now() - t0;
      f.destroy();
      if (r.errors.length) throw new Error(`scan errors: ${JSON.stringify(r.errors)}`);
      return { ms, r, stats };
    };

    // 1. One account, 5,000 roles.
    const N = 5000;
    const mgmt = new IAMClient(cfg());
    let t0 = performance.now();
    await seed(mgmt, N, 'bench');
    log(`seeded ${fmt(N)} roles in moto in ${fmt(performance.now() - t0)} ms`);
    const one = await scan({}, moto.url);
    if (one.r.roles.length !== N) throw new Error(`saw ${one.r.roles.length} roles, expected ${N}`);
    const listRoles = one.stats.count('ListRolesCommand');
    const expected = Math.ceil(N / 1000);
    log(`one account, ${fmt(N)} roles: ${fmt(one.ms)} ms (${fmt(N / (one.ms / 1000))} roles/s)`);
    log(
      `API calls: ${one.stats.total} = ${listRoles} ListRoles + ${one.stats.total - listRoles} other ` +
        `(${[...one.stats.byOperation].map(([k, v]) => `${k.replace(/Command$/, '')} ${v}`).join(', ')}); ` +
        `expected ceil(N/1000) = ${expected} ListRoles + 1  ${listRoles === expected && one.stats.total === expected + 1 ? 'OK' : 'WRONG'}`,
    );
    mgmt.destroy();
    await fetch(`${moto.url}/moto-api/reset`, { method: 'POST' });

    // 2. Organization of 20 accounts x 250 roles.
    const ACCOUNTS = 20;
    const PER = 250;
    const org = new OrganizationsClient(cfg());
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const ids = [];
    for (let i = 0; i < ACCOUNTS - 1; i++) {
      const r = await org.send(
        new CreateAccountCommand({ AccountName: `acct${i}`, Email: `a${i}@example.com` }),
      );
      ids.push(r.CreateAccountStatus.AccountId);
    }
    org.destroy();
    t0 = performance.now();
    const sts = new STSClient(cfg());
    await seed(new IAMClient(cfg()), PER, 'mgmt');
    for (const id of ids) {
      const c = (
        await sts.send(
          new AssumeRoleCommand({
            RoleArn: `arn:aws:iam::${id}:role/OrganizationAccountAccessRole`,
            RoleSessionName: 'seed',
          }),
        )
      ).Credentials;
      // moto adds OrganizationAccountAccessRole to each member: 249 more make 250 roles per account.
      await seed(
        new IAMClient(
          cfg({
            accessKeyId: c.AccessKeyId,
            secretAccessKey: c.SecretAccessKey,
            sessionToken: c.SessionToken,
          }),
        ),
        PER - 1,
        id,
      );
    }
    sts.destroy();
    log(`seeded an Organization of ${ACCOUNTS} accounts x ${PER} roles in ${fmt(performance.now() - t0)} ms`);

    const proxy = await latencyProxy(moto.url, 50);
    try {
      for (const [label, endpoint] of [
        ['straight to moto', moto.url],
        ['with 50 ms added per answer', proxy.url],
      ]) {
        const c1 = await scan({ org: true, concurrency: 1 }, endpoint);
        const c8 = await scan({ org: true, concurrency: 8 }, endpoint);
        for (const c of [c1, c8]) {
          if (c.r.roles.length !== ACCOUNTS * PER)
            throw new Error(`saw ${c.r.roles.length} roles, expected ${ACCOUNTS * PER}`);
        }
        log(
          `org ${ACCOUNTS}x${PER} ${label}: concurrency 1 ${fmt(c1.ms)} ms, concurrency 8 ${fmt(c8.ms)} ms, ` +
            `speed-up x${fmt(c1.ms / c8.ms, 2)}; API calls ${c8.stats.total} ` +
            `(${[...c8.stats.byOperation].map(([k, v]) => `${k.replace(/Command$/, '')} ${v}`).join(', ')})`,
        );
      }
    } finally {
      await proxy.close();
    }
  } finally {
    moto.stop();
  }
}
