import { isSymbolic, type PolicyValue } from '../model/types.js';

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/**
 * Case-insensitive wildcard match of an action pattern (`sts:Assume*`, `*`, `sts:AssumeRole?ith*`)
 * against an action name. `*` is any run of characters, `?` exactly one. No allocation.
 */
export function actionPatternMatches(pattern: string, action: string): boolean {
  const pn = pattern.length;
  const sn = action.length;
  let pi = 0;
  let si = 0;
  let starP = -1;
  let starS = 0;
  while (si < sn) {
    const pc = pi < pn ? pattern.charCodeAt(pi) : -1;
    if (pc === 42 /* * */) {
      starP = pi++;
      starS = si;
    } else if (pc === 63 /* ? */ || (pc >= 0 && lower(pc) === lower(action.charCodeAt(si)))) {
      pi++;
      si++;
    } else if (starP >= 0) {
      pi = starP + 1;
      si = ++starS;
    } else {
      return false;
    }
  }
  while (pi < pn && pattern.charCodeAt(pi) === 42) pi++;
  return pi === pn;
}

/**
 * Whether any pattern of an Action (or NotAction) list matches `action`. Service prefix and action name
 * are case-insensitive in AWS. A symbolic pattern (unknown until deployment) matches nothing.
 */
export function actionMatches(patterns: readonly PolicyValue[], action: string): boolean {
  for (const p of patterns) {
    if (!isSymbolic(p) && actionPatternMatches(p.trim(), action)) return true;
  }
  return false;
}
