import { StringEqualsIgnoreCase } from './StringEqualsIgnoreCase.js';
import type { OperatorModule } from './types.js';

/** Negation of StringEqualsIgnoreCase. */
export const StringNotEqualsIgnoreCase: OperatorModule = {
  ...StringEqualsIgnoreCase,
  name: 'StringNotEqualsIgnoreCase',
  negated: true,
};
