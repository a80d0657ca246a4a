import { ABSENT, conditionTable } from '../harness.js';

conditionTable('DateNotEquals', 'aws:CurrentTime', {
  valid: [
    { name: 'different instant', values: '2024-01-01', request: '2024-01-02' },
    { name: 'absent', values: '2024-01-01', request: ABSENT },
  ],
  invalid: [
    { name: 'same instant', values: '2024-01-01T00:00:00Z', request: '1704067200' },
    { name: 'request not a date', values: '2024-01-01', request: 'x' },
  ],
});
