// Child process for the history tests. argv: storeModule dbPath mode count findingsPerScan [killAt]
// mode "write": record `count` scans; mode "kill": record one scan and kill itself with SIGKILL (or SIGINT
// when mode is "interrupt") after `killAt` findings were written inside the transaction.
const [storeModule, dbPath, mode, count, perScan, killAt] = process.argv.slice(2);
const { openHistory } = await import(storeModule);

function report(scan, n) {
  const findings = Array.from({ length: n }, (_, i) => ({
    ruleId: 'TA001',
    severity: 'medium',
    title: 't',
    message: `finding ${i} of scan ${scan} from pid ${process.pid}`,
    resource: { kind: 'aws-iam-role', id: `role-${i}`, name: `role-${i}` },
    location: { file: 'f.json', line: 1 },
    principals: [],
    evidence: { summary: 's', details: [] },
    remediation: { summary: 'r', steps: [] },
    fingerprint: `fp-${i}`,
    suppressed: false,
  }));
  return {
    schemaVersion: '1.0.0',
    tool: { name: 'trustaudit', version: 'test' },
    rules: [],
    findings,
    errors: [],
    warnings: [],
    summary: {
      rolesScanned: n,
      filesScanned: 1,
      findings: n,
      suppressed: 0,
      bySeverity: {},
      byRule: {},
      errors: 0,
      complete: true,
    },
  };
}

const limit = Number(killAt);
const h = openHistory(dbPath, {
  busyTimeoutMs: 30_000,
  onFindingWritten:
    mode === 'write'
      ? undefined
      : (n) => {
          if (n === limit) process.kill(process.pid, mode === 'interrupt' ? 'SIGINT' : 'SIGKILL');
        },
});
const scans = mode === 'write' ? Number(count) : 1;
for (let s = 0; s < scans; s++) {
  h.recordScan(report(s, Number(perScan)), {
    target: `target-${process.pid}`,
    sources: ['f.json'],
    options: {},
    toolVersion: 'test',
    startedAt: new Date().toISOString(),
  });
}
h.close();
process.stdout.write('done\n');
