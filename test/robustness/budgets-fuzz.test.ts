// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform and CloudFormation `${...}` text is data here
/**
 * Structure fuzzing under the evaluation budgets (issue 11, item 2): generated HCL, Terraform JSON,
 * YAML and JSON templates with deep nesting, wide lists, nested for-expressions, aliases and long
 * strings. Each case must finish within a time bound with bounded heap growth, and end as roles or
 * located errors: never a throw, never a hang. Deterministic (fixed seed); about 15 s of CPU in all.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScanError } from '../../src/model/types.js';
import { DEFAULT_BUDGETS } from '../../src/scan/budgets.js';
import { scanTemplate } from '../../src/sources/cloudformation/scan-template.js';
import { loadTerraform } from '../../src/sources/terraform/index.js';
import type { InputFile, SourceContext } from '../../src/sources/types.js';
import { testSourceContext } from '../helpers/source-context.js';

const SEED = 20261204;
/** Generous bounds (wall time, on a shared machine): the inputs below took minutes and gigabytes before the budgets. */
const MAX_SECONDS = 20;
const MAX_HEAP_GROWTH = 400 * 1024 * 1024;

const ctx: SourceContext = testSourceContext();

async function bounded<T>(run: () => Promise<T> | T): Promise<T> {
  const heap = process.memoryUsage().heapUsed;
  const started = performance.now();
  const out = await run();
  const seconds = (performance.now() - started) / 1000;
  const growth = process.memoryUsage().heapUsed - heap;
  expect(seconds).toBeLessThan(MAX_SECONDS);
  expect(growth).toBeLessThan(MAX_HEAP_GROWTH);
  return out;
}

/** Every error names its file; a limit error also names the line and how to raise the limit. */
function checkErrors(errors: ScanError[]): void {
  for (const e of errors) {
    expect(e.file).toBeTruthy();
    if (e.code.startsWith('limit-') || e.code === 'too-deep') {
      expect(e.line).toBeGreaterThan(0);
      expect(e.message).toMatch(/--limit [a-z-]+=\d+/);
    }
  }
}

// ---------------------------------------------------------------- HCL

/** A nested expression `depth` levels deep, built without recursion (each level a tuple, object or call). */
const nested = fc
  .record({
    depth: fc.integer({ min: 1, max: 3000 }),
    kind: fc.constantFrom('[', '{', 'f', '('),
  })
  .map(({ depth, kind }) => {
    const open = { '[': '[', '{': '{ k = ', f: 'tolist([', '(': '(' }[kind];
    const close = { '[': ']', '{': ' }', f: '])', '(': ')' }[kind];
    return `${open.repeat(depth)}1${close.repeat(depth)}`;
  });

/** `levels` for-expressions nested in one another, each over range(width). */
const forNest = fc
  .record({ levels: fc.integer({ min: 1, max: 4 }), width: fc.integer({ min: 1, max: 1200 }) })
  .map(({ levels, width }) => {
    let body = '{ a = [x0, "${x0}"] }';
    for (let i = levels - 1; i >= 0; i--) body = `[for x${i} in range(${width}) : ${body}]`;
    return `flatten(${body})`;
  });

const wide = fc.integer({ min: 1, max: 150_000 }).map((n) => `[${'1,'.repeat(n)}1]`);

const longString = fc
  .record({ len: fc.integer({ min: 1, max: 200_000 }), times: fc.integer({ min: 1, max: 5000 }) })
  .map(({ len, times }) => `join("", [for i in range(${times}) : "${'a'.repeat(len)}"])`);

const regexHeavy = fc
  .record({
    len: fc.integer({ min: 1, max: 100_000 }),
    pattern: fc.constantFrom('(a+)+$', '(a|aa)*b', '(.*)*x', '(a)\\\\1'),
  })
  .map(({ len, pattern }) => `replace("${'a'.repeat(len)}!", "/${pattern}/", "x")`);

/** Format strings that made the old verb scanner quadratic (a slice per `%`, a backtracking verb pattern). */
const formatHeavy = fc
  .record({ len: fc.integer({ min: 1, max: 200_000 }), unit: fc.constantFrom('%', '%0', '%%', '%-0 ') })
  .map(({ len, unit }) => `format("${unit.repeat(len)}", 1)`);

const hclExpr = fc.oneof(nested, forNest, wide, longString, regexHeavy, formatHeavy);

function hclFile(expr: string): string {
  return `locals {
  v = ${expr}
}
resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Sid = jsonencode(local.v), Effect = "Allow", Principal = { AWS = "arn:aws:iam::999988887777:root" }, Action = "sts:AssumeRole" }]
  })
}
`;
}

const SIBLING = `resource "aws_iam_role" "sibling" {
  name = "sibling"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::999988887777:root" }, Action = "sts:AssumeRole" }] })
}
`;

async function scanTf(files: InputFile[]) {
  const r = await loadTerraform(files, { ...ctx, allFiles: files.map((f) => f.path) });
  checkErrors(r.errors);
  // The sibling root module is always judged, whatever the generated one did.
  expect(r.roles.map((x) => x.name)).toContain('sibling');
  return r;
}

