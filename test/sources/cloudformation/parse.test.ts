// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation writes ${Name} substitutions in plain strings.
import { describe, expect, it } from 'vitest';
import { LineIndex, toPlain } from '../../../src/sources/cloudformation/nodes.js';
import { parseTemplateText } from '../../../src/sources/cloudformation/parse.js';
import { scanTemplate } from '../../../src/sources/cloudformation/scan-template.js';
import { errorsOf, input, lineOf, scanFiles, scanFixture } from './helpers.js';

function yamlPlain(text: string): unknown {
  const p = parseTemplateText(text, 't.yaml');
  if (!p.outcome.ok) throw new Error(p.outcome.message);
  return toPlain(p.outcome.root);
}

const fn = (tag: string) => (tag === 'Ref' || tag === 'Condition' ? tag : `Fn::${tag}`);

const TAGS = [
  'Ref',
  'Sub',
  'GetAtt',
  'Join',
  'If',
  'Select',
  'Split',
  'FindInMap',
  'ImportValue',
  'Base64',
  'Cidr',
  'GetAZs',
  'Condition',
  'Equals',
  'And',
  'Or',
  'Not',
  'Transform',
];

describe('YAML short forms -> long forms', () => {
  for (const tag of TAGS) {
    it(`!${tag} in scalar form`, () => {
      const scalar = tag === 'GetAtt' ? 'Res.Attr' : 'value';
      const expected = tag === 'GetAtt' ? ['Res', 'Attr'] : 'value';
      expect(yamlPlain(`X: !${tag} ${scalar}\n`)).toEqual({ X: { [fn(tag)]: expected } });
    });
    it(`!${tag} in flow and block sequence form`, () => {
      const expected = { X: { [fn(tag)]: ['a', 'b'] } };
      expect(yamlPlain(`X: !${tag} [a, b]\n`)).toEqual(expected);
      expect(yamlPlain(`X: !${tag}\n  - a\n  - b\n`)).toEqual(expected);
    });
    it(`!${tag} in flow and block mapping form`, () => {
      const expected = { X: { [fn(tag)]: { Name: 'n', Parameters: { K: 'v' } } } };
      expect(yamlPlain(`X: !${tag} {Name: n, Parameters: {K: v}}\n`)).toEqual(expected);
      expect(yamlPlain(`X: !${tag}\n  Name: n\n  Parameters:\n    K: v\n`)).toEqual(expected);
    });
  }

  it('nests short forms inside one another', () => {
    expect(yamlPlain('X: !Join ["", [!Ref A, !Sub "${B}-c", !GetAtt R.Arn]]\n')).toEqual({
      X: { 'Fn::Join': ['', [{ Ref: 'A' }, { 'Fn::Sub': '${B}-c' }, { 'Fn::GetAtt': ['R', 'Arn'] }]] },
    });
  });

  it('splits !GetAtt at the first dot only (nested stack outputs)', () => {
    expect(yamlPlain('X: !GetAtt Stack.Outputs.RoleArn\n')).toEqual({
      X: { 'Fn::GetAtt': ['Stack', 'Outputs.RoleArn'] },
    });
  });

  it('turns an unknown !Tag into Fn::Tag (judged later as an unknown intrinsic)', () => {
    expect(yamlPlain('X: !Frobnicate y\n')).toEqual({ X: { 'Fn::Frobnicate': 'y' } });
  });

  it('keeps numbers as written: account ids keep their leading zero', () => {
    expect(yamlPlain('A: 012345678901\nB: 1.50\nC: true\nD:\n')).toEqual({
      A: '012345678901',
      B: '1.50',
      C: true,
      D: null,
    });
    const p = parseTemplateText('{"A": 012}', 't.json');
    expect(p.outcome.ok).toBe(false);
    const q = parseTemplateText('{"A": 10.0}', 't.json');
    expect(q.outcome.ok && toPlain(q.outcome.root)).toEqual({ A: '10.0' });
  });

  it('accepts the non-specific tag `!` on keys (valid YAML, used by real templates)', () => {
    expect(yamlPlain('X: [! "Ref": "AWS::AccountId"]\n')).toEqual({ X: [{ Ref: 'AWS::AccountId' }] });
  });

  it('gives positions of nodes, tagged ones at their tag', () => {
    const text = 'A:\n  B: !Ref C\n';
    const p = parseTemplateText(text, 't.yaml');
    if (!p.outcome.ok || p.outcome.root.t !== 'map') throw new Error('parse');
    const a = p.outcome.root.entries[0];
    const b = a?.value.t === 'map' ? a.value.entries[0] : undefined;
    expect(b?.keyPos).toMatchObject({ line: 2, column: 3 });
    expect(b?.value.pos).toMatchObject({ line: 2, column: 6 });
  });

  it('LineIndex maps offsets to 1-based lines and columns', () => {
    const li = new LineIndex('ab\ncd\n\nef');
    expect([0, 1, 3, 6, 7, 8].map((o) => [li.pos(o).line, li.pos(o).column])).toEqual([
      [1, 1],
      [1, 2],
      [2, 1],
      [3, 1],
      [4, 1],
      [4, 2],
    ]);
  });
});

