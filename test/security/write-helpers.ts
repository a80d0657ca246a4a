/**
 * Helpers for the write tests: a small tmpfs for real ENOSPC (the tests run as root), filling it to a
 * chosen number of free bytes, a generated export large enough to overflow it, and fault-injecting file
 * systems for when mounting is refused.
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  ftruncateSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statfsSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeWriteFs, type WriteFs } from '../../src/util/atomic-write.js';

export interface SmallDisk {
  dir: string;
  /** Unmount and remove the mount point. */
  release(): void;
}

/**
 * Mount a tmpfs of `kib` KiB on a fresh folder. Returns the reason instead when mounting is refused (not
 * root, no privilege in the container): the tests then fall back to injected errors and say so.
 */
export function mountSmallDisk(kib: number, opts: { readOnly?: boolean } = {}): SmallDisk | string {
  const dir = mkdtempSync(join(tmpdir(), 'ta-small-disk-'));
  const r = spawnSync(
    'mount',
    ['-t', 'tmpfs', '-o', `size=${kib}k${opts.readOnly ? ',ro' : ''}`, 'tmpfs', dir],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return `mount -t tmpfs refused: ${(r.stderr || r.error?.message || `exit ${r.status}`).trim()}`;
  }
  return {
    dir,
    release: () => {
      spawnSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Mount at collection time, so a suite can be skipped (visibly, with the reason on stderr) when mounting is
 * refused; write-injected.test.ts then covers the same cases with injected faults. Release in afterAll.
 */
export function smallDiskForSuite(kib: number, opts: { readOnly?: boolean } = {}): SmallDisk | undefined {
  const d = mountSmallDisk(kib, opts);
  if (typeof d !== 'string') return d;
  console.warn(`${d}: the tmpfs tests are skipped; write-injected.test.ts injects the same faults`);
  return undefined;
}

/**
 * Fill the file system of `dir` with a filler file, then give back `leave` bytes (rounded up to whole
 * blocks) so that exactly that much room is left. Returns the filler's path.
 */
export function fillDisk(dir: string, leave = 0): string {
  const filler = join(dir, 'filler');
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(4096, 0x61);
  let size = 0;
  try {
    for (;;) {
      const n = writeSync(fd, chunk, 0, chunk.length);
      size += n;
      if (n < chunk.length) break;
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  }
  if (leave > 0) {
    const block = statfsSync(dir).bsize;
    ftruncateSync(fd, Math.max(0, size - Math.ceil(leave / block) * block));
  }
  closeSync(fd);
  return filler;
}

/** An IAM authorization-details export of `n` roles, each trusting a third party with no condition. */
export function writeBigExport(dir: string, n: number): string {
  const roles = Array.from({ length: n }, (_, i) => ({
    Path: '/',
    RoleName: `vendor-role-${i}`,
    RoleId: `AROAEXAMPLE${String(i).padStart(10, '0')}`,
    Arn: `arn:aws:iam::123456789012:role/vendor-role-${i}`,
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: `Vendor${i}`,
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${String(111122220000 + (i % 50))}:root` },
          Action: 'sts:AssumeRole',
        },
      ],
    },
  }));
  const file = join(dir, 'export.json');
  writeFileSync(
    file,
    JSON.stringify({ UserDetailList: [], RoleDetailList: roles, GroupDetailList: [], Policies: [] }),
  );
  return file;
}

/** Files in `dir`, hidden temporary ones included (an atomic write must leave none behind). */
export function entries(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** A real file system whose writes stop after `room` bytes: a short write, then ENOSPC (like a full disk). */
export function fullAfter(room: number, base: WriteFs = nodeWriteFs): WriteFs & { written(): number } {
  let total = 0;
  return {
    ...base,
    write(fd, buf, offset, length) {
      const left = room - total;
      if (left <= 0)
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      const n = base.write(fd, buf, offset, Math.min(length, left));
      total += n;
      return n;
    },
    written: () => total,
  };
}
