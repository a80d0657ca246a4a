/**
 * Output and history paths that cannot be used, through the real CLI: each is one line naming the path
 * (exit 2 for an output), never an "internal error" with a stack trace; a history database that cannot be
 * created is "scan not recorded" with the report still written and the exit code unchanged, and never a
 * loop (Node's recursive mkdir spins forever under /proc).
 */
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, repoRoot, tempDir } from '../helpers/cli.js';
import { entries, fillDisk, smallDiskForSuite, writeBigExport } from './write-helpers.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** The built CLI with a time limit (the /proc case used to run forever). */
function run(args: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [binPath, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', TRUSTAUDIT_DB: 'off', ...env },
    timeout: 60_000,
    killSignal: 'SIGKILL',
  });
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    timedOut: (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT' || r.signal === 'SIGKILL',
  };
}

const EXAMPLES = join(repoRoot, 'examples');
let work: string;
let plainCode: number | null;

beforeAll(() => {
  work = tempDir('ta-write-paths-');
  plainCode = run(['scan', EXAMPLES, '-f', 'json', '--no-db']).code;
  // The examples have findings: the exit code a history problem must not change.
  expect(plainCode).toBe(1);
});

function expectOneLine(r: Run, line: string): void {
  expect(r.timedOut).toBe(false);
  expect(r.stderr).toBe(`trustaudit: ${line}\n`);
  expect(r.code).toBe(2);
}

describe('report paths', () => {
  it('--output in a folder that does not exist', () => {
    const r = run(['scan', EXAMPLES, '-f', 'json', '--output', '/nonexistent/x.json']);
    expectOneLine(r, 'cannot write /nonexistent/x.json: the folder does not exist (ENOENT)');
  });

  it('--output naming a folder', () => {
    const d = join(work, 'a-folder');
    mkdirSync(d);
    const r = run(['scan', EXAMPLES, '-f', 'json', '--output', d]);
    expectOneLine(r, `cannot write ${d}: it is a folder (EISDIR)`);
    expect(entries(d)).toEqual([]);
  });

  it('a symbolic link planted where a report goes is replaced, never followed', () => {
    // A pull request can commit reports/trustaudit.json -> some file of the CI machine.
    const victim = join(work, 'victim.txt');
    writeFileSync(victim, 'precious');
    const reports = join(work, 'reports');
    mkdirSync(reports);
    symlinkSync(victim, join(reports, 'trustaudit.json'));
    const r = run(['scan', EXAMPLES, '-q', '-f', 'json,sarif', '--output-dir', reports]);
    expect(r.stderr).toBe('');
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(lstatSync(join(reports, 'trustaudit.json')).isFile()).toBe(true);
    expect(JSON.parse(readFileSync(join(reports, 'trustaudit.json'), 'utf8'))).toHaveProperty('findings');
  });

  it('--output-dir naming a file', () => {
    const f = join(work, 'a-file');
    writeFileSync(f, 'kept');
    const r = run(['scan', EXAMPLES, '-f', 'json,sarif', '--output-dir', f]);
    expectOneLine(r, `cannot create folder ${f}: it exists and is not a folder`);
    expect(readFileSync(f, 'utf8')).toBe('kept');
  });
});

// A read-only folder even for root: a read-only tmpfs.
const readOnly = smallDiskForSuite(64, { readOnly: true });
// Real ENOSPC behind `> file`.
const disk = smallDiskForSuite(16);
afterAll(() => {
  readOnly?.release();
  disk?.release();
});

describe('history paths that cannot be created', () => {
  const cases: [string, () => string, RegExp][] = [
    [
      'under /proc',
      () => '/proc/ta-x/history.db',
      /cannot create folder \/proc\/ta-x: the file system does not allow a folder here/,
    ],
    ['under a file', () => join(work, 'a-file', 'history.db'), /is not a folder/],
  ];
  if (readOnly)
    cases.push(['in a read-only folder', () => join(readOnly.dir, 'history.db'), /read-only|unable to open/]);

  it.each(cases)(
    '--db %s: "scan not recorded", the report still written, exit code unchanged',
    (_n, db, why) => {
      writeFileSync(join(work, 'a-file'), 'kept');
      const r = run(['scan', EXAMPLES, '-f', 'json', '--db', db()]);
      expect(r.timedOut).toBe(false);
      expect(r.code).toBe(plainCode);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^trustaudit: warning: scan not recorded/);
      expect(lines[0]).toMatch(why);
      expect((JSON.parse(r.stdout) as { findings: unknown[] }).findings.length).toBeGreaterThan(0);
    },
  );

  it('history --db under /proc: one line, exit 2', () => {
    const r = run(['history', '--db', '/proc/ta-x/history.db']);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^trustaudit: cannot open history database \/proc\/ta-x\/history\.db: .*\n$/);
  });
});

describe.skipIf(!disk)('standard output redirected to a full disk', () => {
  it('is one line and exit 2, not a silently cut report', () => {
    if (!disk) throw new Error('not mounted');
    const input = writeBigExport(work, 200);
    fillDisk(disk.dir, 4096);
    const out = join(disk.dir, 'out.json');
    const r = spawnSync(
      'bash',
      ['-c', `"${process.execPath}" "${binPath}" scan "${input}" -f json > "${out}"`],
      {
        encoding: 'utf8',
        env: { ...process.env, TRUSTAUDIT_DB: 'off' },
        timeout: 60_000,
      },
    );
    expect(r.stderr).toBe('trustaudit: cannot write standard output: no space left on device (ENOSPC)\n');
    expect(r.status).toBe(2);
  });
});
