// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation `${...}` text is data here
/**
 * Issue 11, item 2 (budgets), CloudFormation: templates that nest too deeply or make `Fn::Sub` grow
 * exponentially are an error for that template (or that resource) only, with file, line and the limit;
 * the other templates and resources are still judged. Through the real CLI.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runJson, tempDir } from '../helpers/cli.js';

const ROLE = (name: string, sid = name) => `  ${name}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Sid: ${sid}
            Effect: Allow
            Principal: { AWS: "arn:aws:iam::999988887777:root" }
            Action: sts:AssumeRole
`;

function tree(files: Record<string, string>): string {
  const dir = tempDir('trustaudit-cfn-budget-');
  for (const [rel, text] of Object.entries(files)) writeFileSync(path.join(dir, rel), text);
  return dir;
}

function scan(dir: string, extra: string[] = []) {
  const started = Date.now();
  const r = runJson(['scan', dir, '--no-db', '--account', '111122223333', ...extra], {
    env: { NODE_OPTIONS: '--max-old-space-size=512' },
  });
  return { ...r, seconds: (Date.now() - started) / 1000 };
}

const names = (r: ReturnType<typeof scan>) =>
  [...new Set(r.report.findings.map((f) => f.resource.name))].sort();

/** `Fn::Sub` whose variable is a `Fn::Sub` of 16 copies of the next one, `levels` deep: 100 x 16^levels characters. */
function subBomb(levels: number): string {
  let inner = `"${'x'.repeat(100)}"`;
  for (let i = 0; i < levels; i++) {
    inner = `{"Fn::Sub": ["${'${v}'.repeat(16)}", {"v": ${inner}}]}`;
  }
  return inner;
}

describe('CloudFormation budgets (through the CLI)', () => {
  it('an exponentially growing Fn::Sub stops at string-length, for that resource only', () => {
    const dir = tree({
      'bomb.yaml': `Resources:\n${ROLE('Fine')}${ROLE('Bomb', subBomb(6))}`,
      'other.yaml': `Resources:\n${ROLE('Other')}`,
    });
    const r = scan(dir);
    expect(r.seconds).toBeLessThan(30);
    expect(r.code).toBe(2);
    expect(names(r)).toEqual(['Fine', 'Other']);
    const e = r.report.errors.find((x) => x.code === 'limit-string-length');
    expect(e?.file).toMatch(/bomb\.yaml$/);
    expect(e?.line).toBe(18);
    expect(e?.message).toMatch(/the string-length limit is 4194304 .*--limit string-length=8388608/);
    expect(e?.message).toMatch(/Bomb was not judged/);
  }, 60_000);

  it('YAML nested past nesting-depth is an error for that template, with its line', () => {
    let deep = 'Deep:\n';
    for (let i = 1; i <= 300; i++) deep += `${' '.repeat(i)}k${i}:\n`;
    deep += `${' '.repeat(301)}end\n`;
    const dir = tree({
      'deep.yaml': `Resources:\n${ROLE('Hidden')}Metadata:\n  ${deep.replace(/\n(?=.)/g, '\n  ')}`,
      'other.yaml': `Resources:\n${ROLE('Other')}`,
    });
    const r = scan(dir);
    expect(names(r)).toEqual(['Other']);
    const e = r.report.errors.find((x) => x.file?.endsWith('deep.yaml'));
    expect(e?.code).toBe('too-deep');
    expect(e?.message).toMatch(/--limit nesting-depth=400/);
    expect(e?.line).toBeGreaterThan(200);
  }, 60_000);

  it('YAML too deep for the parser itself (1,000 levels) is the same error, not a syntax error', () => {
    const dir = tree({
      'deep.yaml': `Resources:\n${ROLE('Hidden')}Metadata: ${'['.repeat(1000)}${']'.repeat(1000)}\n`,
      'other.yaml': `Resources:\n${ROLE('Other')}`,
    });
    const r = scan(dir);
    expect(names(r)).toEqual(['Other']);
    const e = r.report.errors.find((x) => x.file?.endsWith('deep.yaml'));
    expect(e?.code).toBe('too-deep');
    expect(e?.message).toMatch(/nesting-depth/);
  }, 60_000);

  it('a JSON template nested 5,000 levels deep names the line where the limit ran out', () => {
    const dir = tree({
      'deep.json': `{\n"Resources": {"R": {"Type": "AWS::IAM::Role"}},\n"Metadata": ${'['.repeat(5000)}${']'.repeat(5000)}\n}`,
      'other.yaml': `Resources:\n${ROLE('Other')}`,
    });
    const r = scan(dir);
    expect(names(r)).toEqual(['Other']);
    const e = r.report.errors.find((x) => x.file?.endsWith('deep.json'));
    expect(e).toMatchObject({ code: 'too-deep', line: 3 });
    expect(e?.message).toMatch(/the nesting-depth limit is 200/);
  }, 60_000);
});
