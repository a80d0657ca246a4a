/**
 * JsonIds: equal JSON values get equal ids, different values different ids, exactly as keying by
 * `JSON.stringify` text would, whichever way a value is stored (tree nodes or tail text).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonIds } from '../../src/model/json-ids.js';
import type { JsonLike } from '../../src/model/types.js';

describe('JsonIds', () => {
  const differ: { name: string; a: JsonLike; b: JsonLike }[] = [
    { name: 'number and string', a: { v: 1 }, b: { v: '1' } },
    { name: 'boolean and string', a: { v: true }, b: { v: 'true' } },
    { name: 'null and string', a: { v: null }, b: { v: 'null' } },
    { name: 'key order', a: { a: 1, b: 2 }, b: { b: 2, a: 1 } },
    { name: 'list and single value', a: { v: ['x'] }, b: { v: 'x' } },
    { name: 'list and object', a: { v: ['x', 'y'] }, b: { v: { x: 'y' } } },
    { name: 'key and value swapped', a: { x: 'y' }, b: { y: 'x' } },
    { name: 'nesting', a: [['a'], 'b'], b: [['a', 'b']] },
    { name: 'a string that looks like structure', a: { v: '{' }, b: { v: {} } },
    { name: 'empty list and empty object', a: [], b: {} },
  ];
  for (const c of differ) {
    it(`tells apart: ${c.name}`, () => {
      const ids = new JsonIds();
      expect(ids.id(c.a)).not.toBe(ids.id(c.b));
      // And the same value again, as a fresh copy, gets its first id back.
      expect(ids.id(structuredClone(c.a))).toBe(ids.id(c.a));
    });
  }

  it('leaves out properties whose value is undefined, as JSON.stringify does', () => {
    const ids = new JsonIds();
    expect(ids.id({ a: 1, b: undefined } as unknown as JsonLike)).toBe(ids.id({ a: 1 }));
  });

  it('keeps values apart where a node has too many children (they go to tail text)', () => {
    const ids = new JsonIds();
    const doc = (i: number): JsonLike => ({ Condition: { StringEquals: { 'sts:ExternalId': `id-${i}` } } });
    const first = Array.from({ length: 100 }, (_, i) => ids.id(doc(i)));
    expect(new Set(first).size).toBe(100);
    expect(Array.from({ length: 100 }, (_, i) => ids.id(doc(i)))).toEqual(first);
  });

  it('keys large values (beyond the tree depth) by their text, still exactly', () => {
    const ids = new JsonIds();
    const big = (last: string): JsonLike => ({
      list: [...Array.from({ length: 600 }, (_, i) => `v${i}`), last],
    });
    expect(ids.id(big('x'))).toBe(ids.id(big('x')));
    expect(ids.id(big('x'))).not.toBe(ids.id(big('y')));
  });

  it('gives no id, and does not throw, for a value nested too deep to walk', () => {
    let deep: JsonLike = 'x';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(new JsonIds().id(deep)).toBeUndefined();
  });

  it('agrees with JSON.stringify on generated values', () => {
    const value = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonLike>;
    fc.assert(
      fc.property(fc.array(value, { minLength: 2, maxLength: 40 }), (values) => {
        const ids = new JsonIds();
        // Values drawn twice so that equal pairs occur; each compared with every other.
        const all = [...values, ...values.map((v) => JSON.parse(JSON.stringify(v)) as JsonLike)];
        const got = all.map((v) => ids.id(v));
        for (let i = 0; i < all.length; i++) {
          for (let j = i + 1; j < all.length; j++) {
            expect(got[i] === got[j]).toBe(JSON.stringify(all[i]) === JSON.stringify(all[j]));
          }
        }
      }),
      { seed: 20261128, numRuns: 300 },
    );
  });
});
