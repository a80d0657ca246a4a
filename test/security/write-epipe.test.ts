/**
 * A reader that closes the pipe early (`trustaudit scan -f json | head -c 100`): the CLI ends quietly with
 * the exit code it would have had (here 1, findings), instead of an unhandled EPIPE stack trace.
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { binPath, tempDir } from '../helpers/cli.js';
import { writeBigExport } from './write-helpers.js';

let input: string;
beforeAll(() => {
  // Far larger than a pipe's buffer (64 KiB), so the writer is still writing when `head` leaves.
  input = writeBigExport(tempDir('ta-epipe-'), 400);
});

/** `trustaudit ARGS | head -c 100` in bash; the CLI's stderr and exit code, and what head printed. */
function piped(args: string): { stderr: string; code: number; head: string } {
  const script = `"${process.execPath}" "${binPath}" ${args} 2>"$ERR_FILE" | head -c 100; echo "|\${PIPESTATUS[0]}"; cat "$ERR_FILE"`;
  const errFile = `${tempDir('ta-epipe-err-')}/stderr`;
  const r = spawnSync('bash', ['-c', script], {
    encoding: 'utf8',
    env: { ...process.env, TRUSTAUDIT_DB: 'off', NO_COLOR: '1', ERR_FILE: errFile },
    timeout: 60_000,
  });
  const m = /^([\s\S]*)\|(\d+)\n([\s\S]*)$/.exec(r.stdout);
  if (!m) throw new Error(`unexpected output: ${r.stdout}\n${r.stderr}`);
  return { head: m[1]!, code: Number(m[2]), stderr: m[3]! };
}

describe('EPIPE on standard output', () => {
  it.each(['json', 'sarif', 'text'])(
    'scan -f %s | head -c 100 ends quietly with the exit code for findings',
    (f) => {
      const r = piped(`scan "${input}" -f ${f}`);
      expect(r.head).toHaveLength(100);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1);
    },
  );
});
