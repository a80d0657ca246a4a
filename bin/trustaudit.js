#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

main(process.argv).then(
  (code) => {
    // An output failure reported while the command ran may already have set 2; never lower it.
    process.exitCode = Math.max(Number(process.exitCode ?? 0), code);
  },
  (err) => {
    // Known problems (files, history, usage) are one line from main(); what gets here is a bug.
    process.stderr.write(`trustaudit: internal error: ${err?.stack ?? err}\n`);
    process.exitCode = 2;
  },
);
