import { ABSENT, conditionTable } from '../harness.js';

/** AWS documents ArnNotEquals and ArnNotLike as the same operator: one table for both. */
export function arnNotLikeTable(op: 'ArnNotLike' | 'ArnNotEquals'): void {
  conditionTable(op, 'aws:PrincipalArn', {
    valid: [
      {
        name: 'matches no pattern',
        values: ['arn:aws:iam::*:role/Admin*'],
        request: 'arn:aws:iam::1:role/Dev',
      },
      { name: 'absent', values: 'arn:*:*:*:*:*', request: ABSENT },
    ],
    invalid: [
      {
        name: 'matches a pattern',
        values: ['arn:aws:iam::*:role/Admin*'],
        request: 'arn:aws:iam::1:role/AdminX',
      },
      { name: 'request is not an ARN', values: 'arn:aws:iam::*:role/Admin*', request: 'Admin' },
    ],
  });
}
