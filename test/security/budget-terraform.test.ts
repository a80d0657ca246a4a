// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform `${...}` text is data here
/**
 * Issue 11, item 2 (budgets), Terraform: hostile configurations that used to exhaust memory, hang or
 * hide the roles of other folders. Each goes through the real CLI; each is an error for the file or
 * root module at fault (file, line, the limit and how to raise it), and the other roles are reported.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runJson, tempDir } from '../helpers/cli.js';

/** A role any account 999988887777 can assume: one TA001 finding, with `sid` as its statement's Sid. */
function role(name: string, sid = `"${name}"`): string {
  return `resource "aws_iam_role" "${name}" {
  name = "${name}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = ${sid}
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::999988887777:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}
`;
}

function tree(files: Record<string, string>): string {
  const dir = tempDir('trustaudit-budget-');
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
  return dir;
}

/** Runs the scan with a 512 MB heap: a scan that needs more dies, and the test fails. */
function scan(dir: string, extra: string[] = []) {
  const started = Date.now();
  const r = runJson(['scan', dir, '--no-db', '--account', '111122223333', ...extra], {
    env: { NODE_OPTIONS: '--max-old-space-size=512' },
  });
  return { ...r, seconds: (Date.now() - started) / 1000 };
}

const roleNames = (r: ReturnType<typeof scan>): string[] =>
  [...new Set(r.report.findings.map((f) => f.resource.name))].sort();

