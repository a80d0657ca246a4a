import { describe, expect, it } from 'vitest';
import { choiceOf } from '../../src/cli/commands/rollback.js';

describe('answers to the per-role question', () => {
  it.each([
    ['y', 'y'],
    ['Yes', 'y'],
    [' n ', 'n'],
    ['all', 'a'],
    ['Q', 'q'],
    ['quit', 'q'],
    ['', ''],
    ['yep', ''],
    ['x', ''],
  ])('%j -> %j', (answer, choice) => {
    expect(choiceOf(answer, ['y', 'n', 'a', 'q'])).toBe(choice);
  });
  it('a letter outside the choices is no', () => {
    expect(choiceOf('a', ['y', 'n'])).toBe('');
  });
});
