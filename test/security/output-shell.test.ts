/**
 * Issue 11 item 5 (quoted shell commands): a role name from a template used to be pasted unquoted into
 * the printed `aws iam update-assume-role-policy --role-name …` command (text, JSON, HTML), so copying
 * the suggested fix ran the template author's shell code. Each printed command is run here through a
 * real `sh` with a stand-in `aws` that records its arguments.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { updateCommand } from '../../src/fix/plan.js';
import { shellCommand, shellQuote, updateTrustPolicyCommand } from '../../src/util/shell-quote.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { dirWith, template } from './output-helpers.js';

/** Runs `command` in sh with a fake `aws`; returns the arguments it got and whether the planted file appeared. */
function runInShell(command: string, cwd: string): { args: string[]; planted: boolean } {
  const bin = join(cwd, 'bin');
  mkdirSync(bin, { recursive: true });
  const aws = join(bin, 'aws');
  writeFileSync(aws, `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a"; done > "${join(cwd, 'args')}"\n`);
  chmodSync(aws, 0o755);
  const r = spawnSync('sh', ['-c', command], {
    cwd,
    env: { PATH: `${bin}:/usr/bin:/bin` },
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  const args = readFileSync(join(cwd, 'args'), 'utf8').split('\0').slice(0, -1);
  return { args, planted: existsSync(join(cwd, 'pwned')) };
}

const HOSTILE = [
  'x$(touch pwned)',
  'x`touch pwned`',
  "it's; touch pwned",
  'a;touch pwned',
  'a|touch pwned',
  'a&&touch pwned',
  '$HOME',
  '*',
  '=cmd',
  '-x',
  '',
  "'\\''",
];

describe('printed shell commands are quoted', () => {
  for (const name of HOSTILE) {
    it(`shellQuote keeps ${JSON.stringify(name)} one inert word`, () => {
      const dir = tempDir();
      const { args, planted } = runInShell(`aws ${shellQuote(name)}`, dir);
      expect(args).toEqual([name]);
      expect(planted).toBe(false);
    });
  }

  it('plain words stay unquoted (the command stays readable)', () => {
    expect(shellCommand(['aws', 'iam', '--role-name', 'Vendor-Access_1', 'file://trust-policy.json'])).toBe(
      'aws iam --role-name Vendor-Access_1 file://trust-policy.json',
    );
    expect(updateTrustPolicyCommand('a b')).toBe(
      "aws iam update-assume-role-policy --role-name 'a b' --policy-document file://trust-policy.json",
    );
  });

  it('scan: the command in text, JSON and HTML runs exactly one aws call with the role name as written', () => {
    const roleName = "vendor$(touch pwned)`touch pwned`'; touch pwned";
    const dir = dirWith({ 'stack.json': template([{ logicalId: 'Vendor', roleName }]) });
    const r = runCli(
      [
        'scan',
        'stack.json',
        '--account',
        '123456789012',
        '--no-db',
        '--format',
        'json,text,html',
        '--output-dir',
        'out',
      ],
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, 'out/trustaudit.json'), 'utf8')) as {
      findings: { remediation: { command?: string } }[];
    };
    const command = report.findings[0]?.remediation.command ?? '';
    const want = [
      'iam',
      'update-assume-role-policy',
      '--role-name',
      roleName,
      '--policy-document',
      'file://trust-policy.json',
    ];
    expect(runInShell(command, dir)).toEqual({ args: want, planted: false });
    // The text report prints the same command after "$ ".
    const text = readFileSync(join(dir, 'out/trustaudit.txt'), 'utf8');
    const line = text.split('\n').find((l) => l.trim().startsWith('$ aws')) ?? '';
    expect(runInShell(line.trim().slice(2), dir)).toEqual({ args: want, planted: false });
    // The HTML page carries it in its data block (JSON, with < > & escaped).
    const html = readFileSync(join(dir, 'out/trustaudit.html'), 'utf8');
    const data = /<script type="application\/json" id="ta-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    const fromHtml = (JSON.parse(data) as { f: { rem: { command?: string } }[] }).f[0]?.rem.command;
    expect(fromHtml).toBe(command);
  });

  it('fix: the update command quotes the role name and the document; the account comment stays one line', () => {
    const dir = tempDir();
    const cmd = updateCommand('r$(touch pwned)', '{"Statement":"it\'s"}', '111122223333\ntouch pwned');
    const lines = cmd.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('# in account 111122223333\\x0atouch pwned');
    expect(runInShell(cmd, dir)).toEqual({
      args: [
        'iam',
        'update-assume-role-policy',
        '--role-name',
        'r$(touch pwned)',
        '--policy-document',
        '{"Statement":"it\'s"}',
      ],
      planted: false,
    });
  });
});
