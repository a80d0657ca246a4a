import { ABSENT, conditionTable } from '../harness.js';

conditionTable('StringNotLike', 'aws:PrincipalArn', {
  valid: [
    {
      name: 'matches no pattern',
      values: ['arn:aws:iam::*:role/admin-*'],
      request: 'arn:aws:iam::111122223333:role/dev',
    },
    { name: 'absent', values: '*', request: ABSENT },
  ],
  invalid: [
    {
      name: 'matches a pattern',
      values: ['x', 'arn:aws:iam::*:role/admin-*'],
      request: 'arn:aws:iam::111122223333:role/admin-1',
    },
    { name: "'*' excludes everything", values: '*', request: 'anything', reason: /never met/ },
  ],
});
