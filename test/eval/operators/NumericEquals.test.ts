import { ABSENT, conditionTable } from '../harness.js';

conditionTable('NumericEquals', 'aws:MultiFactorAuthAge', {
  valid: [
    { name: 'same integer', values: '3600', request: '3600' },
    { name: 'decimal and integer forms', values: '10', request: '10.0' },
    { name: 'negative numbers', values: '-5', request: '-5' },
    { name: 'one of several', values: ['1', '2'], request: '2' },
    { name: 'IfExists absent', op: 'NumericEqualsIfExists', values: '1', request: ABSENT },
  ],
  invalid: [
    { name: 'different number', values: '3600', request: '3601' },
    { name: 'request not a number', values: '1', request: 'one', reason: /is not a valid number/ },
    { name: 'policy value not a number', values: 'abc', request: '1', reason: /not a valid number/ },
    { name: 'trailing garbage is not a number', values: '12', request: '12abc' },
    { name: 'absent', values: '1', request: ABSENT },
  ],
});
