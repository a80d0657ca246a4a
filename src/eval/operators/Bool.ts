import { segText } from './shared.js';
import type { OperatorModule } from './types.js';

function asBool(s: string): boolean | undefined {
  const t = s.toLowerCase();
  return t === 'true' ? true : t === 'false' ? false : undefined;
}

/**
 * Boolean comparison. Policy and request values are `true`/`false` in any letter case (JSON booleans are
 * normalised to these strings by the model); any other value never matches.
 */
export const Bool: OperatorModule = {
  name: 'Bool',
  family: 'bool',
  negated: false,
  variables: true,
  wildcards: false,
  reflexive: true,
  verb: 'is',
  compile(segs) {
    const p = asBool(segText(segs));
    if (p === undefined) return undefined;
    return (r) => {
      const b = asBool(r);
      return b === undefined ? undefined : b === p;
    };
  },
};
