// Issues: semantic core, and performance where users feel it (a million roles). Seeded synthetic
// exports scanned end to end, each against a baseline measured in the same run, in turns:
//   baseline: JSON.parse of the same files plus one walk over every statement;
//   floor:    the least work any scan must do (see export-worker.mjs);
//   scan:     runScan, no report;  report: the CLI, `trustaudit scan FILES --format json -o OUT`.
// Targets (PASS/FAIL below):
//   100,000 roles: scan <= 1.5x baseline, >= 100,000 roles/s; all rules / core rules <= 1.10;
//                  scan with the JSON report <= 2.5x baseline.
//   1,000,000 roles in ten files of 100,000 (opt-in: TRUSTAUDIT_BENCH_1M=1, several minutes): completes
//                  at Node's default heap, peak RSS <= 2.5 GB, wall <= 3x baseline over the same files.
// Memory per role: peak RSS of the report run at 100,000 and 300,000 roles (and 1,000,000 when run);
// the slope is the bytes each role costs. Turns: TRUSTAUDIT_BENCH_TURNS (default 5).
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateExport } from './gen-export.mjs';
import { fmt, inTurns, measure, pairedRatio } from './lib.mjs';

const verdict = (ok) => (ok ? 'PASS' : 'FAIL');

/** The files of an export of `parts` x 100,000 roles (written once, then reused). */
function exportParts(dir, parts) {
  const files = [];
  for (let k = 0; k < parts; k++) {
    const file = join(dir, `export-1m-part${k}.json`);
    if (!existsSync(file)) writeFileSync(file, JSON.stringify(generateExport(100_000, 42 + k, k * 100_000)));
    files.push(file);
  }
  return files;
}

