import { fstatSync } from 'node:fs';
import { describeFsError, nodeWriteFs, WriteError, type WriteFs, writeFully } from '../util/atomic-write.js';

/** Everything the CLI touches outside itself, so tests can run it in-process. */
export interface CliIO {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  readStdin(): Promise<string>;
  stdinIsTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  /**
   * File-system calls for the files the CLI writes (reports, the prune backup); tests inject short writes
   * and ENOSPC here where a small file system cannot be mounted. Default: the real one.
   */
  writeFs?: WriteFs;
}

/** What `guardOutput` needs of a stream: Node's `process.stdout` and `process.stderr` are such. */
export interface OutputStream {
  write(s: string): boolean;
  on(event: 'error', listener: (e: Error) => void): unknown;
  isTTY?: boolean;
}

export interface GuardOptions {
  /** The stream's file descriptor: when it is a regular file, bytes are written (and checked) directly. */
  fd?: number;
  /** Told once about a failure other than a closed reader (the CLI then exits 2). */
  onFailure?: (message: string) => void;
  /** Never throw (standard error: when even it cannot be written, there is nowhere left to say so). */
  bestEffort?: boolean;
  fs?: WriteFs;
}

/** A reader that went away: `head -c 100` has what it wanted. */
function readerGone(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return code === 'EPIPE' || code === 'ECONNRESET' || code === 'ERR_STREAM_DESTROYED';
}

function isRegularFile(fd: number | undefined): boolean {
  if (fd === undefined) return false;
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false;
  }
}

/**
 * Standard output or error for the CLI. When the reader closes the pipe (EPIPE: `trustaudit scan -f json |
 * head -c 100`), later writes are dropped quietly and the command finishes as it would have (same exit code,
 * history still recorded): no unhandled 'error' event and no stack trace. When the stream is a regular file
 * (`> report.json`), every byte is written and checked: a short write or ENOSPC throws a WriteError
 * (Node's own file stream would cut the text silently).
 */
export function guardOutput(
  stream: OutputStream,
  name: string,
  opts: GuardOptions = {},
): { write(s: string): boolean; isTTY?: boolean } {
  let closed = false;
  let failed = false;
  stream.on('error', (e) => {
    closed = true;
    if (readerGone(e) || failed) return;
    failed = true;
    opts.onFailure?.(`cannot write ${name}: ${describeFsError(e).reason}`);
  });
  const fd = opts.fd;
  const direct = fd !== undefined && isRegularFile(fd);
  const fs = opts.fs ?? nodeWriteFs;
  return {
    ...(stream.isTTY !== undefined ? { isTTY: stream.isTTY } : {}),
    write(s: string): boolean {
      if (closed) return false;
      if (direct) {
        try {
          writeFully(fs, fd, Buffer.from(s, 'utf8'));
        } catch (e) {
          const { reason, code } = describeFsError(e);
          throw new WriteError(name, reason, code);
        }
        return true;
      }
      try {
        return stream.write(s);
      } catch (e) {
        if (!readerGone(e) && !opts.bestEffort) throw e;
        closed = true;
        return false;
      }
    },
  };
}

export function processIO(): CliIO {
  // An output failure found after the command has finished (pipes report errors asynchronously).
  const onFailure = (message: string) => {
    try {
      process.stderr.write(`trustaudit: ${message}\n`);
    } catch {
      // Standard error is gone too: the exit code still says it.
    }
    process.exitCode = 2;
  };
  return {
    stdout: guardOutput(process.stdout, 'standard output', { fd: 1, onFailure }),
    stderr: guardOutput(process.stderr, 'standard error', { bestEffort: true }),
    stdinIsTTY: Boolean(process.stdin.isTTY),
    env: process.env,
    cwd: process.cwd(),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

/** Colour is used on a terminal, unless NO_COLOR is set or the user said otherwise. */
export function useColor(io: CliIO, flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  if (io.env.NO_COLOR) return false;
  if (io.env.FORCE_COLOR && io.env.FORCE_COLOR !== '0') return true;
  return Boolean(io.stdout.isTTY);
}

/** A usage problem: printed without a stack, exit code 2 (defined below the CLI, for the settings step). */
export { UsageError } from '../util/usage-error.js';
