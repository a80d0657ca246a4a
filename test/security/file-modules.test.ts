/**
 * Terraform module sources a file scan does not follow: a local folder beyond the scan root is not
 * read, and a registry, git or HTTP source is never fetched (a local HTTP server counts the requests).
 * Each is a warning at the `source` attribute; the roles around it are still judged.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath } from '../helpers/cli.js';
import { lineOf, makeOutside, makeRepo, put, roleTf, scanToReports } from './scan-root-helpers.js';

describe('Terraform module sources', () => {
  it('a local source beyond the scan root is not read: a warning at its line, its outputs unknown', () => {
    const repo = makeRepo();
    const outside = makeOutside();
    put(outside, 'main.tf', `${roleTf('outsideRole')}output "sid" { value = "FromOutside" }\n`);
    const rel = relative(join(repo, 'infra'), outside);
    const tf = `module "far" {\n  source = "${rel}"\n}\n${roleTf('vendor', 'module.far.sid')}`;
    put(repo, 'infra/main.tf', tf);
    const r = scanToReports(repo, ['infra']);
    expect(r.report.findings.map((f) => f.resource.name)).toEqual(['vendor']);
    for (const t of [r.json, r.sarif, r.html]) expect(t).not.toContain('FromOutside');
    expect(r.report.warnings).toMatchObject([
      { code: 'module-outside-root', file: 'infra/main.tf', line: lineOf(tf, 'source =') },
    ]);
    expect(r.report.warnings[0]?.message).toMatch(/module\.far: .*outside the scan root/);
    expect(r.notifications.some((n) => n.level === 'warning' && /module\.far/.test(n.message.text))).toBe(
      true,
    );
  });

  describe('remote sources are never fetched', () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.end('{}');
    });
    let base = '';
    beforeAll(async () => {
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise<void>((done) => server.close(() => done()));
    });

    it('https://, git:: and registry sources become warnings, and no request reaches the server', async () => {
      const repo = makeRepo();
      const tf = [
        `module "zip" {\n  source = "http://${base}/vpc.zip"\n}`,
        `module "git" {\n  source = "git::http://${base}/repo.git?ref=v1"\n}`,
        `module "registry" {\n  source = "${base}/acme/iam/aws"\n  version = "1.0.0"\n}`,
        roleTf('vendor', 'module.zip.sid'),
      ].join('\n');
      put(repo, 'main.tf', tf);
      const out = join(makeOutside('trustaudit-reports-'), 'report.json');
      // Asynchronous, so that the server can answer while the scan runs.
      await new Promise<void>((done, fail) => {
        execFile(
          process.execPath,
          [binPath, 'scan', '.', '--account', '111122223333', '--format', 'json', '--output', out],
          { cwd: repo, env: { ...process.env, TRUSTAUDIT_DB: 'off', NO_COLOR: '1' }, timeout: 60_000 },
          (error) => (error && error.code !== 1 ? fail(error) : done()),
        );
      });
      const report = JSON.parse(readFileSync(out, 'utf8')) as {
        findings: { resource: { name: string } }[];
        warnings: { code: string; file?: string; line?: number; message: string }[];
      };
      expect(requests).toBe(0);
      expect(report.findings.map((f) => f.resource.name)).toEqual(['vendor']);
      expect(report.warnings.map((w) => [w.code, w.line])).toEqual([
        ['module-not-fetched', lineOf(tf, `source = "http://`)],
        ['module-not-fetched', lineOf(tf, 'source = "git::')],
        ['module-not-fetched', lineOf(tf, `source = "${base}/acme`)],
      ]);
      for (const w of report.warnings) expect(w.message).toMatch(/never uses the network/);
    });
  });
});
