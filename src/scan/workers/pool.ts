/**
 * A small pool of worker threads (`node:worker_threads`) that run file sources on groups of files.
 * Tasks wait in one queue, in the order they are given; each worker holds up to two of them (the one it
 * reads and the next, so that it keeps busy while the main thread is reading a source of its own) and
 * takes more as it answers. Results come back by task number, so what the caller does with them never
 * depends on which worker finished first. A worker that fails (an uncaught error, running out of memory,
 * exiting) fails only the task it was reading; the one it had not started goes back to the queue.
 */
import { Worker } from 'node:worker_threads';
import type { ScanError } from '../../model/types.js';
import type { InputFile, SourceResult } from '../../sources/types.js';
import type { SerialContext } from './context.js';

/** What the main thread sends: read these files with the registry's source of this name. */
export interface TaskMessage {
  id: number;
  source: string;
  files: InputFile[];
}

/** What a worker answers: the source's result, or the error that ended the load (as a scan error). */
export type TaskReply =
  | { id: number; ok: true; result: SourceResult }
  | { id: number; ok: false; error: ScanError };

/** A task's outcome: the worker's reply, or why the worker could not give one. */
export type TaskOutcome = TaskReply | { id: number; ok: false; crashed: string };

export interface PoolOptions {
  /** The worker script (tsc output or the bundle's scan-worker entry). */
  entry: URL;
  size: number;
  context: SerialContext;
  /** Heap limit of each worker, in MiB (default: Node's). */
  maxHeapMb?: number;
}

export interface WorkerPool {
  run(task: Omit<TaskMessage, 'id'>): Promise<TaskOutcome>;
  /** Stop every worker (the pool is not used again). */
  close(): Promise<void>;
}

interface Pending {
  message: TaskMessage;
  resolve: (o: TaskOutcome) => void;
}

interface Slot {
  worker: Worker;
  /** Tasks posted to it and not answered, in the order it reads them. */
  held: Pending[];
}

/** Tasks a worker holds at once: the one it reads and the next. */
const HELD = 2;

export function createPool(opts: PoolOptions): WorkerPool {
  const queue: Pending[] = [];
  const slots: Slot[] = [];
  let nextId = 0;
  let closed = false;

  /** Hand out queued tasks: to idle workers first, new ones while the pool is not full, then a second each. */
  const dispatch = (): void => {
    if (closed) {
      for (const p of queue.splice(0))
        p.resolve({ id: p.message.id, ok: false, crashed: 'the scan stopped its worker threads' });
      return;
    }
    for (let depth = 1; depth <= HELD && queue.length > 0; depth++) {
      for (const slot of slots) {
        if (queue.length === 0) break;
        if (slot.held.length < depth) post(slot, queue.shift()!);
      }
      while (depth === 1 && queue.length > 0 && slots.length < opts.size) post(spawn(), queue.shift()!);
    }
  };

  const post = (slot: Slot, p: Pending): void => {
    slot.held.push(p);
    slot.worker.postMessage(p.message);
  };

  const spawn = (): Slot => {
    const worker = new Worker(opts.entry, {
      workerData: opts.context,
      ...(opts.maxHeapMb ? { resourceLimits: { maxOldGenerationSizeMb: opts.maxHeapMb } } : {}),
      // Nothing of the main thread's environment is needed: the context carries what a source reads.
      env: {},
    });
    const slot: Slot = { worker, held: [] };
    slots.push(slot);
    let gone = false;
    // Once, whichever of `error` and `exit` comes first: the task it was reading fails, the next waits again.
    const fail = (reason: string) => {
      if (gone) return;
      gone = true;
      const i = slots.indexOf(slot);
      if (i >= 0) slots.splice(i, 1);
      const [reading, ...waiting] = slot.held;
      slot.held = [];
      queue.unshift(...waiting);
      if (reading) reading.resolve({ id: reading.message.id, ok: false, crashed: reason });
      dispatch();
    };
    worker.on('message', (reply: TaskReply) => {
      const i = slot.held.findIndex((p) => p.message.id === reply.id);
      if (i < 0) return;
      const [p] = slot.held.splice(i, 1);
      p?.resolve(reply);
      dispatch();
    });
    worker.on('error', (e) => fail(crashReason(e)));
    worker.on('exit', (code) => fail(`the worker thread exited (code ${code})`));
    return slot;
  };

  return {
    run(task) {
      return new Promise<TaskOutcome>((resolve) => {
        queue.push({ message: { ...task, id: nextId++ }, resolve });
        dispatch();
      });
    },
    async close() {
      closed = true;
      dispatch();
      const workers = slots.splice(0).map((s) => s.worker);
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

function crashReason(e: unknown): string {
  const code = (e as { code?: unknown })?.code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') return 'the worker thread ran out of memory';
  return `the worker thread failed: ${e instanceof Error ? e.message : String(e)}`;
}
