// Issue: infrastructure as code. The whole real-world corpus (../shared/corpus: CloudFormation, SAM, CDK,
// Terraform, exports, vendor templates) scanned end to end with the library function the CLI uses,
// against a parse-only baseline of the same files in the same run: each file a source claims is read and
// parsed with the parser its source uses (JSON.parse, yaml's parseDocument, tree-sitter for HCL), nothing
// more. Each measurement runs in its own process (this file, run as a worker) so peak RSS is its own.
// Target: ratio scan/baseline <= 1.3 (`--jobs 1`: one thread, like the baseline). Issue "performance
// where users feel it", both cores: the same scan with `--jobs 2` (worker threads parse the files) must
// be >= 1.5x faster than with `--jobs 1` when both cores are free; the core count and the load average
// are printed beside it (this machine is shared), and so is what this machine can give: the cores one
// thread already keeps busy, and the parse-only work split over two threads. Imports the compiled code from ../dist
// (`npm run bench` builds it), so the workers run the tsc output's worker entry.
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { fmt, inTurns, measure, pairedRatio } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const RATIO_TARGET = 1.3;
const JOBS_TARGET = 1.5;

const loadText = () =>
  `load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}; ${availableParallelism()} cores available`;

export async function run({ repoRoot, corpusDir, log }) {
  const script = fileURLToPath(import.meta.url);
  const { best, runs } = inTurns(3, {
    base: () => measure(script, ['baseline', repoRoot, corpusDir]),
    scan: () => measure(script, ['scan', repoRoot, corpusDir]),
    core: () => measure(script, ['scan-core', repoRoot, corpusDir]),
    jobs2: () => measure(script, ['scan-jobs2', repoRoot, corpusDir]),
    base2: () => measure(script, ['baseline-threads2', repoRoot, corpusDir]),
  });
  const { base, scan, core, jobs2, base2 } = best;
  if (scan.files !== base.files) {
    throw new Error(
      `the scan read ${scan.files} files but the baseline parsed ${base.files}: not the same files`,
    );
  }
  if (base2.files !== base.files) {
    throw new Error(`the two parse threads parsed ${base2.files} files, one thread ${base.files}`);
  }
  const ratio = scan.ms / base.ms;
  const cpuRatio = scan.cpuMs / base.cpuMs;
  const verdict = (r) => (r <= RATIO_TARGET ? 'OK' : 'ABOVE TARGET');
  log(`corpus: ${corpusDir}`);
  log(`files parsed: ${fmt(base.files)} (${fmt(base.mb, 1)} MB): ${base.kinds}`);
  log(
    `baseline (read + parse only): ${fmt(base.ms)} ms wall, ${fmt(base.cpuMs)} ms CPU, ${fmt(base.files / (base.ms / 1000))} files/s, peak RSS ${fmt(base.maxRssMb)} MB`,
  );
  log(
    `trustaudit scan:              ${fmt(scan.ms)} ms wall, ${fmt(scan.cpuMs)} ms CPU, ${fmt(scan.files / (scan.ms / 1000))} files/s, peak RSS ${fmt(scan.maxRssMb)} MB`,
  );
  log(
    `  ${fmt(scan.roles)} roles, ${fmt(scan.findings)} findings, ${fmt(scan.errors)} unreadable-file errors`,
  );
  log(`ratio scan/baseline (wall): ${fmt(ratio, 2)} (target <= ${RATIO_TARGET})  ${verdict(ratio)}`);
  // On a shared machine wall time depends on the neighbours; CPU time is the steadier comparison.
  log(`ratio scan/baseline (CPU):  ${fmt(cpuRatio, 2)} (target <= ${RATIO_TARGET})  ${verdict(cpuRatio)}`);
  // Issue "the rest of the trust-policy risks": all rules may cost at most 10% over the core rules.
  // The median over turns of the two scans' ratio (they ran back to back), as in the export benchmark.
  const rules = pairedRatio(runs, 'scan', 'core', 'cpuMs');
  log(
    `core rules only (TA000, TA001): ${fmt(core.ms)} ms wall, ${fmt(core.cpuMs)} ms CPU, ${fmt(core.findings)} findings`,
  );
  log(
    `all rules / core rules (CPU): ${fmt(rules, 3)} median of ${runs.scan.length} turns (wall ${fmt(pairedRatio(runs, 'scan', 'core'), 2)}; best runs ${fmt(scan.cpuMs / core.cpuMs, 3)}; target <= 1.10)  ${rules <= 1.1 ? 'OK' : 'ABOVE TARGET'}`,
  );
  if (jobs2.findingsJson !== scan.findingsJson) {
    throw new Error('the scan with --jobs 2 reported other findings than with --jobs 1');
  }
  const speedup = pairedRatio(runs, 'scan', 'jobs2');
  log(
    `--jobs 2: ${fmt(jobs2.ms)} ms wall, ${fmt(jobs2.cpuMs)} ms CPU (all threads), peak RSS ${fmt(jobs2.maxRssMb)} MB, ${jobs2.remoteTasks} groups of files read in worker threads; same findings as --jobs 1`,
  );
  log(
    `speed-up --jobs 1 / --jobs 2 (wall): ${fmt(speedup, 2)} median of ${runs.scan.length} turns (best runs ${fmt(scan.ms / jobs2.ms, 2)}; target >= ${JOBS_TARGET} with both cores free)  ${speedup >= JOBS_TARGET ? 'PASS' : 'FAIL'}; ${loadText()}`,
  );
  // What two threads can give on this machine: one thread already keeps more than one core busy (V8
  // collects garbage and compiles on helper threads), and the parse-only work itself, split over two
  // threads, is the best case for any parallel scan of these files.
  const busy = scan.cpuMs / scan.ms;
  log(
    `--jobs 1 keeps ${fmt(busy, 2)} cores busy (CPU ${fmt(scan.cpuMs)} ms / wall ${fmt(scan.ms)} ms): at most ${fmt(availableParallelism() / busy, 2)}x is left for more threads on ${availableParallelism()} cores`,
  );
  log(
    `parse-only floor in 2 worker threads (each parses every other file; threads started before the clock): ${fmt(base2.ms)} ms wall, ${fmt(base2.cpuMs)} ms CPU; speed-up over one thread ${fmt(pairedRatio(runs, 'base', 'base2'), 2)} median of turns (best runs ${fmt(base.ms / base2.ms, 2)}): the ceiling of --jobs 2 on this machine`,
  );
  log(
    `--jobs 1 / parse-only floor (wall): ${fmt(ratio, 2)} (target <= ${RATIO_TARGET})  ${ratio <= RATIO_TARGET ? 'PASS' : 'FAIL'}; ${loadText()}`,
  );
}

