import { segText } from './shared.js';
import type { OperatorModule } from './types.js';

/** Exact, case-sensitive comparison. `*` and `?` are ordinary characters here. */
export const StringEquals: OperatorModule = {
  name: 'StringEquals',
  family: 'string',
  negated: false,
  variables: true,
  wildcards: false,
  reflexive: true,
  verb: 'equals',
  compile(segs) {
    const p = segText(segs);
    return (r) => r === p;
  },
};
