// One measurement in a fresh process: `baseline` (JSON.parse + a walk over every statement) or
// `scan` (the full trustaudit scan of the file: read, detect, normalise, every rule). `ms` is the work
// on the file; `loadMs` is the one-off module loading before it (constant, whatever the file's size).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const [mode, file, repoRoot] = process.argv.slice(2);
const tLoad = performance.now();
let t0 = tLoad;
let c0 = process.cpuUsage();
let roles = 0;
let findings = 0;
if (mode === 'baseline') {
  const data = JSON.parse(readFileSync(file, 'utf8'));
  let statements = 0;
  for (const r of data.RoleDetailList) {
    roles++;
    const doc =
      typeof r.AssumeRolePolicyDocument === 'string'
        ? JSON.parse(decodeURIComponent(r.AssumeRolePolicyDocument))
        : r.AssumeRolePolicyDocument;
    const sts = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
    for (const s of sts) if (s.Effect) statements++;
  }
  findings = statements;
} else {
  const { runScan } = await import(resolve(repoRoot, 'dist/scan/run.js'));
  const { emptyZone } = await import(resolve(repoRoot, 'dist/analysis/zone.js'));
  t0 = performance.now();
  c0 = process.cpuUsage();
  // `scan-core`: only the rules of the semantic-core issue (TA000, TA001), to price the other rules.
  const ruleSettings =
    mode === 'scan-core'
      ? new Map(['TA002', 'TA003', 'TA004', 'TA005'].map((id) => [id, { enabled: false }]))
      : undefined;
  const result = await runScan({
    paths: [file],
    cwd: process.cwd(),
    zone: emptyZone(),
    maxFileBytes: 1 << 30,
    ...(ruleSettings ? { ruleSettings } : {}),
  });
  if (result.errors.length) throw new Error(JSON.stringify(result.errors.slice(0, 3)));
  roles = result.roles.length;
  findings = result.findings.length;
}
const end = performance.now();
const cpu = process.cpuUsage(c0);
console.log(
  JSON.stringify({
    ms: end - t0,
    // All threads of the process (the collector's helpers too); steadier than wall time on a busy machine.
    cpuMs: (cpu.user + cpu.system) / 1000,
    loadMs: t0 - tLoad,
    roles,
    findings,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
