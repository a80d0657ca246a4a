import { ABSENT, conditionTable } from '../harness.js';

conditionTable('DateEquals', 'aws:CurrentTime', {
  valid: [
    {
      name: 'same instant, different notation',
      values: '2024-01-01T00:00:00Z',
      request: '2024-01-01T01:00:00+01:00',
    },
    { name: 'date-only is midnight UTC', values: '2024-01-01', request: '2024-01-01T00:00:00Z' },
    { name: 'epoch seconds', values: '1704067200', request: '2024-01-01T00:00:00Z' },
    { name: 'no zone means UTC', values: '2024-01-01T10:00:00', request: '2024-01-01T10:00:00Z' },
  ],
  invalid: [
    { name: 'different instant', values: '2024-01-01T00:00:00Z', request: '2024-01-01T00:00:01Z' },
    { name: 'request not a date', values: '2024-01-01', request: 'yesterday', reason: /not a valid date/ },
    { name: 'policy value not a date', values: 'Jan 1 2024', request: '2024-01-01' },
    { name: 'impossible month', values: '2024-13-01', request: '2024-01-01' },
    { name: 'absent', values: '2024-01-01', request: ABSENT },
  ],
});
