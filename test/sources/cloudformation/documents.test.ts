// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation writes ${Name} substitutions in plain strings.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conditions, fixtures, lineOf, principals, roleById, scanFixture } from './helpers.js';

const Y = 'string-documents.yaml';

describe('AssumeRolePolicyDocument written as a JSON string', () => {
  const cases: { id: string; principal: string; line: number; cond?: string[] }[] = [
    {
      id: 'FoldedRole',
      principal: 'AWS:arn:aws:iam::111122223333:root',
      line: lineOf(Y, '"Principal": {"AWS": "arn:aws:iam::111122223333:root"}'),
    },
    {
      id: 'LiteralRole',
      principal: 'AWS:444455556666',
      line: lineOf(Y, '"AWS": "444455556666"'),
      cond: ['Bool aws:MultiFactorAuthPresent=true'],
    },
    { id: 'QuotedRole', principal: 'AWS:777788889999', line: lineOf(Y, '"AWS": "777788889999"') },
  ];
  for (const c of cases) {
    it(`${c.id}: parsed, with the principal at its own line inside the string`, async () => {
      const role = roleById(await scanFixture(Y), `${Y}#${c.id}`);
      const st = role.trustPolicy.statements[0];
      expect(principals(st)).toEqual([c.principal]);
      expect(conditions(st)).toEqual(c.cond ?? []);
      expect(st?.principals?.[0]?.location?.line).toBe(c.line);
      expect(role.trustPolicy.issues).toEqual([]);
    });
  }

  it('inside a literal block, statement, principal and condition each keep their line and column', async () => {
    const st = roleById(await scanFixture(Y), `${Y}#LiteralRole`).trustPolicy.statements[0];
    expect(st?.location?.line).toBe(lineOf(Y, '"Statement": [', 2) + 1);
    expect(st?.principals?.[0]?.location).toMatchObject({
      line: lineOf(Y, '"AWS": "444455556666"'),
      column: 30,
    });
    expect(st?.conditions[0]?.location?.line).toBe(lineOf(Y, 'aws:MultiFactorAuthPresent'));
  });

  it('a single-quoted string keeps columns on its line (a lone principal is placed at its "AWS" key)', async () => {
    const st = roleById(await scanFixture(Y), `${Y}#QuotedRole`).trustPolicy.statements[0];
    const text =
      '      AssumeRolePolicyDocument: \'{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "777788889999"}';
    expect(st?.principals?.[0]?.location?.column).toBe(text.indexOf('"AWS"') + 1);
    expect(st?.location?.column).toBe(text.indexOf('{"Effect"') + 1);
  });

  it('Fn::Sub of JSON text: parsed with positions, the unknown parameter stays symbolic inside the principal', async () => {
    const role = roleById(await scanFixture(Y), `${Y}#SubJsonRole`);
    const st = role.trustPolicy.statements[0];
    expect(principals(st)).toEqual([
      'AWS:{arn:aws:iam::${VendorAccount}:root | parameter VendorAccount (no default)}',
    ]);
    expect(conditions(st)).toEqual(['StringEquals sts:ExternalId=fixed-id']);
    // Offsets map through the substitution: each element is on its own line of the !Sub block.
    expect(st?.principals?.[0]?.location).toMatchObject({
      line: lineOf(Y, 'arn:aws:iam::${VendorAccount}:root'),
      column: 30,
    });
    expect(st?.conditions[0]?.location?.line).toBe(lineOf(Y, '"sts:ExternalId": "fixed-id"'));
    expect(st?.location?.line).toBe(lineOf(Y, '"Statement": [', 4) + 1);
  });

  it('a string that is not JSON is reported as an unparsable trust policy', async () => {
    const role = roleById(await scanFixture(Y), `${Y}#BrokenStringRole`);
    expect(role.trustPolicy.statements).toEqual([]);
    expect(role.trustPolicy.issues.map((i) => [i.code, i.location?.line])).toEqual([
      ['unparsable', lineOf(Y, 'AssumeRolePolicyDocument', 5)],
    ]);
  });

  it('an escaped JSON string in a JSON template: every element on the template line', async () => {
    const J = 'string-documents.json';
    const st = roleById(await scanFixture(J), `${J}#EscapedRole`).trustPolicy.statements[0];
    expect(principals(st)).toEqual(['AWS:arn:aws:iam::123456789012:root']);
    const line = lineOf(J, '"AssumeRolePolicyDocument"');
    const raw = readFileSync(join(fixtures, J), 'utf8').split('\n')[line - 1] ?? '';
    // Offsets inside the string map through its escapes: the principal's key is the `\"AWS\"` of the file.
    expect(st?.principals?.[0]?.location).toMatchObject({ line, column: raw.indexOf('\\"AWS\\"') + 1 });
    expect(st?.location).toMatchObject({ line, column: raw.indexOf('{\\n    \\"Effect') + 1 });
  });
});
