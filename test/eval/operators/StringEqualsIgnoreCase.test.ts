import { ABSENT, conditionTable } from '../harness.js';

conditionTable('StringEqualsIgnoreCase', 'aws:PrincipalTag/team', {
  valid: [
    { name: 'same letters in another case', values: 'Platform', request: 'PLATFORM' },
    { name: 'exact', values: 'x', request: 'x' },
    { name: 'IfExists absent', op: 'StringEqualsIgnoreCaseIfExists', values: 'x', request: ABSENT },
  ],
  invalid: [
    { name: 'different text', values: 'Platform', request: 'Platforms' },
    { name: 'asterisk is literal', values: '*', request: 'x' },
    { name: 'absent', values: 'x', request: ABSENT },
  ],
});
