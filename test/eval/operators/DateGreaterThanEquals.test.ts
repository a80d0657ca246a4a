import { ABSENT, conditionTable } from '../harness.js';

conditionTable('DateGreaterThanEquals', 'aws:CurrentTime', {
  valid: [
    { name: '2024-06-01 against 2024-06-01', values: '2024-06-01', request: '2024-06-01' },
    { name: 'IfExists absent', op: 'DateGreaterThanEqualsIfExists', values: '2024-06-01', request: ABSENT },
  ],
  invalid: [
    { name: '2024-05-31 against 2024-06-01', values: '2024-06-01', request: '2024-05-31' },
    { name: 'not a date', values: '2024-06-01', request: 'soon' },
    { name: 'policy value not a date', values: 'never', request: '2024-06-01' },
    { name: 'absent', values: '2024-06-01', request: ABSENT },
  ],
});
