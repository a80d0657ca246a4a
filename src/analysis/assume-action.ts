/**
 * Does a statement's Action/NotAction admit `sts:AssumeRole`? Uses the evaluator's (case-insensitive,
 * wildcard-aware) action matching. A statement with neither element admits nothing.
 */
import { actionMatches } from '../eval/actions.js';
import type { Statement } from '../model/types.js';

export const ASSUME_ROLE = 'sts:AssumeRole';

export function admitsAssumeRole(st: Statement): boolean {
  if (st.actions) return actionMatches(st.actions, ASSUME_ROLE);
  if (st.notActions) return !actionMatches(st.notActions, ASSUME_ROLE);
  return false;
}
