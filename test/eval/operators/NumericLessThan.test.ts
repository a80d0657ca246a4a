import { ABSENT, conditionTable } from '../harness.js';

conditionTable('NumericLessThan', 'aws:MultiFactorAuthAge', {
  valid: [
    { name: '3 against 5', values: '5', request: '3' },
    { name: 'any of several values', values: ['-100', '5'], request: '3' },
    { name: 'IfExists absent', op: 'NumericLessThanIfExists', values: '5', request: ABSENT },
    { name: 'ForAllValues absent', op: 'ForAllValues:NumericLessThan', values: '5', request: ABSENT },
  ],
  invalid: [
    { name: '5 against 5', values: '5', request: '5' },
    { name: 'not a number', values: '5', request: 'abc' },
    { name: 'policy value not a number', values: 'abc', request: '3' },
    { name: 'absent', values: '5', request: ABSENT },
  ],
});
