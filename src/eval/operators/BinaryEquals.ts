import { segText } from './shared.js';
import type { OperatorModule } from './types.js';

/** Byte-for-byte comparison of base64-encoded values. */
export const BinaryEquals: OperatorModule = {
  name: 'BinaryEquals',
  family: 'binary',
  negated: false,
  variables: false,
  wildcards: false,
  reflexive: true,
  verb: 'equals',
  compile(segs) {
    const p = segText(segs).trim();
    return (r) => r.trim() === p;
  },
};
