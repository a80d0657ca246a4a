// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables (`${aws:username}`) are literal policy text here
import { ABSENT, conditionTable } from '../harness.js';

/** AWS documents ArnEquals and ArnLike as the same operator: one table for both. */
export function arnLikeTable(op: 'ArnLike' | 'ArnEquals'): void {
  conditionTable(op, 'aws:PrincipalArn', {
    valid: [
      {
        name: 'exact ARN',
        values: 'arn:aws:iam::111122223333:role/Deploy',
        request: 'arn:aws:iam::111122223333:role/Deploy',
      },
      {
        name: 'wildcard account',
        values: 'arn:aws:iam::*:role/Deploy',
        request: 'arn:aws:iam::444455556666:role/Deploy',
      },
      {
        name: 'wildcard in resource crosses slashes',
        values: 'arn:aws:iam::111122223333:role/*',
        request: 'arn:aws:iam::111122223333:role/a/b/C',
      },
      {
        name: '? in a segment',
        values: 'arn:aws:iam::11112222333?:root',
        request: 'arn:aws:iam::111122223333:root',
      },
      {
        name: 'resource part keeps later colons',
        values: 'arn:aws:sts::1:a:b*',
        request: 'arn:aws:sts::1:a:bc',
      },
      {
        name: 'policy variable',
        values: 'arn:aws:iam::${aws:PrincipalAccount}:root',
        request: 'arn:aws:iam::1:root',
        context: { 'aws:PrincipalAccount': '1' },
      },
      { name: 'IfExists absent', op: `${op}IfExists`, values: 'arn:*:*:*:*:*', request: ABSENT },
    ],
    invalid: [
      {
        name: 'different role',
        values: 'arn:aws:iam::111122223333:role/Deploy',
        request: 'arn:aws:iam::111122223333:role/Other',
      },
      {
        name: 'case-sensitive',
        values: 'arn:aws:iam::111122223333:role/deploy',
        request: 'arn:aws:iam::111122223333:role/Deploy',
      },
      {
        name: 'a star does not cross the account colon',
        values: 'arn:aws:iam::*',
        request: 'arn:aws:iam::1:root',
      },
      { name: "bare '*' is not an ARN pattern", values: '*', request: 'arn:aws:iam::1:root' },
      {
        name: 'request is not an ARN',
        values: 'arn:*:*:*:*:*',
        request: 'not-an-arn',
        reason: /not a valid ARN/,
      },
      { name: 'absent', values: 'arn:*:*:*:*:*', request: ABSENT },
    ],
  });
}
