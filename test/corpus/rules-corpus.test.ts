import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyZone } from '../../src/analysis/zone.js';
import { runScan, type ScanResult } from '../../src/scan/run.js';
import { corpusFolder } from './summarise.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const corpusDir = resolve(repoRoot, '../shared/corpus');
const SCAN_TIMEOUT = 600_000;
const RULES = ['TA002', 'TA003', 'TA004', 'TA005'];

describe('rules TA002-TA005 on the real-world corpus', () => {
  let result: ScanResult;
  beforeAll(async () => {
    result = await runScan({ paths: ['.'], cwd: corpusDir, zone: emptyZone(), today: '2026-01-01' });
  }, SCAN_TIMEOUT);

  it('dump', () => {
    const rows = result.findings
      .filter((f) => RULES.includes(f.ruleId))
      .map((f) => ({ rule: f.ruleId, folder: corpusFolder(f.location.file), file: f.location.file, line: f.location.line, role: f.resource.name, principals: f.principals.map((p) => p.value), msg: f.message, sev: f.severity }));
    writeFileSync('/tmp/ta-rules-corpus.json', JSON.stringify(rows, null, 1));
    const svc = result.roles.filter((r) => r.trustPolicy.statements.some((s) => s.principals?.some((p) => p.type === 'Service')));
    writeFileSync('/tmp/ta-roles-service.json', JSON.stringify(svc.map((r) => ({ f: r.source.location.file, n: r.name, s: r.trustPolicy.statements.flatMap((s) => (s.principals ?? []).filter((p) => p.type === 'Service').map((p) => p.value)) }))));
    expect(rows.length).toBeGreaterThan(0);
  });
});
