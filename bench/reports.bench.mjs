// Issue: reports people act on. Renders a synthetic report of 10,000 findings (10,000 roles with their
// trust policies, 400 third-party accounts) as HTML and measures time and file size, against a baseline
// of JSON.stringify of the same report in the same run. Also times the other report formats and
// recording the scan in the SQLite history. Needs `npm run build` (dist/).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fmt, rng } from './lib.mjs';

/** A report of `n` findings built from the frozen TA001 fixture (exported for the browser smoke test). */
export function synthetic(repoRoot, n) {
  const fixture = JSON.parse(
    readFileSync(resolve(repoRoot, 'test/fixtures/reports/ta001-report.json'), 'utf8'),
  );
  const base = fixture.findings[0];
  const baseRole = fixture.roles.find((r) => r.name === base.resource.name);
  const rand = rng(7);
  const sev = ['low', 'medium', 'medium', 'high', 'critical'];
  const findings = [];
  const roles = [];
  for (let i = 0; i < n; i++) {
    const acct = String(100000000000 + Math.floor(rand() * 400)).padStart(12, '0');
    const owner = String(200000000000 + (i % 50));
    const name = `role-${i}-${Math.floor(rand() * 1e6).toString(36)}`;
    const arn = `arn:aws:iam::${owner}:role/${name}`;
    const policy = JSON.parse(JSON.stringify(baseRole.trustPolicy).replaceAll('464622532012', acct));
    roles.push({ ...baseRole, id: arn, arn, name, account: owner, trustPolicy: policy });
    findings.push({
      ...base,
      severity: sev[i % sev.length],
      message: base.message.replaceAll('DatadogIntegration', name).replaceAll('464622532012', acct),
      resource: { ...base.resource, id: arn, arn, name, account: owner },
      location: { file: `infra/stack-${i % 300}.json`, line: 1 + (i % 40), column: 3 },
      principals: [
        {
          ...base.principals[0],
          value: `arn:aws:iam::${acct}:root`,
          account: acct,
          accountName: i % 3 ? undefined : `Vendor ${acct.slice(-3)}`,
        },
      ],
      remediation: {
        ...base.remediation,
        correctedPolicy: JSON.parse(
          JSON.stringify(base.remediation.correctedPolicy).replaceAll('464622532012', acct),
        ),
      },
      fingerprint: `${i.toString(16).padStart(8, '0')}${base.fingerprint.slice(8)}`,
      suppressed: i % 17 === 0,
    });
  }
  return { ...fixture, findings, roles, summary: { ...fixture.summary, rolesScanned: n, findings: n } };
}

function time(fn, runs = 3) {
  let best = Infinity;
  let out;
  for (let i = 0; i < runs; i++) {
    globalThis.gc?.();
    const t = performance.now();
    out = fn();
    best = Math.min(best, performance.now() - t);
  }
  return { ms: best, out };
}

export async function run({ repoRoot, log }) {
  const dist = (p) => resolve(repoRoot, 'dist', p);
  const { renderHtml } = await import(dist('reporters/html.js'));
  const { reporters } = await import(dist('reporters/all.js'));
  const { openHistory } = await import(dist('history/store.js'));
  const n = 10_000;
  const report = synthetic(repoRoot, n);
  const opts = {
    color: false,
    generatedAt: '2026-11-28T00:00:00.000Z',
    region: 'us-east-1',
    account: '200000000000',
  };

  const baseline = time(() => JSON.stringify(report));
  const html = time(() => renderHtml(report, opts));
  // A report's text may come whole or in pieces made while they are read (a large report): `bytes` reads
  // the pieces (inside the timed call, since making them is the work), `mb` tells the size.
  const bytes = (t) => {
    if (typeof t === 'string') return Buffer.byteLength(t, 'utf8');
    let n = 0;
    for (const p of t) n += Buffer.byteLength(p, 'utf8');
    return n;
  };
  const mb = (n) => (typeof n === 'number' ? n : bytes(n)) / 1024 / 1024;
  log(`synthetic report: ${fmt(n)} findings, ${fmt(n)} roles with trust policies, seed 7`);
  log(`baseline JSON.stringify: ${fmt(baseline.ms)} ms, ${fmt(mb(baseline.out), 1)} MB`);
  log(
    `html: ${fmt(html.ms)} ms, ${fmt(mb(html.out), 1)} MB (ratio to baseline ${fmt(html.ms / baseline.ms, 1)}x time, ${fmt(mb(html.out) / mb(baseline.out), 2)}x size)`,
  );
  log(`html target: < 2,000 ms for 10,000 findings  ${html.ms < 2000 ? 'OK' : 'ABOVE TARGET'}`);
  for (const f of ['csv', 'junit', 'markdown', 'asff']) {
    const r = time(() => bytes(reporters[f](report, opts)));
    log(`${f}: ${fmt(r.ms)} ms, ${fmt(mb(r.out), 2)} MB`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'trustaudit-bench-'));
  try {
    const h = openHistory(join(dir, 'history.db'));
    const meta = {
      target: 'bench',
      sources: [],
      options: {},
      toolVersion: 'bench',
      startedAt: opts.generatedAt,
    };
    const rec = time(() => h.recordScan(report, meta));
    log(`history recordScan (one transaction): ${fmt(rec.ms)} ms for ${fmt(n)} findings`);
    const d = time(() => h.diff());
    log(`history diff of the last two scans: ${fmt(d.ms)} ms`);
    h.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
