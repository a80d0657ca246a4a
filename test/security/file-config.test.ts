/**
 * Files a config file names, and files typed on the command line: only regular files of bounded size
 * are read (a `knownAccounts: /dev/zero` used to hang the scan), and a config file inside the scanned
 * tree cannot make the scan read outside the scan root. Through the real CLI.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeOutside, makeRepo, put, roleTf, runBounded } from './scan-root-helpers.js';

const VENDORS = '- name: Attacker Ltd\n  accounts: ["999988887777"]\n';

function repoWithRole(): string {
  const repo = makeRepo();
  put(repo, 'infra/main.tf', roleTf('vendor'));
  return repo;
}

function scan(repo: string, args: string[]) {
  const r = runBounded(['scan', 'infra', '--account', '111122223333', ...args], {
    cwd: repo,
    timeoutMs: 60_000,
  });
  expect(r.timedOut, 'the scan hung').toBe(false);
  return r;
}

describe('files named by a config file', () => {
  it('knownAccounts: /dev/zero in the config is refused at once, not read until memory runs out', () => {
    const repo = repoWithRole();
    put(repo, 'trustaudit.config.yaml', 'knownAccounts: /dev/zero\n');
    const r = scan(repo, []);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read known accounts: \/dev\/zero/);
  });

  it('knownAccounts naming a FIFO is refused without waiting for a writer', () => {
    const repo = repoWithRole();
    execFileSync('mkfifo', [join(repo, 'vendors.yaml')]);
    put(repo, 'trustaudit.config.yaml', 'knownAccounts: vendors.yaml\n');
    const r = scan(repo, []);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a regular file/);
  });

  it('a config file inside the scanned tree cannot name a vendor list outside the root', () => {
    const repo = repoWithRole();
    const outside = makeOutside();
    put(outside, 'vendors.yaml', VENDORS);
    put(repo, 'trustaudit.config.yaml', `knownAccounts: ${join(outside, 'vendors.yaml')}\n`);
    const r = scan(repo, ['--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read known accounts: .*outside the scan root/);
    expect(r.stdout).not.toContain('Attacker Ltd');
  });

  it('a config file outside the tree (named with --config) may name a vendor list next to it', () => {
    const repo = repoWithRole();
    const outside = makeOutside();
    put(outside, 'vendors.yaml', VENDORS);
    put(outside, 'trustaudit.config.yaml', 'knownAccounts: vendors.yaml\n');
    const r = scan(repo, ['--config', join(outside, 'trustaudit.config.yaml'), '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Attacker Ltd');
  });
});

describe('files typed on the command line are trusted, but still regular and bounded', () => {
  it.each([
    ['--known-accounts', '/dev/zero'],
    ['--var-file', '/dev/zero'],
    ['--parameters-file', '/dev/zero'],
    ['--baseline', '/dev/zero'],
  ])('%s %s is refused at once', (flag, file) => {
    const r = scan(repoWithRole(), [flag, file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a regular file/);
  });

  it.each([['--known-accounts'], ['--var-file'], ['--parameters-file'], ['--baseline']])(
    '%s naming a FIFO is refused without waiting for a writer',
    (flag) => {
      const repo = repoWithRole();
      execFileSync('mkfifo', [join(repo, 'pipe.json')]);
      const r = scan(repo, [flag, 'pipe.json']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/not a regular file/);
    },
  );
});
