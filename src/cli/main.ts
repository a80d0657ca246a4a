import v8 from 'node:v8';
import { toolVersion } from '../version.js';
import { type CliIO, processIO } from './io.js';
import { keepWasmOnBaselineTier } from './wasm-tiering.js';

/**
 * Process-wide settings of the command-line tool, made by its entry (bin/trustaudit.js) before `main`;
 * never by the library or by tests that call `main` in their own process.
 */
export function tuneProcessForCli(): void {
  keepWasmOnBaselineTier(v8, process.versions.v8);
}

/**
 * Run the CLI; resolves to the exit code (0 clean, 1 findings, 2 usage or input error).
 * `trustaudit --version` alone is answered here, before any command is built: a script that checks the
 * version pays for Node's start and one small file read. Everything else loads the commands
 * (src/cli/program.ts) first.
 */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  if (argv.length === 3 && (argv[2] === '--version' || argv[2] === '-V')) {
    io.stdout.write(`${toolVersion()}\n`);
    return 0;
  }
  const { runProgram } = await import('./program.js');
  return runProgram(argv, io);
}
