import { ABSENT, conditionTable } from '../harness.js';

conditionTable('NotIpAddress', 'aws:SourceIp', {
  valid: [
    { name: 'outside every range', values: ['10.0.0.0/8', '172.16.0.0/12'], request: '8.8.8.8' },
    { name: 'other IP version is outside', values: '10.0.0.0/8', request: '2001:db8::1' },
    { name: 'absent', values: '10.0.0.0/8', request: ABSENT },
  ],
  invalid: [
    { name: 'inside a range', values: ['10.0.0.0/8', '172.16.0.0/12'], request: '172.20.1.1' },
    { name: 'request not an address', values: '10.0.0.0/8', request: 'nope' },
    { name: 'policy value not a range', values: 'nope', request: '10.0.0.1' },
  ],
});
