/**
 * The JSON report's hot path (issue 17, export of 100,000 roles): members of a long list are written in
 * batches whose text stays small whatever the members' size (V8 makes strings past 128 KiB in its
 * large-object space, far slower to make and free), and the per-finding helpers rewritten for speed
 * (`withPolicyId`, `boundFinding`) give exactly what they gave before.
 */
import { describe, expect, it } from 'vitest';
import { boundFinding } from '../../src/findings/bounded-text.js';
import { correctedPolicyTable, withPolicyId } from '../../src/findings/corrected-policies.js';
import type { ExampleRequest, Finding } from '../../src/findings/types.js';
import { jsonPieces } from '../../src/reporters/json-pieces.js';
import { FIXTURE_FILE, loadReport } from './report-fixture.js';

const expandTop = (p: readonly (string | number)[]) =>
  p.length === 0 || (p.length === 1 && p[0] === 'findings');

describe('batches of a long list', () => {
  it('keeps each piece of a list of large members small, and the whole exact', () => {
    // 300 members of about 4 KB: 256 to a batch (the old fixed count) made one piece of over 1 MB.
    const findings = Array.from({ length: 300 }, (_, i) => ({
      i,
      text: `${i}:${'x'.repeat(4000)}`,
      list: [i],
    }));
    const value = { findings, tail: true };
    const pieces = [...jsonPieces(value, expandTop)];
    expect(pieces.join('')).toBe(JSON.stringify(value, null, 2));
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(128 * 1024);
    // Still batched, not one piece per member.
    expect(pieces.length).toBeLessThan(60);
  });

  it('still writes small members many to a batch, up to the batch asked for', () => {
    const value = { findings: Array.from({ length: 2000 }, (_, i) => ({ i })) };
    const pieces = [...jsonPieces(value, expandTop, { batch: 500 })];
    expect(pieces.join('')).toBe(JSON.stringify(value, null, 2));
    // The first batch is small (sizes unknown yet); then 500 a batch.
    expect(pieces.length).toBeLessThan(20);
  });

  it('adapts when members grow along the list', () => {
    const findings = Array.from({ length: 400 }, (_, i) => ({ i, pad: 'y'.repeat(i < 200 ? 10 : 20_000) }));
    const value = { findings };
    const pieces = [...jsonPieces(value, expandTop)];
    expect(pieces.join('')).toBe(JSON.stringify(value, null, 2));
    // Once the large members are seen, their batches are sized for them (the batch that first met
    // them, and the one sized from that mixed batch, can be larger).
    expect(pieces.filter((p) => p.length > 128 * 1024).length).toBeLessThanOrEqual(2);
    expect(Math.max(...pieces.slice(-20).map((p) => p.length))).toBeLessThan(128 * 1024);
  });
});

/** What `withPolicyId` gave before it was rewritten without an object rest. */
function withPolicyIdBefore(f: Finding, table: ReturnType<typeof correctedPolicyTable>): unknown {
  const { correctedPolicy, ...rest } = f.remediation;
  if (correctedPolicy === undefined) return f;
  const id = table.idOf.get(correctedPolicy);
  return { ...f, remediation: id === undefined ? rest : { ...rest, correctedPolicyId: id } };
}

describe('withPolicyId', () => {
  const report = loadReport(FIXTURE_FILE);

  it('gives the same members in the same order as before, with and without a corrected policy', () => {
    const findings = report.findings;
    expect(findings.some((f) => f.remediation.correctedPolicy !== undefined)).toBe(true);
    const table = correctedPolicyTable(findings);
    for (const f of findings) {
      expect(JSON.stringify(withPolicyId(f, table), null, 2)).toBe(
        JSON.stringify(withPolicyIdBefore(f, table), null, 2),
      );
    }
    // A finding without a corrected policy is written as it is (no copy).
    const plain = findings.find((f) => f.remediation.correctedPolicy === undefined);
    if (plain) expect(withPolicyId(plain, table)).toBe(plain);
  });

  it('keeps a member the remediation holds as undefined (left out when written) and drops an unknown policy', () => {
    const f = report.findings.find((x) => x.remediation.correctedPolicy !== undefined) as Finding;
    const odd: Finding = { ...f, remediation: { ...f.remediation, command: undefined } };
    const empty = correctedPolicyTable([]);
    const written = withPolicyId(odd, empty);
    const before = withPolicyIdBefore(odd, empty) as Finding;
    expect(Object.keys(written.remediation)).toEqual(Object.keys(before.remediation));
    expect(Object.keys(written.remediation)).toContain('command');
    expect('correctedPolicyId' in written.remediation).toBe(false);
  });
});

describe('boundFinding', () => {
  const base = loadReport(FIXTURE_FILE).findings[0] as Finding;
  const max = 64;

  it('returns the finding itself when nothing is long', () => {
    expect(boundFinding(base, 4096)).toBe(base);
  });

  it('cuts a long value of the example request context, single or in a list', () => {
    const request: ExampleRequest = base.evidence.request ?? {
      action: 'sts:AssumeRole',
      principal: 'p',
      context: {},
      absentKeys: [],
    };
    for (const value of ['v'.repeat(5000), ['short', 'w'.repeat(5000)]]) {
      const f: Finding = {
        ...base,
        evidence: { ...base.evidence, request: { ...request, context: { 'aws:PrincipalArn': value } } },
      };
      const out = boundFinding(f, max);
      expect(out).not.toBe(f);
      expect(JSON.stringify(out.evidence.request?.context)).toContain('more characters]');
    }
  });

  it('cuts a long account name of a principal, and a long step', () => {
    const withName: Finding = {
      ...base,
      principals: base.principals.map((p) => ({ ...p, accountName: 'N'.repeat(max + 1) })),
    };
    expect(boundFinding(withName, max)).not.toBe(withName);
    expect(boundFinding(withName, max).principals[0]?.accountName).toContain('more characters]');
    const longStep: Finding = {
      ...base,
      remediation: { ...base.remediation, steps: ['s'.repeat(max * 64 + 1)] },
    };
    expect(boundFinding(longStep, max)).not.toBe(longStep);
    expect(boundFinding(longStep, max * 64 + 1)).toBe(longStep);
  });
});
