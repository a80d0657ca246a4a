import type { SpawnSyncReturns } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GIT_ARGS, type GitRunner, gitIgnoredUnder } from '../../src/scan/git-ignored.js';
import { tempDir } from '../helpers/cli.js';

/** How the answers of git become ignored paths or a problem (git's failures are injected). */
function answer(over: Partial<SpawnSyncReturns<Buffer>>): { run: GitRunner; calls: string[][] } {
  const calls: string[][] = [];
  const run: GitRunner = (args) => {
    calls.push([...args]);
    return {
      pid: 1,
      output: [],
      stdout: Buffer.alloc(0),
      stderr: Buffer.alloc(0),
      status: 0,
      signal: null,
      ...over,
    };
  };
  return { run, calls };
}

describe('gitIgnoredUnder', () => {
  it('runs git with fixed arguments only: the monitor and the untracked cache off, the folder as pathspec', () => {
    const { run, calls } = answer({ stdout: Buffer.from('build/\0a b.json\0') });
    const dir = tempDir();
    const r = gitIgnoredUnder(dir, run);
    expect(calls).toEqual([[...GIT_ARGS]]);
    expect(GIT_ARGS.slice(0, 4)).toEqual(['-c', 'core.fsmonitor=false', '-c', 'core.untrackedCache=false']);
    expect([...r.paths].sort()).toEqual([join(dir, 'a b.json'), join(dir, 'build')]);
    expect(r.problem).toBeUndefined();
  });

  it('outside a repository there is nothing to honour and nothing to say', () => {
    const { run } = answer({
      status: 128,
      stderr: Buffer.from('fatal: not a git repository (or any parent)\n'),
    });
    expect(gitIgnoredUnder(tempDir(), run)).toEqual({ paths: new Set() });
  });

  it('a repository git refuses (dubious ownership) is a problem, in git’s words', () => {
    const { run } = answer({
      status: 128,
      stderr: Buffer.from("fatal: detected dubious ownership in repository at '/x'\n"),
    });
    const r = gitIgnoredUnder(tempDir(), run);
    expect(r.paths.size).toBe(0);
    expect(r.problem).toBe("git refused: detected dubious ownership in repository at '/x'");
  });

  it('a git that does not answer in time is a problem', () => {
    const error = Object.assign(new Error('spawnSync git ETIMEDOUT'), { code: 'ETIMEDOUT' });
    const { run } = answer({ error, status: null });
    expect(gitIgnoredUnder(tempDir(), run).problem).toBe('git did not answer within 60 s');
  });

  it('git missing is a problem only inside a repository', () => {
    const error = Object.assign(new Error('spawnSync git ENOENT'), { code: 'ENOENT' });
    const { run } = answer({ error, status: null });
    const plain = tempDir();
    expect(gitIgnoredUnder(plain, run).problem).toBeUndefined();
    const repo = tempDir();
    mkdirSync(join(repo, '.git'));
    mkdirSync(join(repo, 'infra'));
    expect(gitIgnoredUnder(join(repo, 'infra'), run).problem).toMatch(/git is not on PATH/);
  });
});