describe('templates that do not parse', () => {
  const cases: { file: string; code: string; line: number; reason: RegExp }[] = [
    { file: 'broken.yaml', code: 'yaml-syntax', line: 8, reason: /YAML syntax error/ },
    {
      file: 'broken.json',
      code: 'json-syntax',
      line: lineOf('broken.json', '"Properties"'),
      reason: /a comma was expected/,
    },
    {
      file: 'aliases.yaml',
      code: 'yaml-alias',
      line: lineOf('aliases.yaml', '*doc'),
      reason: /alias \*doc is not allowed/,
    },
    {
      file: 'alias-bomb.yaml',
      code: 'yaml-alias',
      line: lineOf('alias-bomb.yaml', '*a0'),
      reason: /alias \*a0/,
    },
  ];
  for (const c of cases) {
    it(`${c.file}: ${c.code} at line ${c.line}, no roles, no throw`, async () => {
      const r = await scanFixture(c.file);
      expect(r.roles).toEqual([]);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toMatchObject({
        source: 'cloudformation',
        code: c.code,
        file: c.file,
        line: c.line,
      });
      expect(r.errors[0]?.column).toBeGreaterThan(0);
      expect(r.errors[0]?.message).toMatch(c.reason);
    });
  }

  it('refuses an alias bomb before expanding anything (10^10 nodes if expanded)', async () => {
    const r = await scanFixture('alias-bomb.yaml');
    expect(r.errors.map((e) => e.code)).toEqual(['yaml-alias']);
  });

  it('a broken file does not stop the others', async () => {
    const r = await scanFiles([input('broken.json'), input('suppressions.yaml'), input('broken.yaml')]);
    expect(r.roles.map((x) => x.id)).toEqual([
      'suppressions.yaml#SuppressedRole',
      'suppressions.yaml#BadSkipRole',
    ]);
    expect(errorsOf(r).map((e) => `${e.file}:${e.code}`)).toEqual(
      expect.arrayContaining(['broken.json:json-syntax', 'broken.yaml:yaml-syntax']),
    );
  });

  it('a duplicated key is reported (a warning) and the last one is scanned, as CloudFormation does', async () => {
    const r = await scanFixture('duplicate-keys.yaml');
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([
      expect.objectContaining({ code: 'duplicate-key', line: lineOf('duplicate-keys.yaml', 'Principal', 2) }),
    ]);
    expect(r.roles[0]?.trustPolicy.statements[0]?.principals?.map((p) => p.value)).toEqual(['222222222222']);
  });

  it('a file over maxFileBytes is refused with its size and the limit', async () => {
    const r = await scanFixture('vendor-roles.yaml', { maxFileBytes: 100 });
    expect(r.roles).toEqual([]);
    expect(r.errors[0]).toMatchObject({ code: 'file-too-large', file: 'vendor-roles.yaml' });
    expect(r.errors[0]?.message).toMatch(/over the 100-byte limit/);
  });

  it('a template nested too deeply to read is a ScanError for that file, not a crash', () => {
    const n = 50_000;
    const text = `{"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": ${'['.repeat(n)}${']'.repeat(n)}}}}}`;
    const r = scanTemplate(text, 'deep.json', { parameters: new Map(), maxFileBytes: 1e7 });
    expect(r.roles).toEqual([]);
    expect(r.errors.map((e) => [e.file, e.code])).toEqual([['deep.json', 'too-deep']]);
  });

  it('a key named __proto__ stays a plain key', () => {
    expect(Object.keys(yamlPlain('__proto__: {polluted: true}\n') as object)).toEqual(['__proto__']);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});

describe('aliases, when explicitly allowed', () => {
  const opts = { parameters: new Map<string, string>(), maxFileBytes: 1e7, allowAliases: true };
  it('are expanded (both roles read from aliases.yaml)', async () => {
    const text = input('aliases.yaml').text;
    const r = scanTemplate(text, 'aliases.yaml', opts);
    expect(r.errors).toEqual([]);
    expect(r.roles.map((x) => [x.id, x.trustPolicy.statements[0]?.principals?.[0]?.value])).toEqual([
      ['aliases.yaml#Role', '111111111111'],
      ['aliases.yaml#Role2', '111111111111'],
    ]);
  });
  it('still stop an alias bomb, by a bound on the expansion', async () => {
    const r = scanTemplate(input('alias-bomb.yaml').text, 'alias-bomb.yaml', opts);
    expect(r.roles).toEqual([]);
    expect(r.errors.map((e) => e.code)).toEqual(['yaml-alias']);
    expect(r.errors[0]?.message).toMatch(/expand to more than/);
  });
});
