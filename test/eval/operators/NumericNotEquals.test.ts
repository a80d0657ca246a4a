import { ABSENT, conditionTable } from '../harness.js';

conditionTable('NumericNotEquals', 'aws:MultiFactorAuthAge', {
  valid: [
    { name: 'different number', values: '1', request: '2' },
    { name: 'absent', values: '1', request: ABSENT },
  ],
  invalid: [
    { name: 'equal number', values: ['1', '2'], request: '2.0' },
    { name: 'request not a number satisfies neither form', values: '1', request: 'x' },
    { name: 'policy value not a number', values: 'x', request: '1' },
  ],
});
