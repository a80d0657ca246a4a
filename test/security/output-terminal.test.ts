/**
 * Issue 11 item 5 (terminal neutralisation): role names and Sids used to reach the terminal raw in
 * `scan`'s text output: a template could clear the screen, set the window title or print OSC 8 links.
 * Every terminal-bound text now shows such characters as visible escapes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACKUP_KIND } from '../../src/fix/backup.js';
import { ExternalIdBook } from '../../src/fix/external-id.js';
import { planRoleFix } from '../../src/fix/plan.js';
import { renderPlans } from '../../src/fix/run.js';
import { runRollback } from '../../src/fix/run-rollback.js';
import { neutraliseLine, neutraliseText } from '../../src/util/neutralise.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { dirWith, template } from './output-helpers.js';

const CLEAR = '\u001b[2J\u001b[H';
const TITLE = '\u001b]0;owned\u0007';
const LINK = '\u001b]8;;https://evil.example/\u001b\\click\u001b]8;;\u001b\\';
const C1_CSI = '\u009b31m';
const BIDI = '\u202eevil\u202c';

// biome-ignore lint/suspicious/noControlCharactersInRegex: the colour codes the reporters write themselves.
const SGR = /\u001b\[[0-9;]*m/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for terminal control characters is the point.
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('terminal output is neutralised', () => {
  it('the helper makes every control character visible, and keeps the text otherwise', () => {
    expect(neutraliseLine(`a${CLEAR}b`)).toBe('a\\x1b[2J\\x1b[Hb');
    expect(neutraliseLine('a\nb\tc\rd')).toBe('a\\x0ab\\x09c\\x0dd');
    expect(neutraliseText('a\nb\tc\rd')).toBe('a\nb\tc\\x0dd');
    expect(neutraliseLine(C1_CSI)).toBe('\\x9b31m');
    expect(neutraliseLine(BIDI)).toBe('\\u202eevil\\u202c');
    expect(neutraliseLine('Vendor-é-日本')).toBe('Vendor-é-日本');
  });

  it('scan text output: escape sequences in role names and Sids are shown, not sent', () => {
    const roleName = `vendor${CLEAR}${TITLE}${LINK}${C1_CSI}${BIDI}`;
    const sid = `Sid${TITLE}x`;
    const dir = dirWith({ 'stack.json': template([{ logicalId: 'Vendor', roleName, sid }]) });
    const r = runCli(['scan', 'stack.json', '--account', '123456789012', '--no-db'], { cwd: dir });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('vendor\\x1b[2J');
    expect(r.stdout).toContain('Sid\\x1b]0;owned\\x07x');
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
  });

  it('scan text output: the same with colour on (only the colour codes are escape sequences)', () => {
    const dir = dirWith({
      'stack.json': template([{ logicalId: 'Vendor', roleName: `v${TITLE}`, sid: `S${CLEAR}` }]),
    });
    const r = runCli(['scan', 'stack.json', '--account', '123456789012', '--no-db', '--color'], {
      cwd: dir,
      env: { FORCE_COLOR: '1', NO_COLOR: '' },
    });
    // Only SGR colour sequences (ESC [ digits m) remain.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing the colour codes the reporter writes.
    const withoutColour = r.stdout.replace(/\u001b\[[0-9;]*m/g, '');
    expect(withoutColour).not.toMatch(RAW_CONTROL);
    expect(withoutColour).toContain('v\\x1b]0;owned\\x07');
  });

  it('error messages naming a file with control characters are neutralised (text report and stderr)', () => {
    const dir = dirWith({});
    const bad = `bad${TITLE}.json`;
    writeFileSync(join(dir, bad), '{"Version": "2012-10-17", "Statement": [');
    const r = runCli(['scan', bad, '--account', '123456789012', '--no-db'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(`${r.stdout}${r.stderr}`).toContain('bad\\x1b]0;owned\\x07.json');
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
  });

  it('explain: an unknown rule name is quoted without its control characters', () => {
    const r = runCli(['explain', `TA9${CLEAR}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('TA9\\x1b[2J\\x1b[H');
    expect(r.stderr).not.toMatch(RAW_CONTROL);
  });

  it('fix: the plan (diff, command) shows a hostile role name and policy text inert, with or without colour', () => {
    const roleName = `vendor${TITLE}`;
    const raw = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'A',
          Effect: 'Allow',
          Principal: { AWS: '111122223333' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:PrincipalTag/x': `v${C1_CSI}${BIDI}` } },
        },
      ],
    });
    const plan = planRoleFix(
      {
        roleName,
        arn: 'arn:aws:iam::123456789012:role/vendor',
        account: '123456789012',
        statements: [{ statementIndex: 0, principals: [{ value: '111122223333', account: '111122223333' }] }],
      },
      raw,
      { requirement: 'external-id', externalIds: new ExternalIdBook('fixed-id') },
    );
    const plain = renderPlans([plan], { require: 'external-id', color: false });
    expect(plain).not.toMatch(RAW_CONTROL);
    expect(plain).toContain('vendor\\x1b]0;owned\\x07');
    const coloured = renderPlans([plan], { require: 'external-id', color: true }).replace(SGR, '');
    expect(coloured).not.toMatch(RAW_CONTROL);
  });

  it('rollback: a backup naming a hostile role is listed inert', async () => {
    const dir = tempDir();
    const file = join(dir, 'backup.json');
    writeFileSync(
      file,
      JSON.stringify({
        kind: BACKUP_KIND,
        version: 1,
        createdAt: '2026-12-01T00:00:00Z',
        roleName: `vendor${CLEAR}${LINK}`,
        account: `1234${TITLE}`,
        document: '{"Version":"2012-10-17","Statement":[]}',
      }),
    );
    let out = '';
    let err = '';
    const code = await runRollback(
      { paths: [file], yes: false, aws: {} },
      {
        stdout: { write: (s: string) => (out += s) },
        stderr: { write: (s: string) => (err += s) },
        stdinIsTTY: false,
        env: {},
        cwd: dir,
        ask: async () => 'n',
      },
    );
    expect(code).not.toBe(0);
    expect(out).toContain('vendor\\x1b[2J');
    expect(out).not.toMatch(RAW_CONTROL);
    expect(err).not.toMatch(RAW_CONTROL);
  });
});
