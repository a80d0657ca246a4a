import { IpAddress } from './IpAddress.js';
import type { OperatorModule } from './types.js';

/** The request address lies in none of the ranges (an address of the other IP version lies in none). */
export const NotIpAddress: OperatorModule = { ...IpAddress, name: 'NotIpAddress', negated: true };
