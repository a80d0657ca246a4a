import { ipInCidr, parseCidr, segText } from './shared.js';
import type { OperatorModule } from './types.js';

/** The request address lies in the CIDR range (IPv4 or IPv6; a bare address is a single-host range). */
export const IpAddress: OperatorModule = {
  name: 'IpAddress',
  family: 'ip',
  negated: false,
  variables: false,
  wildcards: false,
  reflexive: true,
  verb: 'is in',
  compile(segs) {
    const c = parseCidr(segText(segs));
    if (!c) return undefined;
    return (r) => ipInCidr(c, r);
  },
};
