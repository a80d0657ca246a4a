import { StringEquals } from './StringEquals.js';
import type { OperatorModule } from './types.js';

/** Negation of StringEquals: the key equals none of the values. */
export const StringNotEquals: OperatorModule = { ...StringEquals, name: 'StringNotEquals', negated: true };
