import { ABSENT, conditionTable } from '../harness.js';

conditionTable('BinaryEquals', 'key', {
  valid: [
    { name: 'same base64', values: 'QmluYXJ5VmFsdWU=', request: 'QmluYXJ5VmFsdWU=' },
    { name: 'IfExists absent', op: 'BinaryEqualsIfExists', values: 'QQ==', request: ABSENT },
  ],
  invalid: [
    { name: 'different bytes', values: 'QQ==', request: 'Qg==' },
    { name: 'absent', values: 'QQ==', request: ABSENT },
  ],
});
