/**
 * Inputs with more roles (and errors) than a function call can take as arguments: lists that grow with
 * the input must be appended item by item (`push(...list)` throws RangeError past about 120,000 items).
 */
import { describe, expect, it } from 'vitest';
import { emptyZone } from '../../src/analysis/zone.js';
import { parseTrustDocument } from '../../src/model/normalise.js';
import type { Role, ScanError } from '../../src/model/types.js';
import { runScan } from '../../src/scan/run.js';
import { append } from '../../src/util/append.js';

const N = 250_000;

describe('large inputs', () => {
  it('append takes lists far longer than the argument limit', () => {
    const target = [1];
    append(target, new Array(N).fill(2));
    expect(target.length).toBe(N + 1);
    expect(target[N]).toBe(2);
  });

  it(`a scan absorbs ${N.toLocaleString('en-US')} roles and errors from one source`, async () => {
    // One shared policy that trusts a third-party account: every role has one TA001 finding.
    const trustPolicy = parseTrustDocument(
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'sts:AssumeRole' }],
      },
      { file: 'big.json', positionless: true },
    );
    const roles: Role[] = Array.from({ length: N }, (_, i) => ({
      id: `arn:aws:iam::123456789012:role/r${i}`,
      name: `r${i}`,
      account: '123456789012',
      partition: 'aws',
      source: { kind: 'account-authorization-details', location: { file: 'big.json', line: i + 1 } },
      trustPolicy,
    }));
    const errors: ScanError[] = Array.from({ length: N }, (_, i) => ({
      source: 'aws',
      code: 'access-denied',
      message: `role ${i} could not be read`,
    }));
    const result = await runScan({
      paths: [],
      cwd: process.cwd(),
      zone: emptyZone(),
      providers: [async () => ({ roles, errors })],
    });
    expect(result.roles.length).toBe(N);
    expect(result.errors.length).toBe(N);
    expect(result.findings.filter((f) => f.ruleId === 'TA001').length).toBe(N);
  }, 60_000);
});
