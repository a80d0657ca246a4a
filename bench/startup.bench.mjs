// Issue "performance where users feel it", start-up: what a pre-commit hook or a CI job pays on every
// run, as ratios to `node -e 0` measured in the same run, in turns (a slow spell of this shared machine
// falls on both sides). Targets: `--version` <= 1.6x; a one-policy scan <= 2.5x; a one-file Terraform
// scan <= 3.5x. The Terraform scan loads the tree-sitter WebAssembly parser: its own cost (load and
// compile, in a bare process) is measured too and printed beside the ratio.
// Runs the CLI as users do: bin/trustaudit.js (the bundle when it is built, `npm run bench` builds it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt } from './lib.mjs';

const TURNS = 12;
const TARGETS = { version: 1.6, policy: 2.5, terraform: 3.5 };

const TF = `resource "aws_iam_role" "vendor" {
  name = "vendor-read"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::464622532012:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}
`;

/** Wall time of one run of `node args...` in ms (the process's whole life, as a shell sees it). */
function timed(args, cwd, okCodes) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  const ms = performance.now() - t0;
  if (!okCodes.includes(r.status)) {
    throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  }
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export async function run({ repoRoot, log }) {
  const bin = join(repoRoot, 'bin/trustaudit.js');
  const work = mkdtempSync(join(tmpdir(), 'ta-startup-'));
  try {
    writeFileSync(join(work, 'main.tf'), TF);
    const policy = join(repoRoot, 'examples/policies/unprotected-vendor-account.json');
    // The wasm parser alone: web-tree-sitter's init and the HCL grammar's load, in a bare process.
    const wasmScript = join(work, 'wasm.mjs');
    writeFileSync(
      wasmScript,
      `import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
const require = createRequire(${JSON.stringify(join(repoRoot, 'package.json'))});
const { Parser, Language } = await import(pathToFileURL(require.resolve('web-tree-sitter')).href);
await Parser.init();
const p = new Parser();
p.setLanguage(await Language.load(join(dirname(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/package.json')), 'tree-sitter-terraform.wasm')));
p.delete();
`,
    );
    const cases = {
      node: () => timed(['-e', '0'], work, [0]),
      version: () => timed([bin, '--version'], work, [0]),
      policy: () => timed([bin, 'scan', policy, '--account', '123456789012', '--no-db', '-q'], work, [0, 1]),
      terraform: () =>
        timed([bin, 'scan', 'main.tf', '--account', '123456789012', '--no-db', '-q'], work, [0, 1]),
      wasm: () => timed([wasmScript], work, [0]),
    };
    const runs = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
    for (let i = 0; i < TURNS; i++) for (const [k, fn] of Object.entries(cases)) runs[k].push(fn());
    const best = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, Math.min(...v)]));
    // Each turn's ratio (its runs were next to each other), then the median over turns.
    const ratio = (k) => median(runs[k].map((ms, i) => ms / runs.node[i]));
    const load = loadavg()
      .map((x) => x.toFixed(2))
      .join(' ');
    log(`cores available: ${availableParallelism()}; load average ${load} (1, 5, 15 min); ${TURNS} turns`);
    log(`node -e 0: best ${fmt(best.node)} ms, median ${fmt(median(runs.node))} ms`);
    const row = (k, label) => {
      const r = ratio(k);
      log(
        `${label}: best ${fmt(best[k])} ms, median ${fmt(median(runs[k]))} ms; ${fmt(r, 2)}x node -e 0 (best/best ${fmt(best[k] / best.node, 2)}x; target <= ${TARGETS[k]}x)  ${r <= TARGETS[k] ? 'PASS' : 'FAIL'}`,
      );
    };
    row('version', 'trustaudit --version');
    row('policy', 'scan of one trust policy');
    row('terraform', 'scan of one Terraform file');
    log(
      `  of which the HCL parser (tree-sitter wasm init + grammar, bare process): ~${fmt(best.wasm - best.node)} ms over node -e 0 (${fmt(best.wasm)} ms in all)`,
    );
    log(`load average after: ${loadavg()[0].toFixed(2)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
