import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';
import type { Finding } from '../../src/findings/types.js';
import type { Report } from '../../src/reporters/types.js';
import { repoRoot } from '../reporters/report-fixture.js';

export const TMP_ROOT = resolve(repoRoot, 'test/.tmp/history');

export function tempDir(): string {
  mkdirSync(TMP_ROOT, { recursive: true });
  return mkdtempSync(resolve(TMP_ROOT, 'db-'));
}

/**
 * Child processes run the real history code: src/history/{schema,store}.ts transpiled to plain JS (they
 * import only node built-ins, better-sqlite3 and types), so the test does not depend on a build.
 */
export function transpileHistory(): string {
  const out = resolve(TMP_ROOT, 'js');
  mkdirSync(out, { recursive: true });
  for (const name of ['errors', 'schema', 'store']) {
    const src = readFileSync(resolve(repoRoot, `src/history/${name}.ts`), 'utf8');
    const js = ts.transpileModule(src, {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    }).outputText;
    writeFileSync(resolve(out, `${name}.js`), js);
  }
  // better-sqlite3 is resolved from the repo's node_modules.
  writeFileSync(resolve(out, 'package.json'), '{"type":"module"}\n');
  return resolve(out, 'store.js');
}

export function finding(i: number, over: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'TA001',
    severity: 'medium',
    title: 'Third-party account can assume the role without an external ID or MFA',
    message: `Role R${i} can be assumed by account 464622532012 without an external ID or MFA.`,
    resource: {
      kind: 'aws-iam-role',
      id: `arn:aws:iam::111111111111:role/R${i}`,
      name: `R${i}`,
      account: '111111111111',
    },
    location: { file: `infra/r${i}.json`, line: 3 },
    statement: { index: 0 },
    principals: [{ value: '464622532012', kind: 'account', account: '464622532012', accountName: 'Datadog' }],
    evidence: { summary: 'no condition', details: [] },
    remediation: { summary: 'require an external id', steps: [] },
    fingerprint: `fp-${i}`,
    suppressed: false,
    ...over,
  };
}

export function report(findings: Finding[], complete = true): Report {
  return {
    schemaVersion: '1.0.0',
    tool: { name: 'trustaudit', version: '0.1.0' },
    rules: [],
    findings,
    errors: [],
    warnings: [],
    summary: {
      rolesScanned: findings.length,
      filesScanned: findings.length,
      findings: findings.filter((f) => !f.suppressed).length,
      suppressed: findings.filter((f) => f.suppressed).length,
      bySeverity: {},
      byRule: {},
      errors: 0,
      complete,
    },
  };
}

export const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
