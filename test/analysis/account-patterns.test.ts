// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are literal policy text here
import { describe, expect, it } from 'vitest';
import {
  accountPattern,
  admittedCount,
  describeCount,
  witnessAccounts,
} from '../../src/analysis/account-patterns.js';
import { acceptableFill, externalIdProblem, isAcceptableExternalId } from '../../src/analysis/protection.js';
import { DEPLOYING_ACCOUNT } from '../../src/model/types.js';

describe('account patterns', () => {
  const table: [string, number | undefined, string | undefined][] = [
    // pattern, accounts admitted (undefined: not a pattern or admits none), highest witness
    ['2*', 10 ** 11, '299999999999'],
    ['12345678901?', 10, '123456789019'],
    ['1234567890??', 100, '123456789099'],
    ['*', 10 ** 12, '999999999999'],
    ['1*2', 10 ** 10, '199999999992'],
    ['12*34*', 10 ** 8, '129999999934'],
    ['123456789012', undefined, undefined],
    ['12345678901x*', undefined, undefined],
    ['1234567890123*', undefined, undefined],
    ['12345?', undefined, undefined],
  ];
  for (const [pattern, count, witness] of table) {
    it(`${pattern}: ${count ?? 'no account set'}`, () => {
      const p = accountPattern(pattern);
      expect(p === undefined ? undefined : admittedCount(p)).toBe(count);
      expect(p ? witnessAccounts(p, () => false)[0] : undefined).toBe(witness);
    });
  }
  it('skips excluded accounts and gives up when every admitted account is excluded', () => {
    const p = accountPattern('12345678901?')!;
    expect(witnessAccounts(p, (a) => a === '123456789019', 2)).toEqual(['123456789018', '123456789017']);
    expect(witnessAccounts(p, () => true)).toEqual([]);
  });
  it('describes the size', () => {
    expect(describeCount(accountPattern('12345678901?')!)).toBe('10 accounts');
    expect(describeCount(accountPattern('2*')!)).toBe('10^11 accounts');
  });
});

describe('external ids STS accepts', () => {
  const table: [string, boolean, string?][] = [
    ['ab', true],
    ['Agreed-Id_1+=,.@:/-', true],
    ['a'.repeat(1224), true],
    ['', false, 'it is empty'],
    ['x', false, 'it is one character long'],
    ['my id', false, 'it contains " "'],
    ['a'.repeat(1225), false, 'it is 1225 characters long'],
    ['ext-*', false, 'it contains "*"'],
    ['${aws:PrincipalAccount}', false, 'it contains "$"'],
    [DEPLOYING_ACCOUNT, true],
  ];
  for (const [value, ok, why] of table) {
    it(`${JSON.stringify(value.slice(0, 30))}: ${ok ? 'accepted' : why}`, () => {
      expect(isAcceptableExternalId(value)).toBe(ok);
      expect(externalIdProblem(value)).toBe(why);
    });
  }
  const fills: [string, string | undefined][] = [
    ['?*', 'xtrustaudit'],
    ['*', 'trustaudit'],
    ['?', undefined],
    ['a b*', undefined],
    ['ab*', 'abtrustaudit'],
    ['??', 'xx'],
  ];
  for (const [pattern, filled] of fills) {
    it(`StringLike ${pattern} is met by ${filled ?? 'no acceptable id'}`, () => {
      expect(acceptableFill(pattern, 'trustaudit')).toBe(filled);
    });
  }
});
