import { ABSENT, conditionTable } from '../harness.js';

conditionTable('NumericGreaterThan', 'aws:MultiFactorAuthAge', {
  valid: [
    { name: '7 against 5', values: '5', request: '7' },
    { name: 'any of several values', values: ['-100', '5'], request: '7' },
    { name: 'IfExists absent', op: 'NumericGreaterThanIfExists', values: '5', request: ABSENT },
    { name: 'ForAllValues absent', op: 'ForAllValues:NumericGreaterThan', values: '5', request: ABSENT },
  ],
  invalid: [
    { name: '5 against 5', values: '5', request: '5' },
    { name: 'not a number', values: '5', request: 'abc' },
    { name: 'policy value not a number', values: 'abc', request: '7' },
    { name: 'absent', values: '5', request: ABSENT },
  ],
});
