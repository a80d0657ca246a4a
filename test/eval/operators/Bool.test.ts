// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables (`${aws:username}`) are literal policy text here
import { ABSENT, conditionTable, FREE } from '../harness.js';

conditionTable('Bool', 'aws:MultiFactorAuthPresent', {
  valid: [
    { name: 'true equals true', values: 'true', request: 'true' },
    { name: 'case-insensitive policy value', values: 'TRUE', request: 'true' },
    { name: 'case-insensitive request value', values: 'false', request: 'False' },
    {
      name: 'BoolIfExists with absent key',
      op: 'BoolIfExists',
      values: 'true',
      request: ABSENT,
      reason: /BoolIfExists is met when aws:MultiFactorAuthPresent is absent/,
    },
    {
      name: 'policy variable',
      values: '${aws:SecureTransport}',
      request: 'true',
      context: { 'aws:SecureTransport': 'true' },
    },
    { name: 'free key, Allow', values: 'true', request: FREE, assumed: true },
  ],
  invalid: [
    { name: 'false vs true', values: 'true', request: 'false' },
    { name: 'absent key', values: 'true', request: ABSENT },
    { name: 'policy value not a boolean', values: 'yes', request: 'true', reason: /not a valid boolean/ },
    { name: 'request value not a boolean', values: 'true', request: '1' },
    { name: 'free key, Deny', values: 'false', request: FREE, effect: 'Deny', assumed: true },
    { name: 'operator in lower case is unknown', op: 'bool', values: 'true', request: 'true' },
  ],
});