export async function run({ repoRoot, log }) {
  const n = 100_000;
  const turns = Number(process.env.TRUSTAUDIT_BENCH_TURNS ?? 5);
  const dir = join(repoRoot, 'bench/.data');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `export-${n}.json`);
  writeFileSync(file, JSON.stringify(generateExport(n, 42)));
  const mb = statSync(file).size / 1024 / 1024;
  const worker = join(repoRoot, 'bench/export-worker.mjs');
  const m = (mode, files) => measure(worker, [mode, files.join(','), repoRoot]);
  const { best, runs } = inTurns(turns, {
    base: () => m('baseline', [file]),
    floor: () => m('floor', [file]),
    scan: () => m('scan', [file]),
    core: () => m('scan-core', [file]),
    report: () => m('report', [file]),
  });
  const { base, floor, scan, core, report } = best;
  if (scan.roles !== n) throw new Error(`scan saw ${scan.roles} roles, expected ${n}`);
  if (report.roles !== n) throw new Error(`the JSON report counts ${report.roles} roles, expected ${n}`);
  const rate = n / (scan.ms / 1000);
  const ratio = scan.ms / base.ms;
  log(`synthetic export: ${fmt(n)} roles, ${fmt(mb, 1)} MB, seed 42; best of ${turns} turns`);
  log(`baseline (JSON.parse + walk): ${fmt(base.ms)} ms, peak RSS ${fmt(base.maxRssMb)} MB`);
  log(
    `trustaudit scan:              ${fmt(scan.ms)} ms, peak RSS ${fmt(scan.maxRssMb)} MB, ${fmt(scan.findings)} findings`,
  );
  // Module loading happens once per process whatever the input; it is shown, not counted in the rate.
  const total = scan.ms + scan.loadMs;
  log(`  + module loading before the scan: ${fmt(scan.loadMs)} ms (end to end ${fmt(total)} ms)`);
  log(
    `floor (parse + content key + role object per role, finding with fingerprint for 40%): ${fmt(floor.ms)} ms, ratio ${fmt(floor.ms / base.ms, 2)}`,
  );
  log(`roles/second: ${fmt(rate)} (target >= 100,000)  ${verdict(rate >= 100_000)}`);
  log(`ratio scan/baseline: ${fmt(ratio, 2)} (target <= 1.5)  ${verdict(ratio <= 1.5)}`);
  log(
    `  end to end (with module loading): ${fmt(n / (total / 1000))} roles/s, ratio ${fmt(total / base.ms, 2)}`,
  );
  // The two scans of a turn ran back to back: the median of their ratios is the steadier comparison
  // (the ratio of the two best runs is printed too; on a busy machine it swings by 5-10%).
  const rulesRatio = pairedRatio(runs, 'scan', 'core');
  log(`core rules only (TA000, TA001): ${fmt(core.ms)} ms, ${fmt(core.findings)} findings`);
  log(
    `all rules / core rules: ${fmt(rulesRatio, 3)} median of ${runs.scan.length} turns (best runs: ${fmt(scan.ms / core.ms, 3)}; target <= 1.10)  ${verdict(rulesRatio <= 1.1)}`,
  );
  // The CLI with the JSON report written: the floor and the scan without report beside it.
  const reportRatio = report.ms / base.ms;
  log(
    `scan with JSON report (CLI, -o file): ${fmt(report.ms)} ms, peak RSS ${fmt(report.maxRssMb)} MB, ${fmt(report.findings)} findings`,
  );
  log(
    `ratio scan with JSON report/baseline: ${fmt(reportRatio, 2)} (target <= 2.5; floor ${fmt(floor.ms / base.ms, 2)}, scan without report ${fmt(ratio, 2)}; median of turns ${fmt(pairedRatio(runs, 'report', 'base'), 2)})  ${verdict(reportRatio <= 2.5)}`,
  );
  // What the target leaves room for: the floor of the scan plus the floor of writing this report.
  const reportFloor = report.reportFloorMs / base.ms;
  log(
    `report floor (JSON.stringify with indentation + write + fsync of the same ${fmt(report.reportMb)} MB report, in memory already): ${fmt(report.reportFloorMs)} ms, ratio ${fmt(reportFloor, 2)}; scan floor + report floor: ratio ${fmt(floor.ms / base.ms + reportFloor, 2)} (target for the whole <= 2.5)`,
  );
  // On a shared machine wall time depends on the neighbours; CPU time is the steadier comparison.
  log(
    `CPU time: baseline ${fmt(base.cpuMs)} ms, scan ${fmt(scan.cpuMs)} ms (ratio ${fmt(scan.cpuMs / base.cpuMs, 2)}), with JSON report ${fmt(report.cpuMs)} ms (ratio ${fmt(report.cpuMs / base.cpuMs, 2)}), core rules ${fmt(core.cpuMs)} ms (all / core ${fmt(pairedRatio(runs, 'scan', 'core', 'cpuMs'), 3)} median of turns)`,
  );

  // Memory per role: peak RSS of the report run over 100,000 and 300,000 roles (three files).
  const three = exportParts(dir, 3);
  const big = inTurns(Math.max(1, Math.min(turns, 2)), {
    base: () => m('baseline', three),
    report: () => m('report', three),
  }).best;
  if (big.report.roles !== 300_000) throw new Error(`300,000-role report counts ${big.report.roles} roles`);
  const perRole = ((big.report.maxRssMb - report.maxRssMb) * 1024 * 1024) / 200_000;
  log(
    `300,000 roles (3 files): baseline ${fmt(big.base.ms)} ms, ${fmt(big.base.maxRssMb)} MB; scan with JSON report ${fmt(big.report.ms)} ms (ratio ${fmt(big.report.ms / big.base.ms, 2)}), peak RSS ${fmt(big.report.maxRssMb)} MB`,
  );
  log(
    `peak RSS per role (slope 100,000 -> 300,000 roles, JSON report): ${fmt(perRole)} bytes; projected for 1,000,000 roles: ${fmt(report.maxRssMb + (perRole * 900_000) / 1024 / 1024)} MB`,
  );

  if (process.env.TRUSTAUDIT_BENCH_1M !== '1') {
    log('1,000,000 roles: skipped (several minutes; set TRUSTAUDIT_BENCH_1M=1 to run it)');
    return;
  }
  const ten = exportParts(dir, 10);
  const base1m = m('baseline', ten);
  let rep1m;
  try {
    rep1m = m('report', ten);
  } catch (e) {
    log(
      `1,000,000 roles (10 files) at the default heap: did not complete (${String(e).split('\n')[0]})  FAIL`,
    );
    return;
  }
  const wall = rep1m.ms / base1m.ms;
  const gb = rep1m.maxRssMb / 1024;
  log(
    `1,000,000 roles (10 files): baseline ${fmt(base1m.ms)} ms, ${fmt(base1m.maxRssMb)} MB; scan with JSON report ${fmt(rep1m.ms)} ms, peak RSS ${fmt(rep1m.maxRssMb)} MB, ${fmt(rep1m.findings)} findings`,
  );
  log(`  completes at the default heap: ${verdict(rep1m.roles === 1_000_000)}`);
  log(`  peak RSS ${fmt(gb, 2)} GB (target <= 2.5)  ${verdict(gb <= 2.5)}`);
  log(`  wall ${fmt(wall, 2)}x baseline (target <= 3)  ${verdict(wall <= 3)}`);
  log(
    `  peak RSS per role (100,000 -> 1,000,000): ${fmt(((rep1m.maxRssMb - report.maxRssMb) * 1024 * 1024) / 900_000)} bytes`,
  );
}
