import { compileArnPattern } from './shared.js';
import type { OperatorModule } from './types.js';

/**
 * Case-sensitive ARN match: the six colon-separated parts are compared one by one and each may use `*`
 * and `?` (a `*` never crosses a colon of the first five). Values with fewer than six parts never match.
 */
export const ArnLike: OperatorModule = {
  name: 'ArnLike',
  family: 'arn',
  negated: false,
  variables: true,
  wildcards: true,
  reflexive: true,
  verb: 'matches',
  compile: compileArnPattern,
};
