import { describe, expect, it } from 'vitest';
import { parseTrustDocument } from '../../src/model/normalise.js';
import type { JsonLike, SourceLocation, Symbolic, TrustPolicy } from '../../src/model/types.js';

const FILE = 'trust.json';
const parse = (doc: JsonLike | string): TrustPolicy => parseTrustDocument(doc, { file: FILE });
const codes = (tp: TrustPolicy): string[] => tp.issues.map((i) => i.code).sort();

const ACCT = 'arn:aws:iam::111122223333:root';
const basic = (extra: Record<string, JsonLike> = {}): Record<string, JsonLike> => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: ACCT }, Action: 'sts:AssumeRole', ...extra }],
});
const sym = (description: string): Symbolic => ({ symbolic: true, description });

describe('parseTrustDocument: normalisation of valid documents', () => {
  const cases: { name: string; input: JsonLike | string; check: (tp: TrustPolicy) => void }[] = [
    {
      name: 'object input, Statement as a list',
      input: basic(),
      check: (tp) => {
        expect(tp.version).toBe('2012-10-17');
        expect(tp.statements).toHaveLength(1);
        expect(tp.statements[0]).toMatchObject({
          index: 0,
          effect: 'Allow',
          principals: [{ type: 'AWS', value: ACCT }],
          actions: ['sts:AssumeRole'],
          conditions: [],
        });
      },
    },
    {
      name: 'Statement as a single object',
      input: {
        Version: '2012-10-17',
        Statement: { Effect: 'Deny', Principal: '*', Action: ['sts:AssumeRole'] },
      },
      check: (tp) => {
        expect(tp.statements).toHaveLength(1);
        expect(tp.statements[0]).toMatchObject({
          index: 0,
          effect: 'Deny',
          principals: [{ type: '*', value: '*' }],
        });
      },
    },
    {
      name: 'JSON string input',
      input: JSON.stringify(basic()),
      check: (tp) =>
        expect(tp.statements[0]?.principals).toEqual([expect.objectContaining({ type: 'AWS', value: ACCT })]),
    },
    {
      name: 'URL-encoded JSON string input (as the IAM API returns it)',
      input: encodeURIComponent(JSON.stringify(basic())),
      check: (tp) => {
        expect(tp.statements[0]?.actions).toEqual(['sts:AssumeRole']);
        expect(tp.raw).toEqual(basic());
      },
    },
    {
      name: 'URL-encoded with surrounding whitespace and lower-case escapes',
      input: `  ${encodeURIComponent(JSON.stringify(basic())).replace(/%7B/g, '%7b')}\n`,
      check: (tp) => expect(tp.statements).toHaveLength(1),
    },
    {
      name: 'form-encoded (spaces as +)',
      input: encodeURIComponent(JSON.stringify(basic(), null, 1)).replace(/%20/g, '+'),
      check: (tp) => expect(tp.statements[0]?.actions).toEqual(['sts:AssumeRole']),
    },
    {
      name: 'doubly URL-encoded',
      input: encodeURIComponent(encodeURIComponent(JSON.stringify(basic()))),
      check: (tp) => expect(tp.statements).toHaveLength(1),
    },
    {
      name: 'JSON string holding the document (double-serialised)',
      input: JSON.stringify(JSON.stringify(basic())),
      check: (tp) => expect(tp.statements).toHaveLength(1),
    },
    {
      name: 'version 2008-10-17 is accepted',
      input: { ...basic(), Version: '2008-10-17' },
      check: (tp) => expect(tp.version).toBe('2008-10-17'),
    },
    {
      name: 'missing Version is accepted (IAM reads it as 2008-10-17) and is not an issue',
      input: { Statement: basic().Statement as JsonLike },
      check: (tp) => expect(tp.version).toBeUndefined(),
    },
    {
      name: 'Effect in another case is accepted (IAM accepts it; AFT ships "allow")',
      input: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'deny', Principal: { AWS: ACCT }, Action: 'sts:AssumeRole' },
          { Effect: 'allow', Principal: { AWS: ACCT }, Action: 'sts:AssumeRole' },
        ],
      },
      check: (tp) => expect(tp.statements.map((s) => s.effect)).toEqual(['Deny', 'Allow']),
    },
    {
      name: 'the deploying-account marker counts as an account id in ARNs',
      input: basic({
        Principal: {
          AWS: ['arn:aws:iam::<deploying-account>:root', '<deploying-account>'],
          Federated: 'arn:aws:iam::<deploying-account>:oidc-provider/token.actions.githubusercontent.com',
        },
      }),
      check: (tp) => expect(tp.statements[0]?.principals).toHaveLength(3),
    },
    {
      name: 'Id is kept',
      input: { ...basic(), Id: 'TrustPolicy1' },
      check: (tp) => expect(tp.id).toBe('TrustPolicy1'),
    },
    {
      name: 'Principal "*" is type *, {AWS: "*"} is type AWS',
      input: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' },
          { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' },
        ],
      },
      check: (tp) => {
        expect(tp.statements[0]?.principals?.map((p) => p.type)).toEqual(['*']);
        expect(tp.statements[1]?.principals?.map((p) => [p.type, p.value])).toEqual([['AWS', '*']]);
      },
    },
    {
      name: 'mixed principal types, single and list values',
      input: basic({
        Principal: {
          AWS: ['111122223333', 'arn:aws:iam::444455556666:role/x', 'AROAEXAMPLEEXAMPLE123'],
          Service: 'ec2.amazonaws.com',
          Federated: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com',
          CanonicalUser: 'a'.repeat(64),
        },
      }),
      check: (tp) => {
        expect(tp.statements[0]?.principals?.map((p) => `${p.type}=${String(p.value)}`)).toEqual([
          'AWS=111122223333',
          'AWS=arn:aws:iam::444455556666:role/x',
          'AWS=AROAEXAMPLEEXAMPLE123',
          'Service=ec2.amazonaws.com',
          'Federated=arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com',
          `CanonicalUser=${'a'.repeat(64)}`,
        ]);
      },
    },
    {
      name: 'assumed-role session ARN and web identity provider names are valid principals',
      input: basic({
        Principal: { AWS: 'arn:aws:sts::111122223333:assumed-role/R/s', Federated: 'accounts.google.com' },
      }),
      check: (tp) => expect(tp.statements[0]?.principals).toHaveLength(2),
    },
    {
      name: 'condition values: single -> list, booleans and numbers -> strings',
      input: basic({
        Condition: {
          StringEquals: { 'sts:ExternalId': 'abc', 'aws:PrincipalOrgID': ['o-1', 'o-2'] },
          Bool: { 'aws:MultiFactorAuthPresent': true },
          NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 },
          'ForAnyValue:StringLikeIfExists': { 'aws:PrincipalTag/team': ['a*', false] },
        },
      }),
      check: (tp) => {
        expect(tp.statements[0]?.conditions.map((c) => [c.operator, c.key, c.values])).toEqual([
          ['StringEquals', 'sts:ExternalId', ['abc']],
          ['StringEquals', 'aws:PrincipalOrgID', ['o-1', 'o-2']],
          ['Bool', 'aws:MultiFactorAuthPresent', ['true']],
          ['NumericLessThan', 'aws:MultiFactorAuthAge', ['3600']],
          ['ForAnyValue:StringLikeIfExists', 'aws:PrincipalTag/team', ['a*', 'false']],
        ]);
      },
    },
    {
      name: 'NotAction is kept',
      input: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, NotAction: 'sts:TagSession' },
        ],
      },
      check: (tp) => {
        expect(tp.statements[0]?.notActions).toEqual(['sts:TagSession']);
        expect(tp.statements[0]?.actions).toBeUndefined();
      },
    },
    {
      name: 'Sid is kept; empty Sid (console default) is allowed and dropped',
      input: {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'Vendor1', Effect: 'Allow', Principal: { AWS: ACCT }, Action: 'sts:AssumeRole' },
          { Sid: '', Effect: 'Allow', Principal: { AWS: ACCT }, Action: 'sts:AssumeRole' },
          { Sid: '', Effect: 'Allow', Principal: { AWS: ACCT }, Action: 'sts:AssumeRole' },
        ],
      },
      check: (tp) => {
        expect(tp.statements.map((s) => s.sid)).toEqual(['Vendor1', undefined, undefined]);
      },
    },
    {
      name: 'symbolic values pass through untouched and are not validated',
      input: basic({
        Principal: { AWS: [sym('parameter VendorAccount'), sym('Fn::GetAtt Vendor.Arn')] },
        Action: sym('parameter Action'),
        Condition: { StringEquals: { 'sts:ExternalId': sym('parameter ExternalId') } },
      }),
      check: (tp) => {
        const st = tp.statements[0];
        expect(st?.principals?.map((p) => p.value)).toEqual([
          sym('parameter VendorAccount'),
          sym('Fn::GetAtt Vendor.Arn'),
        ]);
        expect(st?.actions).toEqual([sym('parameter Action')]);
        expect(st?.conditions[0]?.values).toEqual([sym('parameter ExternalId')]);
      },
    },
    {
      name: 'a whole symbolic Principal is judged as an AWS principal',
      input: basic({ Principal: sym('Fn::If IsProd') }),
      check: (tp) =>
        expect(tp.statements[0]?.principals).toEqual([
          expect.objectContaining({ type: 'AWS', value: sym('Fn::If IsProd') }),
        ]),
    },
    {
      name: 'raw keeps the parsed document',
      input: basic(),
      check: (tp) => expect(tp.raw).toEqual(basic()),
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const tp = parse(c.input);
      expect(codes(tp)).toEqual([]);
      c.check(tp);
    });
  }
});

