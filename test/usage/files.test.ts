import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { UsageCollector, windowEndingAt } from '../../src/usage/aggregate.js';
import { layoutAccount, layoutDay, readCloudTrailPath } from '../../src/usage/files.js';
import { repoRoot } from '../helpers/cli.js';

const FIXTURES = join(repoRoot, 'test/fixtures/cloudtrail');
const NOW = Date.parse('2026-12-01T00:00:00Z');
const OWNER = '111122223333';

function collector(days = 90) {
  return new UsageCollector(windowEndingAt(NOW, days));
}

function record(caller: string, time: string, extra: Record<string, unknown> = {}) {
  return {
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    eventTime: time,
    eventID: `${caller}-${time}`,
    userIdentity: { type: 'AWSAccount', accountId: caller },
    requestParameters: { roleArn: `arn:aws:iam::${OWNER}:role/VendorAccess`, roleSessionName: 's' },
    recipientAccountId: OWNER,
    ...extra,
  };
}

function dayDir(root: string, day: string): string {
  const [y, m, d] = day.split('-');
  const dir = join(root, 'AWSLogs', OWNER, 'CloudTrail', 'us-east-1', y!, m!, d!);
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('reading CloudTrail log folders', () => {
  it('reads the gzipped organization-trail layout and skips digest files', () => {
    const c = collector();
    const r = readCloudTrailPath(join(FIXTURES, 'org'), c);
    expect(r.errors).toEqual([]);
    expect(r.filesRead).toBe(2);
    const vendor = c.usageOf(OWNER, 'VendorAccess', '999988887777');
    expect(vendor.calls).toBe(3);
    expect(vendor.deniedCalls).toBe(1);
    expect(vendor.verdict).toBe('safe-to-enforce');
    expect(c.usageOf(OWNER, 'VendorAccess', '444455556666')).toMatchObject({
      verdict: 'sends-none',
      callsWithMfa: 1,
    });
    expect(c.usageOf(OWNER, 'VendorAccess', '777788889999').verdict).toBe('sends-several-ids');
  });

  it('reads the plain single-account layout, uncompressed, counting both copies of a call once', () => {
    const c = collector();
    const r = readCloudTrailPath(join(FIXTURES, 'plain'), c);
    expect(r).toMatchObject({ filesRead: 1, errors: [] });
    expect(c.usageOf(OWNER, 'VendorAccess', '999988887777').calls).toBe(1);
  });

  it('reads a single file named directly', () => {
    const c = collector();
    const file = join(
      FIXTURES,
      'plain/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/22/111122223333_CloudTrail_us-east-1_20261122T0815Z_MnOpQr0123456789.json',
    );
    expect(readCloudTrailPath(file, c).filesRead).toBe(1);
  });

  it('a bad file is an error naming it; the other files are still read', () => {
    const root = mkdtempSync(join(tmpdir(), 'ta-ct-'));
    const dir = dayDir(root, '2026-11-25');
    writeFileSync(
      join(dir, 'a-good.json.gz'),
      gzipSync(JSON.stringify({ Records: [record('999988887777', '2026-11-25T01:00:00Z')] })),
    );
    writeFileSync(join(dir, 'b-not-gzip.json.gz'), 'plain text');
    writeFileSync(join(dir, 'c-broken-gzip.json.gz'), gzipSync('{"Records":[]}').subarray(0, 12));
    writeFileSync(join(dir, 'd-bad.json'), '{"Records": [');
    writeFileSync(join(dir, 'e-no-records.json'), '{"digestStartTime": "x"}');
    writeFileSync(join(dir, 'f-notes.txt'), 'not a log file, not read');
    const c = collector();
    const r = readCloudTrailPath(root, c);
    expect(r.filesRead).toBe(1);
    const byCode = Object.fromEntries(r.errors.map((e) => [e.file?.split('/').pop(), e.code]));
    expect(byCode).toEqual({
      'b-not-gzip.json.gz': 'cloudtrail-gzip',
      'c-broken-gzip.json.gz': 'cloudtrail-gzip',
      'd-bad.json': 'cloudtrail-json',
      'e-no-records.json': 'cloudtrail-no-records',
    });
    for (const e of r.errors) expect(e.message).toContain(e.file);
    expect(c.usageOf(OWNER, 'VendorAccess', '999988887777').calls).toBe(1);
  });

  it('refuses a file that gunzips past the output limit and one over the size limit', () => {
    const root = mkdtempSync(join(tmpdir(), 'ta-ct-'));
    const dir = dayDir(root, '2026-11-25');
    // 64 MiB of spaces compress to about 64 KiB: a small bomb.
    writeFileSync(join(dir, 'bomb.json.gz'), gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)));
    writeFileSync(join(dir, 'big.json'), `{"Records":[]${' '.repeat(4096)}}`);
    const r = readCloudTrailPath(root, collector(), {
      maxFileBytes: 1024 * 1024,
      maxOutputBytes: 1024 * 1024,
    });
    const codes = r.errors.map((e) => [e.file?.split('/').pop(), e.code]);
    expect(codes).toEqual([['bomb.json.gz', 'cloudtrail-too-large']]);
    const r2 = readCloudTrailPath(root, collector(), { maxFileBytes: 1024, maxOutputBytes: 1024 * 1024 });
    expect(r2.errors.map((e) => e.code).sort()).toEqual(['cloudtrail-too-large', 'cloudtrail-too-large']);
  });

  it('does not open files of days wholly outside the window, and does not follow symbolic links', () => {
    const root = mkdtempSync(join(tmpdir(), 'ta-ct-'));
    // Unreadable if it were opened: an error would show it was.
    writeFileSync(join(dayDir(root, '2025-01-10'), 'old.json'), 'not json');
    writeFileSync(
      join(dayDir(root, '2026-11-30'), 'new.json'),
      JSON.stringify({ Records: [record('999988887777', '2026-11-30T01:00:00Z')] }),
    );
    symlinkSync('/etc/passwd', join(dayDir(root, '2026-11-30'), 'link.json'));
    const r = readCloudTrailPath(root, collector(30));
    expect(r).toMatchObject({ filesRead: 1, filesOutsideWindow: 1, notRegular: 1, errors: [] });
  });

  it('finds the account of the S3 layout in a path (organization trail or not)', () => {
    expect(layoutAccount('x/AWSLogs/o-abc123/111122223333/CloudTrail/eu-west-1/2026/11/21/f.json.gz')).toBe(
      '111122223333',
    );
    expect(layoutAccount('AWSLogs/444455556666/CloudTrail/us-east-1/2026/11/21/f.json')).toBe('444455556666');
    expect(layoutAccount('logs/f.json')).toBeUndefined();
    const c = collector();
    readCloudTrailPath(join(FIXTURES, 'org'), c);
    expect([...c.accounts]).toEqual(['111122223333']);
  });

  it('finds the day of the S3 layout in a path', () => {
    expect(layoutDay('x/AWSLogs/o-abc/111122223333/CloudTrail/eu-west-1/2026/11/21/f.json.gz')).toBe(
      Date.UTC(2026, 10, 21),
    );
    expect(layoutDay('x/AWSLogs/111122223333/CloudTrail/us-east-1/2026/f.json')).toBeUndefined();
  });
});
