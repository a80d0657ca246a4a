import type { Statement } from '../model/types.js';
import type { PolicyEvaluation, Request, StatementTrace } from './types.js';

/**
 * AWS's evaluation of a resource-based (trust) policy for one request: an applicable Deny wins,
 * else an applicable Allow allows, else implicit deny. `free` context keys are assumed in the caller's
 * favour (an Allow's condition on them can be met, a Deny's can be avoided).
 */
export function evaluatePolicy(_statements: readonly Statement[], _req: Request): PolicyEvaluation {
  throw new Error('not implemented yet');
}

export function evaluateStatement(_st: Statement, _req: Request): StatementTrace {
  throw new Error('not implemented yet');
}
