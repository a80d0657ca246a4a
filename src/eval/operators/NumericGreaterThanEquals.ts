import { numericOperator } from './shared.js';
import type { OperatorModule } from './types.js';

/** Numeric comparison: request value >= policy value. Values that are not decimal numbers never match. */
export const NumericGreaterThanEquals: OperatorModule = {
  name: 'NumericGreaterThanEquals',
  family: 'numeric',
  negated: false,
  variables: false,
  wildcards: false,
  reflexive: true,
  verb: 'is at least',
  compile: numericOperator((r, p) => r >= p),
};
