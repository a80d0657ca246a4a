import { ABSENT, conditionTable } from '../harness.js';

conditionTable('DateLessThanEquals', 'aws:CurrentTime', {
  valid: [
    {
      name: '2024-06-01T00:00:00Z against 2024-06-01',
      values: '2024-06-01',
      request: '2024-06-01T00:00:00Z',
    },
    { name: 'IfExists absent', op: 'DateLessThanEqualsIfExists', values: '2024-06-01', request: ABSENT },
  ],
  invalid: [
    {
      name: '2024-06-01T00:00:01Z against 2024-06-01',
      values: '2024-06-01',
      request: '2024-06-01T00:00:01Z',
    },
    { name: 'not a date', values: '2024-06-01', request: 'soon' },
    { name: 'policy value not a date', values: 'never', request: '2024-06-01T00:00:00Z' },
    { name: 'absent', values: '2024-06-01', request: ABSENT },
  ],
});
