// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables (`${aws:username}`) are literal policy text here
import { ABSENT, conditionTable, sym } from '../harness.js';

conditionTable('StringNotEquals', 'aws:PrincipalAccount', {
  valid: [
    { name: 'value differs from all', values: ['111122223333', '444455556666'], request: '999999999999' },
    {
      name: 'absent key (negated operators hold)',
      values: '111122223333',
      request: ABSENT,
      reason: /is met when aws:PrincipalAccount is absent/,
    },
    { name: 'case differs', values: 'abc', request: 'ABC' },
    { name: 'symbolic request never equals a concrete value', values: 'abc', request: sym('param') },
    {
      name: 'ForAllValues: no request value in the list',
      op: 'ForAllValues:StringNotEquals',
      values: ['a'],
      request: ['b', 'c'],
    },
    {
      name: 'ForAnyValue: some request value outside the list',
      op: 'ForAnyValue:StringNotEquals',
      values: ['a'],
      request: ['a', 'c'],
    },
  ],
  invalid: [
    {
      name: 'value equals one of the list',
      values: ['111122223333', '444455556666'],
      request: '444455556666',
      reason: /'444455556666' equals '444455556666'/,
    },
    { name: 'unresolvable policy variable never matches', values: '${aws:PrincipalTag/x}', request: 'y' },
    { name: 'same symbolic value', values: sym('p'), request: sym('p') },
    {
      name: 'ForAllValues: a request value is in the list',
      op: 'ForAllValues:StringNotEquals',
      values: ['a'],
      request: ['a', 'c'],
    },
    { name: 'ForAnyValue: absent', op: 'ForAnyValue:StringNotEquals', values: ['a'], request: ABSENT },
    { name: 'several values without set operator', values: ['a'], request: ['b', 'c'] },
  ],
});
