#!/usr/bin/env node
import { statSync } from 'node:fs';

// The bundled CLI (dist/trustaudit.mjs and its chunks, `npm run build`) starts faster than the hundreds
// of modules tsc writes; it is used only when it is at least as new as them, so a `tsc`-only rebuild is
// never shadowed by an old bundle. Without a build at all, say how to make one.
const here = new URL('../dist/', import.meta.url);
const mtime = (name) => {
  try {
    return statSync(new URL(name, here)).mtimeMs;
  } catch {
    return undefined;
  }
};
const modules = mtime('cli/main.js');
const bundle = mtime('trustaudit.mjs');
if (modules === undefined && bundle === undefined) {
  process.stderr.write('trustaudit: not built yet: run `npm run build` in the package folder (it needs the devDependencies)\n');
  process.exit(2);
}
const entry = bundle !== undefined && (modules === undefined || bundle >= modules) ? 'trustaudit.mjs' : 'cli/main.js';
const { main, tuneProcessForCli } = await import(new URL(entry, here).href);
tuneProcessForCli();

main(process.argv).then(
  (code) => {
    // An output failure reported while the command ran may already have set 2; never lower it.
    process.exitCode = Math.max(Number(process.exitCode ?? 0), code);
  },
  async (err) => {
    // Known problems (files, history, usage) are one line from main(); what gets here is a bug. Its
    // stack names the source files: read through the source maps here, only now, because turning them
    // on for every run (--enable-source-maps) would parse megabytes of maps at each start.
    let stack;
    try {
      stack = (await import('./source-stack.js')).sourceStack(err?.stack);
    } catch {
      stack = undefined;
    }
    process.stderr.write(`trustaudit: internal error: ${stack ?? err?.stack ?? err}\n`);
    process.exitCode = 2;
  },
);
