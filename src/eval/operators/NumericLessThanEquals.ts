import { numericOperator } from './shared.js';
import type { OperatorModule } from './types.js';

/** Numeric comparison: request value <= policy value. Values that are not decimal numbers never match. */
export const NumericLessThanEquals: OperatorModule = {
  name: 'NumericLessThanEquals',
  family: 'numeric',
  negated: false,
  variables: false,
  wildcards: false,
  reflexive: true,
  verb: 'is at most',
  compile: numericOperator((r, p) => r <= p),
};
