import { describe, expect, it } from 'vitest';
import { corpusDir, repoRoot, runCli } from '../helpers/cli.js';

/**
 * `--jobs N` through the real CLI (the bundle, whose workers run dist/scan-worker.mjs): the JSON report
 * is byte for byte the same whatever the number of threads. The corpus is large enough for the scan to
 * start workers; the examples are small enough to stay in one thread.
 */
const scan = (cwd: string, jobs: string, extra: string[] = []) =>
  runCli(['scan', '.', '--format', 'json', '--no-db', '-q', '--jobs', jobs, ...extra], { cwd });

describe('scan --jobs', () => {
  it('gives the same JSON report with 1 and 4 threads on the examples', () => {
    const one = scan(`${repoRoot}/examples`, '1', ['--account', '123456789012']);
    const four = scan(`${repoRoot}/examples`, '4', ['--account', '123456789012']);
    expect(one.code).toBe(1);
    expect(four.stdout).toBe(one.stdout);
    expect(four.code).toBe(one.code);
  }, 120_000);

  it('gives the same JSON report with 1 and 4 threads on the real-world corpus', () => {
    const one = scan(corpusDir, '1');
    const four = scan(corpusDir, '4');
    expect(one.stdout.length).toBeGreaterThan(1_000_000);
    expect(four.stderr).toBe(one.stderr);
    expect(four.code).toBe(one.code);
    // Not toBe: a difference in a 2 MB report would print both whole; say where they part instead.
    const at = [...one.stdout].findIndex((c, i) => four.stdout[i] !== c);
    expect(
      at === -1 && four.stdout.length === one.stdout.length ? 'same' : `differ from character ${at}`,
    ).toBe('same');
  }, 600_000);

  it('refuses a number of threads that is not a positive whole number', () => {
    for (const bad of ['0', '-1', 'two']) {
      const r = runCli(['scan', '.', '--jobs', bad], { cwd: `${repoRoot}/examples` });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--jobs/);
    }
  });
});
