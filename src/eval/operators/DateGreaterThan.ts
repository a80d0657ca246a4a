import { dateOperator } from './shared.js';
import type { OperatorModule } from './types.js';

/** Date comparison: request date > policy date (ISO 8601 or epoch seconds). Unparseable dates never match. */
export const DateGreaterThan: OperatorModule = {
  name: 'DateGreaterThan',
  family: 'date',
  negated: false,
  variables: false,
  wildcards: false,
  reflexive: false,
  verb: 'is after',
  compile: dateOperator((r, p) => r > p),
};
