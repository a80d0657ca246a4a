import { ABSENT, conditionTable } from '../harness.js';

conditionTable('IpAddress', 'aws:SourceIp', {
  valid: [
    { name: 'inside an IPv4 range', values: '203.0.113.0/24', request: '203.0.113.77' },
    { name: 'single address without prefix', values: '203.0.113.5', request: '203.0.113.5' },
    { name: '/0 contains everything', values: '0.0.0.0/0', request: '8.8.8.8' },
    { name: 'one of several ranges', values: ['10.0.0.0/8', '192.168.0.0/16'], request: '192.168.3.4' },
    { name: 'IPv6 range', values: '2001:db8::/32', request: '2001:db8:1234::1' },
    { name: 'IPv6 compressed forms', values: '2001:db8::1', request: '2001:0db8:0:0:0:0:0:1' },
    { name: 'host bits in the policy range are ignored', values: '10.1.2.3/8', request: '10.200.0.1' },
  ],
  invalid: [
    { name: 'outside the range', values: '203.0.113.0/24', request: '203.0.114.1' },
    { name: 'IPv6 request vs IPv4 range', values: '10.0.0.0/8', request: '::1' },
    {
      name: 'request not an address',
      values: '10.0.0.0/8',
      request: 'localhost',
      reason: /not a valid IP address/,
    },
    { name: 'octet out of range', values: '10.0.0.0/8', request: '10.0.0.256' },
    { name: 'bad prefix', values: '10.0.0.0/33', request: '10.0.0.1' },
    { name: 'absent', values: '10.0.0.0/8', request: ABSENT },
  ],
});
