import { DateEquals } from './DateEquals.js';
import type { OperatorModule } from './types.js';

/** Negation of DateEquals (a value that is not a date satisfies neither). */
export const DateNotEquals: OperatorModule = { ...DateEquals, name: 'DateNotEquals', negated: true };
