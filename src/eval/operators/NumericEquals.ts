import { numericOperator } from './shared.js';
import type { OperatorModule } from './types.js';

/** Numeric comparison: request value === policy value. Values that are not decimal numbers never match. */
export const NumericEquals: OperatorModule = {
  name: 'NumericEquals',
  family: 'numeric',
  negated: false,
  variables: false,
  wildcards: false,
  reflexive: true,
  verb: 'equals',
  compile: numericOperator((r, p) => r === p),
};
