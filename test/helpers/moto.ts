import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * A moto server (AWS emulator) on 127.0.0.1 for integration tests. Tests that need it must fail with a
 * clear error when moto is missing: they are never skipped silently.
 */
export interface MotoServer {
  url: string;
  port: number;
  /** Forget every resource (POST /moto-api/reset). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Dummy credentials for moto: never real, never sent anywhere but 127.0.0.1. */
export const DUMMY_CREDENTIALS = {
  accessKeyId: 'AKIATRUSTAUDITTEST01',
  secretAccessKey: 'trustaudit-dummy-secret-9f8e7d6c5b4a',
  sessionToken: 'trustaudit-dummy-session-token-0a1b2c3d4e5f',
};

/** The interpreter that can `import moto`: $TRUSTAUDIT_PYTHON, `python3`, pyenv's versions, /usr/bin/python3. */
export function findMotoPython(): string {
  const pyenv = '/root/.pyenv/versions';
  const versions = existsSync(pyenv) ? readdirSync(pyenv).sort().reverse() : [];
  const candidates = [
    ...(process.env.TRUSTAUDIT_PYTHON ? [process.env.TRUSTAUDIT_PYTHON] : []),
    'python3',
    ...versions.map((v) => `${pyenv}/${v}/bin/python3`).filter((p) => existsSync(p)),
    '/usr/bin/python3',
  ];
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import moto.server'], { stdio: 'ignore', timeout: 30_000 });
    if (r.status === 0) return py;
  }
  throw new Error(
    `no Python interpreter can import moto (tried ${candidates.join(', ')}); set TRUSTAUDIT_PYTHON to one that can, or install it with ` +
      `"pip install 'moto[server]'" — the AWS integration tests need it and are not skipped`,
  );
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startMoto(opts: { timeoutMs?: number } = {}): Promise<MotoServer> {
  const python = findMotoPython();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: 'true' },
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    if (exited) throw new Error(`moto server exited before it was ready:\n${stderr}`);
    try {
      const r = await fetch(`${url}/moto-api/`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto server did not answer on ${url} in time:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    url,
    port,
    async reset() {
      const r = await fetch(`${url}/moto-api/reset`, { method: 'POST' });
      if (!r.ok) throw new Error(`moto reset failed: ${r.status}`);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => {
          if (!exited) child.kill('SIGKILL');
        }, 3000).unref();
      }),
  };
}
