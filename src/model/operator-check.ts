import { parseOperator } from '../eval/operators/index.js';

/** Base operators AWS knows; used only while the evaluator's `parseOperator` is not available. */
const FALLBACK_BASES = new Set([
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Null',
]);

function fallbackKnown(name: string): boolean {
  let rest = name;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const set = rest.slice(0, colon);
    if (set !== 'ForAnyValue' && set !== 'ForAllValues') return false;
    rest = rest.slice(colon + 1);
  }
  if (rest.endsWith('IfExists')) {
    rest = rest.slice(0, -'IfExists'.length);
    if (rest === 'Null') return false;
  }
  return FALLBACK_BASES.has(rest);
}

/**
 * Whether AWS knows a condition operator name. Delegates to the evaluator's `parseOperator`
 * (the single source of truth); falls back to a built-in list only if that function is unavailable.
 */
export function isKnownOperator(name: string): boolean {
  try {
    return parseOperator(name) !== undefined;
  } catch {
    return fallbackKnown(name);
  }
}