describe('parseTrustDocument: issues for what IAM rejects', () => {
  const cases: {
    name: string;
    input: JsonLike | string;
    codes: string[];
    statementIndex?: number;
    check?: (tp: TrustPolicy) => void;
  }[] = [
    {
      name: 'not JSON',
      input: 'Version: 2012-10-17',
      codes: ['unparsable'],
      check: (tp) => expect(tp.statements).toEqual([]),
    },
    { name: 'truncated JSON', input: '{"Version": "2012-10-17", "Statement": [', codes: ['unparsable'] },
    { name: 'damaged URL-encoding', input: '%7B%22Version%22%3A%2', codes: ['unparsable'] },
    { name: 'empty string', input: '   ', codes: ['unparsable'] },
    { name: 'a list, not an object', input: [basic()], codes: ['unparsable'] },
    { name: 'null document', input: null, codes: ['unparsable'] },
    {
      name: 'unsupported Version',
      input: { ...basic(), Version: '2012-10-18' },
      codes: ['unsupported-version'],
    },
    { name: 'Version as a number', input: { ...basic(), Version: 2012 }, codes: ['unsupported-version'] },
    { name: 'Id that is not a string', input: { ...basic(), Id: { a: 1 } }, codes: ['invalid-id'] },
    { name: 'unknown top-level key', input: { ...basic(), Statements: [] }, codes: ['unknown-policy-key'] },
    {
      name: 'top-level key with wrong case is reported and still used',
      input: { version: '2012-10-17', statement: basic().Statement as JsonLike },
      codes: ['unknown-policy-key', 'unknown-policy-key'],
      check: (tp) => expect(tp.statements).toHaveLength(1),
    },
    { name: 'missing Statement', input: { Version: '2012-10-17' }, codes: ['no-statement'] },
    {
      name: 'empty Statement list',
      input: { Version: '2012-10-17', Statement: [] },
      codes: ['empty-statement'],
    },
    {
      name: 'a statement that is not an object keeps indexes aligned',
      input: {
        Version: '2012-10-17',
        Statement: ['sts:AssumeRole', (basic().Statement as JsonLike[])[0] as JsonLike],
      },
      codes: ['invalid-statement'],
      statementIndex: 0,
      check: (tp) => {
        expect(tp.statements.map((s) => s.index)).toEqual([0, 1]);
        expect(tp.statements[0]?.principals).toEqual([]);
        expect(tp.statements[1]?.principals).toHaveLength(1);
      },
    },
    {
      name: 'missing Effect (judged as Allow)',
      input: { Version: '2012-10-17', Statement: [{ Principal: { AWS: ACCT }, Action: 'sts:AssumeRole' }] },
      codes: ['missing-effect'],
      statementIndex: 0,
      check: (tp) => expect(tp.statements[0]?.effect).toBe('Allow'),
    },

    { name: 'Effect "Permit"', input: basic({ Effect: 'Permit' }), codes: ['invalid-effect'] },
    {
      name: 'NotPrincipal (cfn_nag: with the misspelt dAction)',
      input: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', NotPrincipal: { Service: ['ec2.amazonaws.com'] }, dAction: 'sts:AssumeRole' },
        ],
      },
      codes: ['no-action', 'not-principal', 'unknown-key'],
      statementIndex: 0,
      check: (tp) => {
        expect(tp.statements[0]?.notPrincipals).toEqual([
          expect.objectContaining({ type: 'Service', value: 'ec2.amazonaws.com' }),
        ]);
        expect(tp.statements[0]?.principals).toBeUndefined();
        expect(tp.statements[0]?.actions).toBeUndefined();
        expect(tp.issues.find((i) => i.code === 'unknown-key')?.message).toContain('dAction');
      },
    },
    { name: 'Resource', input: basic({ Resource: '*' }), codes: ['resource-in-trust-policy'] },
    {
      name: 'NotResource',
      input: basic({ NotResource: 'arn:aws:s3:::b' }),
      codes: ['resource-in-trust-policy'],
    },
    {
      name: 'no Principal',
      input: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] },
      codes: ['no-principal'],
      check: (tp) => expect(tp.statements[0]?.principals).toBeUndefined(),
    },
    {
      name: 'no Action',
      input: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCT } }] },
      codes: ['no-action'],
    },
    {
      name: 'both Action and NotAction',
      input: basic({ NotAction: 'sts:TagSession' }),
      codes: ['action-and-not-action'],
    },
    { name: 'empty Action list', input: basic({ Action: [] }), codes: ['empty-action'] },
    {
      name: 'action without a service prefix',
      input: basic({ Action: 'AssumeRole' }),
      codes: ['invalid-action'],
    },
    { name: 'action that is a number', input: basic({ Action: [42] }), codes: ['invalid-action'] },
    {
      name: 'key with the wrong case is reported and still used',
      input: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', principal: { AWS: '*' }, Action: 'sts:AssumeRole' }],
      },
      codes: ['unknown-key'],
      check: (tp) => expect(tp.statements[0]?.principals?.[0]?.value).toBe('*'),
    },
    { name: 'Sid with punctuation', input: basic({ Sid: 'allow-vendor' }), codes: ['invalid-sid'] },
    { name: 'Sid that is a number', input: basic({ Sid: 7 }), codes: ['invalid-sid'] },
    {
      name: 'duplicate Sid',
      input: {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'A', Effect: 'Allow', Principal: { AWS: ACCT }, Action: 'sts:AssumeRole' },
          { Sid: 'A', Effect: 'Allow', Principal: { AWS: ACCT }, Action: 'sts:TagSession' },
        ],
      },
      codes: ['duplicate-sid'],
      statementIndex: 1,
    },
    {
      name: 'Principal as a plain string other than "*"',
      input: basic({ Principal: ACCT }),
      codes: ['invalid-principal'],
    },
    { name: 'Principal as a list', input: basic({ Principal: [ACCT] }), codes: ['invalid-principal'] },
    { name: 'empty Principal object', input: basic({ Principal: {} }), codes: ['empty-principal'] },
    { name: 'empty principal list', input: basic({ Principal: { AWS: [] } }), codes: ['empty-principal'] },
    {
      name: 'unknown principal type',
      input: basic({ Principal: { IAM: ACCT, AWS: ACCT } }),
      codes: ['unknown-principal-type'],
      check: (tp) => expect(tp.statements[0]?.principals).toHaveLength(1),
    },
    {
      name: 'AWS principal that is an account id with 11 digits',
      input: basic({ Principal: { AWS: '11112222333' } }),
      codes: ['malformed-principal'],
    },
    {
      name: 'AWS principal that is a bucket ARN',
      input: basic({ Principal: { AWS: 'arn:aws:s3:::bucket' } }),
      codes: ['malformed-principal'],
    },
    {
      name: 'AWS principal that is null',
      input: basic({ Principal: { AWS: null } }),
      codes: ['malformed-principal'],
    },
    {
      name: 'partial wildcard in an AWS principal',
      input: basic({ Principal: { AWS: 'arn:aws:iam::111122223333:role/vendor-*' } }),
      codes: ['principal-wildcard'],
      check: (tp) =>
        expect(tp.statements[0]?.principals?.[0]?.value).toBe('arn:aws:iam::111122223333:role/vendor-*'),
    },
    {
      name: 'wildcard account in an ARN',
      input: basic({ Principal: { AWS: 'arn:aws:iam::*:root' } }),
      codes: ['principal-wildcard'],
    },
    {
      name: 'service principal "*"',
      input: basic({ Principal: { Service: '*' } }),
      codes: ['malformed-principal'],
    },
    {
      name: 'partial wildcard service',
      input: basic({ Principal: { Service: '*.amazonaws.com' } }),
      codes: ['principal-wildcard'],
    },
    {
      name: 'service principal given as an ARN',
      input: basic({ Principal: { Service: 'arn:aws:iam::111122223333:root' } }),
      codes: ['malformed-principal'],
    },
    {
      name: 'federated principal with spaces',
      input: basic({ Principal: { Federated: 'my idp' } }),
      codes: ['malformed-principal'],
    },
    {
      name: 'malformed canonical user',
      input: basic({ Principal: { CanonicalUser: 'abc' } }),
      codes: ['malformed-principal'],
    },
    {
      name: 'Condition that is a list',
      input: basic({ Condition: [{ StringEquals: { a: 'b' } }] }),
      codes: ['invalid-condition'],
    },
    {
      name: 'Condition that is a string',
      input: basic({ Condition: 'sts:ExternalId=abc' }),
      codes: ['invalid-condition'],
    },
    {
      name: 'operator block that is a string',
      input: basic({ Condition: { StringEquals: 'abc' } }),
      codes: ['invalid-condition'],
    },
    {
      name: 'unknown operator (misspelt) still yields the condition',
      input: basic({ Condition: { StringEqual: { 'sts:ExternalId': 'abc' } } }),
      codes: ['unknown-operator'],
      check: (tp) => expect(tp.statements[0]?.conditions).toHaveLength(1),
    },
    {
      name: 'unknown set operator prefix',
      input: basic({ Condition: { 'ForSomeValues:StringLike': { k: 'v' } } }),
      codes: ['unknown-operator'],
    },
    {
      name: 'NullIfExists is not an operator',
      input: basic({ Condition: { NullIfExists: { k: 'true' } } }),
      codes: ['unknown-operator'],
    },
    {
      name: 'empty condition values',
      input: basic({ Condition: { StringEquals: { 'sts:ExternalId': [] } } }),
      codes: ['empty-condition-values'],
    },
    {
      name: 'condition value that is an object',
      input: basic({ Condition: { StringEquals: { 'sts:ExternalId': { a: 1 } } } }),
      codes: ['invalid-condition-value'],
    },
    {
      name: 'condition value that is null',
      input: basic({ Condition: { StringEquals: { 'sts:ExternalId': null } } }),
      codes: ['invalid-condition-value'],
    },
    {
      name: 'symbolic condition block (computed at deploy time) is marked, not a defect',
      input: basic({ Condition: { StringEquals: sym('Fn::GetAtt CustomResource.Value') } }),
      codes: ['symbolic-structure'],
    },
    {
      name: 'symbolic Statement list',
      input: { Version: '2012-10-17', Statement: sym('Fn::If X') },
      codes: ['symbolic-structure'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const tp = parse(c.input);
      expect(codes(tp)).toEqual([...c.codes].sort());
      for (const i of tp.issues) {
        expect(i.message.length).toBeGreaterThan(10);
        expect(i.location?.file).toBe(FILE);
      }
      if (c.statementIndex !== undefined) {
        expect(tp.issues.some((i) => i.statementIndex === c.statementIndex)).toBe(true);
      }
      c.check?.(tp);
    });
  }

  it('never throws on hostile objects', () => {
    const evil = {} as Record<string, JsonLike>;
    Object.defineProperty(evil, 'Statement', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    const tp = parse(evil);
    expect(codes(tp)).toEqual(['unparsable']);
  });
});

