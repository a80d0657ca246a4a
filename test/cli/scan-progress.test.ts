/**
 * Progress of a file scan: on a terminal only (files and roles per second on standard error), never in CI,
 * with --quiet or when standard error is not a terminal, and never in a report.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileScanProgress, inCi } from '../../src/cli/scan-progress.js';
import type { FileSource, InputFile, SourceContext } from '../../src/sources/types.js';
import { binPath, repoRoot, runCli } from '../helpers/cli.js';

function fakeSource(rolesPerLoad: number): FileSource {
  return {
    name: 'fake',
    claim: (f) => f.path.endsWith('.json'),
    load: async () => ({
      roles: Array.from({ length: rolesPerLoad }, () => ({}) as never),
      errors: [],
    }),
  };
}

describe('fileScanProgress', () => {
  it('counts claimed and read files and roles, with rates, and erases its line at the end', async () => {
    const out: string[] = [];
    let t = 0;
    const p = fileScanProgress(
      { write: (s) => out.push(s), isTTY: true },
      { quiet: false, env: {}, now: () => t },
    );
    expect(p).toBeDefined();
    const [src] = p!.wrap([fakeSource(5)]);
    const files = ['a.json', 'b.json', 'c.json', 'd.txt'].map((path) => ({ path }) as InputFile);
    expect(files.filter((f) => src!.claim(f))).toHaveLength(3);
    t = 2000;
    await src!.load(files.slice(0, 3), {} as SourceContext);
    expect(out.at(-1)).toBe('\r\x1b[2Ktrustaudit: files 3/3 · roles 5 · 1.5 files/s · 2.5 roles/s');
    p!.end();
    expect(out.at(-1)).toBe('\r\x1b[2K');
  });

  it('is off when standard error is not a terminal, with --quiet, and in CI', () => {
    const tty = { write: () => true, isTTY: true };
    expect(fileScanProgress({ write: () => true }, { quiet: false, env: {} })).toBeUndefined();
    expect(fileScanProgress(tty, { quiet: true, env: {} })).toBeUndefined();
    for (const ci of ['true', '1', 'yes'])
      expect(fileScanProgress(tty, { quiet: false, env: { CI: ci } })).toBeUndefined();
    expect(inCi({ CI: 'false' })).toBe(false);
    expect(inCi({})).toBe(false);
  });
});

const SCRIPT = '/usr/bin/script';

/** Run the built CLI with a terminal for its output (util-linux `script`); returns what the terminal got. */
function onTerminal(args: string[], env: Record<string, string>): string {
  const cmd = [process.execPath, binPath, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const { CI: _ci, ...rest } = process.env;
  const r = spawnSync(SCRIPT, ['-qec', cmd, '/dev/null'], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...rest, NO_COLOR: '1', TRUSTAUDIT_DB: 'off', ...env },
  });
  return r.stdout;
}

describe.skipIf(!existsSync(SCRIPT))('scan progress through the real CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ta-progress-'));

  it('shows files and roles per second on a terminal, and keeps them out of the report', () => {
    const report = join(dir, 'a.txt');
    const tty = onTerminal(['scan', 'examples', '-o', report], {});
    expect(tty).toMatch(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's erase-line sequence, on purpose
      /\r\x1b\[2Ktrustaudit: files \d+\/\d+ · roles \d+ · [\d.]+ files\/s · [\d.]+ roles\/s/,
    );
    expect(tty).toMatch(/files 18\/18 · roles 27 /);
    const text = readFileSync(report, 'utf8');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: no escape sequence may reach the report
    expect(text).not.toMatch(/files\/s|\x1b/);
  });

  it('shows nothing in CI or with --quiet', () => {
    expect(onTerminal(['scan', 'examples', '-o', join(dir, 'b.txt')], { CI: 'true' })).not.toMatch(
      /files\/s/,
    );
    expect(onTerminal(['scan', 'examples', '-q', '-o', join(dir, 'c.txt')], {})).not.toMatch(/files\/s/);
  });

  it('shows nothing when standard error is not a terminal', () => {
    expect(runCli(['scan', 'examples'], { env: { CI: '' } }).stderr).not.toMatch(/files\/s/);
  });
});
