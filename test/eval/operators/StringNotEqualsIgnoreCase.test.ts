import { ABSENT, conditionTable } from '../harness.js';

conditionTable('StringNotEqualsIgnoreCase', 'aws:PrincipalTag/team', {
  valid: [
    { name: 'different text', values: 'ops', request: 'dev' },
    { name: 'absent', values: 'ops', request: ABSENT },
  ],
  invalid: [
    { name: 'same letters in another case', values: 'ops', request: 'OPS' },
    { name: 'several values without set operator', values: 'ops', request: ['a', 'b'] },
  ],
});
