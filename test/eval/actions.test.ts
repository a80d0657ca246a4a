import { describe, expect, it } from 'vitest';
import { actionMatches } from '../../src/eval/actions.js';
import { sym } from './harness.js';

const valid: [string, string[], string][] = [
  ['exact', ['sts:AssumeRole'], 'sts:AssumeRole'],
  ['case-insensitive prefix and name', ['STS:assumerole'], 'sts:AssumeRole'],
  ['service wildcard', ['sts:*'], 'sts:AssumeRole'],
  ['everything', ['*'], 'sts:AssumeRoleWithSAML'],
  ['prefix wildcard', ['sts:Assume*'], 'sts:AssumeRoleWithWebIdentity'],
  ['single-character wildcard', ['sts:AssumeRol?'], 'sts:AssumeRole'],
  ['one of several', ['s3:GetObject', 'sts:TagSession', 'sts:AssumeRole'], 'sts:AssumeRole'],
  ['middle wildcard', ['sts:*Role'], 'sts:AssumeRole'],
];
const invalid: [string, string[], string][] = [
  ['other action', ['sts:TagSession'], 'sts:AssumeRole'],
  ['other service', ['iam:*'], 'sts:AssumeRole'],
  ['prefix only', ['sts:Assume'], 'sts:AssumeRole'],
  ['? needs a character', ['sts:AssumeRole?'], 'sts:AssumeRole'],
  ['empty list', [], 'sts:AssumeRole'],
];

describe('actionMatches', () => {
  for (const [name, pats, action] of valid)
    it(`matches: ${name}`, () => expect(actionMatches(pats, action)).toBe(true));
  for (const [name, pats, action] of invalid) {
    it(`does not match: ${name}`, () => expect(actionMatches(pats, action)).toBe(false));
  }
  it('symbolic action matches nothing', () =>
    expect(actionMatches([sym('param Action')], 'sts:AssumeRole')).toBe(false));
});
