import { toolVersion } from '../version.js';
import { type CliIO, processIO } from './io.js';

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
