// Shared helpers for benchmarks: child-process timing (so each measurement has its own peak RSS),
// a seeded random generator, and formatting.
import { execFileSync } from 'node:child_process';

/** Run `node script ...args` and parse the JSON line it prints ({ ms, maxRssMb, ... }). */
export function measure(script, args = []) {
  const out = execFileSync(process.execPath, ['--expose-gc', script, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const last = out.trim().split('\n').pop();
  return JSON.parse(last);
}

/** Best (lowest-time) of n runs. */
export function best(n, fn) {
  let bestRun;
  for (let i = 0; i < n; i++) {
    const r = fn();
    if (!bestRun || r.ms < bestRun.ms) bestRun = r;
  }
  return bestRun;
}

/**
 * Best (lowest-time) run of each measurement, taking turns (a, b, c, a, b, c...) so that a slow spell of
 * a shared machine does not fall on one side of a ratio only.
 */
export function bestInTurns(n, fns) {
  return inTurns(n, fns).best;
}

/**
 * Every run of each measurement, taken in turns, and the best (lowest-time) of each. The runs of one
 * turn ran next to each other, so the ratio of two measurements within a turn is less exposed to a
 * shared machine's drift than the ratio of their bests: see `pairedRatio`.
 */
export function inTurns(n, fns) {
  const best = {};
  const runs = {};
  for (let i = 0; i < n; i++) {
    for (const [name, fn] of Object.entries(fns)) {
      const r = fn();
      if (!runs[name]) runs[name] = [];
      runs[name].push(r);
      if (!best[name] || r.ms < best[name].ms) best[name] = r;
    }
  }
  return { best, runs };
}

/** Median over turns of runs[a][i].key / runs[b][i].key (`key`: 'ms' or 'cpuMs'). */
export function pairedRatio(runs, a, b, key = 'ms') {
  const ratios = runs[a].map((r, i) => r[key] / runs[b][i][key]).sort((x, y) => x - y);
  const m = ratios.length >> 1;
  return ratios.length % 2 ? ratios[m] : (ratios[m - 1] + ratios[m]) / 2;
}

/** Mulberry32: small deterministic PRNG. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const fmt = (n, d = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