// --- worker: `node corpus.bench.mjs (scan|baseline) <repoRoot> <corpusDir>` prints one JSON line ---

async function worker(mode, repoRoot, corpusDir) {
  const dist = (p) => pathToFileURL(join(repoRoot, 'dist', p)).href;
  // Modules (and the tree-sitter wasm, in the baseline) load before the clock starts: the measurement
  // is the work on the files.
  const work =
    mode === 'baseline'
      ? await prepareParseOnly(repoRoot, corpusDir, dist)
      : mode === 'baseline-threads2'
        ? await prepareParseThreads(2, repoRoot, corpusDir)
        : await prepareScan(dist, corpusDir, mode === 'scan-core', mode === 'scan-jobs2' ? 2 : 1);
  globalThis.gc?.();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const out = await work();
  const ms = performance.now() - t0;
  const c1 = process.cpuUsage(c0);
  const cpuMs = (c1.user + c1.system) / 1000;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ ms, cpuMs, maxRssMb, ...out }));
}

/**
 * The scan the CLI runs (walk, read, detect, parse, normalise, rules, suppressions, report); `coreOnly`:
 * only the rules of the semantic-core issue (TA000, TA001), to price the others.
 */
async function prepareScan(dist, corpusDir, coreOnly, jobs) {
  const { runScan } = await import(dist('scan/run.js'));
  const { fileSources } = await import(dist('sources/index.js'));
  const { buildReport } = await import(dist('scan/report.js'));
  const { emptyZone } = await import(dist('analysis/zone.js'));
  const { allRules } = await import(dist('rules/index.js'));
  const ruleSettings = coreOnly
    ? new Map(
        allRules
          .filter((r) => r.meta.id !== 'TA000' && r.meta.id !== 'TA001')
          .map((r) => [r.meta.id, { enabled: false }]),
      )
    : undefined;
  // Counts the worker tasks that came back, so the output says whether workers ran at all.
  let remote = 0;
  const sources = fileSources.map((s) => (s.split ? { ...s, loadedElsewhere: () => remote++ } : s));
  return async () => {
    const result = await runScan({
      paths: ['.'],
      cwd: corpusDir,
      zone: emptyZone(),
      jobs,
      sources,
      ...(ruleSettings ? { ruleSettings } : {}),
    });
    const report = buildReport(result);
    return {
      files: result.filesScanned,
      roles: report.summary.rolesScanned,
      findings: report.findings.length,
      errors: report.errors.length,
      remoteTasks: remote,
      findingsJson: JSON.stringify(report.findings.map((f) => f.fingerprint)),
    };
  };
}

