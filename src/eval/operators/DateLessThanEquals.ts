import { dateOperator } from './shared.js';
import type { OperatorModule } from './types.js';

/** Date comparison: request date <= policy date (ISO 8601 or epoch seconds). Unparseable dates never match. */
export const DateLessThanEquals: OperatorModule = {
  name: 'DateLessThanEquals',
  family: 'date',
  negated: false,
  variables: false,
  wildcards: false,
  reflexive: true,
  verb: 'is at or before',
  compile: dateOperator((r, p) => r <= p),
};
