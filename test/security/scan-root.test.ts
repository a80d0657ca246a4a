/**
 * The scan root's reader on its own, with the file system injected where the real one cannot show
 * the case (a file that never ends, a read that fails half-way).
 */
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeRootFs, openScanRoot, type RootFs, readRegularFile } from '../../src/scan/scan-root.js';
import { makeOutside, makeRepo, put } from './scan-root-helpers.js';

describe('ScanRoot.read', () => {
  it('reads a file inside the root, by a relative or an absolute path', () => {
    const repo = makeRepo();
    put(repo, 'infra/policy.json', '{}');
    const root = openScanRoot(repo, 1024);
    expect(root.read('policy.json', join(repo, 'infra'))).toMatchObject({ ok: true, text: '{}' });
    expect(root.read(join(repo, 'infra/policy.json'), '/')).toMatchObject({ ok: true, text: '{}' });
  });

  it.each([
    ['an absolute path outside', '/etc/passwd', 'outside'],
    ['../ out of the root', '../../../../../../etc/passwd', 'outside'],
    ['a home folder', '~/.aws/credentials', 'outside'],
    ['a .git folder', '.git/config', 'outside'],
    ['a device', '/dev/zero', 'outside'],
    ['a missing file inside', 'nope.txt', 'missing'],
    ['a folder', '.', 'not-regular'],
  ])('refuses %s', (_name, target, refusal) => {
    const repo = makeRepo();
    put(repo, '.git/config', 'token');
    expect(openScanRoot(repo, 1024).read(target, repo)).toMatchObject({ ok: false, refusal });
  });

  it('refuses a link whose real path leaves the root, and follows one that stays inside', () => {
    const repo = makeRepo();
    const outside = makeOutside();
    put(outside, 'secret.txt', 'secret');
    put(repo, 'real/inside.txt', 'inside');
    mkdirSync(join(repo, 'links'));
    symlinkSync(join(outside, 'secret.txt'), join(repo, 'links/out.txt'));
    symlinkSync('../real/inside.txt', join(repo, 'links/in.txt'));
    const root = openScanRoot(repo, 1024);
    expect(root.read('links/out.txt', repo)).toMatchObject({ ok: false, refusal: 'outside' });
    expect(root.read('links/in.txt', repo)).toMatchObject({ ok: true, text: 'inside' });
    // A file the walk found: allowed inside the root or inside a folder the user named.
    expect(root.readFound(join(repo, 'links/out.txt'))).toMatchObject({ ok: false, refusal: 'outside' });
    expect(root.readFound(join(repo, 'links/out.txt'), [outside])).toMatchObject({ ok: true });
  });

  it('counts the size limit on bytes read: a file that never ends stops one byte past the limit', () => {
    const repo = makeRepo();
    put(repo, 'endless', '');
    let handedOut = 0;
    const endless: RootFs = {
      ...nodeRootFs,
      read: (_fd, buf, offset, length) => {
        buf.fill(0x41, offset, offset + length);
        handedOut += length;
        return length;
      },
    };
    const r = openScanRoot(repo, 10_000, endless).read('endless', repo);
    expect(r).toMatchObject({ ok: false, refusal: 'too-large' });
    expect(handedOut).toBe(10_001);
  });

  it('a read that fails half-way is a refusal, never a throw, and the descriptor is closed', () => {
    const repo = makeRepo();
    put(repo, 'flaky', 'x');
    let closed = 0;
    const flaky: RootFs = {
      ...nodeRootFs,
      read: () => {
        throw Object.assign(new Error('EIO'), { code: 'EIO' });
      },
      close: (fd) => {
        closed++;
        nodeRootFs.close(fd);
      },
    };
    expect(openScanRoot(repo, 1024, flaky).read('flaky', repo)).toMatchObject({
      ok: false,
      refusal: 'unreadable',
    });
    expect(closed).toBe(1);
  });
});

describe('readRegularFile (paths the user typed)', () => {
  it('reads anywhere, but only a regular file within the size limit', () => {
    const outside = makeOutside();
    put(outside, 'vars.tfvars', 'a = 1\n');
    expect(readRegularFile(join(outside, 'vars.tfvars'), 1024)).toMatchObject({ ok: true, text: 'a = 1\n' });
    expect(readRegularFile('/dev/zero', 1024)).toMatchObject({ ok: false, refusal: 'not-regular' });
    expect(readRegularFile(join(outside, 'vars.tfvars'), 3)).toMatchObject({
      ok: false,
      refusal: 'too-large',
    });
  });
});
