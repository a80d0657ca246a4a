import { ArnLike } from './ArnLike.js';
import type { OperatorModule } from './types.js';

/** Negation of ArnLike. */
export const ArnNotLike: OperatorModule = { ...ArnLike, name: 'ArnNotLike', negated: true };
