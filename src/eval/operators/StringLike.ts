import { compileGlob, globMatch } from './shared.js';
import type { OperatorModule } from './types.js';

/** Case-sensitive match where `*` stands for any run of characters and `?` for exactly one. */
export const StringLike: OperatorModule = {
  name: 'StringLike',
  family: 'string',
  negated: false,
  variables: true,
  wildcards: true,
  reflexive: true,
  verb: 'matches',
  compile(segs) {
    const g = compileGlob(segs, true);
    if (g.matchesAll) return () => true;
    if (g.literal) {
      const p = g.chars;
      return (r) => r === p;
    }
    return (r) => globMatch(g, r);
  },
};
