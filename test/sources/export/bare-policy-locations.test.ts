import { describe, expect, it } from 'vitest';
import { emptyZone } from '../../../src/analysis/zone.js';
import { DEFAULT_BUDGETS } from '../../../src/scan/budgets.js';
import { openScanRoot } from '../../../src/scan/scan-root.js';
import { exportSource } from '../../../src/sources/export/index.js';

const TEXT = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Own",
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::123456789012:root" },
      "Action": "sts:AssumeRole"
    },
    {
      "Sid": "Vendor",
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::464622532012:root" },
      "Action": "sts:AssumeRole",
      "Condition": { "StringLike": { "sts:ExternalId": "*" } }
    }
  ]
}
`;

describe('bare policy files: elements located at their own lines', () => {
  it('statements, principals and conditions carry line, column and end', async () => {
    const { roles, errors } = await exportSource.load([{ path: 'p.json', text: TEXT, explicit: true }], {
      zone: emptyZone(),
      parameters: new Map(),
      variables: new Map(),
      allFiles: [],
      budgets: DEFAULT_BUDGETS,
      root: openScanRoot(process.cwd(), 20 * 1024 * 1024),
      maxFileBytes: 1 << 20,
    });
    expect(errors).toEqual([]);
    const [st0, st1] = roles[0]!.trustPolicy.statements;
    expect(st0?.location).toEqual({ file: 'p.json', line: 4, column: 5, endLine: 9, endColumn: 6 });
    expect(st1?.location).toMatchObject({ line: 10, column: 5, endLine: 16 });
    expect(st1?.principals?.[0]?.location).toMatchObject({ line: 13, column: 29 });
    expect(st1?.conditions[0]?.location).toMatchObject({ line: 15 });
  });

  it('a URL-encoded policy file is located at the file start (no positions inside the encoding)', async () => {
    const encoded = encodeURIComponent(TEXT.replace(/\s+/g, ''));
    const { roles } = await exportSource.load([{ path: 'e.json', text: encoded, explicit: true }], {
      zone: emptyZone(),
      parameters: new Map(),
      variables: new Map(),
      allFiles: [],
      budgets: DEFAULT_BUDGETS,
      root: openScanRoot(process.cwd(), 20 * 1024 * 1024),
      maxFileBytes: 1 << 20,
    });
    expect(roles[0]?.trustPolicy.statements[1]?.location).toMatchObject({ file: 'e.json', line: 1 });
  });
});
