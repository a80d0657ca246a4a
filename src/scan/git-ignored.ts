import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * What git ignores under a folder: asked of git itself (`git ls-files --others --ignored
 * --exclude-standard --directory`), so `.gitignore` files at every level, `.git/info/exclude` and the
 * user's global excludes mean exactly what they mean to git. Tracked files are never ignored, as in git.
 *
 * The scanned tree is hostile, and so is its `.git/config`: git runs with fixed arguments, no shell,
 * `core.fsmonitor` off (a repository can name a program there that git would run), the untracked cache
 * off, no optional locks (nothing is written), no prompt, standard input closed, none of the caller's
 * `GIT_*` variables (a `GIT_DIR` would point git at another repository), and a time limit.
 */
export interface GitIgnored {
  /** Absolute paths git ignores (a folder stands for everything under it). */
  paths: ReadonlySet<string>;
  /** Why `.gitignore` could not be honoured here (git missing, refused the repository, timed out). */
  problem?: string;
}

/** Runs git with fixed arguments in `cwd` (injected by tests). */
export type GitRunner = (args: readonly string[], cwd: string) => SpawnSyncReturns<Buffer>;

const GIT_TIMEOUT_MS = 60_000;

export const GIT_ARGS: readonly string[] = [
  '-c',
  'core.fsmonitor=false',
  '-c',
  'core.untrackedCache=false',
  'ls-files',
  '--others',
  '--ignored',
  '--exclude-standard',
  '--directory',
  '-z',
  '--',
  '.',
];

export const runGit: GitRunner = (args, cwd) => {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('GIT_')) env[k] = v;
  env.GIT_OPTIONAL_LOCKS = '0';
  env.GIT_TERMINAL_PROMPT = '0';
  return spawnSync('git', [...args], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: GIT_TIMEOUT_MS,
    maxBuffer: 256 * 1024 * 1024,
    shell: false,
  });
};

/** The paths git ignores under the folder `dir` (absolute). Never throws. */
export function gitIgnoredUnder(dir: string, run: GitRunner = runGit): GitIgnored {
  const none = new Set<string>();
  let r: SpawnSyncReturns<Buffer>;
  try {
    r = run(GIT_ARGS, dir);
  } catch (e) {
    return { paths: none, problem: `git could not be run (${(e as Error).message})` };
  }
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    // Outside a repository there is nothing to honour; inside one, a missing git must be said.
    if (code === 'ENOENT') {
      return insideRepository(dir)
        ? { paths: none, problem: 'git is not on PATH, so .gitignore could not be honoured' }
        : { paths: none };
    }
    if (code === 'ETIMEDOUT')
      return { paths: none, problem: `git did not answer within ${GIT_TIMEOUT_MS / 1000} s` };
    return { paths: none, problem: `git could not be run (${r.error.message})` };
  }
  if (r.status !== 0) {
    const said = r.stderr.toString('utf8');
    if (/not a git repository/i.test(said)) return { paths: none };
    const first = said.split('\n').find((l) => l.trim() !== '') ?? `exit code ${r.status}`;
    return { paths: none, problem: `git refused: ${first.replace(/^fatal:\s*/, '').slice(0, 300)}` };
  }
  const paths = new Set<string>();
  for (const entry of r.stdout.toString('utf8').split('\0')) {
    const rel = entry.endsWith('/') ? entry.slice(0, -1) : entry;
    // "" or "." would be the named folder itself: the user named it, so it is still walked.
    if (rel === '' || rel === '.') continue;
    paths.add(resolve(dir, rel));
  }
  return { paths };
}

function insideRepository(dir: string): boolean {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return true;
    if (dirname(d) === d) return false;
  }
}
