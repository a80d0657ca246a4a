/**
 * The atomic write itself, with faults injected through its file-system interface (short writes, ENOSPC,
 * a failing fsync or rename, bytes that read back different): the target is always either the old file or
 * the whole new one, no temporary file is left, and the error names the target and the cause. These run
 * where a tmpfs cannot be mounted too.
 */
import { lstatSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReportFiles } from '../../src/cli/write-report.js';
import {
  nodeWriteFs,
  produceFileAtomic,
  WriteError,
  type WriteFs,
  writeFileAtomic,
} from '../../src/util/atomic-write.js';
import { makeDirs } from '../../src/util/make-dirs.js';
import { entries, fullAfter } from './write-helpers.js';

const dir = () => mkdtempSync(join(tmpdir(), 'ta-atomic-'));

function caught(fn: () => void): WriteError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WriteError);
    return e as WriteError;
  }
  throw new Error('expected a WriteError');
}

describe('writeFileAtomic', () => {
  it('goes on after short writes until every byte is written', () => {
    const d = dir();
    const file = join(d, 'r.json');
    // Every write takes at most 7 bytes.
    const fs: WriteFs = {
      ...nodeWriteFs,
      write: (fd, b, o, l) => nodeWriteFs.write(fd, b, o, Math.min(l, 7)),
    };
    const text = `${'é'.repeat(1000)}\n`;
    writeFileAtomic(file, text, { fs });
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(entries(d)).toEqual(['r.json']);
  });

  it('a write that makes no progress is an error: old file kept, no temporary file', () => {
    const d = dir();
    const file = join(d, 'r.json');
    writeFileSync(file, 'old');
    const fs: WriteFs = {
      ...nodeWriteFs,
      write: (fd, b, o) => (o === 0 ? nodeWriteFs.write(fd, b, o, 3) : 0),
    };
    const e = caught(() => writeFileAtomic(file, 'the new report', { fs }));
    expect(e.message).toBe(`cannot write ${file}: short write: 3 of 14 bytes written`);
    expect(e.code).toBe('SHORT_WRITE');
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(entries(d)).toEqual(['r.json']);
  });

  it('ENOSPC part-way through pieces: "no space left on device", nothing at the target', () => {
    const d = dir();
    const file = join(d, 'r.sarif');
    const fs = fullAfter(1000);
    const pieces = Array.from({ length: 100 }, (_, i) => `{"piece":${i}},`);
    const e = caught(() => writeFileAtomic(file, pieces, { fs }));
    expect(e.message).toBe(`cannot write ${file}: no space left on device (ENOSPC)`);
    expect(e.code).toBe('ENOSPC');
    expect(fs.written()).toBe(1000);
    expect(entries(d)).toEqual([]);
  });

  it('a long text is written in slices, none cutting a character in two', () => {
    const d = dir();
    const file = join(d, 'r.html');
    // 4 Mi characters is one slice: the emoji's two UTF-16 halves straddle the cut.
    const text = `${'a'.repeat(4 * 1024 * 1024 - 1)}\u{1F600}b`;
    let writes = 0;
    const fs: WriteFs = {
      ...nodeWriteFs,
      write: (fd, b, o, l) => {
        writes++;
        return nodeWriteFs.write(fd, b, o, l);
      },
    };
    writeFileAtomic(file, text, { fs });
    expect(writes).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('pieces written whole are the joined text', () => {
    const d = dir();
    const file = join(d, 'r.json');
    const pieces = ['[', '1', ',', '"ü"', ']\n'];
    writeFileAtomic(file, pieces);
    expect(readFileSync(file, 'utf8')).toBe(pieces.join(''));
  });

  it.each([
    ['fsync', { fsync: () => failWith('EIO') }, 'input/output error (EIO)'],
    ['rename', { rename: () => failWith('EXDEV') }, 'not on the same file system (EXDEV)'],
    ['close', { close: () => failWith('EDQUOT') }, 'disk quota exceeded (EDQUOT)'],
  ] as const)('a failing %s leaves the old file and no temporary file', (_n, over, reason) => {
    const d = dir();
    const file = join(d, 'r.txt');
    writeFileSync(file, 'old');
    const fs: WriteFs = { ...nodeWriteFs, ...over } as WriteFs;
    const e = caught(() => writeFileAtomic(file, 'new', { fs }));
    expect(e.message).toBe(`cannot write ${file}: ${reason}`);
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(entries(d)).toEqual(['r.txt']);
  });

  it('keeps the mode of the file it replaces; new files get 0o644, forced modes stay exact', () => {
    const d = dir();
    const kept = join(d, 'kept.txt');
    writeFileSync(kept, 'old', { mode: 0o640 });
    writeFileAtomic(kept, 'new');
    expect(statSync(kept).mode & 0o777).toBe(0o640);
    const fresh = join(d, 'fresh.txt');
    writeFileAtomic(fresh, 'x');
    expect(statSync(fresh).mode & 0o777).toBe(0o644);
    writeFileAtomic(kept, 'secret', { mode: 0o600, forceMode: true });
    expect(statSync(kept).mode & 0o777).toBe(0o600);
  });

  it('noReplace never replaces an existing file', () => {
    const d = dir();
    const file = join(d, 'b.json');
    writeFileSync(file, 'older backup');
    const e = caught(() => writeFileAtomic(file, 'new', { noReplace: true }));
    expect(e.code).toBe('EEXIST');
    expect(readFileSync(file, 'utf8')).toBe('older backup');
    expect(entries(d)).toEqual(['b.json']);
  });

  it('noReplace on a file system without hard links still never replaces, and writes when free', () => {
    const d = dir();
    const fs: WriteFs = { ...nodeWriteFs, link: () => failWith('EPERM') };
    const file = join(d, 'b.json');
    writeFileAtomic(file, 'first', { noReplace: true, fs });
    expect(caught(() => writeFileAtomic(file, 'second', { noReplace: true, fs })).code).toBe('EEXIST');
    expect(readFileSync(file, 'utf8')).toBe('first');
    expect(entries(d)).toEqual(['b.json']);
  });

  it('a symbolic link at the target is replaced by the file, not followed', () => {
    const d = dir();
    writeFileSync(join(d, 'victim'), 'precious');
    symlinkSync(join(d, 'victim'), join(d, 'r.json'));
    writeFileAtomic(join(d, 'r.json'), '{}');
    expect(readFileSync(join(d, 'victim'), 'utf8')).toBe('precious');
    expect(lstatSync(join(d, 'r.json')).isFile()).toBe(true);
    expect(statSync(join(d, 'r.json')).mode & 0o777).toBe(0o644);
  });

  it('verify: bytes that read back different are refused before the file gets its name', () => {
    const d = dir();
    const file = join(d, 'b.json');
    const fs: WriteFs = { ...nodeWriteFs, readFile: (p) => nodeWriteFs.readFile(p).subarray(0, 5) };
    const e = caught(() => writeFileAtomic(file, '{"document": "x"}\n', { fs, verify: true }));
    expect(e.code).toBe('VERIFY_FAILED');
    expect(e.message).toContain('differ');
    expect(entries(d)).toEqual([]);
  });

  it('a missing folder is one line naming the file', () => {
    const file = join(dir(), 'missing', 'x.json');
    const e = caught(() => writeFileAtomic(file, '{}'));
    expect(e.message).toBe(`cannot write ${file}: the folder does not exist (ENOENT)`);
  });
});

describe('produceFileAtomic', () => {
  it('a producer that fails leaves nothing behind and names the target', async () => {
    const d = dir();
    const file = join(d, 'history.db.backup');
    await expect(
      produceFileAtomic(file, (tmp) => {
        writeFileSync(tmp, 'half');
        throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      }),
    ).rejects.toThrow(`cannot write ${file}: no space left on device (SQLITE_FULL)`);
    expect(entries(d)).toEqual([]);
  });
});

describe('makeDirs', () => {
  it('a folder under /proc fails at once instead of looping', () => {
    const e = caught(() => makeDirs('/proc/ta-no-such/sub'));
    expect(e.message).toBe(
      'cannot create folder /proc/ta-no-such: the file system does not allow a folder here (ENOENT)',
    );
  });

  it('a file where a folder is needed', () => {
    const d = dir();
    writeFileSync(join(d, 'file'), '');
    expect(caught(() => makeDirs(join(d, 'file'))).message).toBe(
      `cannot create folder ${join(d, 'file')}: it exists and is not a folder`,
    );
    expect(caught(() => makeDirs(join(d, 'file', 'sub'))).message).toContain('is not a folder');
  });

  it('creates missing levels', () => {
    const d = dir();
    makeDirs(join(d, 'a', 'b', 'c'));
    expect(statSync(join(d, 'a', 'b', 'c')).isDirectory()).toBe(true);
  });
});

describe('writeReportFiles', () => {
  it('a failed file gets one error line and no "wrote" line; the others are still written', () => {
    const d = dir();
    const err: string[] = [];
    // Room for the first report only.
    const fs = fullAfter(10);
    const ok = writeReportFiles(
      [
        { file: join(d, 'a.txt'), text: '0123456789' },
        { file: join(d, 'b.txt'), text: ['more', ' text'] },
      ],
      { stderr: { write: (s: string) => err.push(s) } },
      { fs },
    );
    expect(ok).toBe(false);
    expect(err).toEqual([
      `wrote ${join(d, 'a.txt')}\n`,
      `trustaudit: cannot write ${join(d, 'b.txt')}: no space left on device (ENOSPC)\n`,
    ]);
    expect(entries(d)).toEqual(['a.txt']);
  });
});

function failWith(code: string): never {
  throw Object.assign(new Error(`${code}: failed`), { code });
}
