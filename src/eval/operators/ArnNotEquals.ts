import { ArnLike } from './ArnLike.js';
import type { OperatorModule } from './types.js';

/** Negation of ArnEquals (same as ArnNotLike). */
export const ArnNotEquals: OperatorModule = { ...ArnLike, name: 'ArnNotEquals', negated: true };
