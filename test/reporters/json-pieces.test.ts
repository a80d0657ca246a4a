/**
 * jsonPieces joined is exactly JSON.stringify(value, null, 2), whichever containers are written piece
 * by piece.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batches } from '../../src/cli/write-report.js';
import { type JsonPath, jsonPieces, lazyMap } from '../../src/reporters/json-pieces.js';

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
        expect([...jsonPieces(value, expand)].join('')).toBe(expected);
        expect([...jsonPieces(value, expand, { batch: 1 })].join('')).toBe(expected);
        expect([...jsonPieces(value, expand, { indent: '' })].join('')).toBe(JSON.stringify(value));
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
          expect([...jsonPieces(value, expand)].join('')).toBe(JSON.stringify(value, null, 2));
          expect([...jsonPieces(value, expand, { batch: 2 })].join('')).toBe(JSON.stringify(value, null, 2));
          expect([...jsonPieces(value, expand, { indent: '' })].join('')).toBe(JSON.stringify(value));
        },
      ),
      { seed: 20261128, numRuns: 500 },
    );
  });

  it('writes a long list a batch of items at a time, natively indented', () => {
    const value = { findings: Array.from({ length: 1000 }, (_, i) => ({ i })) };
    const pieces = [...jsonPieces(value, (p) => p.length < 2, { batch: 10 })];
    expect(pieces.join('')).toBe(JSON.stringify(value, null, 2));
    expect(pieces.length).toBeGreaterThan(100);
    expect(Math.max(...pieces.map((x) => x.length))).toBeLessThan(300);
  });

  it('writes a LazyList as the array it makes, and JSON.stringify of it agrees', () => {
    const items = Array.from({ length: 600 }, (_, i) => ({ i, deep: { list: [i, String(i)] } }));
    const lazy = lazyMap(items, (x) => ({ ...x, twice: x.i * 2 }));
    const eager = items.map((x) => ({ ...x, twice: x.i * 2 }));
    const expected = JSON.stringify({ a: eager, b: 1 }, null, 2);
    expect([...jsonPieces({ a: lazy, b: 1 }, (p) => p.length < 2)].join('')).toBe(expected);
    expect([...jsonPieces({ a: lazy, b: 1 }, () => false)].join('')).toBe(expected);
    expect(JSON.stringify({ a: lazy, b: 1 }, null, 2)).toBe(expected);
  });
});

describe('writing pieces', () => {
  it('writes batches that join to the whole, none longer than asked unless one piece is', () => {
    const pieces = ['a'.repeat(5), 'b'.repeat(3), 'c'.repeat(20), 'd'];
    const got = [...batches(pieces, 10)];
    expect(got.join('')).toBe(pieces.join(''));
    expect(got).toEqual(['aaaaabbb', 'c'.repeat(20), 'd']);
    expect([...batches('whole', 2)]).toEqual(['whole']);
    expect([...batches([], 2)]).toEqual([]);
  });
});
