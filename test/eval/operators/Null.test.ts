import { ABSENT, conditionTable, FREE } from '../harness.js';

conditionTable('Null', 'sts:ExternalId', {
  valid: [
    {
      name: "'true' when the key is absent",
      values: 'true',
      request: ABSENT,
      reason: /Null 'true' is met because sts:ExternalId is absent/,
    },
    { name: "'false' when the key is present", values: 'false', request: 'x' },
    { name: 'value case is ignored', values: 'TRUE', request: ABSENT },
    { name: 'free key, Allow', values: 'false', request: FREE, assumed: true },
  ],
  invalid: [
    { name: "'true' when the key is present", values: 'true', request: 'x' },
    { name: "'false' when the key is absent", values: 'false', request: ABSENT },
    { name: 'value neither true nor false', values: 'maybe', request: ABSENT },
    { name: 'NullIfExists is not an operator', op: 'NullIfExists', values: 'true', request: ABSENT },
    { name: 'free key, Deny', values: 'true', request: FREE, effect: 'Deny', assumed: true },
  ],
});
