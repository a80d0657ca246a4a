import { numericOperator } from './shared.js';
import type { OperatorModule } from './types.js';

/** Numeric comparison: request value < policy value. Values that are not decimal numbers never match. */
export const NumericLessThan: OperatorModule = {
  name: 'NumericLessThan',
  family: 'numeric',
  negated: false,
  variables: false,
  wildcards: false,
  reflexive: false,
  verb: 'is less than',
  compile: numericOperator((r, p) => r < p),
};