/**
 * The parse-only work split over `n` worker threads, file i to thread i mod n. Each thread loads its
 * modules and the grammar first; the clock starts when all are ready.
 */
async function prepareParseThreads(n, repoRoot, corpusDir) {
  const threads = Array.from(
    { length: n },
    (_, k) => new Worker(new URL(import.meta.url), { workerData: { repoRoot, corpusDir, n, k } }),
  );
  const next = (w) =>
    new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
  await Promise.all(threads.map(next));
  return async () => {
    const done = threads.map(next);
    for (const w of threads) w.postMessage('go');
    const parts = await Promise.all(done);
    await Promise.all(threads.map((w) => w.terminate()));
    const kinds = { json: 0, yaml: 0, hcl: 0 };
    for (const p of parts) for (const k of Object.keys(kinds)) kinds[k] += p.kinds[k];
    return {
      files: parts.reduce((a, p) => a + p.files, 0),
      mb: parts.reduce((a, p) => a + p.mb, 0),
      kinds: `${kinds.json} JSON, ${kinds.yaml} YAML, ${kinds.hcl} HCL`,
    };
  };
}

/** A thread of prepareParseThreads: prepares its share, says so, parses on `go`, answers with its counts. */
async function parseThread({ repoRoot, corpusDir, n, k }) {
  const dist = (p) => pathToFileURL(join(repoRoot, 'dist', p)).href;
  const work = await prepareParseOnly(repoRoot, corpusDir, dist, (i) => i % n === k, true);
  parentPort.postMessage('ready');
  parentPort.once('message', async () => parentPort.postMessage(await work()));
}

/**
 * Walk like the scan, keep the files a source claims, read and parse each with the matching parser.
 * `mine`: which of the claimed files (by position) this run parses; `rawKinds`: counts as numbers.
 */
async function prepareParseOnly(repoRoot, corpusDir, dist, mine = () => true, rawKinds = false) {
  const { readFileSync } = await import('node:fs');
  const { walkPaths } = await import(dist('scan/walk.js'));
  const { fileSources } = await import(dist('sources/index.js'));
  const { parseDocument } = await import('yaml');
  const require = createRequire(join(repoRoot, 'package.json'));
  const { Parser, Language } = await import(pathToFileURL(require.resolve('web-tree-sitter')).href);
  const wasm = join(
    dirname(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/package.json')),
    'tree-sitter-terraform.wasm',
  );
  await Parser.init();
  const parser = new Parser();
  parser.setLanguage(await Language.load(wasm));
  const EXT = new Set(['.json', '.yaml', '.yml', '.template', '.tf', '.tfvars', '.hcl', '.tpl']);

  return async () => {
    const kinds = { json: 0, yaml: 0, hcl: 0 };
    let files = 0;
    let bytes = 0;
    let claimed = 0;
    for (const f of walkPaths(['.'], corpusDir, { rootDir: corpusDir, wanted: () => true }).files) {
      const ext = extname(f.abs).toLowerCase();
      if (!EXT.has(ext)) continue;
      const text = readFileSync(f.abs, 'utf8');
      const input = { path: f.display, absPath: f.abs, text, explicit: false };
      if (!fileSources.some((s) => s.claim(input))) continue;
      if (!mine(claimed++)) continue;
      files++;
      bytes += text.length;
      if (ext === '.tf' || ext === '.hcl' || ext === '.tfvars' || ext === '.tpl') {
        parser.parse(text)?.delete();
        kinds.hcl++;
      } else if (ext === '.yaml' || ext === '.yml') {
        parseDocument(text);
        kinds.yaml++;
      } else {
        try {
          JSON.parse(text);
          kinds.json++;
        } catch {
          parseDocument(text); // a .template / .json that is really YAML, or broken JSON
          kinds.yaml++;
        }
      }
    }
    parser.delete();
    return {
      files,
      mb: bytes / 1024 / 1024,
      kinds: rawKinds ? kinds : `${kinds.json} JSON, ${kinds.yaml} YAML, ${kinds.hcl} HCL`,
    };
  };
}

if (!isMainThread) {
  await parseThread(workerData);
} else if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const [mode, repoRoot, corpusDir] = process.argv.slice(2);
  await worker(mode, repoRoot ?? join(here, '..'), corpusDir ?? join(here, '../../shared/corpus'));
}
