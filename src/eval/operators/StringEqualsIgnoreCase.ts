import { segText } from './shared.js';
import type { OperatorModule } from './types.js';

/** Exact comparison ignoring letter case. */
export const StringEqualsIgnoreCase: OperatorModule = {
  name: 'StringEqualsIgnoreCase',
  family: 'string',
  negated: false,
  variables: true,
  wildcards: false,
  reflexive: true,
  verb: 'equals (ignoring case)',
  compile(segs) {
    const p = segText(segs).toLowerCase();
    return (r) => r.toLowerCase() === p;
  },
};