// ---------------------------------------------------------------- YAML / JSON templates

const yamlDeep = fc
  .record({ depth: fc.integer({ min: 1, max: 1500 }), flow: fc.boolean() })
  .map(({ depth, flow }) => {
    if (flow) return `Metadata: ${'['.repeat(depth)}1${']'.repeat(depth)}\n`;
    let s = 'Metadata:\n';
    for (let i = 1; i <= depth; i++) s += `${' '.repeat(i)}k:\n`;
    return `${s}${' '.repeat(depth + 1)}v\n`;
  });

/** A billion-laughs chain: each anchor lists the previous one `fan` times. */
const yamlAliases = fc
  .record({ levels: fc.integer({ min: 1, max: 12 }), fan: fc.integer({ min: 2, max: 10 }) })
  .map(({ levels, fan }) => {
    let s = 'Metadata:\n  a0: &a0 [x, y]\n';
    for (let i = 1; i <= levels; i++)
      s += `  a${i}: &a${i} [${Array(fan)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    return s;
  });

const yamlWide = fc
  .record({ n: fc.integer({ min: 1, max: 20_000 }), len: fc.integer({ min: 1, max: 200 }) })
  .map(({ n, len }) => `Metadata:\n  list: [${Array(n).fill('x'.repeat(len)).join(', ')}]\n`);

const subBomb = fc
  .record({ levels: fc.integer({ min: 1, max: 8 }), fan: fc.integer({ min: 2, max: 16 }) })
  .map(({ levels, fan }) => {
    let inner = '"xxxxxxxxxx"';
    for (let i = 0; i < levels; i++) inner = `{"Fn::Sub": ["${'${v}'.repeat(fan)}", {"v": ${inner}}]}`;
    return inner;
  });

const ROLE_YAML = (sid: string) => `Resources:
  R:
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

function scanCfn(text: string, file: string, allowAliases: boolean) {
  const r = scanTemplate(text, file, {
    parameters: new Map(),
    maxFileBytes: 20 * 1024 * 1024,
    allowAliases,
    budgets: DEFAULT_BUDGETS,
  });
  checkErrors(r.errors);
  expect(r.roles.length + r.errors.length).toBeGreaterThan(0);
  return r;
}

describe('structure fuzzing under the budgets: time and memory stay bounded', () => {
  it('HCL: deep nesting, nested for-expressions, wide lists, long strings, heavy regexes', async () => {
    await fc.assert(
      fc.asyncProperty(hclExpr, async (expr) => {
        await bounded(() =>
          scanTf([
            { path: 'gen/main.tf', text: hclFile(expr), explicit: false },
            { path: 'sibling/main.tf', text: SIBLING, explicit: false },
          ]),
        );
      }),
      { seed: SEED, numRuns: 20 },
    );
  }, 120_000);

  it('Terraform JSON: deep and wide documents', async () => {
    const doc = fc.oneof(
      fc.integer({ min: 1, max: 5000 }).map((d) => `${'['.repeat(d)}1${']'.repeat(d)}`),
      fc.integer({ min: 1, max: 30_000 }).map((n) => `[${'"x",'.repeat(n)}"x"]`),
    );
    await fc.assert(
      fc.asyncProperty(doc, async (v) => {
        await bounded(() =>
          scanTf([
            { path: 'gen/main.tf.json', text: `{"locals": {"v": ${v}}}`, explicit: false },
            { path: 'sibling/main.tf', text: SIBLING, explicit: false },
          ]),
        );
      }),
      { seed: SEED, numRuns: 8 },
    );
  }, 120_000);

  it('YAML templates: deep nesting, alias chains (when allowed), wide sequences, Fn::Sub growth', async () => {
    const yaml = fc.oneof(
      yamlDeep.map((m) => ({ text: ROLE_YAML('plain') + m, aliases: false })),
      yamlAliases.map((m) => ({ text: ROLE_YAML('plain') + m, aliases: true })),
      yamlWide.map((m) => ({ text: ROLE_YAML('plain') + m, aliases: false })),
      subBomb.map((s) => ({ text: ROLE_YAML(s), aliases: false })),
    );
    await fc.assert(
      fc.asyncProperty(yaml, async ({ text, aliases }) => {
        await bounded(() => scanCfn(text, 'gen.yaml', aliases));
      }),
      { seed: SEED, numRuns: 20 },
    );
  }, 120_000);

  it('JSON templates: deep nesting and wide arrays', async () => {
    const json = fc.oneof(
      fc.integer({ min: 1, max: 20_000 }).map((d) => `${'['.repeat(d)}${']'.repeat(d)}`),
      fc.integer({ min: 1, max: 100_000 }).map((n) => `[${'{"a":1},'.repeat(n)}{}]`),
    );
    await fc.assert(
      fc.asyncProperty(json, async (meta) => {
        const text = `{"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "999988887777"}, "Action": "sts:AssumeRole"}]}}}},\n"Metadata": ${meta}}`;
        await bounded(() => scanCfn(text, 'gen.json', false));
      }),
      { seed: SEED, numRuns: 10 },
    );
  }, 120_000);
});