describe('parseTrustDocument: locations', () => {
  it('asks locate for each statement, principal, action and condition path', () => {
    const asked: string[] = [];
    const locate = (p: (string | number)[]): SourceLocation => {
      asked.push(p.join('.'));
      return { file: 't.yaml', line: p.length };
    };
    const tp = parseTrustDocument(
      basic({
        Principal: { AWS: [ACCT, 'bad'] },
        Condition: { StringEquals: { 'sts:ExternalId': 'x' } },
      }),
      { file: 't.yaml', locate },
    );
    expect(asked).toEqual(
      expect.arrayContaining([
        'Statement.0',
        'Statement.0.Principal.AWS.0',
        'Statement.0.Principal.AWS.1',
        'Statement.0.Condition.StringEquals.sts:ExternalId',
      ]),
    );
    expect(tp.statements[0]?.location).toEqual({ file: 't.yaml', line: 2 });
    expect(tp.statements[0]?.principals?.[1]?.location).toEqual({ file: 't.yaml', line: 5 });
    expect(tp.statements[0]?.conditions[0]?.location).toEqual({ file: 't.yaml', line: 5 });
    expect(tp.issues[0]).toMatchObject({
      code: 'malformed-principal',
      statementIndex: 0,
      location: { line: 5 },
    });
  });

  it('a single Statement object has the path ["Statement"]', () => {
    const asked: string[] = [];
    parseTrustDocument(
      { Version: '2012-10-17', Statement: { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' } },
      {
        file: 'f',
        locate: (p) => {
          asked.push(p.join('.'));
          return undefined;
        },
      },
    );
    expect(asked).toContain('Statement');
    expect(asked).toContain('Statement.Principal');
  });

  it('without locate every element gets base', () => {
    const base = { file: 'export.json', line: 40, column: 7 };
    const tp = parseTrustDocument(basic({ Resource: '*' }), { file: 'export.json', base });
    expect(tp.location).toEqual(base);
    expect(tp.statements[0]?.location).toEqual(base);
    expect(tp.statements[0]?.principals?.[0]?.location).toEqual(base);
    expect(tp.issues[0]?.location).toEqual(base);
  });
});

describe('parseTrustDocument: limits', () => {
  it('a document nested beyond 64 levels is unparsable with no statements', () => {
    let v: JsonLike = 'x';
    for (let i = 0; i < 5000; i++) v = [v];
    const tp = parse(basic({ Effect: v }));
    expect(codes(tp)).toEqual(['unparsable']);
    expect(tp.statements).toEqual([]);
  });

  it('deep nesting hidden in a value that claims to be symbolic is caught too', () => {
    let v: JsonLike = 'x';
    for (let i = 0; i < 5000; i++) v = [v];
    const fake = { symbolic: true, description: 'x', hidden: v } as unknown as JsonLike;
    const tp = parse(basic({ Principal: { AWS: fake } }));
    expect(codes(tp)).toEqual(['unparsable']);
  });

  it('ordinary nesting (symbolic values inside condition lists) is fine', () => {
    const tp = parse(basic({ Condition: { StringEquals: { 'sts:ExternalId': [sym('parameter X')] } } }));
    expect(codes(tp)).toEqual([]);
  });
});
