/** Public API of the IAM policy evaluator. */
export { actionMatches, actionPatternMatches } from './actions.js';
export {
  CONDITION_KEYS,
  type ConditionKeyInfo,
  type KeySetter,
  keyInfo,
  type Presence,
  type ScanKnowledge,
} from './condition-keys.js';
export { conditionMet, conditionsMet, evaluateCondition, evaluateConditions } from './conditions.js';
export { type ContextEntries, type ContextEntry, emptyContext, makeContext } from './context.js';
export {
  appliesCompiled,
  type CompiledPolicy,
  compilePolicy,
  decide,
  decideCompiled,
  evaluateCompiled,
  evaluatePolicy,
  evaluateStatement,
  statementApplies,
} from './evaluate.js';
export {
  describeOperator,
  OPERATORS,
  type OperatorDescription,
  operatorModule,
  type ParsedOperator,
  parseOperator,
} from './operators/index.js';
export { callerAccount, classified, principalMatches, principalValueMatches } from './principals.js';
export type * from './types.js';
