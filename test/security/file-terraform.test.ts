/**
 * Terraform file functions cannot read outside the scan root, nor anything but a regular file of
 * bounded size: each attack is a role whose Sid is `file(...)` of something a pull request must never
 * get into the reports. Through the real CLI, with every report format that is uploaded or published.
 */
import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineOf, makeOutside, makeRepo, put, roleTf, scanToReports } from './scan-root-helpers.js';

const SECRET = 'planted-secret-7f3a9c1e5d';

/** Every uploaded report is free of `needle`, the role is still judged, and a warning names the call. */
function expectRefused(
  r: ReturnType<typeof scanToReports>,
  needle: string,
  at: { file: string; line: number },
  reason: RegExp,
): void {
  for (const [format, text] of [
    ['json', r.json],
    ['sarif', r.sarif],
    ['html', r.html],
  ] as const)
    expect(text.includes(needle), `${format} report contains ${needle}`).toBe(false);
  expect(r.report.findings.map((f) => f.resource.name)).toEqual(['vendor']);
  const w = r.report.warnings.find((x) => x.code === 'file-refused');
  expect(w).toMatchObject({ file: at.file, line: at.line });
  expect(w?.column).toBeGreaterThan(0);
  expect(w?.message).toMatch(reason);
  expect(r.notifications.some((n) => n.level === 'warning' && reason.test(n.message.text))).toBe(true);
  expect(r.html).toMatch(reason);
  // A warning is not an error: the scan is complete, and the exit code is the findings' (1).
  expect(r.report.errors).toEqual([]);
  expect(r.run.code).toBe(1);
}

describe('Terraform file() and friends stay inside the scan root', () => {
  it('file("/proc/self/environ") in a Sid puts no environment variable into the reports', () => {
    const repo = makeRepo();
    const tf = roleTf('vendor', 'file("/proc/self/environ")');
    put(repo, 'infra/main.tf', tf);
    const r = scanToReports(repo, ['infra'], { env: { PLANTED_SECRET: SECRET } });
    expectRefused(r, SECRET, { file: 'infra/main.tf', line: lineOf(tf, 'file(') }, /outside the scan root/);
  });

  it('file("../../../../etc/passwd") in a Sid puts no line of /etc/passwd into the reports', () => {
    const repo = makeRepo();
    const tf = roleTf('vendor', 'file("../../../../../../../../etc/passwd")');
    put(repo, 'infra/main.tf', tf);
    const r = scanToReports(repo, ['infra']);
    expectRefused(
      r,
      'root:x:0:0',
      { file: 'infra/main.tf', line: lineOf(tf, 'file(') },
      /outside the scan root/,
    );
  });

  it('templatefile() and filebase64() of an outside file are refused too', () => {
    const repo = makeRepo();
    const outside = makeOutside();
    put(outside, 'secret.txt', SECRET);
    const tf = roleTf(
      'vendor',
      `"\${templatefile("${join(outside, 'secret.txt')}", {})}-\${filebase64("${join(outside, 'secret.txt')}")}"`,
    );
    put(repo, 'main.tf', tf);
    const r = scanToReports(repo, ['.']);
    const b64 = Buffer.from(SECRET).toString('base64');
    for (const text of [r.json, r.sarif, r.html]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(b64);
    }
    expect(r.report.warnings.filter((w) => w.code === 'file-refused')).toHaveLength(2);
    expect(r.report.findings).toHaveLength(1);
  });

  it('a link inside the root that leads out of it is refused (the real path counts)', () => {
    const repo = makeRepo();
    const outside = makeOutside();
    put(outside, 'secret.txt', SECRET);
    symlinkSync(join(outside, 'secret.txt'), join(repo, 'innocent.txt'));
    const tf = roleTf('vendor', 'file("innocent.txt")');
    put(repo, 'main.tf', tf);
    const r = scanToReports(repo, ['.']);
    expectRefused(
      r,
      SECRET,
      { file: 'main.tf', line: lineOf(tf, 'file(') },
      /resolves to .*outside the scan root/,
    );
  });

  it('nothing under .git is read (actions/checkout keeps the job token in .git/config)', () => {
    const repo = makeRepo();
    put(
      repo,
      '.git/config',
      `[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${SECRET}\n`,
    );
    const tf = roleTf('vendor', 'file("../.git/config")');
    put(repo, 'infra/main.tf', tf);
    const r = scanToReports(repo, ['infra']);
    expectRefused(r, SECRET, { file: 'infra/main.tf', line: lineOf(tf, 'file(') }, /\.git folder/);
  });

  it('file("/dev/zero") finishes quickly with a warning (a stat size of 0 proves nothing)', () => {
    const repo = makeRepo();
    const tf = roleTf('vendor', 'file("/dev/zero")');
    put(repo, 'main.tf', tf);
    const started = Date.now();
    const r = scanToReports(repo, ['.'], { timeoutMs: 60_000 });
    expect(Date.now() - started).toBeLessThan(30_000);
    expectRefused(r, '\u0000\u0000\u0000', { file: 'main.tf', line: lineOf(tf, 'file(') }, /\/dev\/zero/);
  });

  it('file() of a FIFO inside the root is refused without waiting for a writer', () => {
    const repo = makeRepo();
    execFileSync('mkfifo', [join(repo, 'pipe')]);
    const tf = roleTf('vendor', 'file("pipe")');
    put(repo, 'main.tf', tf);
    const r = scanToReports(repo, ['.'], { timeoutMs: 60_000 });
    expectRefused(r, SECRET, { file: 'main.tf', line: lineOf(tf, 'file(') }, /not a regular file/);
  });

  it('a file inside the root, named through path.module, is still read', () => {
    const repo = makeRepo();
    put(repo, 'infra/sid.txt', 'FromFile');
    put(repo, 'infra/main.tf', roleTf('vendor', 'trimspace(file("${path.module}/sid.txt"))'));
    const r = scanToReports(repo, ['infra']);
    expect(r.report.warnings).toEqual([]);
    expect(r.json).toContain('"FromFile"');
  });

  it('fileexists() answers inside the root and is unknown (with a warning) outside it', () => {
    const repo = makeRepo();
    put(repo, 'here.txt', 'x');
    const tf = roleTf(
      'vendor',
      '"${fileexists("here.txt")}-${fileexists("missing.txt")}-${fileexists("/etc/passwd")}"',
    );
    put(repo, 'main.tf', tf);
    const r = scanToReports(repo, ['.']);
    expect(r.json).toContain('true-false-');
    const refused = r.report.warnings.filter((w) => w.code === 'file-refused');
    expect(refused).toHaveLength(1);
    expect(refused[0]?.message).toMatch(/fileexists\(\).*\/etc\/passwd/);
  });

  it('--root sets the root: a sibling folder is refused under --root infra, read under the default root', () => {
    const repo = makeRepo();
    put(repo, 'shared/sid.txt', 'Shared');
    const tf = roleTf('vendor', 'trimspace(file("../shared/sid.txt"))');
    put(repo, 'infra/main.tf', tf);
    // Root = infra (given as --root): the sibling is refused.
    const narrow = scanToReports(repo, ['infra'], { args: ['--root', 'infra'] });
    expect(narrow.report.warnings.map((w) => w.code)).toEqual(['file-refused']);
    // Root = the repository (the default): it is read.
    const wide = scanToReports(repo, ['infra']);
    expect(wide.report.warnings).toEqual([]);
    expect(wide.json).toContain('"Shared"');
  });
});
