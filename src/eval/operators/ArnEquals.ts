import { ArnLike } from './ArnLike.js';
import type { OperatorModule } from './types.js';

/** AWS documents ArnEquals as behaving exactly like ArnLike (per-part comparison with wildcards). */
export const ArnEquals: OperatorModule = { ...ArnLike, name: 'ArnEquals' };
