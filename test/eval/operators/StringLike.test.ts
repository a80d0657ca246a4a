// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables (`${aws:username}`) are literal policy text here
import { ABSENT, conditionTable, sym } from '../harness.js';

conditionTable('StringLike', 'sts:ExternalId', {
  valid: [
    {
      name: "pattern '*' matches any value",
      values: '*',
      request: 'whatever',
      reason: /StringLike pattern '\*' matches any sts:ExternalId/,
    },
    { name: "pattern '*' matches the empty string", values: '*', request: '' },
    { name: "'*' matches a symbolic value too", values: '*', request: sym('parameter X') },
    { name: 'prefix wildcard', values: 'vendor-*', request: 'vendor-123' },
    { name: '? is exactly one character', values: 'a?c', request: 'abc' },
    { name: 'several stars', values: '*-*-*', request: 'a-b-c' },
    { name: 'literal pattern', values: 'abc', request: 'abc' },
    { name: 'escaped ${*} only matches an asterisk', values: 'a${*}', request: 'a*' },
    {
      name: 'variable value is literal',
      values: '${aws:username}*',
      request: 'b*ob-x',
      context: { 'aws:username': 'b*ob' },
    },
    {
      name: 'ForAnyValue over tags',
      op: 'ForAnyValue:StringLike',
      values: 'team-*',
      request: ['x', 'team-a'],
    },
  ],
  invalid: [
    { name: 'case-sensitive', values: 'vendor-*', request: 'VENDOR-1' },
    { name: '? needs one character', values: 'a?c', request: 'ac' },
    { name: 'escaped ${*} is not a wildcard', values: 'a${*}', request: 'ab' },
    {
      name: 'variable value wildcard is literal',
      values: '${aws:username}',
      request: 'bob',
      context: { 'aws:username': 'b*' },
    },
    { name: 'absent', values: '*', request: ABSENT },
    { name: 'symbolic request vs a non-trivial pattern', values: 'a*', request: sym('p') },
  ],
});
