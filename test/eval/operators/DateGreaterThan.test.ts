import { ABSENT, conditionTable } from '../harness.js';

conditionTable('DateGreaterThan', 'aws:CurrentTime', {
  valid: [
    {
      name: '2024-06-01T00:00:01Z against 2024-06-01',
      values: '2024-06-01',
      request: '2024-06-01T00:00:01Z',
    },
    { name: 'IfExists absent', op: 'DateGreaterThanIfExists', values: '2024-06-01', request: ABSENT },
  ],
  invalid: [
    { name: '2024-06-01 against 2024-06-01', values: '2024-06-01', request: '2024-06-01' },
    { name: 'not a date', values: '2024-06-01', request: 'soon' },
    { name: 'policy value not a date', values: 'never', request: '2024-06-01T00:00:01Z' },
    { name: 'absent', values: '2024-06-01', request: ABSENT },
  ],
});
