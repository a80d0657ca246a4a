import { describe, expect, it } from 'vitest';
import { OPERATORS, parseOperator } from '../../../src/eval/operators/index.js';

const valid: [string, ReturnType<typeof parseOperator>][] = [
  ['StringEquals', { base: 'StringEquals', ifExists: false }],
  ['StringLikeIfExists', { base: 'StringLike', ifExists: true }],
  ['ForAnyValue:StringLike', { base: 'StringLike', ifExists: false, setOperator: 'ForAnyValue' }],
  ['ForAllValues:ArnNotLikeIfExists', { base: 'ArnNotLike', ifExists: true, setOperator: 'ForAllValues' }],
  ['Null', { base: 'Null', ifExists: false }],
  ['BoolIfExists', { base: 'Bool', ifExists: true }],
  ['NotIpAddressIfExists', { base: 'NotIpAddress', ifExists: true }],
  ['DateGreaterThanEquals', { base: 'DateGreaterThanEquals', ifExists: false }],
];
const invalid = [
  'stringequals',
  'StringEQUALS',
  'forAnyValue:StringLike',
  'ForAnyValue:',
  'IfExists',
  'NullIfExists',
  'ForAllValues:Null',
  'StringEqualsIfExistsIfExists',
  'ForAnyValue:ForAllValues:StringLike',
  'StringContains',
  '',
];

describe('parseOperator', () => {
  for (const [name, want] of valid) it(`parses ${name}`, () => expect(parseOperator(name)).toEqual(want));
  for (const name of invalid) it(`rejects '${name}'`, () => expect(parseOperator(name)).toBeUndefined());
  it('has one module per base operator (27)', () => {
    expect(OPERATORS.size).toBe(27);
    for (const [name, m] of OPERATORS) expect(m.name).toBe(name);
  });
});
