import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runJson, tempDir } from '../helpers/cli.js';

/**
 * What a scan covers, through the real CLI: resolved input problems are warnings, `--exclude` and the
 * config's `exclude:`, `.gitignore` (and `--no-gitignore`), config discovery up to the repository root.
 */
const VENDOR = '464622532012';
const OWNER = '123456789012';

/** A bare trust policy that lets a third-party account in with nothing checked (one TA001 finding). */
const openPolicy = (account = VENDOR) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' },
    ],
  });

function tree(files: Record<string, string>): string {
  const dir = tempDir('trustaudit-scope-');
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

function gitInit(dir: string): void {
  const r = spawnSync('git', ['init', '-q', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git init failed: ${r.stderr}`);
}

type Warning = { code: string; message: string; file?: string; line?: number; column?: number };
const files = (report: { findings: { location: { file: string } }[] }) =>
  [...new Set(report.findings.map((f) => f.location.file))].sort();

const CFN_DUPLICATE_YAML = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Vendor:
    Type: AWS::IAM::Role
    Properties:
      RoleName: first-name
      RoleName: vendor-access
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { AWS: "arn:aws:iam::${VENDOR}:root" }
            Action: sts:AssumeRole
`;

const CFN_DUPLICATE_JSON = JSON.stringify({
  AWSTemplateFormatVersion: '2010-09-09',
  Resources: {
    Vendor: {
      Type: 'AWS::IAM::Role',
      Properties: { RoleName: 'NAME', AssumeRolePolicyDocument: JSON.parse(openPolicy()) },
    },
  },
}).replace('"RoleName":"NAME"', '"RoleName":"first-name","RoleName":"vendor-access"');

describe('resolved input problems are warnings', () => {
  it.each([
    ['template.yaml', CFN_DUPLICATE_YAML, 7],
    ['template.json', CFN_DUPLICATE_JSON, 1],
  ])(
    'a duplicate key in %s is resolved (last wins), scanned, and does not make the exit code 2',
    (name, text, line) => {
      const dir = tree({ [name]: text });
      const { code, report } = runJson(['scan', name, '--account', OWNER], { cwd: dir });
      expect(report.errors).toEqual([]);
      expect(code).toBe(1);
      expect(report.findings.map((f) => f.resource.name)).toEqual(['vendor-access']);
      const dup = (report.warnings as Warning[]).filter((w) => w.code === 'duplicate-key');
      expect(dup).toHaveLength(1);
      expect(dup[0]).toMatchObject({ file: name, line });
      expect(dup[0]?.message).toMatch(/duplicate key "RoleName".*keeps the last one/);
      expect(report.summary.complete).toBe(true);
    },
  );

  it('a duplicate key in an Ansible task file is named in a warning (it was dropped before)', () => {
    const task = `- name: vendor role
  amazon.aws.iam_role:
    name: vendor-access
    name: vendor-access
    assume_role_policy_document: '${openPolicy()}'
`;
    const dir = tree({ 'tasks/main.yml': task });
    const { code, report } = runJson(['scan', '.', '--account', OWNER], { cwd: dir });
    expect(report.errors).toEqual([]);
    expect(code).toBe(1);
    expect(report.findings).toHaveLength(1);
    expect((report.warnings as Warning[]).filter((w) => w.code === 'duplicate-key')).toMatchObject([
      { file: 'tasks/main.yml', line: 4 },
    ]);
  });

  it('a duplicate key in a Pulumi stack settings file is a warning; the stack is still judged', () => {
    const program = `name: p
runtime: yaml
config:
  vendorAccountId:
    type: string
resources:
  vendor:
    type: aws:iam:Role
    properties:
      name: VendorAccess
      assumeRolePolicy:
        fn::toJSON:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal:
                AWS: arn:aws:iam::\${vendorAccountId}:root
              Action: sts:AssumeRole
`;
    const stack = `config:\n  p:vendorAccountId: "111122223333"\n  p:vendorAccountId: "${VENDOR}"\n`;
    const dir = tree({ 'Pulumi.yaml': program, 'Pulumi.dev.yaml': stack });
    const { code, report } = runJson(['scan', '.', '--account', OWNER], { cwd: dir });
    expect(report.errors).toEqual([]);
    expect(code).toBe(1);
    expect(report.findings.map((f) => f.principals.map((p) => p.account))).toEqual([[VENDOR]]);
    expect((report.warnings as Warning[]).filter((w) => w.code === 'duplicate-key')).toMatchObject([
      { file: 'Pulumi.dev.yaml', line: 3 },
    ]);
  });
});

describe('--exclude and exclude:', () => {
  const layout = () =>
    tree({
      'infra/vendor.json': openPolicy(),
      'fixtures/bad.json': openPolicy(),
      'deep/fixtures/also.json': openPolicy(),
      'legacy/old.json': openPolicy(),
    });

  it('leaves out what the globs match, relative to the current folder; a name-only glob matches at any depth', () => {
    const dir = layout();
    const all = runJson(['scan', '.', '--account', OWNER], { cwd: dir }).report;
    expect(files(all)).toHaveLength(4);
    const { code, report } = runJson(
      ['scan', '.', '--account', OWNER, '--exclude', 'fixtures', '--exclude', 'legacy/**'],
      { cwd: dir },
    );
    expect(code).toBe(1);
    expect(files(report)).toEqual(['infra/vendor.json']);
    expect(report.summary.filesScanned).toBe(1);
    // What was left out is never silent: one warning per source of globs counts it.
    expect(report.warnings.map((w) => w.message)).toContain(
      '3 paths (files or folders) left out by --exclude',
    );
  });

  it('a file named on the command line that an exclude glob matches is left out, with a warning', () => {
    const dir = layout();
    const { code, report } = runJson(
      ['scan', 'legacy/old.json', 'infra/vendor.json', '--account', OWNER, '--exclude', 'legacy/*.json'],
      { cwd: dir },
    );
    expect(code).toBe(1);
    expect(files(report)).toEqual(['infra/vendor.json']);
    expect(report.warnings as Warning[]).toContainEqual(
      expect.objectContaining({
        code: 'excluded',
        file: 'legacy/old.json',
        message: 'legacy/old.json matches --exclude "legacy/*.json"; not scanned',
      }),
    );
  });

  it('a file named on the command line inside an excluded folder is left out too', () => {
    const dir = layout();
    for (const glob of ['legacy', 'legacy/**', './legacy/']) {
      const { report } = runJson(
        ['scan', 'legacy/old.json', 'infra', '--account', OWNER, '--exclude', glob],
        {
          cwd: dir,
        },
      );
      expect(files(report), glob).toEqual(['infra/vendor.json']);
      expect((report.warnings as Warning[]).map((w) => w.code)).toContain('excluded');
    }
  });

  it('exclude: in the config is relative to the config file, and applies when scanning from another folder', () => {
    const dir = layout();
    writeFileSync(
      join(dir, 'trustaudit.config.yaml'),
      `account: "${OWNER}"\nexclude:\n  - fixtures/**\n  - legacy\n`,
    );
    const { report } = runJson(['scan', '.'], { cwd: dir });
    expect(files(report)).toEqual(['deep/fixtures/also.json', 'infra/vendor.json']);
    expect(report.warnings.map((w) => w.message)).toContain(
      '2 paths (files or folders) left out by exclude in trustaudit.config.yaml',
    );
    // From a sub-folder the same config (found above the scanned path) leaves out the same paths.
    const sub = runJson(['scan', '..'], { cwd: join(dir, 'infra') }).report;
    // (Paths outside the current folder are shown absolute.)
    expect(files(sub).map((f) => f.replace(`${dir}/`, 'DIR/'))).toEqual([
      'DIR/deep/fixtures/also.json',
      'vendor.json',
    ]);
  });

  it.each([
    ['exclude: "fixtures"\n', /trustaudit\.config\.yaml:1:10: exclude: .*array/i],
    [
      'exclude:\n  - ok/**\n  - "!keep.json"\n',
      /trustaudit\.config\.yaml:3:5: exclude\.1: "!keep\.json": negated globs are not supported/,
    ],
  ])('a bad exclude: is a config error with file, line and column (%j)', (yaml, message) => {
    const dir = tree({ 'trustaudit.config.yaml': yaml, 'a.json': openPolicy() });
    const r = runCli(['scan', '.', '--account', OWNER], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('an empty or negated --exclude is a usage error', () => {
    const dir = layout();
    for (const glob of ['', '!infra']) {
      const r = runCli(['scan', '.', '--account', OWNER, '--exclude', glob], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--exclude: /);
    }
  });
});

describe('.gitignore', () => {
  const repo = () => {
    const dir = tree({
      '.gitignore': 'build/\n*.generated.json\n',
      'infra/vendor.json': openPolicy(),
      'build/out.json': openPolicy(),
      'infra/policy.generated.json': openPolicy(),
    });
    gitInit(dir);
    return dir;
  };

  it('files git ignores are not walked inside a git repository', () => {
    const dir = repo();
    const { code, report } = runJson(['scan', '.', '--account', OWNER], { cwd: dir });
    expect(code).toBe(1);
    expect(files(report)).toEqual(['infra/vendor.json']);
  });

  it('.gitignore files of the folders above a scanned sub-folder apply too', () => {
    const dir = repo();
    const { report } = runJson(['scan', 'infra', '--account', OWNER], { cwd: dir });
    expect(files(report)).toEqual(['infra/vendor.json']);
  });

  it('--no-gitignore walks them too', () => {
    const dir = repo();
    const { report } = runJson(['scan', '.', '--account', OWNER, '--no-gitignore'], { cwd: dir });
    expect(files(report)).toEqual(['build/out.json', 'infra/policy.generated.json', 'infra/vendor.json']);
  });

  it('a file named on the command line is scanned even when git ignores it', () => {
    const dir = repo();
    const { report } = runJson(['scan', 'build/out.json', '--account', OWNER], { cwd: dir });
    expect(files(report)).toEqual(['build/out.json']);
  });

  it('without git on PATH, a warning says .gitignore was not honoured and everything is walked', () => {
    const dir = repo();
    const { code, report } = runJson(['scan', '.', '--account', OWNER], {
      cwd: dir,
      env: { PATH: join(dir, 'no-such-bin') },
    });
    expect(code).toBe(1);
    expect(files(report)).toEqual(['build/out.json', 'infra/policy.generated.json', 'infra/vendor.json']);
    expect(report.warnings as Warning[]).toContainEqual(
      expect.objectContaining({
        code: 'gitignore-not-read',
        message: expect.stringMatching(/git is not on PATH, so \.gitignore could not be honoured/),
      }),
    );
  });

  it('the repository cannot make git run a program (core.fsmonitor)', () => {
    const dir = repo();
    const marker = join(dir, 'fsmonitor-ran');
    const hook = join(dir, 'monitor.sh');
    writeFileSync(hook, `#!/bin/sh\ntouch '${marker}'\n`, { mode: 0o755 });
    // git asks the monitor when it reads an index: give the repository one.
    for (const args of [
      ['config', 'core.fsmonitor', hook],
      ['add', '.gitignore'],
    ]) {
      const r = spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    }
    // The check is real: plain git in this repository runs the program.
    spawnSync('git', ['-C', dir, 'ls-files', '--others', '--ignored', '--exclude-standard', '--directory'], {
      encoding: 'utf8',
    });
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);
    const { report } = runJson(['scan', '.', '--account', OWNER], { cwd: dir });
    expect(files(report)).toEqual(['infra/vendor.json']);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('config discovery up to the repository root', () => {
  /** A repository whose top-level config trusts the vendor: a scan that uses it has no finding. */
  const repo = () => {
    const top = tree({
      'repo/trustaudit.config.yaml': `account: "${OWNER}"\ntrustedAccounts: ["${VENDOR}"]\n`,
      'repo/infra/app/vendor.json': openPolicy(),
      'elsewhere/.keep': '',
    });
    gitInit(join(top, 'repo'));
    return top;
  };

  it('uses the nearest config at or above the scanned path, up to the git top level, and says so', () => {
    const top = repo();
    const { code, report, stderr } = runJson(['scan', '../repo/infra/app'], { cwd: join(top, 'elsewhere') });
    expect(code).toBe(0);
    expect(report.findings).toEqual([]);
    const cfg = (report.summary as { config?: { file: string | null; origin: string } }).config;
    expect(cfg).toMatchObject({ origin: 'scanned-tree' });
    expect(cfg?.file).toMatch(/repo\/trustaudit\.config\.yaml$/);
    expect(stderr).toMatch(/using config .*repo\/trustaudit\.config\.yaml from the scanned tree/);
    const text = runCli(['scan', '../repo/infra/app'], { cwd: join(top, 'elsewhere') }).stdout;
    expect(text).toMatch(/Config: .*trustaudit\.config\.yaml \(found at or above the scanned path/);
  });

  it('only the nearest config applies (a nearer one wins, nothing is merged)', () => {
    const top = repo();
    writeFileSync(join(top, 'repo/infra/trustaudit.config.yml'), `account: "${OWNER}"\n`);
    const { code, report } = runJson(['scan', 'repo/infra/app'], { cwd: top });
    expect(code).toBe(1);
    expect(report.findings).toHaveLength(1);
    const cfg = (report.summary as { config?: { file: string | null } }).config;
    expect(cfg?.file).toBe('repo/infra/trustaudit.config.yml');
  });

  it('never looks above the git top level', () => {
    const top = tree({
      'trustaudit.config.yaml': `account: "${OWNER}"\ntrustedAccounts: ["${VENDOR}"]\n`,
      'repo/infra/vendor.json': openPolicy(),
      'elsewhere/.keep': '',
    });
    gitInit(join(top, 'repo'));
    const { code, report } = runJson(['scan', '../repo/infra', '--account', OWNER], {
      cwd: join(top, 'elsewhere'),
    });
    expect(code).toBe(1);
    expect((report.summary as { config?: { file: string | null } }).config?.file).toBeNull();
  });

  it('--no-repo-config turns discovery off and names the file it left unread', () => {
    const top = repo();
    const { code, report } = runJson(['scan', '../repo/infra/app', '--no-repo-config', '--account', OWNER], {
      cwd: join(top, 'elsewhere'),
    });
    expect(code).toBe(1);
    const cfg = (report.summary as { config?: { file: string | null; ignoredFile?: string } }).config;
    expect(cfg?.file).toBeNull();
    expect(cfg?.ignoredFile).toMatch(/repo\/trustaudit\.config\.yaml$/);
  });
});
