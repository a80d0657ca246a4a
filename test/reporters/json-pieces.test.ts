/**
 * jsonPieces joined is exactly JSON.stringify(value, null, 2), whichever containers are written piece
 * by piece.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batches } from '../../src/cli/write-report.js';
import { asffReporter } from '../../src/reporters/asff.js';
import { jsonReporter } from '../../src/reporters/json.js';
import { type JsonPath, jsonPieces } from '../../src/reporters/json-pieces.js';
import { junitReporter } from '../../src/reporters/junit.js';
import { sarifReporter } from '../../src/reporters/sarif.js';
import { type Reporter, wholeText } from '../../src/reporters/types.js';
import { FIXTURE_FILE, HOSTILE_FILE, loadReport } from './report-fixture.js';

describe('jsonPieces', () => {
  const cases: [name: string, value: unknown][] = [
    ['empty containers', { a: [], b: {}, c: [[], {}] }],
    ['undefined members and items', { a: undefined, b: [undefined, 1, () => 1], c: 'x' }],
    [
      'toJSON',
      {
        when: new Date(0),
        nested: { toJSON: () => ({ replaced: true }) },
        gone: { toJSON: () => undefined },
      },
    ],
    ['strings that need escapes', { 'k"\n': ['line\nbreak', '\u2028', 'tab\t'] }],
    ['boxed primitives', { n: Object(1), s: Object('x'), b: Object(false) }],
    ['deep', { a: [{ b: [{ c: [1, { d: null }] }] }] }],
    ['a scalar', 'just text'],
  ];
  for (const [name, value] of cases) {
    it(`${name}: the same text expanding everything, nothing, or the top only`, () => {
      const expected = JSON.stringify(value, null, 2);
      for (const expand of [() => true, () => false, (p: JsonPath) => p.length < 2]) {
        expect(jsonPieces(value, expand).join('')).toBe(expected);
      }
    });
  }

  it('agrees with JSON.stringify on generated values and expansion choices', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 4 }),
        fc.integer({ min: 0, max: 5 }),
        fc.boolean(),
        (value, depth, odd) => {
          // Expand containers above `depth`, and (when `odd`) only those at an odd path length.
          const expand = (p: JsonPath) => p.length < depth && (!odd || p.length % 2 === 1);
          expect(jsonPieces(value, expand).join('')).toBe(JSON.stringify(value, null, 2));
        },
      ),
      { seed: 20261128, numRuns: 500 },
    );
  });

  it('writes a long list as one piece per item', () => {
    const value = { findings: Array.from({ length: 1000 }, (_, i) => ({ i })) };
    const pieces = jsonPieces(value, (p) => p.length < 2);
    expect(pieces.length).toBeGreaterThan(1000);
    expect(Math.max(...pieces.map((x) => x.length))).toBeLessThan(40);
  });
});

describe('reporters in pieces (JSON, SARIF, ASFF, JUnit)', () => {
  const opts = {
    color: false,
    generatedAt: '2026-11-28T00:00:00.000Z',
    region: 'eu-west-1',
    account: '111111111111',
  };
  const cases: [name: string, reporter: Reporter][] = [
    ['json', jsonReporter],
    ['sarif', sarifReporter],
    ['asff', asffReporter],
    ['junit', junitReporter],
  ];
  for (const [name, reporter] of cases) {
    it(`${name}: the pieces joined are the whole text, for the fixture and the hostile report`, () => {
      for (const file of [FIXTURE_FILE, HOSTILE_FILE]) {
        const report = loadReport(file);
        const whole = reporter(report, opts);
        expect(typeof whole).toBe('string');
        const pieces = reporter(report, { ...opts, piecesOver: 0 });
        expect(Array.isArray(pieces)).toBe(true);
        // One piece per finding at least: no piece holds the whole list.
        expect((pieces as string[]).length).toBeGreaterThan(report.findings.length);
        expect(wholeText(pieces)).toBe(whole);
      }
    });
  }

  it('writes batches that join to the whole, none longer than asked unless one piece is', () => {
    const pieces = ['a'.repeat(5), 'b'.repeat(3), 'c'.repeat(20), 'd'];
    const got = [...batches(pieces, 10)];
    expect(got.join('')).toBe(pieces.join(''));
    expect(got).toEqual(['aaaaabbb', 'c'.repeat(20), 'd']);
    expect([...batches('whole', 2)]).toEqual(['whole']);
    expect([...batches([], 2)]).toEqual([]);
  });
});
