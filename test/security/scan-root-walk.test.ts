/**
 * The walk of the scanned folders: symbolic links inside the scan root are followed (Terraform loads
 * a linked `.tf`), links leaving it are refused with a warning, loops end, and only regular files are
 * read (a FIFO or device never blocks the scan). Through the real CLI.
 */
import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeOutside, makeRepo, put, roleTf, runBounded, scanToReports } from './scan-root-helpers.js';

const names = (r: ReturnType<typeof scanToReports>) => r.report.findings.map((f) => f.resource.name).sort();

describe('walking the scanned folders', () => {
  it('reads a symlinked .tf file inside the root, in the folder where it is linked', () => {
    const repo = makeRepo();
    put(repo, 'shared/vendor-role.tf.txt', roleTf('linked'));
    put(repo, 'infra/main.tf', roleTf('plain'));
    symlinkSync('../shared/vendor-role.tf.txt', join(repo, 'infra/linked.tf'));
    const r = scanToReports(repo, ['infra']);
    expect(names(r)).toEqual(['linked', 'plain']);
    expect(r.report.findings.find((f) => f.resource.name === 'linked')?.location.file).toBe(
      'infra/linked.tf',
    );
    expect(r.report.warnings).toEqual([]);
  });

  it('walks a symlinked folder inside the root', () => {
    const repo = makeRepo();
    put(repo, 'modules/vendor/main.tf', roleTf('viaLink'));
    put(repo, 'infra/README.md', 'roles live in modules/');
    symlinkSync('../modules/vendor', join(repo, 'infra/vendor'), 'dir');
    const r = scanToReports(repo, ['infra']);
    expect(names(r)).toEqual(['viaLink']);
  });

  it('refuses, with a warning, a linked file and a linked folder that leave the root', () => {
    const repo = makeRepo();
    const outside = makeOutside();
    put(outside, 'evil.tf', roleTf('outsideFile'));
    put(outside, 'dir/evil.tf', roleTf('outsideDir'));
    put(repo, 'main.tf', roleTf('inside'));
    symlinkSync(join(outside, 'evil.tf'), join(repo, 'escape.tf'));
    symlinkSync(join(outside, 'dir'), join(repo, 'escape-dir'), 'dir');
    const r = scanToReports(repo, ['.']);
    expect(names(r)).toEqual(['inside']);
    const refused = r.report.warnings.filter((w) => w.code === 'not-read');
    expect(refused.map((w) => w.file).sort()).toEqual(['escape-dir', 'escape.tf']);
    for (const w of refused) expect(w.message).toMatch(/outside the scan root/);
    expect(r.notifications.filter((n) => n.level === 'warning')).toHaveLength(2);
    expect(r.run.code).toBe(1); // warnings do not make the scan incomplete
  });

  it('ends on a link loop and reads each real folder once', () => {
    const repo = makeRepo();
    put(repo, 'a/main.tf', roleTf('once'));
    symlinkSync('..', join(repo, 'a/up'), 'dir');
    symlinkSync('.', join(repo, 'a/self'), 'dir');
    const r = scanToReports(repo, ['.'], { timeoutMs: 60_000 });
    expect(names(r)).toEqual(['once']);
  });

  it('a chain of folders each linking twice to the next is walked once per folder, not 2^N times', () => {
    const repo = makeRepo();
    const depth = 24;
    for (let i = 0; i < depth; i++) {
      put(repo, `d${i}/main.tf`, roleTf(`r${i}`));
      if (i + 1 < depth) {
        symlinkSync(`../d${i + 1}`, join(repo, `d${i}/a`), 'dir');
        symlinkSync(`../d${i + 1}`, join(repo, `d${i}/b`), 'dir');
      }
    }
    const r = scanToReports(repo, ['d0'], { timeoutMs: 60_000 });
    expect(r.report.findings).toHaveLength(depth);
  });

  it('refuses a FIFO named like a template in a walked folder, without blocking', () => {
    const repo = makeRepo();
    put(repo, 'main.tf', roleTf('inside'));
    execFileSync('mkfifo', [join(repo, 'pipe.tf')]);
    const r = scanToReports(repo, ['.'], { timeoutMs: 60_000 });
    expect(names(r)).toEqual(['inside']);
    expect(r.report.warnings).toMatchObject([{ code: 'not-read', file: 'pipe.tf' }]);
    expect(r.report.warnings[0]?.message).toMatch(/not a regular file/);
  });

  it('files next to a single named .tf file obey the same rules (a FIFO, a link out of the root)', () => {
    const repo = makeRepo();
    const outside = makeOutside();
    put(outside, 'evil.tf', roleTf('outsideSibling'));
    put(repo, 'infra/main.tf', roleTf('named'));
    put(repo, 'infra/extra.tf', 'locals {\n  x = 1\n}\n');
    execFileSync('mkfifo', [join(repo, 'infra/pipe.tf')]);
    symlinkSync(join(outside, 'evil.tf'), join(repo, 'infra/escape.tf'));
    const r = scanToReports(repo, ['infra/main.tf'], { timeoutMs: 60_000 });
    expect(names(r)).toEqual(['named']);
    const refused = r.report.warnings.filter((w) => w.code === 'file-refused');
    expect(refused.map((w) => w.file).sort()).toEqual(['infra/escape.tf', 'infra/pipe.tf']);
  });

  it('refuses a FIFO named on the command line with an error, without blocking', () => {
    const repo = makeRepo();
    execFileSync('mkfifo', [join(repo, 'policy.json')]);
    const r = runBounded(['scan', 'policy.json', '--format', 'json'], { cwd: repo, timeoutMs: 60_000 });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout) as { errors: { file: string; message: string }[] };
    expect(report.errors).toMatchObject([{ file: 'policy.json' }]);
    expect(report.errors[0]?.message).toMatch(/not a regular file/);
  });

  it('still reads a file named on the command line outside the root (the user chose it)', () => {
    const repo = makeRepo();
    const outside = makeOutside();
    put(repo, 'main.tf', roleTf('inside'));
    put(outside, 'other.tf', roleTf('named'));
    const r = scanToReports(repo, ['.', join(outside, 'other.tf')]);
    expect(names(r)).toEqual(['inside', 'named']);
  });
});