describe('Terraform evaluation budgets (through the CLI)', () => {
  it('six lines of nested for-expressions (10^8 elements) stop at a limit, quickly, in bounded memory', () => {
    const dir = tree({
      'bomb/main.tf': `locals {
  a = range(100)
  b = flatten([for x in local.a : [for y in local.a : [x, y]]])
  c = flatten([for x in local.b : [for y in local.b : { k = [x, y, "\${x}-\${y}"] }]])
}
${role('bomb', '"s${length(local.c)}"')}`,
      'safe/main.tf': role('vendor'),
    });
    const r = scan(dir);
    expect(r.seconds).toBeLessThan(30);
    expect(r.code).toBe(2);
    const e = r.report.errors.find((x) => x.code.startsWith('limit-'));
    expect(e?.code).toMatch(/^limit-(eval-steps|collection-size)$/);
    expect(e?.file).toMatch(/bomb\/main\.tf$/);
    expect(e?.line).toBeGreaterThanOrEqual(2);
    expect(e?.line).toBeLessThanOrEqual(4);
    expect(e?.message).toMatch(/limit is \d+/);
    expect(e?.message).toMatch(/--limit (eval-steps|collection-size)=\d+/);
    expect(roleNames(r)).toEqual(['vendor']);
  }, 60_000);

  it('an unused local nested 2,000 levels deep fails its own file only; the sibling folder is still judged', () => {
    const n = 2000;
    const dir = tree({
      'a/main.tf': `locals {\n  deep = ${'['.repeat(n)}1${']'.repeat(n)}\n}\n`,
      'b/main.tf': role('vendor'),
    });
    const r = scan(dir);
    expect(r.code).toBe(2);
    expect(roleNames(r)).toEqual(['vendor']);
    const e = r.report.errors.find((x) => x.code === 'limit-nesting-depth');
    expect(e?.file).toMatch(/a\/main\.tf$/);
    expect(e?.line).toBe(2);
    expect(e?.message).toMatch(/--limit nesting-depth=400/);
  }, 60_000);

  it('the same in Terraform JSON (.tf.json) and through jsondecode of a deep string', () => {
    const n = 3000;
    const dir = tree({
      'json/main.tf.json': `{"locals": {"deep": ${'['.repeat(n)}1${']'.repeat(n)}}}`,
      'decode/main.tf': role('decoded', `jsondecode("${'['.repeat(n)}${']'.repeat(n)}")[0]`),
      'safe/main.tf': role('vendor'),
    });
    const r = scan(dir);
    expect(roleNames(r)).toEqual(['vendor']);
    const deep = r.report.errors.filter((x) => x.code === 'limit-nesting-depth').map((x) => x.file);
    expect(deep.some((f) => f?.endsWith('json/main.tf.json'))).toBe(true);
    expect(deep.some((f) => f?.endsWith('decode/main.tf'))).toBe(true);
  }, 60_000);

  it('a value nested deeper than any expression (20,000 locals, each wrapping the last) is a nesting-depth error', () => {
    const n = 20_000;
    const locals = ['locals {', '  l0 = 1'];
    for (let i = 1; i <= n; i++) locals.push(`  l${i} = [local.l${i - 1}]`);
    // Referenced in order, each local is evaluated one level deep: only the value is deep.
    locals.push(
      `  all = length([${Array.from({ length: n }, (_, i) => `local.l${i + 1}`).join(', ')}])`,
      '}',
    );
    const dir = tree({
      'chain/main.tf': `${locals.join('\n')}\n${role('chain', `"s\${local.all}\${jsonencode(local.l${n})}"`)}`,
      'safe/main.tf': role('vendor'),
    });
    const r = scan(dir);
    expect(roleNames(r)).toEqual(['vendor']);
    const e = r.report.errors.find((x) => x.code === 'limit-nesting-depth');
    expect(e?.file).toMatch(/chain\/main\.tf$/);
    expect(e?.line).toBe(n + 10); // the Sid
    expect(e?.message).toMatch(/the role chain was not judged/);
  }, 60_000);

  it('module calls that fan out to 10^4 instances fail their root module only (the limit is per root)', () => {
    // Each level calls the next ten times: 10 + 100 + 1,000 + 10,000 instances under "fan".
    const files: Record<string, string> = {
      'fan/main.tf': Array.from({ length: 10 }, (_, i) => `module "m${i}" { source = "../l1" }\n`).join(''),
      'l4/main.tf': 'locals { x = 1 }\n',
      'z-safe/main.tf': role('vendor'),
    };
    for (const lvl of [1, 2, 3])
      files[`l${lvl}/main.tf`] = Array.from(
        { length: 10 },
        (_, i) => `module "m${i}" { source = "../l${lvl + 1}" }\n`,
      ).join('');
    const r = scan(tree(files));
    expect(r.seconds).toBeLessThan(30);
    expect(roleNames(r)).toEqual(['vendor']);
    const e = r.report.errors.find((x) => x.code === 'limit-module-instances');
    expect(e?.message).toMatch(/--limit module-instances=4000/);
    expect(e?.file).toMatch(/l\d\/main\.tf$/);
    expect(e?.line).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('a string built past string-length is an error for that role; the others are judged', () => {
    const dir = tree({
      'big/main.tf': `locals {
  kb   = join("", [for i in range(1024) : "x"])
  huge = join("", [for i in range(8192) : local.kb])
}
${role('huge', 'local.huge')}
${role('fine')}`,
    });
    const r = scan(dir);
    expect(r.code).toBe(2);
    expect(roleNames(r)).toEqual(['fine']);
    const e = r.report.errors.find((x) => x.code === 'limit-string-length');
    expect(e?.file).toMatch(/big\/main\.tf$/);
    expect(e?.line).toBe(3);
    expect(e?.message).toMatch(/a string of 8388608 characters/);
  }, 60_000);

  it('replace() with a catastrophic pattern runs in linear time (RE2), with RE2 results', () => {
    const dir = tree({
      're/main.tf': [
        role('redos', `replace("${'a'.repeat(41)}!", "/(a+)+$/", "x")`),
        role('groups', 'replace("abc-123-45", "/(\\\\d+)/", "<$1>")'),
        role('named', 'replace("k=v", "/(?P<key>\\\\w+)=(?P<val>\\\\w+)/", "$val=$${key}$$")'),
        role('matched', 'regex("^arn:aws:iam::(\\\\d{12}):", "arn:aws:iam::123456789012:root")[0]'),
        role('all', 'join(",", regexall("[0-9]+", "a1b22c333"))'),
      ].join('\n'),
    });
    const r = scan(dir);
    expect(r.seconds).toBeLessThan(15);
    const sid = (name: string) => r.report.findings.find((f) => f.resource.name === name)?.statement?.sid;
    expect(sid('redos')).toBe(`${'a'.repeat(41)}!`);
    expect(sid('groups')).toBe('abc-<123>-<45>');
    expect(sid('named')).toBe('v=k$');
    expect(sid('matched')).toBe('123456789012');
    expect(sid('all')).toBe('1,22,333');
  }, 60_000);

  it('a pattern RE2 rejects (a backreference) is unknown with a warning, never run by another engine', () => {
    const dir = tree({ 're/main.tf': role('backref', 'replace("aa", "/(a)\\\\1/", "x")') });
    const r = scan(dir);
    const w = r.report.warnings.find((x) => x.code === 'regex-unsupported') as
      | { code: string; message: string; file?: string; line?: number }
      | undefined;
    expect(w?.message).toMatch(/not valid RE2 syntax/);
    expect(w?.file).toMatch(/re\/main\.tf$/);
    expect(w?.line).toBe(6);
    // The role is still judged; its Sid is not the JavaScript-regex result "x".
    const f = r.report.findings.find((x) => x.resource.name === 'backref');
    expect(f).toBeDefined();
    expect(f?.statement?.sid).not.toBe('x');
  }, 60_000);
});

describe('--limit NAME=N', () => {
  const depth = (n: number) => `locals {\n  deep = ${'['.repeat(n)}1${']'.repeat(n)}\n}\n`;
  it('lowers a limit: 30 levels pass by default and fail with --limit nesting-depth=20', () => {
    const dir = tree({ 'a/main.tf': depth(30), 'b/main.tf': role('vendor') });
    expect(scan(dir).report.errors.filter((e) => e.code.startsWith('limit-'))).toEqual([]);
    const low = scan(dir, ['--limit', 'nesting-depth=20']);
    expect(low.report.errors.map((e) => e.code)).toContain('limit-nesting-depth');
    expect(low.report.errors.find((e) => e.code === 'limit-nesting-depth')?.message).toMatch(
      /the nesting-depth limit is 20\b/,
    );
  }, 60_000);

  it('raises a limit: 300 levels fail by default and pass with --limit nesting-depth=400', () => {
    const dir = tree({ 'a/main.tf': depth(300), 'b/main.tf': role('vendor') });
    expect(scan(dir).report.errors.map((e) => e.code)).toContain('limit-nesting-depth');
    const high = scan(dir, ['--limit', 'nesting-depth=400']);
    expect(high.report.errors.filter((e) => e.code.startsWith('limit-'))).toEqual([]);
    expect(roleNames(high)).toEqual(['vendor']);
  }, 60_000);
});
