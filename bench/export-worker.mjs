// One measurement in a fresh process: `baseline` (JSON.parse + a walk over every statement), `floor`
// (the least work any scan must do, see below), `scan` (the full trustaudit scan of the files: read,
// detect, normalise, every rule) or `report` (the CLI end to end: `trustaudit scan FILES --format json
// -o OUT`, the report written). `ms` is the work on the files; `loadMs` is the one-off module loading
// before it (constant, whatever the files' size). FILES: one path, or several joined by commas.
import {
  closeSync,
  fstatSync,
  fsyncSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const [mode, fileList, repoRoot] = process.argv.slice(2);
const files = fileList.split(',');
const tLoad = performance.now();
let t0 = tLoad;
let c0 = process.cpuUsage();
let roles = 0;
let findings = 0;
/** Further figures a mode measures (the report floor). */
const extra = {};
if (mode === 'baseline') {
  let statements = 0;
  for (const file of files) {
    const data = JSON.parse(readFileSync(file, 'utf8'));
    for (const r of data.RoleDetailList) {
      roles++;
      const doc =
        typeof r.AssumeRolePolicyDocument === 'string'
          ? JSON.parse(decodeURIComponent(r.AssumeRolePolicyDocument))
          : r.AssumeRolePolicyDocument;
      const sts = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
      for (const s of sts) if (s.Effect) statements++;
    }
  }
  findings = statements;
} else if (mode === 'report') {
  // The CLI as a user runs it; the report goes to a temporary file (checked, then removed).
  const { main } = await import(resolve(repoRoot, 'dist/cli/main.js'));
  const out = join(tmpdir(), `trustaudit-bench-${process.pid}.json`);
  t0 = performance.now();
  c0 = process.cpuUsage();
  const argv = ['node', 'trustaudit', 'scan', ...files, '--format', 'json', '-o', out];
  const code = await main([...argv, '--no-db', '-q', '--max-file-size', String(2 ** 30)]);
  if (code !== 1) throw new Error(`trustaudit scan exited ${code}`);
  // Counted after the clock stops: reading the report back is not the scan's work.
  const end = performance.now();
  const cpu = process.cpuUsage(c0);
  // Peak memory of the scan itself, before the report is read back for the floor below.
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const summary = /"summary": \{\n {4}"rolesScanned": (\d+),\n(?: {4}.*\n)*? {4}"findings": (\d+),/.exec(
    tail(out, 4000),
  );
  roles = Number(summary?.[1] ?? 0);
  findings = Number(summary?.[2] ?? 0);
  // The report floor: the least any writer of this very report pays once its content is in memory,
  // JSON.stringify with indentation, the write and the fsync (timed after the scan, on the report read
  // back; only for reports that fit in one string, so not for the million-role run).
  if (statSync(out).size < 256 * 1024 * 1024) {
    const report = JSON.parse(readFileSync(out, 'utf8'));
    const again = `${out}.floor`;
    const f0 = performance.now();
    const text = JSON.stringify(report, null, 2);
    const fd = openSync(again, 'w');
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    extra.reportFloorMs = performance.now() - f0;
    extra.reportMb = Buffer.byteLength(text) / 1024 / 1024;
    rmSync(again, { force: true });
  }
  rmSync(out, { force: true });
  print(end, cpu, rssMb);
  process.exit(0);
} else if (mode === 'floor') {
  // An estimate of the least work any scan of this file must do, whatever its rules: JSON.parse, a
  // content key per role's document (to analyse each distinct document once), a role object, and
  // for 40% of the roles (about as many findings as the real scan reports) a finding with a message
  // and a SHA-256 fingerprint. No analysis, no locations, no sorting: a lower bound, not a scan.
  const { JsonIds } = await import(resolve(repoRoot, 'dist/model/json-ids.js'));
  const { hash } = await import('node:crypto');
  t0 = performance.now();
  c0 = process.cpuUsage();
  const ids = new JsonIds();
  const verdicts = new Map();
  const kept = [];
  for (const file of files) {
    const list = JSON.parse(readFileSync(file, 'utf8')).RoleDetailList;
    for (let i = 0; i < list.length; i++) {
      const r = list[i];
      const key = ids.id(r.AssumeRolePolicyDocument);
      if (!verdicts.has(key)) verdicts.set(key, { key });
      const role = { id: r.Arn, name: r.RoleName, arn: r.Arn, path: r.Path, policy: verdicts.get(key) };
      kept.push(role);
      roles++;
      if (i % 5 < 2) {
        kept.push({
          ruleId: 'TA001',
          message: `Role ${role.name} can be assumed by a third party`,
          resource: { kind: 'aws-iam-role', id: role.id, name: role.name },
          fingerprint: hash('sha256', `TA001\u0000${role.id}\u00000\u0000`, 'hex').slice(0, 32),
        });
        findings++;
      }
    }
  }
} else {
  const { runScan } = await import(resolve(repoRoot, 'dist/scan/run.js'));
  const { emptyZone } = await import(resolve(repoRoot, 'dist/analysis/zone.js'));
  t0 = performance.now();
  c0 = process.cpuUsage();
  // `scan-core`: only the rules of the semantic-core issue (TA000, TA001), to price the other rules.
  const ruleSettings =
    mode === 'scan-core'
      ? new Map(['TA002', 'TA003', 'TA004', 'TA005', 'TA006'].map((id) => [id, { enabled: false }]))
      : undefined;
  const result = await runScan({
    paths: files,
    cwd: process.cwd(),
    zone: emptyZone(),
    maxFileBytes: 1 << 30,
    ...(ruleSettings ? { ruleSettings } : {}),
  });
  if (result.errors.length) throw new Error(JSON.stringify(result.errors.slice(0, 3)));
  roles = result.roles.length;
  findings = result.findings.length;
}
print(performance.now(), process.cpuUsage(c0));

/** The last `n` bytes of a file (the JSON report's summary), without reading all of it. */
function tail(path, n) {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(n, size));
    readSync(fd, buf, 0, buf.length, size - buf.length);
    return buf.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function print(end, cpu, rssMb = process.resourceUsage().maxRSS / 1024) {
  console.log(
    JSON.stringify({
      ms: end - t0,
      // All threads of the process (the collector's helpers too); steadier than wall time on a busy machine.
      cpuMs: (cpu.user + cpu.system) / 1000,
      loadMs: t0 - tLoad,
      roles,
      findings,
      maxRssMb: rssMb,
      ...extra,
    }),
  );
}
