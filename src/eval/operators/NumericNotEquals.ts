import { NumericEquals } from './NumericEquals.js';
import type { OperatorModule } from './types.js';

/** Negation of NumericEquals (a value that is not a number satisfies neither). */
export const NumericNotEquals: OperatorModule = { ...NumericEquals, name: 'NumericNotEquals', negated: true };
