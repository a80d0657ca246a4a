import { ABSENT, conditionTable } from '../harness.js';

conditionTable('DateLessThan', 'aws:CurrentTime', {
  valid: [
    {
      name: '2024-05-31T23:59:59Z against 2024-06-01',
      values: '2024-06-01',
      request: '2024-05-31T23:59:59Z',
    },
    { name: 'IfExists absent', op: 'DateLessThanIfExists', values: '2024-06-01', request: ABSENT },
  ],
  invalid: [
    { name: '2024-06-01 against 2024-06-01', values: '2024-06-01', request: '2024-06-01' },
    { name: 'not a date', values: '2024-06-01', request: 'soon' },
    { name: 'policy value not a date', values: 'never', request: '2024-05-31T23:59:59Z' },
    { name: 'absent', values: '2024-06-01', request: ABSENT },
  ],
});
