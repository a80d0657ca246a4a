/** Public API of the IAM policy evaluator. */
export { actionMatches, actionPatternMatches } from './actions.js';
export { conditionMet, conditionsMet, evaluateCondition, evaluateConditions } from './conditions.js';
export { type ContextEntries, type ContextEntry, emptyContext, makeContext } from './context.js';
export {
  type CompiledPolicy,
  compilePolicy,
  decide,
  decideCompiled,
  evaluateCompiled,
  evaluatePolicy,
  evaluateStatement,
  statementApplies,
} from './evaluate.js';
export { OPERATORS, operatorModule, type ParsedOperator, parseOperator } from './operators/index.js';
export { callerAccount, classified, principalMatches, principalValueMatches } from './principals.js';
export type * from './types.js';
