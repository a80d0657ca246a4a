import { StringLike } from './StringLike.js';
import type { OperatorModule } from './types.js';

/** Negation of StringLike: the key matches none of the patterns. */
export const StringNotLike: OperatorModule = { ...StringLike, name: 'StringNotLike', negated: true };
