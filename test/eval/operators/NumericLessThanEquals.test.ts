import { ABSENT, conditionTable } from '../harness.js';

conditionTable('NumericLessThanEquals', 'aws:MultiFactorAuthAge', {
  valid: [
    { name: '5 against 5', values: '5', request: '5' },
    { name: 'any of several values', values: ['-100', '5'], request: '5' },
    { name: 'IfExists absent', op: 'NumericLessThanEqualsIfExists', values: '5', request: ABSENT },
    { name: 'ForAllValues absent', op: 'ForAllValues:NumericLessThanEquals', values: '5', request: ABSENT },
  ],
  invalid: [
    { name: '6 against 5', values: '5', request: '6' },
    { name: 'not a number', values: '5', request: 'abc' },
    { name: 'policy value not a number', values: 'abc', request: '5' },
    { name: 'absent', values: '5', request: ABSENT },
  ],
});
